/** The sandbox's token bucket and limiter, on an injected clock (no waiting). */
import fc from "fast-check";
import { SandboxError } from "../../provider/sandbox/errors";
import {
  RateLimiter,
  TokenBucket,
  parseRateLimit,
  rateLimitHeaders,
  type RateDecision,
} from "../../provider/sandbox/ratelimit";

const allowed = (d: RateDecision) => d.allowed;
const waitOf = (d: RateDecision) => (d.allowed ? 0 : d.waitMs);

describe("TokenBucket", () => {
  it("starts full: `burst` requests at once pass, the next is refused with the wait for one token", () => {
    const bucket = new TokenBucket({ requestsPerSecond: 2, burst: 3 }, 0);
    expect([0, 0, 0].map((t) => allowed(bucket.take(t)))).toEqual([true, true, true]);
    const refused = bucket.take(0);
    expect(refused).toEqual({ allowed: false, waitMs: 500 });
  });

  it("refills at the rate: one token per 1000 / rps ms, and a refused request takes none", () => {
    const bucket = new TokenBucket({ requestsPerSecond: 4, burst: 1 }, 1000);
    expect(allowed(bucket.take(1000))).toBe(true);
    expect(waitOf(bucket.take(1100))).toBeCloseTo(150, 6);
    expect(waitOf(bucket.take(1200))).toBeCloseTo(50, 6);
    expect(allowed(bucket.take(1250))).toBe(true);
    expect(allowed(bucket.take(1250))).toBe(false);
  });

  it("never holds more than `burst` tokens, however long it was idle", () => {
    const bucket = new TokenBucket({ requestsPerSecond: 10, burst: 2 }, 0);
    const at = 3_600_000;
    expect([at, at, at].map((t) => allowed(bucket.take(t)))).toEqual([true, true, false]);
  });

  it("handles fractional rates (one request every 2 s)", () => {
    const bucket = new TokenBucket({ requestsPerSecond: 0.5, burst: 1 }, 0);
    expect(allowed(bucket.take(0))).toBe(true);
    expect(bucket.take(1500)).toEqual({ allowed: false, waitMs: 500 });
    expect(allowed(bucket.take(2000))).toBe(true);
  });

  it("a clock going backwards neither refills nor breaks the bucket", () => {
    const bucket = new TokenBucket({ requestsPerSecond: 1, burst: 1 }, 5000);
    expect(allowed(bucket.take(5000))).toBe(true);
    expect(allowed(bucket.take(1000))).toBe(false);
    expect(allowed(bucket.take(5999))).toBe(false);
    expect(allowed(bucket.take(6000))).toBe(true);
  });

  it("property: in any window of T ms at most burst + rps * T / 1000 requests pass", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }),
        (rps, burst, gaps) => {
          const bucket = new TokenBucket({ requestsPerSecond: rps, burst }, 0);
          let t = 0;
          const passed: number[] = [];
          for (const gap of gaps) {
            t += gap;
            if (bucket.take(t).allowed) passed.push(t);
          }
          for (let i = 0; i < passed.length; i++) {
            for (let j = i; j < passed.length; j++) {
              const window = passed[j] - passed[i];
              expect(j - i + 1).toBeLessThanOrEqual(burst + (rps * window) / 1000 + 1e-9);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("property: a client that waits the announced time is always served next", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 50 }),
        (rps, burst, gaps) => {
          const bucket = new TokenBucket({ requestsPerSecond: rps, burst }, 0);
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            const d = bucket.take(t);
            if (!d.allowed) {
              expect(d.waitMs).toBeGreaterThan(0);
              expect(d.waitMs).toBeLessThanOrEqual(1000 / rps + 1e-6);
              t += d.waitMs;
              expect(bucket.take(t).allowed).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("RateLimiter", () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 0;
  });

  it("lets everything through when off", () => {
    const limiter = new RateLimiter(undefined, clock);
    expect(limiter.get()).toBeNull();
    for (let i = 0; i < 1000; i++) expect(limiter.take("MA_A").allowed).toBe(true);
  });

  it("keeps one bucket per account", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1 }, clock);
    expect(limiter.take("MA_A").allowed).toBe(true);
    expect(limiter.take("MA_A").allowed).toBe(false);
    expect(limiter.take("MA_B").allowed).toBe(true);
    expect(limiter.take("").allowed).toBe(true);
    now = 1000;
    expect(limiter.take("MA_A").allowed).toBe(true);
  });

  it("set() changes the limit and refills every bucket; set(null) turns it off", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1, burst: 1 }, clock);
    limiter.take("MA_A");
    expect(limiter.take("MA_A").allowed).toBe(false);
    expect(limiter.set({ requestsPerSecond: 1, burst: 2 })).toEqual({ requestsPerSecond: 1, burst: 2 });
    expect([limiter.take("MA_A"), limiter.take("MA_A"), limiter.take("MA_A")].map(allowed)).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.set(null)).toBeNull();
    expect(limiter.take("MA_A").allowed).toBe(true);
  });

  it("get() returns a copy", () => {
    const limiter = new RateLimiter({ requestsPerSecond: 3 }, clock);
    const got = limiter.get() as { burst: number };
    got.burst = 99;
    expect(limiter.get()).toEqual({ requestsPerSecond: 3, burst: 3 });
  });
});

