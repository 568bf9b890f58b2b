/** The retry policy's pure parts: defaults, option validation, backoff and server-requested waits. */
import fc from "fast-check";
import {
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  mergeRetryOptions,
  retryDecision,
  serverRequestedWait,
  type RetryOptions,
} from "../../provider/http/retry";
import { UNSENT_NETWORK_CODES } from "../../provider/common/errors";

const NOW = Date.UTC(2030, 0, 1, 0, 0, 0);

describe("DEFAULT_RETRY_OPTIONS", () => {
  it("are the documented defaults and cannot be changed", () => {
    expect(DEFAULT_RETRY_OPTIONS).toEqual({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 20_000,
      maxElapsedMs: 120_000,
      retryableStatuses: [408, 429, 500, 502, 503, 504],
    });
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RETRY_OPTIONS.retryableStatuses)).toBe(true);
  });

  it("never retry the statuses that are the caller's problem", () => {
    for (const s of [400, 401, 402, 403, 404, 409, 422]) {
      expect(DEFAULT_RETRY_OPTIONS.retryableStatuses).not.toContain(s);
    }
  });

  it("count only refused or unresolvable connections as provably unsent", () => {
    expect([...UNSENT_NETWORK_CODES].sort()).toEqual(["EAI_AGAIN", "ECONNREFUSED", "ENOTFOUND"]);
    expect(UNSENT_NETWORK_CODES.has("ECONNRESET")).toBe(false);
    expect(UNSENT_NETWORK_CODES.has("ETIMEDOUT")).toBe(false);
  });
});

describe("mergeRetryOptions", () => {
  it("returns the defaults without overrides, as a new object", () => {
    const merged = mergeRetryOptions();
    expect(merged).toEqual(DEFAULT_RETRY_OPTIONS);
    expect(merged).not.toBe(DEFAULT_RETRY_OPTIONS);
    expect(mergeRetryOptions({})).toEqual(DEFAULT_RETRY_OPTIONS);
  });

  it("lays overrides over the defaults field by field", () => {
    const merged = mergeRetryOptions({ maxAttempts: 2, retryableStatuses: [503] });
    expect(merged).toEqual({ ...DEFAULT_RETRY_OPTIONS, maxAttempts: 2, retryableStatuses: [503] });
    expect(DEFAULT_RETRY_OPTIONS.maxAttempts).toBe(5);
  });

  it.each(["maxAttempts", "baseDelayMs", "maxDelayMs", "maxElapsedMs"] as const)(
    "rejects a negative, NaN or infinite %s, naming it",
    (key) => {
      for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => mergeRetryOptions({ [key]: bad } as Partial<RetryOptions>)).toThrow(
          new RangeError(`retry.${key} must be a non-negative number`),
        );
      }
    },
  );

  it("accepts zero waits and budgets", () => {
    expect(mergeRetryOptions({ baseDelayMs: 0, maxDelayMs: 0, maxElapsedMs: 0 })).toMatchObject({
      baseDelayMs: 0,
      maxDelayMs: 0,
      maxElapsedMs: 0,
    });
  });

  it("makes maxAttempts a whole number of at least 1", () => {
    expect(mergeRetryOptions({ maxAttempts: 0 }).maxAttempts).toBe(1);
    expect(mergeRetryOptions({ maxAttempts: 0.4 }).maxAttempts).toBe(1);
    expect(mergeRetryOptions({ maxAttempts: 2.9 }).maxAttempts).toBe(2);
    expect(mergeRetryOptions({ maxAttempts: 7 }).maxAttempts).toBe(7);
  });
});

