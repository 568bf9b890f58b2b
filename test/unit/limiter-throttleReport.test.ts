/**
 * The limiter's throttling report (provider/http/limiter/throttleReport.ts): one debug line when
 * an episode starts and one when it ends, whatever the number of requests in it, in the words the
 * README shows.
 */
import { ThrottleReport, type ThrottleView } from "../../provider/http/limiter/throttleReport";

function setup() {
  const t = { now: 1_000_000 };
  const view: ThrottleView = { rate: Infinity, pausedUntil: 0, waiting: 0 };
  const lines: string[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  const report = new ThrottleReport({
    label: "MA_UNIT",
    quietMs: 2000,
    now: () => t.now,
    view: () => view,
    debug: (line) => lines.push(line),
    schedule: (ms, fn) => timers.push({ at: t.now + ms, fn }),
  });
  /** Moves time on by `ms` and runs the report's timers that are due. */
  const advance = (ms: number) => {
    t.now += ms;
    for (const timer of timers.filter((x) => x.at <= t.now)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.fn();
    }
  };
  return { t, view, lines, report, advance, timers };
}

describe("ThrottleReport", () => {
  it("one line when requests start waiting for the pace, one when it has been quiet for 2 s", () => {
    const { view, lines, report, advance } = setup();
    view.rate = 5;
    for (let i = 0; i < 12; i++) report.waitStarted("the permitted rate");
    expect(lines).toEqual([
      "[pulumi-vobiz] throttling requests to MA_UNIT (the permitted rate): at most 5 requests/s",
    ]);
    expect(report.throttled).toBe(true);
    advance(2400);
    report.waitEnded(); // the last waiter got its turn at +2.4 s
    advance(1999);
    expect(lines).toHaveLength(1);
    advance(1);
    expect(lines[1]).toBe(
      "[pulumi-vobiz] throttling of MA_UNIT ended after 2.4 s: 12 requests waited, 0 answered 429; pacing at 5 requests/s",
    );
    expect(report.throttled).toBe(false);
  });

  it("a 429 starts an episode with the pause it set; the episode does not end during the pause", () => {
    const { t, view, lines, report, advance } = setup();
    view.rate = 1.9;
    view.pausedUntil = t.now + 5000;
    report.answered429();
    expect(lines).toEqual([
      "[pulumi-vobiz] throttling requests to MA_UNIT (Vobiz answered 429): at most 1.9 requests/s, all waiting 5 s for the reset",
    ]);
    advance(4000);
    report.endIfQuiet();
    expect(lines).toHaveLength(1); // still paused
    advance(1000);
    view.pausedUntil = 0;
    advance(2000);
    expect(lines[1]).toMatch(
      /^\[pulumi-vobiz\] throttling of MA_UNIT ended after 0 s: 0 requests waited, 1 answered 429; pacing at 1.9 requests\/s$/,
    );
  });

  it("does not end while a request waits, and counts every wait and 429 of the episode", () => {
    const { view, lines, report, advance } = setup();
    view.waiting = 1;
    report.waitStarted("a 429 pause");
    report.answered429();
    report.answered429();
    advance(10_000);
    report.endIfQuiet();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe("[pulumi-vobiz] throttling requests to MA_UNIT (a 429 pause): unpaced");
    view.waiting = 0;
    report.waitEnded();
    advance(2000);
    expect(lines[1]).toBe(
      "[pulumi-vobiz] throttling of MA_UNIT ended after 10 s: 1 requests waited, 2 answered 429; unpaced",
    );
  });

  it("starts a new episode, with fresh counts, after one ended", () => {
    const { view, lines, report, advance } = setup();
    view.rate = 12.4;
    report.waitStarted("the permitted rate");
    report.waitEnded();
    advance(2000);
    report.waitStarted("the permitted rate");
    report.waitEnded();
    advance(2000);
    expect(lines).toEqual([
      "[pulumi-vobiz] throttling requests to MA_UNIT (the permitted rate): at most 12 requests/s",
      "[pulumi-vobiz] throttling of MA_UNIT ended after 0 s: 1 requests waited, 0 answered 429; pacing at 12 requests/s",
      "[pulumi-vobiz] throttling requests to MA_UNIT (the permitted rate): at most 12 requests/s",
      "[pulumi-vobiz] throttling of MA_UNIT ended after 0 s: 1 requests waited, 0 answered 429; pacing at 12 requests/s",
    ]);
  });
});
