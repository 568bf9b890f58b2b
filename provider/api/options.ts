/**
 * The Vobiz API client's options: the connection and tuning a caller may give (laid over the
 * stack config, the environment and the defaults by provider/settings), and what tests inject
 * (clock, debug sink, limiter mode). The tuning defaults that are not user settings live here.
 */
import type { Clock } from "../common/clock";
import type { RetryOptions } from "../http/retry";
import {
  SETTINGS,
  type ResolvedSettings,
  type SettingValues,
  type VobizConnectionSettings,
} from "../settings/settings";

/** Client options beyond the connection settings, with their defaults. */
export interface VobizClientTuning {
  /** Per-request timeout in ms (setting `requestTimeout`, in seconds). */
  timeoutMs: number;
  /** Page size used when reading the whole list (setting `listPageSize`). */
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
  /** `account` (default) or `Account` (setting `accountPathSegment`). */
  accountPathSegment: string;
}

/** The tuning defaults, in one visible place (the user settings' defaults come from SETTINGS). */
export const DEFAULT_CLIENT_TUNING: Readonly<VobizClientTuning> = Object.freeze({
  timeoutMs: SETTINGS.requestTimeout.default! * 1000,
  listPageSize: SETTINGS.listPageSize.default!,
  listCacheTtlMs: 30_000,
  clockToleranceMs: 1_000,
  clockSkewMs: 5_000,
  accountPathSegment: SETTINGS.accountPathSegment.default!,
});

/** Options of the Vobiz API client: connection settings, tuning, and what tests inject. */
export interface VobizClientOptions extends VobizConnectionSettings, Partial<VobizClientTuning> {
  /** Environment to read `VOBIZ_*` from; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Retry options, laid over `DEFAULT_RETRY_OPTIONS`; `maxElapsedMs` defaults to the
   * `maxRetryWait` setting (`vobiz:maxRetryWait` / `VOBIZ_MAX_RETRY_WAIT`, seconds).
   */
  retry?: Partial<RetryOptions>;
  /** Injected clock (tests). */
  clock?: Clock;
  /** Replaces the default user agent `pulumi-vobiz/<version> node/<version>`. */
  userAgent?: string;
  /**
   * Receives masked debug lines (one per HTTP attempt, per retry wait and per reconciliation).
   * Defaults to stderr when the `debug` setting (`VOBIZ_DEBUG`) is on.
   */
  debug?: (line: string) => void;
  /**
   * Most requests per second this process sends to the account, a ceiling under the adaptive
   * rate; defaults to the `maxRequestsPerSecond` setting.
   */
  maxRequestsPerSecond?: number;
  /**
   * Which rate limiter paces the requests: `shared` (the process's one limiter of the account;
   * the default), `own` (a limiter of this client alone; the default with an injected clock, so
   * tests share no state), or `off`. Defaults to the `rateLimiter` setting.
   */
  rateLimiter?: "shared" | "own" | "off";
}

/** The settings a client's options state (times in the settings' seconds). */
export function settingValuesOf(options: VobizClientOptions): SettingValues {
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  return {
    authId: options.authId,
    authToken: options.authToken,
    baseUrl: options.baseUrl,
    accountPathSegment: options.accountPathSegment,
    listPageSize: options.listPageSize,
    requestTimeout: seconds(options.timeoutMs),
    maxRetryWait: seconds(options.retry?.maxElapsedMs),
    maxRequestsPerSecond: options.maxRequestsPerSecond,
    rateLimiter: options.rateLimiter === "own" ? undefined : options.rateLimiter,
  };
}

/**
 * The client options that carry resolved settings (for a client made from them). The limiter
 * mode is left to the caller: only an explicitly set mode should override a client's default.
 */
export function optionsOf(s: ResolvedSettings): VobizClientOptions {
  return {
    authId: s.authId,
    authToken: s.authToken,
    baseUrl: s.baseUrl,
    accountPathSegment: s.accountPathSegment,
    listPageSize: s.listPageSize,
    timeoutMs: s.requestTimeout * 1000,
    retry: { maxElapsedMs: s.maxRetryWait * 1000 },
    maxRequestsPerSecond: s.maxRequestsPerSecond,
    debug: s.debug ? (line: string) => process.stderr.write(`${line}\n`) : undefined,
  };
}
