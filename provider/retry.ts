/**
 * The retry policy: defaults as data, user options merged over them, and the two pure functions
 * the transport needs (how long to wait, and what the server asked us to wait).
 *
 * Written here rather than taken from axios-retry: the create path must not be retried blindly
 * but reconciled with a look-up between attempts (see client.ts), retries must run on an injected
 * clock so tests are instant, and both `Retry-After` forms plus `X-RateLimit-Reset` and a total
 * time budget must be honoured. axios-retry covers only part of that and owns the sleeping.
 */

/** How the client retries. All times in milliseconds. */
export interface RetryOptions {
  /** Attempts in total, the first included (so 5 means up to 4 retries). */
  maxAttempts: number;
  /** First backoff ceiling; doubles each retry (full jitter picks uniformly below it). */
  baseDelayMs: number;
  /** Ceiling for a single wait, including one asked for by `Retry-After`. */
  maxDelayMs: number;
  /** Total time one call may spend, waits included, before it gives up. */
  maxElapsedMs: number;
  /** HTTP statuses that are retried for GET, PUT and DELETE. */
  retryableStatuses: readonly number[];
}

/** The defaults, in one visible place. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxElapsedMs: 120_000,
  retryableStatuses: Object.freeze([408, 429, 500, 502, 503, 504]),
});

/** Network error codes that prove the request never reached the server. */
export const UNSENT_NETWORK_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

export function mergeRetryOptions(overrides?: Partial<RetryOptions>): RetryOptions {
  const merged = { ...DEFAULT_RETRY_OPTIONS, ...(overrides ?? {}) };
  for (const k of ["maxAttempts", "baseDelayMs", "maxDelayMs", "maxElapsedMs"] as const) {
    if (!Number.isFinite(merged[k]) || merged[k] < 0) {
      throw new RangeError(`retry.${k} must be a non-negative number`);
    }
  }
  merged.maxAttempts = Math.max(1, Math.floor(merged.maxAttempts));
  return merged;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(retry-1))). */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * The wait the server asked for, in ms, from `Retry-After` (delta seconds or an HTTP date) or
 * `X-RateLimit-Reset` (epoch seconds, or delta seconds when small). Undefined when neither is
 * present or parseable.
 */
export function serverRequestedDelay(
  headers: Record<string, string | undefined>,
  nowMs: number,
): number | undefined {
  const retryAfter = headers["retry-after"]?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    // An HTTP date names its weekday and month; V8's lenient Date.parse would read "-5" as 2001.
    const date = /[a-z]{3}/i.test(retryAfter) ? Date.parse(retryAfter) : Number.NaN;
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const reset = headers["x-ratelimit-reset"]?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const n = Number(reset);
    // Epoch seconds are > 1e9; smaller numbers are a delta in seconds.
    return n > 1e9 ? Math.max(0, Math.round(n * 1000 - nowMs)) : Math.round(n * 1000);
  }
  return undefined;
}
