/**
 * VobizClient: the typed client for the Vobiz credentials API. It owns the API's paths, parses
 * every response with zod, reads through a short-lived shared snapshot of the credentials list,
 * and makes create safe to retry (an ambiguous create is reconciled by a fresh look-up, never
 * blindly sent twice).
 */
import { resolveConnection, settingsFromEnv, type VobizConnectionSettings } from "./config";
import {
  createApiError,
  createResponseError,
  VobizApiError,
  VobizResponseError,
  type VobizOperation,
} from "./errors";
import { backoffDelay, UNSENT_NETWORK_CODES, type RetryOptions } from "./retry";
import { apiSchemas, describeIssues, toCredential, type Credential, type CredentialPage } from "./schemas";
import { HttpTransport, SYSTEM_CLOCK, type ApiRequest, type Clock } from "./transport";

/**
 * The first path segment after the base URL. The rendered docs use `account`, the generated SDKs
 * `Account`; the two may not be interchangeable on the live API, so it is one switchable value.
 */
export const DEFAULT_ACCOUNT_PATH_SEGMENT = "account";

/** Client options beyond the connection settings, with their defaults. */
export interface VobizClientTuning {
  /** Per-request timeout. */
  timeoutMs: number;
  /** Page size used when reading the whole list (the documented maximum of sibling lists). */
  listPageSize: number;
  /** How long a list snapshot may serve reads (refresh of many resources shares one scan). */
  listCacheTtlMs: number;
  /** Tolerated clock difference between this machine and Vobiz when reconciling a create. */
  clockSkewMs: number;
  /** `account` (default) or `Account`. */
  accountPathSegment: string;
}

export const DEFAULT_CLIENT_TUNING: Readonly<VobizClientTuning> = Object.freeze({
  timeoutMs: 30_000,
  listPageSize: 100,
  listCacheTtlMs: 30_000,
  clockSkewMs: 120_000,
  accountPathSegment: DEFAULT_ACCOUNT_PATH_SEGMENT,
});

export interface VobizClientOptions extends VobizConnectionSettings, Partial<VobizClientTuning> {
  /** Lower-priority settings, e.g. the stack config handed to the provider's `configure`. */
  fallback?: VobizConnectionSettings;
  /** Environment to read `VOBIZ_*` from; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryOptions>;
  /** Injected clock (tests). */
  clock?: Clock;
  userAgent?: string;
  /** Receives masked one-line traces of each attempt. Defaults to stderr when VOBIZ_DEBUG is set. */
  debug?: (line: string) => void;
}

/** The fields a PUT may change. */
export interface CredentialPatch {
  password?: string;
  enabled?: boolean;
  description?: string;
}

/** Options of a read: how old the data it is answered from may be. */
export interface ReadOptions {
  /**
   * Only answer from a list scan that started at or after this time (ms since epoch). Use
   * `fresh: true` for a read by the client's own clock; omit both to accept the shared snapshot.
   */
  notOlderThan?: number;
  /** Only answer from a list scan started by this call or later (the client's clock): for decisions. */
  fresh?: boolean;
}

interface Snapshot {
  startedAt: number;
  /** How many writes this client had completed when the scan started. */
  writes: number;
  promise: Promise<Credential[]>;
  /** True for a scan started to confirm misses; its misses are final. */
  confirmation?: boolean;
  /** The scan confirming misses in this snapshot, once one was needed. */
  confirmedBy?: Promise<Credential[]>;
}

export class VobizClient {
  readonly authId: string;
  readonly baseUrl: string;
  private readonly transport: HttpTransport;
  private readonly tuning: VobizClientTuning;
  private readonly clock: Clock;
  private snapshot?: Snapshot;
  /**
   * Writes completed by this client; a snapshot started before the latest one is stale. A count,
   * not a time: a scan and a write within the same millisecond must still be ordered.
   */
  private writes = 0;