describe("backoffDelay (full jitter)", () => {
  const options = mergeRetryOptions({ baseDelayMs: 500, maxDelayMs: 20_000 });

  it("draws uniformly below a ceiling that doubles with each retry", () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4, 5, 6].map((r) => backoffDelay(r, options, half))).toEqual([
      250, 500, 1000, 2000, 4000, 8000,
    ]);
  });

  it("caps the ceiling at maxDelayMs", () => {
    expect(backoffDelay(7, options, () => 0.5)).toBe(10_000); // 500 * 64 = 32000 -> 20000
    expect(backoffDelay(40, options, () => 0.999999)).toBe(19_999);
    expect(backoffDelay(2000, options, () => 0.5)).toBe(10_000); // 2^1999 is Infinity: still capped
  });

  it("spans [0, ceiling): random 0 gives 0, random just below 1 gives ceiling - 1", () => {
    expect(backoffDelay(1, options, () => 0)).toBe(0);
    expect(backoffDelay(1, options, () => 0.9999999)).toBe(499);
    expect(backoffDelay(3, options, () => 0.9999999)).toBe(1999);
  });

  it("treats retry numbers below 1 as the first retry", () => {
    expect(backoffDelay(0, options, () => 0.5)).toBe(250);
    expect(backoffDelay(-3, options, () => 0.5)).toBe(250);
  });

  it("is always a whole number in [0, min(maxDelayMs, base * 2^(retry-1)))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, base, max, r) => {
          const opts = mergeRetryOptions({ baseDelayMs: base, maxDelayMs: max });
          const d = backoffDelay(retry, opts, () => r);
          const ceiling = Math.min(max, base * 2 ** (retry - 1));
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(ceiling);
        },
      ),
    );
  });
});

describe("serverRequestedWait", () => {
  const delay = (headers: Record<string, string | undefined>) => serverRequestedWait(headers, NOW)?.ms;

  it("is undefined when the server asked for nothing", () => {
    expect(delay({})).toBeUndefined();
    expect(delay({ "retry-after": undefined, "x-ratelimit-reset": undefined })).toBeUndefined();
    expect(delay({ "retry-after": "", "x-ratelimit-reset": "  " })).toBeUndefined();
  });

  it("reads Retry-After in seconds, whole or fractional, around whitespace", () => {
    expect(delay({ "retry-after": "2" })).toBe(2000);
    expect(delay({ "retry-after": "0" })).toBe(0);
    expect(delay({ "retry-after": " 120 " })).toBe(120_000);
    expect(delay({ "retry-after": "1.5" })).toBe(1500);
    expect(delay({ "retry-after": "0.0004" })).toBe(0);
  });

  it("reads Retry-After as an HTTP date, relative to the clock", () => {
    expect(delay({ "retry-after": new Date(NOW + 3000).toUTCString() })).toBe(3000);
    expect(delay({ "retry-after": "Tue, 01 Jan 2030 00:01:00 GMT" })).toBe(60_000);
  });

  it("clamps an HTTP date in the past to no wait", () => {
    expect(delay({ "retry-after": new Date(NOW - 60_000).toUTCString() })).toBe(0);
  });

  it("ignores a Retry-After that is neither seconds nor a date", () => {
    expect(delay({ "retry-after": "soon" })).toBeUndefined();
    expect(delay({ "retry-after": "1e3" })).toBeUndefined();
    expect(delay({ "retry-after": "3 apples" })).toBeUndefined();
  });

  it("ignores a negative Retry-After instead of reading it as a date", () => {
    // V8's Date.parse("-5") is a date in 2001; a negative delay is invalid, not "retry now".
    expect(delay({ "retry-after": "-5" })).toBeUndefined();
    expect(delay({ "retry-after": "2, 3" })).toBeUndefined();
  });

  it("reads X-RateLimit-Reset as epoch seconds", () => {
    expect(delay({ "x-ratelimit-reset": String(NOW / 1000 + 7) })).toBe(7000);
    expect(delay({ "x-ratelimit-reset": String(NOW / 1000 + 0.25) })).toBe(250);
  });

  it("clamps an X-RateLimit-Reset in the past to no wait", () => {
    expect(delay({ "x-ratelimit-reset": String(NOW / 1000 - 30) })).toBe(0);
  });

  it("reads a small X-RateLimit-Reset as seconds from now", () => {
    expect(delay({ "x-ratelimit-reset": "5" })).toBe(5000);
  });

  it("ignores a malformed X-RateLimit-Reset", () => {
    expect(delay({ "x-ratelimit-reset": "tomorrow" })).toBeUndefined();
    expect(delay({ "x-ratelimit-reset": "-5" })).toBeUndefined();
  });

  it("prefers Retry-After over X-RateLimit-Reset, and falls back when Retry-After is unusable", () => {
    expect(delay({ "retry-after": "2", "x-ratelimit-reset": "9" })).toBe(2000);
    expect(delay({ "retry-after": "soon", "x-ratelimit-reset": "9" })).toBe(9000);
  });
});

