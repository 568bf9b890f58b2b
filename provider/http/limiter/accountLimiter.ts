/**
 * The shared, adaptive rate limiter of one Vobiz account: every request of every resource the
 * provider process sends to that account takes a turn here first. Turns are paced at a permitted
 * rate that adapts to Vobiz's 429 answers (multiplicative decrease on a 429, gradual increase while
 * answers arrive), a 429 pauses every request of the account until the reset Vobiz named, and an
 * optional ceiling caps the rate. Throttling shows as one debug line when it starts and one when
 * it ends. limiterRegistry.ts holds the one limiter per account of the process.
 *
 * Written here rather than taken from bottleneck, p-queue or p-throttle: none of them adapts the
 * rate to 429s (bottleneck's reservoir is fixed and the package has had no release since 2019;
 * p-queue and p-throttle are ESM-only while this package is CommonJS), and the limiter must run
 * on the transport's injected clock so its tests need no real waiting.
 */
import type { Clock } from "../../common/clock";

/** How the limiter adapts. Rates in requests per second, times in milliseconds. */
export interface RateLimiterTuning {
  /** Factor the permitted rate is multiplied by on a 429 (multiplicative decrease). */
  decrease: number;
  /**
   * Exponential growth rate of the permitted rate per second while below `nearLimit` times the
   * rate at which the last 429 came (0.05: about 5% per second).
   */
  recoverPerSecond: number;
  /** Growth per second once near or past that rate (slow probing, so 429s stay rare). */
  probePerSecond: number;
  /**
   * Growth per second while the limit is only guessed: the first 429 came before any pacing, so
   * the rate served until then may be just the burst Vobiz allows, well under its rate.
   */
  guessPerSecond: number;
  /** Fraction of the last 429's rate below which the rate recovers quickly. */
  nearLimit: number;
  /**
   * Lowest pace the rate is lowered to. A 429 at this pace still pauses every request for the
   * wait Vobiz asked; the floor keeps 429s that are not a rate limit (a flaky gateway) from
   * driving the pace down without end.
   */
  minRate: number;
  /** How far back served answers count towards the estimate of the rate Vobiz serves. */
  windowMs: number;
  /** How many of the most recent served answers in the window make that estimate. */
  sampleSize: number;
  /**
   * While paced, a 429 shows the pace was just over the limit, and the pace is the estimate of
   * that limit, unless the rate of the last answers served is below this fraction of the pace
   * (the pace was not what held the requests back, e.g. while the limit is still a guess): then
   * the served rate is.
   */
  paceTrust: number;
  /** Wait after a 429 that names no reset. */
  defaultPauseMs: number;
  /** Quiet time (no request waiting) after which throttling is reported as ended. */
  quietMs: number;
  /** Once the permitted rate has grown to this multiple of the last 429's rate, pacing stops. */
  releaseFactor: number;
}