describe("parseRateLimit", () => {
  const problem = (input: unknown) => {
    try {
      parseRateLimit(input);
    } catch (err) {
      expect(err).toBeInstanceOf(SandboxError);
      const e = err as SandboxError;
      return { status: e.status, code: e.code, field: e.details.field };
    }
    throw new Error("expected a SandboxError");
  };

  it("defaults burst to ceil(requestsPerSecond), at least 1", () => {
    expect(parseRateLimit({ requestsPerSecond: 2.5 })).toEqual({ requestsPerSecond: 2.5, burst: 3 });
    expect(parseRateLimit({ requestsPerSecond: 0.2 })).toEqual({ requestsPerSecond: 0.2, burst: 1 });
    expect(parseRateLimit({ requestsPerSecond: 5, burst: 20 })).toEqual({ requestsPerSecond: 5, burst: 20 });
  });

  it("refuses what is not a usable limit, naming the field", () => {
    expect(problem(null)).toMatchObject({ status: 400, code: "INVALID_BODY" });
    expect(problem({})).toEqual({ status: 422, code: "VALIDATION_ERROR", field: "requestsPerSecond" });
    expect(problem({ requestsPerSecond: 0 })).toMatchObject({ status: 422, field: "requestsPerSecond" });
    expect(problem({ requestsPerSecond: Infinity })).toMatchObject({
      status: 422,
      field: "requestsPerSecond",
    });
    expect(problem({ requestsPerSecond: NaN })).toMatchObject({ status: 422, field: "requestsPerSecond" });
    expect(problem({ requestsPerSecond: 1, burst: 0 })).toMatchObject({ status: 422, field: "burst" });
    expect(problem({ requestsPerSecond: 1, burst: 2.5 })).toMatchObject({ status: 422, field: "burst" });
    expect(problem({ requestsPerSecond: 1, perMinute: 3 })).toEqual({
      status: 400,
      code: "UNKNOWN_FIELD",
      field: "perMinute",
    });
  });
});

describe("rateLimitHeaders", () => {
  it("gives Retry-After in whole seconds rounded up (at least 1) and the reset time in epoch seconds", () => {
    expect(rateLimitHeaders(1, 1_700_000_000_000)).toEqual({
      "Retry-After": "1",
      "X-RateLimit-Reset": "1700000001",
    });
    expect(rateLimitHeaders(2500, 1_700_000_000_400)).toEqual({
      "Retry-After": "3",
      "X-RateLimit-Reset": "1700000003",
    });
  });
});
