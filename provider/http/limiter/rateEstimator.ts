/**
 * The permitted rate (the pace) of one account's rate limiter, found from Vobiz's answers, since
 * Vobiz does not publish its limit. Unpaced until the first 429; then, like TCP's congestion
 * control, a 429 sets the pace and the pace grows while nothing says it is too high:
 *
 * - A 429 that came unpaced: the limit is only guessed, from what Vobiz served so far (perhaps no
 *   more than its burst). The pace is `margin` times that and grows fast (`startGrowth`) until the
 *   next 429, like TCP's slow start.
 * - A 429 that came paced: the limit lies between what Vobiz served since the last 429 (a lower
 *   bound: its bucket was empty at both 429s) and the pace that drew this one (an upper bound: a
 *   pace under the limit never empties the bucket). The estimate is their geometric mean, a
 *   bisection by ratio; the pace is `margin` times it and then grows slowly (`probeGrowth`) to
 *   find out whether Vobiz allows more, so 429s stay rare.
 * - One decision per pause: a 429 of a request sent before (or in the millisecond of) the last
 *   decision saw the old pace and changes nothing.
 *
 * Time here is the turn queue's (turnQueue.ts): the pace grows per second of paced time (while it
 * holds requests back; a pace nothing uses says nothing about the limit), and what Vobiz served is
 * counted per second of busy time (idle time is no evidence of a low limit).
 * Rates in requests per second, times in milliseconds.
 */

/** How the estimator adapts. */
export interface RateEstimatorTuning {
  /** Fraction of the estimated limit the pace is set to after a 429. */
  margin: number;
  /** Growth of the pace per second of paced time while the limit is a guess (0.4: about 50%/s). */
  startGrowth: number;
  /** Growth per second of paced time once a 429 came while paced (0.001: 0.1%/s). */
  probeGrowth: number;
  /**
   * Lowest pace set after a 429: keeps 429s that are not a rate limit (a flaky gateway) from
   * driving the pace down without end. A 429 at this pace still pauses every request.
   */
  minRate: number;
}

/** A 429 as the estimator sees it. */
export interface RateLimitedAnswer {
  /** When the 429 arrived, and when its request was sent (epoch ms). */
  now: number;
  sentAt: number;
  /** The pace in force (ceiling applied); Infinity when unpaced. */
  pace: number;
  /** The turn queue's paced and busy time now. */
  pacedMs: number;
  busyMs: number;
}

/** What the estimator decided on a 429. */
export type RateDecision =
  /** A 429 of a request sent before the last decision, or nothing served to estimate from. */
  | { kind: "unchanged" }
  /** The pace set from the estimated limit, and whether that limit was measured or guessed. */
  | { kind: "paced"; rate: number; limit: number; measured: boolean };

/** One account's pace; see the module comment. */
export class RateEstimator {
  /** The pace as of `pacedAt` (paced ms), and how fast it grows; Infinity while unpaced. */
  private pace = Infinity;
  private pacedAt = 0;
  private growth = 0;
  private lastDecisionAt = -Infinity;
  /** Answers served since `windowFrom` (busy ms: the last decision, or 0). */
  private served = 0;
  private windowFrom = 0;

  constructor(private readonly tuning: RateEstimatorTuning) {}

  /** The pace after `pacedMs` of paced time: the pace last set, grown by the paced time since. */
  rate(pacedMs: number): number {
    if (Number.isFinite(this.pace) && pacedMs > this.pacedAt) {
      this.pace *= Math.exp((this.growth * (pacedMs - this.pacedAt)) / 1000);
      this.pacedAt = pacedMs;
    }
    return this.pace;
  }

  /** Records an answer Vobiz served (any status but 429). */
  servedOne(): void {
    this.served++;
  }

  /** Decides on a 429; see the module comment. */
  rateLimited(answer: RateLimitedAnswer): RateDecision {
    const { now, sentAt, pace, pacedMs, busyMs } = answer;
    if (sentAt <= this.lastDecisionAt) return { kind: "unchanged" };
    const served = (this.served * 1000) / Math.max(1000, busyMs - this.windowFrom);
    const measured = Number.isFinite(pace);
    let limit: number;
    if (measured) limit = served > 0 ? Math.sqrt(Math.min(served, pace) * pace) : pace;
    else if (served > 0) limit = served;
    else return { kind: "unchanged" }; // unpaced, nothing served: the pause alone applies
    this.lastDecisionAt = now;
    this.pace = Math.max(this.tuning.minRate, this.tuning.margin * limit);
    this.pacedAt = pacedMs;
    this.growth = measured ? this.tuning.probeGrowth : this.tuning.startGrowth;
    this.served = 0;
    this.windowFrom = busyMs;
    return { kind: "paced", rate: this.pace, limit, measured };
  }
}