  /** Resolves the connection settings now: a missing Auth ID or Token throws before any request. */
  constructor(options: VobizClientOptions = {}) {
    const conn = resolveConnection(
      options,
      options.fallback ?? {},
      settingsFromEnv(options.env ?? process.env),
    );
    this.authId = conn.authId;
    this.baseUrl = conn.baseUrl;
    this.tuning = { ...DEFAULT_CLIENT_TUNING };
    for (const k of Object.keys(DEFAULT_CLIENT_TUNING) as (keyof VobizClientTuning)[]) {
      if (options[k] !== undefined) (this.tuning as unknown as Record<string, unknown>)[k] = options[k];
    }
    if (
      !Number.isInteger(this.tuning.listPageSize) ||
      this.tuning.listPageSize < 1 ||
      this.tuning.listPageSize > 100
    ) {
      throw new RangeError("listPageSize must be a whole number from 1 to 100");
    }
    this.clock = options.clock ?? SYSTEM_CLOCK;
    const env = options.env ?? process.env;
    const debug =
      options.debug ?? (env.VOBIZ_DEBUG ? (line: string) => process.stderr.write(`${line}\n`) : undefined);
    this.transport = new HttpTransport({
      baseUrl: conn.baseUrl,
      authId: conn.authId,
      authToken: conn.authToken,
      timeoutMs: this.tuning.timeoutMs,
      retry: options.retry,
      clock: this.clock,
      userAgent: options.userAgent,
      debug,
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
   * Creates a credential (`POST {username, password}`). An ambiguous failure (timeout, dropped
   * connection, 5xx, or a 409 on a retry) is reconciled by a fresh look-up of the username: a
   * credential created no earlier than the first attempt (within the clock-skew allowance) is
   * taken (with one PUT of the password, so it is certainly in the declared state) and returned;
   * otherwise the create is retried within the retry budget.
   */
  async createCredential(input: { username: string; password: string }): Promise<Credential> {
    const firstAttemptAt = this.clock.now();
    const retry = this.transport.retry;
    const req: ApiRequest = {
      method: "POST",
      path: `${this.accountPath}/credentials`,
      body: { username: input.username, password: input.password },
      operation: "create",
      retry: "unsent-only",
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await this.transport.send(req);
        this.markWrite();
        return this.parseCredential(res.data, req, res.status, res.requestId);
      } catch (err) {
        if (!(err instanceof VobizApiError)) throw err;
        const ambiguous = isAmbiguous(err) || (err.status === 409 && attempt > 1);
        if (!ambiguous) throw err;
        this.markWrite(); // the server may have changed under us
        let existing: Credential | undefined;
        try {
          existing = await this.findCredentialByUsername(input.username, { fresh: true });
        } catch {
          // The look-up failed too: report the create's failure, which is what the user asked for.
          throw err;
        }
        if (existing) {
          // Created since our first attempt: most likely ours. Setting the password makes that
          // certain (if someone else created the same username in that window, the declared
          // password is what it now has, and the state is true either way).
          if (this.createdSince(existing, firstAttemptAt)) {
            return this.updateCredential(existing.id, { password: input.password });
          }
          throw createApiError({
            status: 409,
            code: "DUPLICATE_USERNAME",
            vobizMessage: `a credential named '${input.username}' already existed before this create`,
            method: req.method,
            path: req.path,
            operation: "create",
            attempts: attempt,
          });
        }
        const wait = backoffDelay(attempt, retry, this.clock.random);
        const spent = this.clock.now() - firstAttemptAt;
        if (attempt >= retry.maxAttempts || spent + wait > retry.maxElapsedMs) throw err;
        await this.clock.sleep(wait);
      }
    }
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
      credentials: parsed.data.objects.map(toCredential),
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
    return this.snapshotFor(options).promise;
  }

  private snapshotFor(options: ReadOptions): Snapshot {
    const now = this.clock.now();
    const floor = options.fresh ? now : (options.notOlderThan ?? now - this.tuning.listCacheTtlMs);
    const s = this.snapshot;
    if (s && s.startedAt >= floor && s.writes === this.writes) return s;
    return this.startScan(now);
  }

  private startScan(startedAt: number): Snapshot {
    const promise = this.scanAll();
    const snapshot: Snapshot = { startedAt, writes: this.writes, promise };
    this.snapshot = snapshot;
    promise.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    });
    return snapshot;
  }

  private async scanAll(): Promise<Credential[]> {
    const byId = new Map<string, Credential>();
    const limit = this.tuning.listPageSize;
    let offset = 0;
    for (let pages = 0; pages < 100_000; pages++) {
      const page = await this.listCredentialsPage({ limit, offset });
      for (const c of page.credentials) byId.set(c.id, c);
      offset += page.credentials.length;
      if (page.credentials.length === 0) break;
      if (page.total !== undefined) {
        if (offset >= page.total) break;
      } else if (page.credentials.length < Math.min(limit, page.limit || limit)) {
        // No total: a short page is the last. The server may cap pages below the limit asked
        // for (the docs give no maximum); its `meta.limit` then says what a full page is.
        break;
      }
    }
    return [...byId.values()];
  }

  /**
   * The credential with this id, or undefined. Answered from the shared snapshot; a miss in a
   * snapshot older than this call is confirmed by one fresh scan (shared by every miss of that
   * snapshot), so a credential that moved between pages during a scan is never reported gone.
   */
  async findCredentialById(id: string, options: ReadOptions = {}): Promise<Credential | undefined> {
    const requestedAt = this.clock.now();
    const snapshot = this.snapshotFor(options);
    const hit = (await snapshot.promise).find((c) => c.id === id);
    if (hit || snapshot.startedAt >= requestedAt || snapshot.confirmation) return hit;
    snapshot.confirmedBy ??= (() => {
      const confirm = this.startScan(this.clock.now());
      confirm.confirmation = true;
      return confirm.promise;
    })();
    return (await snapshot.confirmedBy).find((c) => c.id === id);
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
    const body: Record<string, unknown> = {};
    for (const k of ["password", "enabled", "description"] as const) {
      if (patch[k] !== undefined) body[k] = patch[k];
    }
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
    this.writes++;
  }

  private createdSince(c: Credential, firstAttemptAt: number): boolean {
    if (!c.createdAt) return false;
    const created = parseUtcTimestamp(c.createdAt);
    return !Number.isNaN(created) && created >= firstAttemptAt - this.tuning.clockSkewMs;
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
    return toCredential(parsed.data);
  }
}

/**
 * Parses an API timestamp. The API's times are UTC; one without a zone designator
 * (`2030-01-01T00:00:00`, `2030-01-01 00:00:00.123456`) is read as UTC, not in the local zone.
 */
function parseUtcTimestamp(text: string): number {
  const t = text.trim();
  const noZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t);
  return Date.parse(noZone ? `${t.replace(" ", "T")}Z` : t);
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

/**
 * A failure after which the server may or may not have applied the write: no response (unless
 * the connection was provably never made), a 5xx or 408, or a 2xx whose body was unusable.
 */
export function isAmbiguous(err: VobizApiError): boolean {
  if (err instanceof VobizResponseError) return true;
  if (err.status === undefined)
    return err.networkCode === undefined || !UNSENT_NETWORK_CODES.has(err.networkCode);
  return err.status >= 500 || err.status === 408;
}

export type { Credential, CredentialPage } from "./schemas";
