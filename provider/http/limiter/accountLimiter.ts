/**
 * The shared, adaptive rate limiter of one Vobiz account: every request of every resource the
 * provider process sends to that account takes a turn here first (registry.ts holds the one
 * limiter per account of the process). It composes three parts, one job each:
 *
 * - turnQueue.ts: turns in call order at the pace of the moment; a 429 pauses every turn until
 *   the reset Vobiz named.
 * - rateEstimator.ts: the pace, adapted from 429s and served answers (unpaced until the first
 *   429), under an optional ceiling.
 * - throttleReport.ts: one debug line when throttling starts and one when it ends.
 *
 * Written here rather than taken from bottleneck, p-queue or p-throttle: none of them adapts the
 * rate to 429s (bottleneck's reservoir is fixed and the package has had no release since 2019;
 * p-queue and p-throttle are ESM-only while this package is CommonJS), and the limiter must run
 * on the transport's injected clock so its tests need no real waiting.
 */
import type { Clock } from "../../common/clock";
import { RateEstimator, type RateEstimatorTuning } from "./rateEstimator";
import { ThrottleReport, type ThrottleView } from "./throttleReport";
import { TurnQueue } from "./turnQueue";

/** How the limiter adapts and reports. Rates in requests per second, times in milliseconds. */
export interface RateLimiterTuning extends RateEstimatorTuning {
  /** Pause after a 429 that names no reset. */
  defaultPauseMs: number;
  /** Quiet time (no request waiting, no pause) after which throttling is reported as ended. */
  quietMs: number;
}

/**
 * The defaults, in one visible place; a limiter's `tuning` option is merged over them. Chosen in
 * simulated time against the sandbox's own bucket (bench/limiter-sim.js, see bench/README.md),
 * then checked through the engine (fault 10a, `npm run bench:scale -- --rate-limited`).
 */
export const DEFAULT_RATE_LIMITER_TUNING: Readonly<RateLimiterTuning> = Object.freeze({
  margin: 0.95,
  startGrowth: 0.4,
  probeGrowth: 0.001,
  minRate: 1,
  defaultPauseMs: 1_000,
  quietMs: 2_000,
});

/** What a limiter is built with. */
export interface RateLimiterOptions {
  /** The account, for debug lines. */
  label: string;
  /** Upper bound of the rate in requests per second; undefined for none. */
  maxRequestsPerSecond?: number;
  /** The clock turns are measured and waited with. */
  clock: Clock;
  /** Receives the throttling start and end lines. */
  debug?: (line: string) => void;
  /** Runs `fn` after `ms` without keeping the process alive (tests inject their own). */
  schedule?: (ms: number, fn: () => void) => void;
  /** Overrides of {@link DEFAULT_RATE_LIMITER_TUNING}. */
  tuning?: Partial<RateLimiterTuning>;
}

/** A snapshot of a limiter, for tests and messages. */
export interface RateLimiterState {
  /** Permitted requests per second now (ceiling applied); Infinity when unpaced. */
  rate: number;
  /** Epoch ms until which every request waits because of a 429; 0 when none. */
  pausedUntil: number;
  /** Whether throttling is on (a request waited, or a 429 came, and it has not been quiet since). */
  throttled: boolean;
  /** Requests waiting for their turn. */
  waiting: number;
  /** 429 answers seen since the limiter was made. */
  rateLimited: number;
}

/** How a request was answered, as the transport reports it after every attempt. */
export interface LimiterAnswer {
  /** HTTP status; undefined when no answer came (network failure): nothing is learnt. */
  status?: number;
  /** When the request was sent (after its turn), epoch ms. */
  sentAt: number;
  /** The wait a 429 asked for (`Retry-After`, `X-RateLimit-Reset`), ms. */
  serverWaitMs?: number;
  /** The longest pause the caller can afford; a longer wait pauses nobody. */
  maxPauseMs?: number;
}

