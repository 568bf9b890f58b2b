/**
 * The limiter's rate estimator (provider/http/limiter/rateEstimator.ts), fed directly: its
 * decisions on 429s (a guess from what was served when unpaced; between what was served and the
 * pace when paced; one per pause; never under the floor) and how the pace grows with paced time.
 */
import { DEFAULT_RATE_LIMITER_TUNING } from "../../provider/http/limiter/accountLimiter";
import { RateEstimator, type RateEstimatorTuning } from "../../provider/http/limiter/rateEstimator";

/** The defaults, spelled out: the test names state them. */
const TUNING: RateEstimatorTuning = { margin: 0.95, startGrowth: 0.4, probeGrowth: 0.001, minRate: 1 };

/** An estimator and a time line: wall time, paced time and busy time, all in ms. */
function setup(tuning: Partial<RateEstimatorTuning> = {}) {
  const estimator = new RateEstimator({ ...TUNING, ...tuning });
  const t = { now: 0, paced: 0, busy: 0 };
  /** `n` served answers, one every `gapMs` of busy (and wall) time. */
  const serve = (n: number, gapMs: number) => {
    for (let i = 0; i < n; i++) {
      estimator.servedOne();
      t.now += gapMs;
      t.busy += gapMs;
    }
  };
  const limited = (sentAgoMs = 0) =>
    estimator.rateLimited({
      now: t.now,
      sentAt: t.now - sentAgoMs,
      pace: estimator.rate(t.paced),
      pacedMs: t.paced,
      busyMs: t.busy,
    });
  /** Moves every clock by `ms` (the pace held requests back all along). */
  const pacedFor = (ms: number) => {
    t.now += ms;
    t.paced += ms;
    t.busy += ms;
  };
  return { estimator, t, serve, limited, pacedFor };
}

describe("RateEstimator", () => {
  it("is unpaced until a 429, however much is served", () => {
    const { estimator, serve, t } = setup();
    serve(100, 10);
    expect(estimator.rate(t.paced)).toBe(Infinity);
  });

  it("a 429 before anything was served leaves it unpaced (the pause alone applies)", () => {
    const { estimator, limited, t } = setup();
    expect(limited()).toEqual({ kind: "unchanged" });
    expect(estimator.rate(t.paced)).toBe(Infinity);
  });

  it("after an unpaced 429, paces at 0.95 x what was served and grows about 50% per paced second", () => {
    const { estimator, serve, limited, pacedFor, t } = setup();
    serve(10, 200); // 10 over 2 s of busy time: 5 per second
    expect(limited()).toEqual({ kind: "paced", rate: 0.95 * 5, limit: 5, measured: false });
    pacedFor(1000);
    expect(estimator.rate(t.paced)).toBeCloseTo(0.95 * 5 * Math.exp(0.4), 6);
  });

  it("counts what was served per second of busy time, so an idle stretch does not read as a low limit", () => {
    const { estimator, serve, limited, t } = setup();
    serve(5, 200); // 5 in 1 s of busy time
    t.now += 60_000; // a minute with nothing in flight: wall time only
    serve(5, 200);
    limited();
    expect(estimator.rate(t.paced)).toBeCloseTo(0.95 * 5, 6); // 10 in 2 busy seconds
  });

  it("the first burst alone (all served at once) counts as one second", () => {
    const { estimator, serve, limited, t } = setup();
    serve(2, 0); // the burst Vobiz allowed before the first 429
    limited();
    expect(estimator.rate(t.paced)).toBeCloseTo(1.9, 6);
  });

  it("does not grow while the pace holds nothing back", () => {
    const { estimator, serve, limited, t } = setup();
    serve(10, 200);
    limited();
    t.now += 10_000;
    t.busy += 10_000; // requests in flight, none waiting: no paced time
    expect(estimator.rate(t.paced)).toBeCloseTo(0.95 * 5, 6);
  });

  it("after a paced 429, paces at 0.95 x the geometric mean of the rate served since the last 429 and the pace", () => {
    const { estimator, serve, limited, pacedFor, t } = setup();
    serve(2, 0);
    limited(); // unpaced: 1.9, growing fast
    pacedFor(4000); // 1.9 x e^1.6 = 9.4 by now
    const pace = estimator.rate(t.paced);
    serve(16, 250);
    const served = 16 / 8; // 16 served in the 8 busy seconds since the first 429
    expect(estimator.rate(t.paced)).toBe(pace); // serving, with nothing waiting, grows nothing
    expect(limited()).toEqual({
      kind: "paced",
      rate: expect.closeTo(0.95 * Math.sqrt(served * pace), 6) as number,
      limit: expect.closeTo(Math.sqrt(served * pace), 6) as number,
      measured: true,
    });
  });

  it("uses the limiter's defaults", () => {
    expect(DEFAULT_RATE_LIMITER_TUNING).toMatchObject(TUNING);
  });

  it("after a paced 429, grows 0.1% per paced second", () => {
    const { estimator, serve, limited, pacedFor, t } = setup();
    serve(10, 200);
    limited();
    serve(20, 250);
    limited();
    const after = estimator.rate(t.paced);
    pacedFor(10_000);
    expect(estimator.rate(t.paced)).toBeCloseTo(after * Math.exp(0.01), 6);
  });

  it("when Vobiz served more than the pace, the pace is the limit (it met the 429)", () => {
    const { estimator, serve, limited, t } = setup();
    serve(10, 100); // 10 per second
    limited(); // 9.5
    serve(20, 50); // then 20 per second, more than the pace: the pace is the estimate
    const pace = estimator.rate(t.paced);
    limited();
    expect(estimator.rate(t.paced)).toBeCloseTo(0.95 * pace, 6);
  });

  it("a paced 429 with nothing served since the last one lowers the pace to 0.95 x itself", () => {
    const { estimator, serve, limited, t } = setup();
    serve(10, 200);
    limited(); // 4.75
    t.now += 1000;
    t.busy += 1000;
    limited();
    expect(estimator.rate(t.paced)).toBeCloseTo(0.95 * 4.75, 6);
  });

  it("decides once per pause: a 429 of a request sent before (or in the millisecond of) the last decision changes nothing", () => {
    const { estimator, serve, limited, t } = setup();
    serve(10, 200);
    limited();
    const pace = estimator.rate(t.paced);
    expect(limited(0)).toEqual({ kind: "unchanged" }); // sent in the millisecond of the decision
    t.now += 5;
    expect(limited(100)).toEqual({ kind: "unchanged" }); // sent before it
    expect(estimator.rate(t.paced)).toBe(pace);
    expect(limited(1).kind).toBe("paced"); // sent after it
  });

  it("never sets the pace under the floor", () => {
    const { estimator, serve, limited, t } = setup({ minRate: 1 });
    serve(1, 0);
    t.now += 10_000;
    t.busy += 10_000; // one served in 10 s
    limited();
    expect(estimator.rate(t.paced)).toBe(1);
  });
});
