/**
 * One account's shared rate limiter (provider/http/limiter/accountLimiter.ts), its parts composed
 * (each part has its own test: limiter-turnQueue, limiter-rateEstimator, limiter-throttleReport),
 * and the process's registry of them, on a manual clock: turns in call order at the pace of the
 * moment, a 429 pausing every request and re-pacing the waiting ones, the ceiling, the tuning
 * merged over the defaults, and one debug line when throttling starts and one when it ends.
 */
import { limiterFor, resetSharedLimiters, sharedLimiter } from "../../provider/http/limiter/registry";
import {
  AccountRateLimiter,
  DEFAULT_RATE_LIMITER_TUNING,
  type RateLimiterOptions,
} from "../../provider/http/limiter/accountLimiter";
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

/**
 * Sends `n` requests one after another, each answered 200 after `gapMs` in flight (and after
 * waiting for its turn, in steps of 10 ms, when the limiter paces).
 */
async function serve(limiter: AccountRateLimiter, clock: ManualClock, n: number, gapMs: number) {
  for (let i = 0; i < n; i++) {
    let turned = false;
    void limiter.acquire().then(() => (turned = true));
    await clock.advance(0);
    while (!turned) await clock.advance(10);
    const sentAt = clock.now();
    await clock.advance(gapMs);
    limiter.answered({ status: 200, sentAt });
  }
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]);

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
    expect(limiter.state().rate).toBe(Infinity);
  });

  it("a 429 that arrives while requests wait moves their turns past the pause", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 1 });
    const { times, done } = acquireMany(limiter, clock, 3); // turns at 0, 1000, 2000
    await clock.advance(500);
    limiter.answered({ status: 429, sentAt: FAKE_EPOCH_MS, serverWaitMs: 4000 }); // pause to 4500
    await clock.advance(20_000);
    await done;
    expect(times[0]).toBe(0);
    expect(times[1]).toBe(4500);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1000); // still paced after the pause
  });

  it("a 429 while requests wait re-paces them: the lowered pace applies to every waiting turn", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 10 });
    const { times, done } = acquireMany(limiter, clock, 5); // turns due at 0, 100, 200, ...
    await clock.advance(50);
    // Paced at 10 with nothing served since: the pace met the 429, and drops to 0.95 x 10.
    limiter.answered({ status: 429, sentAt: FAKE_EPOCH_MS, serverWaitMs: 0 });
    await clock.advance(5000);
    await done;
    expect(times[0]).toBe(0);
    for (const gap of gaps(times)) {
      expect(gap).toBeGreaterThan(1000 / 9.5 - 0.5); // grown back by at most 0.1% a second
      expect(gap).toBeLessThan(1000 / 9.5 + 0.5);
    }
  });

  it("waiting requests go out at the pace of the moment: as the pace grows after a 429, they come closer", async () => {
    const { clock, limiter } = setup();
    await serve(limiter, clock, 2, 0); // the burst Vobiz allowed
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 1000 }); // pace 1.9, a guess
    const { times, done } = acquireMany(limiter, clock, 10);
    await clock.advance(30_000);
    await done;
    // All 10 queued at once. Turns fixed when they queued would be 1000 / 1.9 ms apart to the end;
    // taken at the pace of the moment, which grows while it holds them back, each gap is shorter
    // than the one before.
    expect(times[0]).toBe(1000);
    const g = gaps(times);
    expect(g[0]).toBeGreaterThan(400);
    for (let i = 1; i < g.length; i++) expect(g[i]).toBeLessThan(g[i - 1]);
    expect(g[g.length - 1]).toBeLessThan(0.5 * g[0]);
  });

  it("after a paced 429 the pace settles near the limit: between what was served since the last 429 and the pace", async () => {
    const { clock, limiter } = setup();
    await serve(limiter, clock, 10, 200); // 5 per second
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    expect(limiter.state().rate).toBeCloseTo(0.95 * 5, 6);
    await clock.advance(1000); // idle: neither busy nor paced time
    await serve(limiter, clock, 8, 250); // 4 per busy second since, under the pace of 4.75
    const pace = limiter.state().rate;
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    expect(limiter.state().rate).toBeCloseTo(0.95 * Math.sqrt(4 * pace), 6);
    expect(limiter.state().rateLimited).toBe(2);
  });

  it("never paces above the ceiling, whatever it learns", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 2 });
    await serve(limiter, clock, 10, 100);
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 0 });
    expect(limiter.state().rate).toBeCloseTo(1.9, 6); // the ceiling was the pace: 0.95 x 2
    const { done } = acquireMany(limiter, clock, 200); // held back for 100 s: the pace grows
    await clock.advance(200_000);
    await done;
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

  it("an attempt with no answer (network failure) hands its turn back and changes nothing else", async () => {
    const { clock, limiter } = setup({ maxRequestsPerSecond: 2 });
    await limiter.acquire();
    limiter.answered({ sentAt: clock.now() });
    expect(limiter.state()).toMatchObject({ rate: 2, pausedUntil: 0, rateLimited: 0, waiting: 0 });
  });

  it("takes its tuning from the defaults, with the options merged over them", async () => {
    expect(Object.isFrozen(DEFAULT_RATE_LIMITER_TUNING)).toBe(true);
    const { clock, limiter } = setup({ tuning: { margin: 0.5 } });
    await serve(limiter, clock, 10, 200); // 5 per second
    limiter.answered({ status: 429, sentAt: clock.now() }); // no reset named: the default pause
    expect(limiter.state().rate).toBeCloseTo(2.5, 6);
    expect(limiter.state().pausedUntil).toBe(clock.now() + DEFAULT_RATE_LIMITER_TUNING.defaultPauseMs);
  });

  it("says when throttling starts and when it ends, once each, not per request", async () => {
    const { clock, limiter, logs, runTimers } = setup();
    await serve(limiter, clock, 4, 250); // 4 per second
    limiter.answered({ status: 429, sentAt: clock.now(), serverWaitMs: 1000 });
    const { done } = acquireMany(limiter, clock, 12);
    await clock.advance(30_000);
    await done;
    expect(logs).toHaveLength(1); // 12 requests waited: still one line

    expect(logs[0]).toBe(
      "[pulumi-vobiz] throttling requests to MA_UNIT (Vobiz answered 429): at most 3.8 requests/s, all waiting 1 s for the reset",
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