const unrefTimer = (ms: number, fn: () => void): void => {
  setTimeout(fn, ms).unref();
};

/** The limiter of one account; see the module comment. */
export class AccountRateLimiter {
  private readonly tuning: RateLimiterTuning;
  private readonly clock: Clock;
  private readonly queue: TurnQueue;
  private readonly estimator: RateEstimator;
  private readonly report: ThrottleReport;
  private ceiling: number;
  private rateLimitedTotal = 0;

  constructor(options: RateLimiterOptions) {
    this.tuning = { ...DEFAULT_RATE_LIMITER_TUNING, ...(options.tuning ?? {}) };
    this.clock = options.clock;
    this.ceiling = checkCeiling(options.maxRequestsPerSecond);
    this.estimator = new RateEstimator(this.tuning);
    this.queue = new TurnQueue({ clock: this.clock, pace: (now) => this.rate(now) });
    this.report = new ThrottleReport({
      label: options.label,
      quietMs: this.tuning.quietMs,
      now: () => this.clock.now(),
      view: (now) => this.view(now),
      debug: options.debug,
      schedule: options.schedule ?? unrefTimer,
    });
  }

  /** Lowers (never raises) the ceiling, e.g. when a second client of the account sets one. */
  lowerCeiling(maxRequestsPerSecond: number | undefined): void {
    this.ceiling = Math.min(this.ceiling, checkCeiling(maxRequestsPerSecond));
  }

  /** The limiter's state now. */
  state(): RateLimiterState {
    const now = this.clock.now();
    return { ...this.view(now), throttled: this.report.throttled, rateLimited: this.rateLimitedTotal };
  }

  /**
   * Resolves when the caller may send its request, with the milliseconds it waited for its turn.
   * Turns are given in call order, at the pace of the moment, never during a pause.
   */
  async acquire(): Promise<number> {
    if (this.queue.tryTake()) return 0;
    const now = this.clock.now();
    this.report.waitStarted(this.queue.pausedUntilAt(now) > 0 ? "a 429 pause" : "the permitted rate");
    const waited = await this.queue.wait();
    this.report.waitEnded();
    return waited;
  }

  /**
   * Tells the limiter how a request was answered, once per turn taken (also when no answer came):
   * the turn is handed back; a served answer (any status but 429) counts towards the estimate of
   * what Vobiz serves; a 429 pauses every request of the account for `serverWaitMs` (when it fits
   * in `maxPauseMs`) and re-paces the account (once per pause). A turn never handed back would
   * count as busy time for good, and the estimates would lean low.
   */
  answered(answer: LimiterAnswer): void {
    this.queue.release();
    if (answer.status === undefined) return;
    const now = this.clock.now();
    if (answer.status !== 429) {
      this.estimator.servedOne();
      return;
    }
    this.rateLimitedTotal++;
    this.estimator.rateLimited({
      now,
      sentAt: answer.sentAt,
      pace: this.rate(now),
      pacedMs: this.queue.pacedMs(now),
      busyMs: this.queue.busyMs(now),
    });
    const pause = answer.serverWaitMs ?? this.tuning.defaultPauseMs;
    if (pause <= (answer.maxPauseMs ?? Infinity)) this.queue.pause(now + pause);
    this.report.answered429();
  }

  /** Reports the end of throttling once no request has waited for `quietMs` (the report's timer calls it). */
  endIfQuiet(): void {
    this.report.endIfQuiet();
  }

  /** The permitted rate at `now`: the estimator's, under the ceiling. */
  private rate(now: number): number {
    return Math.min(this.estimator.rate(this.queue.pacedMs(now)), this.ceiling);
  }

  private view(now: number): ThrottleView {
    return { rate: this.rate(now), pausedUntil: this.queue.pausedUntilAt(now), waiting: this.queue.waiting };
  }
}

function checkCeiling(value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError("maxRequestsPerSecond must be a positive number");
  }
  return value;
}
