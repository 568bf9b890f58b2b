/**
 * The Vobiz API client's options: the account path segment, the tuning with its defaults in one
 * visible object, what tests inject, and the fields a PUT may change.
 */
import type { VobizConnectionSettings } from "../settings/settings";
import type { RetryOptions } from "../http/retry";
import type { Clock } from "../http/transport";

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
  /**
   * After an ambiguous create, a credential with the username is taken as this call's own only
   * when Vobiz created it after the first attempt reached Vobiz. That moment is known on Vobiz's
   * clock from the `Date` headers of its answers; this tolerance allows for the clock that stamps
   * `created_at` differing slightly from the one that stamps `Date`.
   */
  clockToleranceMs: number;
  /**
   * The allowance for this machine's clock differing from Vobiz's, used instead of a measurement
   * only when no answer carried a `Date` header.
   */
  clockSkewMs: number;
  /** `account` (default) or `Account`. */
  accountPathSegment: string;
}

/** The tuning defaults, in one visible place; client options are laid over them. */
export const DEFAULT_CLIENT_TUNING: Readonly<VobizClientTuning> = Object.freeze({
  timeoutMs: 30_000,
  listPageSize: 100,
  listCacheTtlMs: 30_000,
  clockToleranceMs: 1_000,
  clockSkewMs: 5_000,
  accountPathSegment: DEFAULT_ACCOUNT_PATH_SEGMENT,
});

/** Options of the Vobiz API client: connection settings, tuning, and what tests inject. */
export interface VobizClientOptions extends VobizConnectionSettings, Partial<VobizClientTuning> {
  /** Environment to read `VOBIZ_*` from; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Retry options, laid over `DEFAULT_RETRY_OPTIONS`; `maxElapsedMs` defaults to
   * `VOBIZ_MAX_RETRY_WAIT` (seconds) when that is set.
   */
  retry?: Partial<RetryOptions>;
  /** Injected clock (tests). */
  clock?: Clock;
  /** Replaces the default user agent `pulumi-vobiz/<version> node/<version>`. */
  userAgent?: string;
  /**
   * Receives masked debug lines (one per HTTP attempt, per retry wait and per reconciliation).
   * Defaults to stderr when `VOBIZ_DEBUG` is on.
   */
  debug?: (line: string) => void;
  /**
   * Most requests per second this process sends to the account, a ceiling under the adaptive
   * rate; defaults to `VOBIZ_MAX_REQUESTS_PER_SECOND` (the provider passes `vobiz:maxRequestsPerSecond`).
   */
  maxRequestsPerSecond?: number;
  /**
   * Which rate limiter paces the requests: `shared` (the process's one limiter of the account;
   * the default), `own` (a limiter of this client alone; the default with an injected clock, so
   * tests share no state), or `off`. `VOBIZ_RATE_LIMITER=off` turns it off from the environment.
   */
  rateLimiter?: "shared" | "own" | "off";
}

/** The fields a PUT may change. */
export interface CredentialPatch {
  password?: string;
  enabled?: boolean;
  description?: string;
}
