/**
 * The turn queue of one account's rate limiter. Requests take turns in call order, each one
 * interval after the last turn given, where the interval comes from the pace of the moment the
 * turn is given (not the pace when the request joined the queue), and no turn is given during a
 * pause. So a pace that rises or falls applies at once to every request already waiting.
 *
 * It also keeps two clocks for the rate estimator:
 * - paced time: requests were waiting and no pause was on, i.e. the pace held them back. The pace
 *   grows only during it, so a pace that nothing uses does not grow without end.
 * - busy time: a request was waiting or in flight (a turn taken and not yet handed back), or a
 *   pause was on. What Vobiz served is counted per second of it, so idle time does not read as a
 *   low limit.
 */
import type { Clock } from "../../common/clock";

/** What a queue is built with. */
export interface TurnQueueOptions {
  /** The clock turns are measured and waited with. */
  clock: Clock;
  /** Turns per second permitted at `now`; Infinity for no pacing. Read each time a turn is due. */
  pace(now: number): number;
}

/**
 * A turn due this little (ms) in the future is given now: a timer may wake a little before the
 * moment it was set for, and sleeping again for less than a millisecond would only spin.
 */
const ON_TIME_MS = 1;

interface Waiter {
  since: number;
  resolve(waitedMs: number): void;
}

/** Requests of one account taking turns; see the module comment. */
export class TurnQueue {
  private readonly clock: Clock;
  private readonly waiters: Waiter[] = [];
  private inFlight = 0;
  private lastTurnAt = -Infinity;
  private pauseFrom = 0;
  private pausedUntil = 0;
  /** The moment a wake-up is planned for (Infinity: none), and which plan is current. */
  private wakeAt = Infinity;
  private plan = 0;
  /** Paced and busy time (ms) accounted up to `accountedAt`. */
  private paced = 0;
  private busy = 0;
  private accountedAt: number;

  constructor(private readonly options: TurnQueueOptions) {
    this.clock = options.clock;
    this.accountedAt = options.clock.now();
  }

  /** Requests waiting for their turn. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Epoch ms until which no turn is given; 0 when no pause is on at `now`. */
  pausedUntilAt(now: number): number {
    return this.pausedUntil > now ? this.pausedUntil : 0;
  }

  /**
   * Takes a turn now if one is free and nobody waits ahead; false when the caller must
   * {@link wait}. A turn taken is handed back with {@link release}.
   */
  tryTake(): boolean {
    const now = this.clock.now();
    if (this.waiters.length > 0 || this.nextTurnAt(now) > now + ON_TIME_MS) return false;
    this.account(now);
    this.lastTurnAt = now;
    this.inFlight++;
    return true;
  }

  /** Waits behind every earlier caller for a turn; resolves with the milliseconds waited. */
  wait(): Promise<number> {
    const now = this.clock.now();
    this.account(now);
    return new Promise((resolve) => {
      this.waiters.push({ since: now, resolve });
      this.dispatch();
    });
  }

  /** Hands back a turn once its request was answered (or failed without an answer). */
  release(): void {
    this.account(this.clock.now());
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Gives no turn before `until` (epoch ms); a later pause extends an earlier one, never shortens it. */
  pause(until: number): void {
    const now = this.clock.now();
    if (until <= Math.max(now, this.pausedUntil)) return;
    this.account(now);
    if (this.pausedUntil <= now) this.pauseFrom = now;
    this.pausedUntil = until;
    // A wake-up planned before `until` finds the pause and sleeps again: nothing to re-plan.
  }

  /**
   * Re-plans the next turn after a step in the pace: a turn planned at the old pace may now be due
   * sooner. (A pace that grows smoothly needs no call: each turn is planned at the pace of the
   * moment the last one was given, and checked again when it is due.)
   */
  repace(): void {
    this.dispatch();
  }

  /** Paced time up to `now` (ms): requests waited and no pause was on. Only grows. */
  pacedMs(now: number): number {
    return this.paced + this.since(now).paced;
  }

  /** Busy time up to `now` (ms): a request waited or was in flight, or a pause was on. Only grows. */
  busyMs(now: number): number {
    return this.busy + this.since(now).busy;
  }

  /** When the next turn may be given, at the pace of `now`. */
  private nextTurnAt(now: number): number {
    const pace = this.options.pace(now);
    const interval = Number.isFinite(pace) ? 1000 / pace : 0;
    return Math.max(this.pausedUntil, this.lastTurnAt + interval);
  }

  /** Gives every turn that is due, in order; then plans a wake-up for the next one. */
  private dispatch(): void {
    const now = this.clock.now();
    let next = Infinity;
    while (this.waiters.length > 0) {
      next = this.nextTurnAt(now);
      if (next > now + ON_TIME_MS) break;
      this.account(now);
      const waiter = this.waiters.shift() as Waiter;
      this.lastTurnAt = now;
      this.inFlight++;
      waiter.resolve(now - waiter.since);
    }
    if (this.waiters.length > 0) this.wakeUpAt(next, now);
  }

  /**
   * Plans a wake-up at `at`, unless one is planned sooner (it will find the turn not yet due and
   * plan again). A plan replaced by a sooner one does nothing when it fires.
   */
  private wakeUpAt(at: number, now: number): void {
    if (at >= this.wakeAt) return;
    this.wakeAt = at;
    const plan = ++this.plan;
    void this.clock.sleep(at - now).then(() => {
      if (plan !== this.plan) return;
      this.wakeAt = Infinity;
      this.dispatch();
    });
  }

  /** Adds the time since the last change; called before the waiters, turns or pause change. */
  private account(now: number): void {
    const { paced, busy } = this.since(now);
    this.paced += paced;
    this.busy += busy;
    this.accountedAt = Math.max(this.accountedAt, now);
  }

  /** Paced and busy time from the last change to `now` (nothing but the pause has changed since). */
  private since(now: number): { paced: number; busy: number } {
    const span = now - this.accountedAt;
    if (span <= 0) return { paced: 0, busy: 0 };
    const paused = Math.max(0, Math.min(now, this.pausedUntil) - Math.max(this.accountedAt, this.pauseFrom));
    const waiting = this.waiters.length > 0;
    return {
      paced: waiting ? span - paused : 0,
      busy: waiting || this.inFlight > 0 ? span : paused,
    };
  }
}
