/**
 * The HTTP transport: one axios instance per client, auth headers, timeouts, the user agent, the
 * one retry loop of every request (with the reconcile hook of non-idempotent ones), network
 * failures, and the `Date` evidence of Vobiz's clock. responses.ts reads what comes back. It knows
 * nothing about credentials; the API client (provider/api) builds on it.
 */
import type { AxiosInstance, AxiosResponse, AxiosStatic, CreateAxiosDefaults } from "axios";
import * as fs from "node:fs";
import * as path from "node:path";
import { lowerCaseHeaders, readAnswer, toError, type Failure } from "./responses";
import type { ApiRequest, ApiResponse, Reconciled, Reconciler } from "./request";
import { SYSTEM_CLOCK, type Clock } from "../common/clock";
import type { AccountRateLimiter } from "./limiter/accountLimiter";
import { backoffDelay, mergeRetryOptions, retryDecision, type RetryOptions } from "./retry";
import { ServerClock, type ClockOffset } from "./serverClock";

/** Largest response body accepted; anything bigger is a malformed response, not a crash. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The package's user agent, `pulumi-vobiz/<version> node/<version>`. */
export const USER_AGENT = `pulumi-vobiz/${packageVersion()} node/${process.versions.node}`;

function packageVersion(): string {
  try {
    // dist/http/transport.js and provider/http/transport.ts both sit two levels below package.json.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** What a transport needs: where, who, and how patiently. */
export interface TransportOptions {
  /** API base URL including `/api/v1`. */
  baseUrl: string;
  /** The account's Auth ID, sent as `X-Auth-ID`. */
  authId: string;
  /** The account's Auth Token, sent as `X-Auth-Token`; never in an error or log line. */
  authToken: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Retry options, laid over `DEFAULT_RETRY_OPTIONS`. */
  retry?: Partial<RetryOptions>;
  /** Injected clock (tests). */
  clock?: Clock;
  /** Replaces the default {@link USER_AGENT}. */
  userAgent?: string;
  /**
   * The account's shared limiter: every attempt waits for its turn there and reports its answer
   * (a 429 pauses every request of the account). Time spent waiting for a turn is pacing, not
   * retrying: it does not count against `retry.maxElapsedMs`.
   */
  limiter?: AccountRateLimiter;
  /**
   * Receives masked lines, never bodies: one per attempt (method, path, status or network code,
   * duration, request id), one per retry wait, and one per reconciliation of an ambiguous POST.
   */
  debug?: (line: string) => void;
}

/**
 * axios, loaded on the first request rather than with the package: the provider process of a
 * `pulumi preview` with nothing to change never sends one, and saves the load.
 */
function loadAxios(): AxiosStatic {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (require("axios") as { default: AxiosStatic }).default;
}

/**
 * The HTTP layer of `VobizClient`: one axios instance, auth headers, timeouts, the user
 * agent, the one retry loop (with its budget and the reconcile hook of non-idempotent requests),
 * JSON parsing, and the mapping of every failure onto the typed errors of errors.ts.
 */
export class HttpTransport {
  /** The effective retry options (defaults with the caller's overrides). */
  readonly retry: RetryOptions;
  /** The clock the transport waits and measures with. */
  readonly clock: Clock;
  private readonly axiosConfig: CreateAxiosDefaults;
  private axiosInstance?: AxiosInstance;
  private readonly secrets: string[];
  private readonly serverClock = new ServerClock();

  /** Checks the retry options; sends nothing (axios itself loads on the first request). */
  constructor(private readonly options: TransportOptions) {
    this.retry = mergeRetryOptions(options.retry);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.secrets = [options.authToken];
    this.axiosConfig = {
      baseURL: options.baseUrl,
      timeout: options.timeoutMs,
      headers: {
        "X-Auth-ID": options.authId,
        "X-Auth-Token": options.authToken,
        Accept: "application/json",
        "User-Agent": options.userAgent ?? USER_AGENT,
      },
      responseType: "text",
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxRedirects: 0,
      maxContentLength: MAX_RESPONSE_BYTES,
      transitional: { clarifyTimeoutError: true, silentJSONParsing: true, forcedJSONParsing: false },
    };
  }

  private get http(): AxiosInstance {
    return (this.axiosInstance ??= loadAxios().create(this.axiosConfig));
  }

  /**
   * The range the offset of Vobiz's clock from this machine's lies in (Vobiz minus local, ms),
   * from the `Date` headers of every answer so far; undefined before the first dated answer.
   */
  serverClockOffset(): ClockOffset | undefined {
    return this.serverClock.offset();
  }

  /**
   * Sends a request in one retry loop with one budget (`retry.maxAttempts` attempts and
   * `retry.maxElapsedMs` in total, waits included) and resolves with the 2xx answer, or throws a
   * VobizApiError whose `attempts` counts every attempt made. A wait Vobiz asks for
   * (`Retry-After`, `X-RateLimit-Reset`) replaces the backoff; one that does not fit in what is
   * left of the budget fails at once, saying how long Vobiz asked to wait.
   *
   * With a `reconcile` hook, a non-idempotent request whose outcome is unknown after an attempt
   * is reconciled by the hook before anything else happens; the call then resolves with what
   * the hook found (`{ reconciled, attempts }`), or sends the request again.
   */
  async send(req: ApiRequest): Promise<ApiResponse>;
  /**
   * Sends a request like the one-argument form; after an attempt of a non-idempotent request
   * whose outcome is unknown, `reconcile` decides first (see {@link Reconciler}).
   */
  async send<T extends object>(
    req: ApiRequest,
    reconcile: Reconciler<T>,
  ): Promise<ApiResponse | Reconciled<T>>;
  async send<T extends object>(
    req: ApiRequest,
    reconcile?: Reconciler<T>,
  ): Promise<ApiResponse | Reconciled<T>> {
    const started = this.clock.now();
    const secrets = this.secretsOf(req);
    const limiter = this.options.limiter;
    let ambiguousBefore = false;
    let queued = 0; // ms spent waiting for a turn at the limiter
    for (let attempt = 1; ; attempt++) {
      if (limiter) queued += await limiter.acquire();
      const sentAt = this.clock.now();
      const outcome = await this.attempt(req, secrets, attempt);
      limiter?.answered({
        status: "facts" in outcome ? outcome.facts.status : outcome.status,
        sentAt,
        serverWaitMs: "facts" in outcome ? outcome.serverWait?.ms : undefined,
        maxPauseMs: this.retry.maxElapsedMs - (this.clock.now() - started - queued),
      });
      if (!("facts" in outcome)) return { ...outcome, attempts: attempt };
      const decision = retryDecision(
        req.retry === "idempotent",
        {
          status: outcome.facts.status,
          networkCode: outcome.facts.networkCode,
          unusableSuccess: outcome.problem !== undefined,
        },
        this.retry,
        ambiguousBefore,
      );
      if (decision === "final") throw toError(outcome);
      if (decision === "reconcile") {
        ambiguousBefore = true;
        if (!reconcile) throw toError(outcome);
        this.log(`${req.method} ${req.path}: outcome unknown, looking it up before any retry`);
        const found = await reconcile(toError(outcome));
        if (found !== undefined) return { reconciled: found, attempts: attempt };
      }
      if (attempt >= this.retry.maxAttempts) throw toError(outcome);
      const asked = outcome.serverWait;
      const wait = asked?.ms ?? backoffDelay(attempt, this.retry, this.clock.random);
      const elapsed = this.clock.now() - started - queued;
      if (elapsed + wait > this.retry.maxElapsedMs) {
        throw toError(outcome, this.budgetSpent(elapsed, wait, asked?.header));
      }
      this.log(`retrying ${req.method} ${req.path} in ${wait} ms (attempt ${attempt + 1})`);
      await this.clock.sleep(wait);
    }
  }

  /** Why a wait does not fit in the time budget, with how to raise it. */
  private budgetSpent(elapsed: number, wait: number, header: string | undefined): string {
    const budget = `the ${seconds(this.retry.maxElapsedMs)} one call may spend retrying`;
    const spent = elapsed > 0 ? ` (${seconds(elapsed)} spent)` : "";
    const raise =
      "raise the limit with VOBIZ_MAX_RETRY_WAIT=<seconds> (client option retry.maxElapsedMs), " +
      "or wait and run the command again";
    return header
      ? `Vobiz asked to wait ${seconds(wait)} (${header}), longer than what is left of ${budget}${spent}; ${raise}`
      : `the next wait would pass ${budget}${spent}; ${raise}`;
  }

  private async attempt(
    req: ApiRequest,
    secrets: string[],
    attempt: number,
  ): Promise<Omit<ApiResponse, "attempts"> | Failure> {
    const t0 = this.clock.now();
    let res: AxiosResponse<string>;
    try {
      res = await this.http.request<string>({
        method: req.method,
        url: req.path,
        params: req.query,
        data: req.body === undefined ? undefined : JSON.stringify(req.body),
        headers: req.body === undefined ? undefined : { "Content-Type": "application/json" },
      });
    } catch (err) {
      // Never keep the AxiosError: its config holds the auth headers and the request body.
      let networkCode = loadAxios().isAxiosError(err) ? (err.code ?? "ERR_NETWORK") : "ERR_UNKNOWN";
      const oversized = networkCode === "ERR_BAD_RESPONSE" && /maxContentLength/.test((err as Error).message);
      // axios also says ERR_BAD_RESPONSE when the body broke off (connection reset mid-body): that
      // is a network failure, retryable for idempotent requests and ambiguous for a create.
      if (networkCode === "ERR_BAD_RESPONSE" && !oversized) networkCode = "ERR_RESPONSE_ABORTED";
      this.log(
        `${req.method} ${req.path} -> ${networkCode} after ${this.clock.now() - t0} ms (attempt ${attempt})`,
      );
      const base = {
        method: req.method,
        path: req.path,
        operation: req.operation,
        networkCode,
        attempts: attempt,
      };
      // axios reports an oversized body this way; the request did reach the server.
      if (oversized) return { facts: base, problem: `response body larger than ${MAX_RESPONSE_BYTES} bytes` };
      return { facts: { ...base, baseUrl: this.options.baseUrl } };
    }

    const received = this.clock.now();
    const headers = lowerCaseHeaders(res.headers as Record<string, unknown>);
    const serverNow = this.serverClock.observe(headers.date, t0, received);
    const text = typeof res.data === "string" ? res.data : "";
    const { requestId, outcome } = readAnswer({ status: res.status, headers, text }, req, {
      secrets,
      attempt,
      // Waits are relative to Vobiz's own clock when it said what time it is.
      now: serverNow ?? received,
    });
    this.log(
      `${req.method} ${req.path} -> ${res.status} in ${received - t0} ms (attempt ${attempt}${
        requestId ? `, request ${requestId}` : ""
      })`,
    );
    return outcome;
  }

  /** Strings that must never appear in an error of this request: the token and any password. */
  private secretsOf(req: ApiRequest): string[] {
    const pw = req.body?.password;
    return typeof pw === "string" ? [...this.secrets, pw] : this.secrets;
  }

  private log(line: string): void {
    this.options.debug?.(`[pulumi-vobiz] ${line}`);
  }
}

/** `12 s`, `1.5 s`: a duration for a message. */
function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}