/** The defaults, in one visible place. */
export const DEFAULT_RATE_LIMITER_TUNING: Readonly<RateLimiterTuning> = Object.freeze({
  decrease: 0.8,
  recoverPerSecond: 0.05,
  probePerSecond: 0.001,
  guessPerSecond: 0.4,
  nearLimit: 0.95,
  minRate: 1,
  windowMs: 10_000,
  sampleSize: 20,
  paceTrust: 0.8,
  defaultPauseMs: 1_000,
  quietMs: 2_000,
  releaseFactor: 4,
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

const unrefTimer = (ms: number, fn: () => void): void => {
  setTimeout(fn, ms).unref();
};

/** The limiter of one account; see the module comment. */
export class AccountRateLimiter {
  private readonly tuning: RateLimiterTuning;
  private readonly clock: Clock;
  private readonly schedule: (ms: number, fn: () => void) => void;
  private ceiling: number;
  /** Adapted rate before the ceiling; Infinity until the first 429 that allowed an estimate. */
  private adapted = Infinity;
  private adaptedAt = 0;
  /** The rate the last 429 showed; `limitKnown` once a 429 came while requests were paced. */
  private limitSeen = Infinity;
  private limitKnown = false;
  private nextAt = 0;
  /** Bumped when a 429 lowers the rate: turns handed out before it are taken anew. */
  private epoch = 0;
  private lastTakenAt = -Infinity;
  private pausedUntil = 0;
  private lastDecreaseAt = -Infinity;
  private served: number[] = [];
  private waiting = 0;
  private throttledSince: number | undefined;
  private lastWaitEnd = 0;
  private episode = { waited: 0, rateLimited: 0 };
  private rateLimitedTotal = 0;

  constructor(private readonly options: RateLimiterOptions) {
    this.tuning = { ...DEFAULT_RATE_LIMITER_TUNING, ...(options.tuning ?? {}) };
    this.clock = options.clock;
    this.schedule = options.schedule ?? unrefTimer;
    this.ceiling = checkCeiling(options.maxRequestsPerSecond);
  }

  /** Lowers (never raises) the ceiling, e.g. when a second client of the account sets one. */
  lowerCeiling(maxRequestsPerSecond: number | undefined): void {
    this.ceiling = Math.min(this.ceiling, checkCeiling(maxRequestsPerSecond));
  }

  /** The limiter's state now. */
  state(): RateLimiterState {
    const now = this.clock.now();
    return {
      rate: this.rate(now),
      pausedUntil: this.pausedUntil > now ? this.pausedUntil : 0,
      throttled: this.throttledSince !== undefined,
      waiting: this.waiting,
      rateLimited: this.rateLimitedTotal,
    };
  }

  /**
   * Resolves when the caller may send its request, with the milliseconds it waited for its turn.
   * Turns are handed out in call order, at most the permitted rate, never during a pause.
   */
  async acquire(): Promise<number> {
    const start = this.clock.now();
    let at = this.reserve(start);
    let epoch = this.epoch;
    if (at <= start) return this.took(start, start);
    this.waiting++;
    this.episode.waited++;
    if (this.throttledSince === undefined) {
      this.startThrottling(start, this.pausedUntil > start ? "a 429 pause" : "the permitted rate");
    }
    try {
      for (;;) {
        await this.clock.sleep(Math.max(0, at - this.clock.now()));
        const now = this.clock.now();
        // A 429 during the wait paused every request and lowered the rate: turns handed out at
        // the old rate are void, take a new one (in the order the waiters wake, i.e. turn order).
        if (epoch !== this.epoch || this.pausedUntil > now) {
          at = this.reserve(now);
          epoch = this.epoch;
          if (at > now) continue;
        } else if (at > now) continue;
        return this.took(now, start);
      }
    } finally {
      this.waiting--;
      this.lastWaitEnd = this.clock.now();
      if (this.waiting === 0) this.checkQuietLater();
    }
  }

  /**
   * Tells the limiter how a request sent at `sentAt` was answered: a served answer (any status but
   * 429) counts towards the rate estimate; a 429 pauses every request of the account for
   * `serverWaitMs` (when it fits in `maxPauseMs`) and lowers the permitted rate once per pause.
   */
  answered(answer: { status?: number; sentAt: number; serverWaitMs?: number; maxPauseMs?: number }): void {
    const now = this.clock.now();
    if (answer.status !== 429) {
      if (answer.status !== undefined) this.recordServed(now);
      return;
    }
    this.rateLimitedTotal++;
    this.episode.rateLimited++;
    const pause = answer.serverWaitMs ?? this.tuning.defaultPauseMs;
    if (pause <= (answer.maxPauseMs ?? Infinity)) {
      this.pausedUntil = Math.max(this.pausedUntil, now + pause);
    }
    // Requests sent before the last decrease saw the old rate: one decrease per pause.
    if (answer.sentAt >= this.lastDecreaseAt) {
      this.decrease(now);
      // Every waiting request takes its turn anew, at the lowered rate: the next one after the
      // pause, and no sooner than one interval after the last turn taken.
      this.epoch++;
      const rate = this.rate(now);
      const spaced = Number.isFinite(rate) ? this.lastTakenAt + 1000 / rate : now;
      this.nextAt = Math.max(now, this.pausedUntil, spaced);
    } else {
      this.nextAt = Math.max(this.nextAt, this.pausedUntil);
    }
    this.lastWaitEnd = now;
    if (this.throttledSince === undefined) {
      this.startThrottling(now, "Vobiz answered 429");
      this.checkQuietLater();
    }
  }

  /** Records a turn taken at `now`; the milliseconds its request waited since `start`. */
  private took(now: number, start: number): number {
    this.lastTakenAt = Math.max(this.lastTakenAt, now);
    return now - start;
  }

  private reserve(now: number): number {
    const rate = this.rate(now);
    const at = Math.max(now, this.nextAt, this.pausedUntil);
    this.nextAt = Number.isFinite(rate) ? at + 1000 / rate : at;
    return at;
  }

  /** The permitted rate at `now`: the adapted rate grown since it was last set, under the ceiling. */
  private rate(now: number): number {
    if (Number.isFinite(this.adapted) && now > this.adaptedAt) {
      const t = this.tuning;
      let dt = (now - this.adaptedAt) / 1000;
      // Exponential growth: while the limit is a guess, fast until the next 429; once known,
      // quick up to near it and slow past it.
      const near = this.limitKnown ? t.nearLimit * this.limitSeen : Infinity;
      if (!this.limitKnown) {
        this.adapted *= Math.exp(t.guessPerSecond * dt);
        dt = 0;
      } else if (this.adapted < near) {
        const toNear = Math.log(near / this.adapted) / t.recoverPerSecond;
        const fast = Math.min(dt, toNear);
        this.adapted = dt >= toNear ? near : this.adapted * Math.exp(t.recoverPerSecond * fast);
        dt -= fast;
      }
      this.adapted *= Math.exp(t.probePerSecond * dt);
      this.adaptedAt = now;
      if (this.limitKnown && this.adapted >= t.releaseFactor * this.limitSeen) this.adapted = Infinity;
    }
    return Math.min(this.adapted, this.ceiling);
  }

  /**
   * Lowers the rate after a 429: to `decrease` times the estimated limit, which is the paced rate,
   * or the rate of the last answers served (see `servedRate`) when that is well below the pace,
   * above it, or nothing was paced (see `paceTrust`). A 429 that came unpaced leaves the limit a guess (see `guessPerSecond`).
   */
  private decrease(now: number): void {
    const current = this.rate(now);
    const served = this.servedRate(now);
    this.lastDecreaseAt = now;
    let estimate = current;
    if (served !== undefined) {
      // Served well under the pace: the pace was not what held requests back. Served above it:
      // Vobiz accepted more than the pace lately, so its limit is at least that.
      if (served < this.tuning.paceTrust * current || served > current) {
        estimate = Math.min(served, this.ceiling);
      }
    }
    if (!Number.isFinite(estimate)) return; // nothing served lately: pause only, no rate to lower
    this.limitKnown = Number.isFinite(current);
    this.limitSeen = estimate;
    this.adapted = Math.max(this.tuning.minRate, estimate * this.tuning.decrease);
    this.adaptedAt = now;
  }

  private recordServed(now: number): void {
    this.served.push(now);
    if (this.served.length > 2048) this.served = this.served.slice(-1024);
  }

  /**
   * Served answers per second: the last `sampleSize` answers of the window, over the time from
   * the first of them to now (at least one second). Recent answers, not the whole window: a
   * window reaching back over a pause or a slow start would understate what Vobiz serves now.
   * Undefined when none was served in the window.
   */
  private servedRate(now: number): number | undefined {
    const from = now - this.tuning.windowMs;
    const recent = this.served.filter((t) => t > from).slice(-this.tuning.sampleSize);
    if (recent.length === 0) return undefined;
    return (recent.length * 1000) / Math.max(1000, now - recent[0]);
  }

  private startThrottling(now: number, why: string): void {
    this.throttledSince = now;
    const rate = this.rate(now);
    const pace = Number.isFinite(rate) ? `at most ${formatRate(rate)} requests/s` : "unpaced";
    const pause =
      this.pausedUntil > now ? `, all waiting ${seconds(this.pausedUntil - now)} for the reset` : "";
    this.log(`throttling requests to ${this.options.label} (${why}): ${pace}${pause}`);
  }

  private checkQuietLater(): void {
    if (this.throttledSince === undefined) return;
    const delay = Math.max(this.tuning.quietMs, this.pausedUntil - this.clock.now());
    this.schedule(delay, () => this.endIfQuiet());
  }

  /** Reports the end of throttling once no request has waited for `quietMs`. */
  endIfQuiet(): void {
    const now = this.clock.now();
    if (this.throttledSince === undefined || this.waiting > 0) return;
    if (now - this.lastWaitEnd < this.tuning.quietMs || this.pausedUntil > now) {
      this.checkQuietLater();
      return;
    }
    const rate = this.rate(now);
    const pace = Number.isFinite(rate) ? `pacing at ${formatRate(rate)} requests/s` : "unpaced";
    this.log(
      `throttling of ${this.options.label} ended after ${seconds(this.lastWaitEnd - this.throttledSince)}: ` +
        `${this.episode.waited} requests waited, ${this.episode.rateLimited} answered 429; ${pace}`,
    );
    this.throttledSince = undefined;
    this.episode = { waited: 0, rateLimited: 0 };
  }

  private log(line: string): void {
    this.options.debug?.(`[pulumi-vobiz] ${line}`);
  }
}

function checkCeiling(value: number | undefined): number {
  if (value === undefined) return Infinity;
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError("maxRequestsPerSecond must be a positive number");
  }
  return value;
}

function formatRate(rate: number): string {
  return rate >= 10 ? String(Math.round(rate)) : String(Math.round(rate * 100) / 100);
}

function seconds(ms: number): string {
  return `${Math.round(Math.max(0, ms) / 100) / 10} s`;
}
