/**
 * The sandbox's rate limit, off unless asked for: a token bucket per account (keyed by the
 * `X-Auth-ID` header), refilled at `requestsPerSecond` up to `burst` tokens. Each API request
 * takes a token; with none left the server answers 429 `RATE_LIMITED` with `Retry-After` (whole
 * seconds until a token is back, at least 1) and `X-RateLimit-Reset` (epoch seconds of that moment).
 * A refused request takes no token. Vobiz documents 429 without numbers, so the limit is whatever
 * a test sets; the clock is injectable so the bucket can be tested without waiting.
 */
import { z } from "zod";
import { ERROR_CODES, SandboxError } from "./errors";

/** A rate limit: the refill rate and the bucket size. */
export interface RateLimit {
  /** Tokens added per second (may be fractional, e.g. 0.5 for one request every 2 s). */
  requestsPerSecond: number;
  /** Bucket size: requests that may arrive at once after a quiet period. Default `ceil(requestsPerSecond)`. */
  burst: number;
}

/** A rate limit as given in options, the control API or the CLI: `burst` may be left out. */
export type RateLimitInput = Pick<RateLimit, "requestsPerSecond"> & Partial<Pick<RateLimit, "burst">>;

/** Largest rate and burst accepted (a higher limit is the same as none for a test). */
export const RATE_LIMIT_MAX = 1_000_000;

/** A monotonic clock in milliseconds (`performance.now` in the server, a fake one in tests). */
export type MonotonicClock = () => number;

/** What the limiter decided for one request. */
export type RateDecision = { allowed: true } | { allowed: false; waitMs: number };

const rateLimitSchema = z.strictObject({
  requestsPerSecond: z.number().positive().max(RATE_LIMIT_MAX),
  burst: z.number().int().min(1).max(RATE_LIMIT_MAX).optional(),
});

/** Validates a rate limit from untrusted input; throws 400/422 {@link SandboxError}s. */
export function parseRateLimit(input: unknown): RateLimit {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new SandboxError(400, ERROR_CODES.invalidBody, "A rate limit must be a JSON object");
  }
  const parsed = rateLimitSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === "unrecognized_keys") {
      const field = issue.keys[0];
      throw new SandboxError(400, ERROR_CODES.unknownField, `Unknown rate limit field "${field}"`, {
        field,
        allowed: ["requestsPerSecond", "burst"],
      });
    }
    const field = issue.path.join(".") || "rateLimit";
    throw new SandboxError(
      422,
      ERROR_CODES.validation,
      `Invalid rate limit field "${field}": ${issue.message}`,
      {
        field,
        rule: issue.code,
      },
    );
  }
  const { requestsPerSecond, burst } = parsed.data;
  return { requestsPerSecond, burst: burst ?? Math.max(1, Math.ceil(requestsPerSecond)) };
}

const TOKEN_EPSILON = 1e-9;

/** One bucket: `tokens` as of `at` (milliseconds of the monotonic clock). */
export class TokenBucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly limit: RateLimit,
    now: number,
  ) {
    this.tokens = limit.burst;
    this.at = now;
  }

  /** Takes a token if one is left at `now`; otherwise says how long until one is. */
  take(now: number): RateDecision {
    const elapsed = Math.max(0, now - this.at);
    this.tokens = Math.min(this.limit.burst, this.tokens + (elapsed * this.limit.requestsPerSecond) / 1000);
    this.at = Math.max(this.at, now);
    // The tolerance absorbs floating-point rounding, so a client that waited exactly `waitMs` is served.
    if (this.tokens >= 1 - TOKEN_EPSILON) {
      this.tokens = Math.max(0, this.tokens - 1);
      return { allowed: true };
    }
    return { allowed: false, waitMs: ((1 - this.tokens) * 1000) / this.limit.requestsPerSecond };
  }
}

/** The buckets of every account under one limit; no limit lets everything through. */
export class RateLimiter {
  private limit: RateLimit | null = null;
  private buckets = new Map<string, TokenBucket>();

  constructor(
    limit: RateLimitInput | null | undefined,
    private readonly clock: MonotonicClock,
  ) {
    this.set(limit ?? null);
  }

  /** The current limit, or null when off. */
  get(): RateLimit | null {
    return this.limit && { ...this.limit };
  }

  /** Sets (validated) or removes the limit; every bucket starts full again. Returns the limit. */
  set(limit: RateLimitInput | null): RateLimit | null {
    this.limit = limit === null ? null : parseRateLimit(limit);
    this.buckets = new Map();
    return this.get();
  }

  /** Takes a token from the account's bucket. */
  take(account: string): RateDecision {
    if (!this.limit) return { allowed: true };
    const now = this.clock();
    let bucket = this.buckets.get(account);
    if (!bucket) {
      bucket = new TokenBucket(this.limit, now);
      this.buckets.set(account, bucket);
    }
    return bucket.take(now);
  }
}

/** The headers of a 429 for a wait of `waitMs`, as of the wall-clock time `nowEpochMs`. */
export function rateLimitHeaders(waitMs: number, nowEpochMs: number): Record<string, string> {
  return {
    "Retry-After": String(Math.max(1, Math.ceil(waitMs / 1000))),
    "X-RateLimit-Reset": String(Math.ceil((nowEpochMs + waitMs) / 1000)),
  };
}
