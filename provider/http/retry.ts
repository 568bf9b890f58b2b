/**
 * The retry policy: defaults as data, user options merged over them, and the pure decisions the
 * transport's one retry loop makes (which failures are retried, reconciled first, or final; how
 * long to wait; what the server asked us to wait).
 *
 * Written here rather than taken from axios-retry: a create must not be retried blindly but
 * reconciled by a look-up between attempts (the request's reconcile hook, see transport.ts),
 * retries must run on an injected clock so tests are instant, and both `Retry-After` forms plus
 * `X-RateLimit-Reset` and one total time budget must be honoured. axios-retry covers only part of
 * that and owns the sleeping.
 */

import { UNSENT_NETWORK_CODES } from "../common/errors";
import { parseHttpDate } from "./serverClock";

/** How the client retries. All times in milliseconds. */
export interface RetryOptions {
  /** Attempts in total, the first included (so 5 means up to 4 retries). */
  maxAttempts: number;
  /** First backoff ceiling; doubles each retry (full jitter picks uniformly below it). */
  baseDelayMs: number;
  /** Ceiling of one backoff wait. A wait Vobiz asks for is bounded by `maxElapsedMs` only. */
  maxDelayMs: number;
  /**
   * Total time one call may spend, attempts and waits included, before it gives up. A
   * `Retry-After` (or `X-RateLimit-Reset`) that does not fit in what is left fails the call at
   * once, with a message that says how long Vobiz asked to wait. `VOBIZ_MAX_RETRY_WAIT` (seconds)
   * sets it from the environment.
   */
  maxElapsedMs: number;
  /** HTTP statuses that are retried (for a create: 429 directly, the others after a look-up). */
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

/** Lays user options over the defaults and checks them. */
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

/** The facts of a failed attempt the retry decision needs. */
export interface AttemptFailure {
  /** HTTP status; undefined when no response arrived. */
  status?: number;
  /** Network error code when no response arrived (or `ERR_BAD_RESPONSE` for an oversized body). */
  networkCode?: string;
  /** A 2xx whose body was unusable (the request was applied, its answer was not understood). */
  unusableSuccess?: boolean;
}

/**
 * What to do after a failed attempt:
 * - `retry`: send again after a wait;
 * - `reconcile`: the request may have taken effect; only its reconcile hook (a look-up) may decide
 *   whether to send it again (without a hook it is final);
 * - `final`: give up now.
 *
 * Idempotent requests retry network failures (except an oversized body) and `retryableStatuses`.
 * A non-idempotent request (a create) is retried directly only when it provably did not take
 * effect (the connection was refused or the name did not resolve, or a 429); a failure after which
 * it may have (no answer, a retryable 5xx or 408, an unusable 2xx, or a 409 after such a failure)
 * needs reconciling.
 */
export function retryDecision(
  idempotent: boolean,
  failure: AttemptFailure,
  options: RetryOptions,
  earlierAttemptAmbiguous: boolean,
): "retry" | "reconcile" | "final" {
  const { status, networkCode } = failure;
  if (failure.unusableSuccess) return idempotent ? "final" : "reconcile";
  if (status === undefined) {
    if (networkCode === "ERR_BAD_RESPONSE") return "final"; // oversized: it did arrive, retrying repeats it
    if (networkCode !== undefined && UNSENT_NETWORK_CODES.has(networkCode)) return "retry";
    return idempotent ? "retry" : "reconcile";
  }
  if (!idempotent && status === 409 && earlierAttemptAmbiguous) return "reconcile";
  if (!options.retryableStatuses.includes(status)) return "final";
  if (idempotent || status === 429) return "retry";
  return "reconcile";
}

/**
 * The wait the server asked for, from `Retry-After` (delta seconds or an HTTP date) or
 * `X-RateLimit-Reset` (epoch seconds, or delta seconds when small), with the header it came from
 * (for messages). Undefined when neither is present or parseable.
 */
export function serverRequestedWait(
  headers: Record<string, string | undefined>,
  nowMs: number,
): { ms: number; header: "Retry-After" | "X-RateLimit-Reset" } | undefined {
  const retryAfter = headers["retry-after"]?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) {
      return { ms: Math.round(Number(retryAfter) * 1000), header: "Retry-After" };
    }
    const date = parseHttpDate(retryAfter);
    if (date !== undefined) return { ms: Math.max(0, date - nowMs), header: "Retry-After" };
  }
  const reset = headers["x-ratelimit-reset"]?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const n = Number(reset);
    // Epoch seconds are > 1e9; smaller numbers are a delta in seconds.
    const ms = n > 1e9 ? Math.max(0, Math.round(n * 1000 - nowMs)) : Math.round(n * 1000);
    return { ms, header: "X-RateLimit-Reset" };
  }
  return undefined;
}
