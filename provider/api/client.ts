/**
 * VobizClient: the typed client for the Vobiz credentials API. It owns the API's paths, parses
 * every response with zod, reads through a short-lived shared snapshot of the credentials list,
 * and makes create safe to retry: the transport's retry loop calls back into the client after an
 * ambiguous attempt, and a fresh look-up decides whether the create landed (a credential is taken
 * only when Vobiz's clock, measured from its `Date` headers, shows it was created by this call).
 */
import {
  DEFAULT_CLIENT_TUNING,
  settingValuesOf,
  type VobizClientOptions,
  type VobizClientTuning,
} from "./options";
import { findSetting, resolveSettings } from "../settings/settings";
import { createApiError, createResponseError, type VobizOperation } from "../common/errors";
import { limiterFor } from "../http/limiter/registry";
import { scanAllPages } from "./listScan";
import { ListSnapshots, type ReadOptions } from "./listSnapshots";
import { judgeOwnership } from "./ownership";
import { apiSchemas, describeIssues, type CredentialPage } from "./schemas";
import {
  createBody,
  credentialFromApi,
  putBody,
  type CreateFields,
  type Credential,
  type CredentialPatch,
} from "../contract/wire";
import { SYSTEM_CLOCK, type Clock } from "../common/clock";
import type { ApiRequest } from "../http/request";
import { HttpTransport } from "../http/transport";

/**
 * The typed client for the Vobiz credentials API: create, list (paged, through a shared
 * snapshot), find, update and delete. Every method resolves with parsed data or throws a
 * `VobizApiError` subclass with a next step; no error holds the token or a password.
 */
export class VobizClient {
  /** The account's Auth ID every request goes to. */
  readonly authId: string;
  /** The API base URL, normalised (no trailing slash). */
  readonly baseUrl: string;
  private readonly transport: HttpTransport;
  private readonly tuning: VobizClientTuning;
  private readonly clock: Clock;
  private readonly snapshots: ListSnapshots;

  /**
   * Resolves the settings now (provider/settings: these options first, then `VOBIZ_*` of `env`,
   * then the defaults): a missing Auth ID or Token, or a malformed option, throws before any
   * request.
   */
  constructor(options: VobizClientOptions = {}) {
    const env = options.env ?? process.env;
    const sources = { options: settingValuesOf(options), env };
    const s = resolveSettings(sources);
    this.authId = s.authId;
    this.baseUrl = s.baseUrl;
    this.tuning = {
      ...DEFAULT_CLIENT_TUNING,
      ...definedOnly({
        listCacheTtlMs: options.listCacheTtlMs,
        clockToleranceMs: options.clockToleranceMs,
        clockSkewMs: options.clockSkewMs,
      }),
      timeoutMs: s.requestTimeout * 1000,
      listPageSize: s.listPageSize,
      accountPathSegment: s.accountPathSegment,
    };
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.snapshots = new ListSnapshots(() => this.scanAll(), this.clock, this.tuning.listCacheTtlMs);
    const debug =
      options.debug ?? (s.debug ? (line: string) => process.stderr.write(`${line}\n`) : undefined);
    const mode = options.rateLimiter ?? findSetting("rateLimiter", sources);
    const limiter = limiterFor({
      mode,
      ownByDefault: options.clock !== undefined,
      maxRequestsPerSecond: s.maxRequestsPerSecond,
      baseUrl: s.baseUrl,
      authId: s.authId,
      clock: this.clock,
      debug,
    });
    this.transport = new HttpTransport({
      baseUrl: s.baseUrl,
      authId: s.authId,
      authToken: s.authToken,
      timeoutMs: this.tuning.timeoutMs,
      retry: { ...options.retry, maxElapsedMs: s.maxRetryWait * 1000 },
      clock: this.clock,
      userAgent: options.userAgent,
      debug,
      limiter,
    });
  }

  private get accountPath(): string {
    return `/${this.tuning.accountPathSegment}/${encodeURIComponent(this.authId)}`;
  }

  private credentialPath(id: string): string {
    if (!id) throw new TypeError("credential id must not be empty");
    return `${this.accountPath}/credentials/${encodeURIComponent(id)}`;
  }

  /**
   * Creates a credential (`POST {username, password}`) and returns it. A failure that leaves open
   * whether the create landed (no answer, a retryable 5xx or 408, an unusable 2xx, or a 409 after
   * one of those) is reconciled before any further attempt by a fresh look-up of the username: a
   * credential Vobiz created after the first attempt reached it (judged on Vobiz's clock, see
   * `clockToleranceMs`) is this call's own and is taken with one PUT of the password, so it
   * certainly has the declared password; one created earlier fails the call with a
   * VobizConflictError that names it and suggests `adoptExisting`; none means the POST is sent
   * again if the retry budget allows. The POST is never sent twice blindly.
   */
  async createCredential(input: CreateFields): Promise<Credential> {
    const req: ApiRequest = {
      method: "POST",
      path: `${this.accountPath}/credentials`,
      body: createBody(input),
      operation: "create",
      retry: "unsent-only",
      validate: (data) => this.credentialProblem(data),
    };
    const firstAttemptAt = this.clock.now();
    const res = await this.transport.send(req, async (failure) => {
      this.markWrite(); // the server may have changed under us
      let existing: Credential | undefined;
      try {
        existing = await this.findCredentialByUsername(input.username, { fresh: true });
      } catch {
        // The look-up failed too: report the create's failure, which is what the user asked for.
        throw failure;
      }
      if (!existing) return undefined;
      const verdict = judgeOwnership(existing, {
        firstAttemptAt,
        offset: this.transport.serverClockOffset(),
        toleranceMs: this.tuning.clockToleranceMs,
        skewMs: this.tuning.clockSkewMs,
      });
      if (verdict.ours) return this.updateCredential(existing.id, { password: input.password });
      throw createApiError({
        status: 409,
        code: "DUPLICATE_USERNAME",
        vobizMessage:
          `a credential named '${existing.username}' (id ${existing.id}) already exists and is not ` +
          `this run's own: ${verdict.why}`,
        method: req.method,
        path: req.path,
        operation: "create",
        attempts: failure.attempts,
      });
    });
    if ("reconciled" in res) return res.reconciled;
    this.markWrite();
    return this.parseCredential(res.data, req, res.status, res.requestId);
  }

