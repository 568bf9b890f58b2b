/**
 * The HTTP transport: one axios instance per client, auth headers, timeouts, the user agent,
 * retries for idempotent requests, JSON parsing and the mapping of every failure onto the typed
 * errors of errors.ts. It knows nothing about credentials; client.ts builds on it.
 */
import type { AxiosInstance, AxiosResponse, AxiosStatic, CreateAxiosDefaults } from "axios";
import * as fs from "node:fs";
import * as path from "node:path";
import { createApiError, createResponseError, type VobizApiError, type VobizOperation } from "./errors";
import { maskSecrets, redactString } from "./redact";
import { apiSchemas } from "./schemas";
import {
  backoffDelay,
  mergeRetryOptions,
  serverRequestedDelay,
  UNSENT_NETWORK_CODES,
  type RetryOptions,
} from "./retry";

/** Largest response body accepted; anything bigger is a malformed response, not a crash. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The package's user agent, `pulumi-vobiz/<version> node/<version>`. */
export const USER_AGENT = `pulumi-vobiz/${packageVersion()} node/${process.versions.node}`;

function packageVersion(): string {
  try {
    // dist/transport.js and provider/transport.ts both sit one level below package.json.
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
      version?: string;
    };
    return pkg.version ?? "0.0.0";
  } catch {
    return "0.0.0";
  }
}

/** How a request may be retried. */
export type RetryMode =
  /** GET, PUT, DELETE: network errors and retryable statuses, with backoff. */
  | "idempotent"
  /** POST: only when the request provably did not reach the server, or on 429. */
  | "unsent-only";

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the base URL, e.g. `/account/MA_X/credentials`. */
  path: string;
  query?: Record<string, string | number>;
  body?: Record<string, unknown>;
  operation: VobizOperation;
  retry: RetryMode;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  data: unknown;
  requestId?: string;
  /** How many attempts it took. */
  attempts: number;
}

/** Injectable time and randomness, so retry tests need no real waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export interface TransportOptions {
  baseUrl: string;
  authId: string;
  authToken: string;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  retry?: Partial<RetryOptions>;
  clock?: Clock;
  userAgent?: string;
  /** Receives one masked line per attempt (method, path, status, duration); never bodies. */
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

export class HttpTransport {
  readonly retry: RetryOptions;
  readonly clock: Clock;
  private readonly axiosConfig: CreateAxiosDefaults;
  private axiosInstance?: AxiosInstance;
  private readonly secrets: string[];

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

  /** Sends a request, retrying per its mode; resolves with a 2xx response or throws a VobizApiError. */
  async send(req: ApiRequest): Promise<ApiResponse> {
    const started = this.clock.now();
    const secrets = this.secretsOf(req);
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(req, secrets, attempt);
      if (outcome.ok) return { ...outcome.response, attempts: attempt };
      const { error, serverDelayMs } = outcome;
      if (!this.shouldRetry(req, error) || attempt >= this.retry.maxAttempts) throw error;
      const wait = serverDelayMs ?? backoffDelay(attempt, this.retry, this.clock.random);
      const elapsed = this.clock.now() - started;
      if (wait > this.retry.maxDelayMs || elapsed + wait > this.retry.maxElapsedMs) throw error;
      this.log(`retrying ${req.method} ${req.path} in ${wait} ms (attempt ${attempt + 1})`);
      await this.clock.sleep(wait);
    }
  }

  /** Whether the error allows another attempt of this request. */
  private shouldRetry(req: ApiRequest, error: VobizApiError): boolean {
    if (error.status === undefined) {
      if (req.retry === "idempotent") return error.networkCode !== "ERR_BAD_RESPONSE";
      return error.networkCode !== undefined && UNSENT_NETWORK_CODES.has(error.networkCode);
    }
    if (req.retry === "unsent-only") return error.status === 429;
    return this.retry.retryableStatuses.includes(error.status);
  }

  private async attempt(
    req: ApiRequest,
    secrets: string[],
    attempt: number,
  ): Promise<
    | { ok: true; response: Omit<ApiResponse, "attempts"> }
    | { ok: false; error: VobizApiError; serverDelayMs?: number }
  > {
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
      if (oversized) {
        // axios reports an oversized body this way; the request did reach the server.
        return {
          ok: false,
          error: createResponseError(
            { method: req.method, path: req.path, operation: req.operation, networkCode, attempts: attempt },
            `response body larger than ${MAX_RESPONSE_BYTES} bytes`,
          ),
        };
      }
      return {
        ok: false,
        error: createApiError({
          method: req.method,
          path: req.path,
          operation: req.operation,
          networkCode,
          attempts: attempt,
          baseUrl: this.options.baseUrl,
        }),
      };
    }

    const headers = lowerCaseHeaders(res.headers as Record<string, unknown>);
    const text = typeof res.data === "string" ? res.data : "";
    const parsed = parseJson(text);
    const envelope = apiSchemas().errorEnvelope.safeParse(parsed.ok ? parsed.value : undefined);
    const env = envelope.success ? envelope.data : undefined;
    const rawRequestId =
      headers["x-request-id"] ?? env?.requestId ?? env?.request_id ?? env?.api_id ?? undefined;
    // Whatever the server sends back is masked: it may echo the request in any field.
    const requestId = rawRequestId ? redactString(rawRequestId, secrets) : undefined;
    this.log(
      `${req.method} ${req.path} -> ${res.status} in ${this.clock.now() - t0} ms (attempt ${attempt}${
        requestId ? `, request ${requestId}` : ""
      })`,
    );

    if (res.status >= 200 && res.status < 300) {
      if (!parsed.ok) {
        return {
          ok: false,
          error: createResponseError(
            {
              status: res.status,
              method: req.method,
              path: req.path,
              operation: req.operation,
              requestId,
              attempts: attempt,
            },
            `response body is not JSON (${describeBody(text, headers["content-type"])})`,
          ),
        };
      }
      return { ok: true, response: { status: res.status, data: parsed.value, requestId } };
    }

    const errorObject = env && typeof env.error === "object" && env.error !== null ? env.error : undefined;
    const code = errorObject?.code ?? undefined;
    const message =
      errorObject?.message ??
      (typeof env?.error === "string" ? env.error : undefined) ??
      env?.message ??
      (parsed.ok ? undefined : text.trim() ? describeBody(text, headers["content-type"]) : undefined);
    return {
      ok: false,
      serverDelayMs: serverRequestedDelay(headers, this.clock.now()),
      error: createApiError({
        status: res.status,
        method: req.method,
        path: req.path,
        operation: req.operation,
        code: code ? redactString(code, secrets) : undefined,
        vobizMessage: message ? redactString(message, secrets) : undefined,
        details: errorObject?.details === undefined ? undefined : maskSecrets(errorObject.details, secrets),
        requestId,
        attempts: attempt,
      }),
    };
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

function lowerCaseHeaders(h: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    out[k.toLowerCase()] = Array.isArray(v)
      ? v.join(", ")
      : v === undefined || v === null
        ? undefined
        : String(v);
  }
  return out;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A short, value-free description of a body that is not JSON. */
function describeBody(text: string, contentType: string | undefined): string {
  const kind = /<html|<!doctype/i.test(text) ? "an HTML page" : "text";
  return `${kind}, ${text.length} bytes${contentType ? `, content-type ${contentType}` : ""}`;
}
