/**
 * The shared, adaptive rate limiter of one account (provider/rateLimiter.ts) and the process's
 * registry of them, on a manual clock: turns in call order at the permitted rate, a 429 pausing
 * every request, the rate lowered once per pause and grown back slowly, the ceiling, and one debug
 * line when throttling starts and one when it ends.
 */
import { limiterFor, resetSharedLimiters, sharedLimiter } from "../../provider/http/limiter/registry";
import { AccountRateLimiter, type RateLimiterOptions } from "../../provider/http/limiter/accountLimiter";
import { FAKE_EPOCH_MS } from "../helpers/fakeClock";
import { flush, manualClock, type ManualClock } from "../helpers/manualClock";

function setup(options: Partial<RateLimiterOptions> = {}) {
  const clock = manualClock();
  const logs: string[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  const limiter = new AccountRateLimiter({
    label: "MA_UNIT",
    clock,
    debug: (l) => logs.push(l),
    schedule: (ms, fn) => timers.push({ at: clock.now() + ms, fn }),
    ...options,
  });
  /** Runs the limiter's scheduled quiet checks that are due. */
  const runTimers = () => {
    const due = timers.filter((t) => t.at <= clock.now());
    for (const t of due) timers.splice(timers.indexOf(t), 1);
    for (const t of due) t.fn();
  };
  return { clock, logs, limiter, runTimers };
}

/** Starts `n` acquires now; `times` fills with the ms (since the fake epoch) each got its turn. */
function acquireMany(limiter: AccountRateLimiter, clock: ManualClock, n: number) {
  const times: number[] = [];
  const done = Promise.all(
    Array.from({ length: n }, () => limiter.acquire().then(() => times.push(clock.now() - FAKE_EPOCH_MS))),
  );
  return { times, done };
}

/** Answers `n` requests as served, one every `gapMs`. */
async function serve(limiter: AccountRateLimiter, clock: ManualClock, n: number, gapMs: number) {
  for (let i = 0; i < n; i++) {
    limiter.answered({ status: 200, sentAt: clock.now() });
    await clock.advance(gapMs);
  }
}

describe("AccountRateLimiter", () => {
  it("lets every request through at once until something says otherwise", async () => {
    const { clock, limiter, logs } = setup();
    const { times, done } = acquireMany(limiter, clock, 20);
    await clock.advance(0);
    await done;
    expect(times).toEqual(Array(20).fill(0));
    expect(limiter.state()).toMatchObject({ rate: Infinity, throttled: false, waiting: 0 });
    expect(logs).toEqual([]);
  });

  it("paces turns at the ceiling, in call order", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 4 });
    const { times, done } = acquireMany(limiter, clock, 5);
    await clock.advance(2000);
    await done;
    expect(times).toEqual([0, 250, 500, 750, 1000]);
  });

  it("a 429 pauses every request of the account until the reset, not only the one that got it", async () => {
    const { clock, limiter } = setup();
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 3000 });
    const { times, done } = acquireMany(limiter, clock, 3);
    await clock.advance(2999);
    expect(times).toEqual([]);
    await clock.advance(10_000);
    await done;
    // Nothing was served before the 429, so no rate could be estimated: the pause alone applies.
    expect(times).toEqual([3000, 3000, 3000]);
  });

  it("a 429 that arrives while requests wait moves their turns past the pause", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 1 });
    const { times, done } = acquireMany(limiter, clock, 3); // turns at 0, 1000, 2000
    await clock.advance(500);
    limiter.answered({ status: 429, sentAt: FAKE_EPOCH_MS, serverWaitMs: 4000 }); // pause to 4500
    await clock.advance(20_000);
    await done;
    expect(times[0]).toBe(0);
    expect(times.slice(1).every((t) => t >= 4500)).toBe(true);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1000 / 1); // still paced after the pause
  });

  it("a 429 voids the turns handed out at the old rate: the waiters take new ones at the lowered rate", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 10 });
    const { times, done } = acquireMany(limiter, clock, 5); // turns at 0, 100, 200, 300, 400
    await clock.advance(50);
    limiter.answered({ status: 429, sentAt: FAKE_EPOCH_MS, serverWaitMs: 0 }); // 0.8 x 10
    await clock.advance(5000);
    await done;
    // About one turn every 125 ms from the last turn taken (the rate grows back a little: 5%
    // a second), not the old 100 ms spacing.
    expect(times.slice(0, 2)).toEqual([0, 125]);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThan(120);
  });

  it("after an unpaced 429, guesses 0.8 x the rate served so far and grows fast until the next 429", async () => {
    const { clock, limiter } = setup();
    await serve(limiter, clock, 10, 200); // 10 served over 2 s: 5 per second
    const before = clock.now();
    limiter.answered({ status: 429, sentAt: before - 100, serverWaitMs: 1000 });
    expect(limiter.state().rate).toBeCloseTo(4, 5);
    // A second 429 of a request sent before the decrease does not lower it again.
    limiter.answered({ status: 429, sentAt: before - 50, serverWaitMs: 1000 });
    expect(limiter.state().rate).toBeCloseTo(4, 5);
    // The first 429 may have met only the burst: the guess grows about 50% a second.
    await clock.advance(1000);
    const pace = 4 * Math.exp(0.4);
    expect(limiter.state().rate).toBeCloseTo(pace, 5);
    // A 429 while paced, with the rate served over the window (10 answers in the 3 s since the
    // first) well under the pace: the pace did not hold requests back, so the served rate is the
    // estimate of the limit.
    expect(10 / 3).toBeLessThan(0.8 * pace);
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 1000 });
    expect(limiter.state().rate).toBeCloseTo(0.8 * (10 / 3), 5);
    expect(limiter.state().rateLimited).toBe(3);
  });

  it("a 429 while the pace holds requests back lowers the rate to 0.8 x the pace", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 5 });
    await serve(limiter, clock, 20, 250); // 4 per second for 5 s, under the pace of 5
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    // Served (4/s) is within paceTrust (0.8) of the pace: the pace (5) met the limit.
    expect(limiter.state().rate).toBeCloseTo(4, 5);
  });

  it("estimates what Vobiz serves now from the last 20 answers, not from a slow start before them", async () => {
    const { clock, limiter } = setup();
    await serve(limiter, clock, 2, 0); // the burst before the first 429
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 1000 }); // unpaced: guess 1.6
    await clock.advance(1000);
    await serve(limiter, clock, 10, 500); // 2 a second while the guess grows
    await serve(limiter, clock, 20, 200); // then 5 a second, what Vobiz allows
    const pace = limiter.state().rate;
    expect(pace).toBeGreaterThan(10); // the guess grew far past it
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    // 20 answers over the last 4 s: 5 a second (the whole 10 s window would say 3).
    expect(limiter.state().rate).toBeCloseTo(0.8 * 5, 5);
  });

  it("a 429 when Vobiz served more than the pace over the window takes the served rate", async () => {
    const { clock, limiter } = setup();
    await serve(limiter, clock, 10, 100); // 10 per second
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 }); // unpaced: guess 8
    // Paced at 8, but 10 per second were accepted over the window: the limit is at least 10.
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    expect(limiter.state().rate).toBeCloseTo(8, 5);
  });

  it("once the limit is known, grows back quickly to near it, then probes slowly, then stops pacing", async () => {
    const { clock, limiter } = setup();
    await serve(limiter, clock, 10, 100); // 10 per second
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 }); // unpaced: guess 8
    await clock.advance(10_000); // the guess grows far past what was served
    await serve(limiter, clock, 40, 250); // 4 per second over the window, well under the pace
    // The limit: the last 20 answers came over the last 5 s, 4 a second.
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    expect(limiter.state().rate).toBeCloseTo(0.8 * 4, 5);
    await clock.advance(5000); // 5%/s up to 0.95 x 4 (3.5 s), then 0.1%/s
    const recovered = limiter.state().rate;
    expect(recovered).toBeGreaterThanOrEqual(0.95 * 4);
    expect(recovered).toBeLessThan(0.95 * 4 * 1.002);
    await clock.advance(10_000);
    const probed = limiter.state().rate;
    expect(probed).toBeGreaterThan(recovered);
    expect(probed).toBeLessThan(recovered * 1.02);
    await clock.advance(2_000_000); // past 4 x the 429's rate: unpaced again
    expect(limiter.state().rate).toBe(Infinity);
  });

  it("never paces above the ceiling, whatever it learns", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 2 });
    await serve(limiter, clock, 10, 100);
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    expect(limiter.state().rate).toBeCloseTo(1.6, 5); // the ceiling was the pace: 0.8 x 2
    await clock.advance(600_000);
    expect(limiter.state().rate).toBe(2);
  });

  it("does not pause for a wait longer than the caller may spend (each request then fails fast on its own)", async () => {
    const { clock, limiter } = setup();
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 300_000, maxPauseMs: 120_000 });
    expect(limiter.state().pausedUntil).toBe(0);
    const { times, done } = acquireMany(limiter, clock, 2);
    await clock.advance(0);
    await done;
    expect(times).toEqual([0, 0]);
  });

  it("says when throttling starts and when it ends, once each, not per request", async () => {
    const { clock, limiter, logs, runTimers } = setup();
    await serve(limiter, clock, 4, 250); // 4 per second
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 1000 });
    const { done } = acquireMany(limiter, clock, 12);
    await clock.advance(30_000);
    await done;
    expect(logs).toHaveLength(1); // 12 requests waited: still one line

    expect(logs[0]).toMatch(
      /^\[pulumi-vobiz\] throttling requests to MA_UNIT \(Vobiz answered 429\): at most 3\.2 requests\/s, all waiting 1 s for the reset$/,
    );
    runTimers(); // the quiet check, due 2 s after the last wait
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(
      /^\[pulumi-vobiz\] throttling of MA_UNIT ended after [\d.]+ s: 12 requests waited, 1 answered 429; pacing at [\d.]+ requests\/s$/,
    );
    expect(limiter.state().throttled).toBe(false);
  });

  it("also reports pacing at the ceiling as throttling", async () => {
    const { clock, limiter, logs, runTimers } = setup({ maxRequestsPerSecond: 5 });
    const { done } = acquireMany(limiter, clock, 6);
    await clock.advance(5000);
    await done;
    runTimers();
    expect(logs).toEqual([
      "[pulumi-vobiz] throttling requests to MA_UNIT (the permitted rate): at most 5 requests/s",
      expect.stringMatching(/ended after 1 s: 5 requests waited, 0 answered 429; pacing at 5 requests\/s$/),
    ]);
  });

  it("rejects a ceiling that is not a positive number", () => {
    const clock = manualClock();
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(() => new AccountRateLimiter({ label: "x", clock, maxRequestsPerSecond: bad })).toThrow(
        RangeError,
      );
    }
  });
});