  /** One page of the list, as the API returns it. */
  async listCredentialsPage(page: { limit?: number; offset?: number } = {}): Promise<CredentialPage> {
    const limit = page.limit ?? this.tuning.listPageSize;
    const offset = page.offset ?? 0;
    const req: ApiRequest = {
      method: "GET",
      path: `${this.accountPath}/trunks/credentials`,
      query: { limit, offset },
      operation: "list",
      retry: "idempotent",
    };
    const res = await this.transport.send(req);
    const parsed = apiSchemas().credentialList.safeParse(res.data);
    if (!parsed.success) {
      throw createResponseError(
        {
          status: res.status,
          method: req.method,
          path: req.path,
          operation: "list",
          requestId: res.requestId,
        },
        `unexpected list body: ${describeIssues(parsed.error)}`,
      );
    }
    const meta = parsed.data.meta ?? undefined;
    return {
      credentials: parsed.data.objects.map(credentialFromApi),
      limit: meta?.limit ?? undefined,
      offset: meta?.offset ?? undefined,
      total: meta?.total ?? meta?.total_count ?? undefined,
    };
  }

  /**
   * Every credential of the account. Concurrent callers share one scan; a completed scan serves
   * reads for `listCacheTtlMs` unless this client wrote since, or the caller asks for data no
   * older than `notOlderThan`.
   */
  async listAllCredentials(options: ReadOptions = {}): Promise<Credential[]> {
    return this.snapshots.all(options);
  }

  /** Every credential, page by page (listScan.ts). */
  private scanAll(): Promise<Credential[]> {
    return scanAllPages((page) => this.listCredentialsPage(page), this.tuning.listPageSize);
  }

  /**
   * The credential with this id, or undefined. Answered from the shared snapshot; a miss in a
   * snapshot older than this call is confirmed by one fresh scan (shared by every miss of that
   * snapshot), so a credential that moved between pages during a scan is never reported gone.
   */
  async findCredentialById(id: string, options: ReadOptions = {}): Promise<Credential | undefined> {
    return this.snapshots.findById(id, options);
  }

  /** The credential with this username, or undefined. See listAllCredentials for freshness. */
  async findCredentialByUsername(
    username: string,
    options: ReadOptions = {},
  ): Promise<Credential | undefined> {
    return (await this.listAllCredentials(options)).find((c) => c.username === username);
  }

  /** PUT with only the given fields; returns the updated credential. */
  async updateCredential(id: string, patch: CredentialPatch): Promise<Credential> {
    const body = putBody(patch);
    if (Object.keys(body).length === 0)
      throw new TypeError("updateCredential needs at least one field to change");
    const req: ApiRequest = {
      method: "PUT",
      path: this.credentialPath(id),
      body,
      operation: "update",
      retry: "idempotent",
    };
    try {
      const res = await this.transport.send(req);
      return this.parseCredential(res.data, req, res.status, res.requestId);
    } finally {
      this.markWrite();
    }
  }

  /** DELETE; throws VobizNotFoundError (404) when the credential does not exist. */
  async deleteCredential(id: string): Promise<void> {
    const req: ApiRequest = {
      method: "DELETE",
      path: this.credentialPath(id),
      operation: "delete",
      retry: "idempotent",
    };
    try {
      await this.transport.send(req);
    } finally {
      this.markWrite();
    }
  }

  private markWrite(): void {
    this.snapshots.markWrite();
  }

  /** What is wrong with a credential body, or undefined when it parses. */
  private credentialProblem(data: unknown): string | undefined {
    const parsed = apiSchemas().credential.safeParse(unwrap(data));
    return parsed.success ? undefined : `unexpected credential body: ${describeIssues(parsed.error)}`;
  }

  private parseCredential(data: unknown, req: ApiRequest, status: number, requestId?: string): Credential {
    // Some API generations wrap the object; accept `{ object: {...} }` and `{ data: {...} }` too.
    const candidate = unwrap(data);
    const parsed = apiSchemas().credential.safeParse(candidate);
    if (!parsed.success) {
      throw createResponseError(
        {
          status,
          method: req.method,
          path: req.path,
          operation: req.operation as VobizOperation,
          requestId,
        },
        `unexpected credential body: ${describeIssues(parsed.error)}`,
      );
    }
    return credentialFromApi(parsed.data);
  }
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function unwrap(data: unknown): unknown {
  if (data && typeof data === "object" && !("id" in data)) {
    const d = data as Record<string, unknown>;
    for (const k of ["object", "data", "credential"]) {
      if (d[k] && typeof d[k] === "object") return d[k];
    }
  }
  return data;
}