describe("serverRequestedWait", () => {
  it("names the header the wait came from", () => {
    expect(serverRequestedWait({ "retry-after": "3" }, NOW)).toEqual({ ms: 3000, header: "Retry-After" });
    expect(serverRequestedWait({ "x-ratelimit-reset": "4" }, NOW)).toEqual({
      ms: 4000,
      header: "X-RateLimit-Reset",
    });
    expect(serverRequestedWait({}, NOW)).toBeUndefined();
  });
});

/**
 * What the one retry loop does after each kind of failed attempt, as one table: this is the
 * rule's one home; the transport tests only check that the loop follows the decision (waits,
 * attempts, the reconcile hook) and the engine tiers that a user sees the outcome.
 */
describe("retryDecision", () => {
  type Failure = Parameters<typeof retryDecision>[1];
  type Decision = ReturnType<typeof retryDecision>;
  const defaults = mergeRetryOptions();
  const only502 = mergeRetryOptions({ retryableStatuses: [502] });
  type Row = readonly [request: "idempotent" | "POST", failure: Failure, expected: Decision];
  const rows: Row[] = [
    // Idempotent requests (GET, PUT, DELETE): retryable statuses and network failures are retried.
    ...[408, 429, 500, 502, 503, 504].map((status) => ["idempotent", { status }, "retry"] as const),
    ...[400, 401, 403, 404, 409, 422, 501, 505, 507].map(
      (status) => ["idempotent", { status }, "final"] as const,
    ),
    ...["ECONNRESET", "ETIMEDOUT", "ECONNREFUSED", "ERR_RESPONSE_ABORTED"].map(
      (networkCode) => ["idempotent", { networkCode }, "retry"] as const,
    ),
    ["idempotent", { networkCode: "ERR_BAD_RESPONSE" }, "final"] as const, // an oversized body did arrive
    ["idempotent", { status: 200, unusableSuccess: true }, "final"],
    // POST (create): retried directly only when it provably was not applied, else reconciled.
    ...["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"].map(
      (networkCode) => ["POST", { networkCode }, "retry"] as const,
    ),
    ["POST", { status: 429 }, "retry"],
    ...["ECONNRESET", "ETIMEDOUT", "EPIPE", "ERR_RESPONSE_ABORTED"].map(
      (networkCode) => ["POST", { networkCode }, "reconcile"] as const,
    ),
    ...[408, 500, 502, 503, 504].map((status) => ["POST", { status }, "reconcile"] as const),
    ["POST", { status: 201, unusableSuccess: true }, "reconcile"],
    ...[400, 401, 403, 404, 409, 422, 501, 507].map((status) => ["POST", { status }, "final"] as const),
  ];

  it.each(rows)("%s, %j -> %s", (request: Row[0], failure: Failure, expected: Decision) => {
    expect(retryDecision(request === "idempotent", failure, defaults, false)).toBe(expected);
  });

  it.each([
    [true, "reconcile"],
    [false, "final"],
  ] as const)(
    "POST: a 409 after an ambiguous attempt (%s) may be our own earlier attempt -> %s",
    (earlier, expected) => {
      expect(retryDecision(false, { status: 409 }, defaults, earlier)).toBe(expected);
    },
  );

  it.each([
    [true, 503, "final"],
    [false, 503, "final"],
    [false, 502, "reconcile"],
    [false, 429, "final"],
  ] as const)(
    "follows the configured retryableStatuses [502]: idempotent %s, %i -> %s",
    (idem, status, expected) => {
      expect(retryDecision(idem, { status }, only502, false)).toBe(expected);
    },
  );
});