describe("the process's limiters", () => {
  afterEach(() => resetSharedLimiters());
  const base = { baseUrl: "https://api.example/api/v1", authId: "MA_ONE", ownByDefault: false };

  it("one shared limiter per account and base URL; the lowest ceiling wins", async () => {
    const clock = manualClock();
    const a = limiterFor({ ...base, clock });
    const b = limiterFor({ ...base, clock, maxRequestsPerSecond: 3 });
    expect(b).toBe(a);
    expect(a?.state().rate).toBe(3);
    sharedLimiter(base.baseUrl, base.authId, { clock, maxRequestsPerSecond: 10 });
    expect(a?.state().rate).toBe(3);
    expect(limiterFor({ ...base, authId: "MA_TWO", clock })).not.toBe(a);
    expect(limiterFor({ ...base, baseUrl: "http://127.0.0.1:9/api/v1", clock })).not.toBe(a);
    await flush();
  });

  it("own gives a client a limiter of its own (the default with an injected clock); off gives none", () => {
    const clock = manualClock();
    const shared = limiterFor({ ...base, clock });
    expect(limiterFor({ ...base, clock, mode: "own" })).not.toBe(shared);
    expect(limiterFor({ ...base, clock, ownByDefault: true })).not.toBe(shared);
    expect(limiterFor({ ...base, clock, mode: "off" })).toBeUndefined();
  });
});
