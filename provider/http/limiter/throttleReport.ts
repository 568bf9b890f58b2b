/**
 * The throttling episodes of one account's rate limiter, as `VOBIZ_DEBUG` shows them: one line
 * when throttling starts (a request had to wait, or Vobiz answered 429) and one when it ends
 * (`quietMs` with no request waiting and no pause on), never one per request. A provider process
 * the engine stops before the end prints no end line.
 */

/** What the report reads of the limiter when it writes a line. */
export interface ThrottleView {
  /** Permitted requests per second now; Infinity when unpaced. */
  rate: number;
  /** Epoch ms until which every request waits because of a 429; 0 when none. */
  pausedUntil: number;
  /** Requests waiting for their turn. */
  waiting: number;
}

/** What a report is built with. */
export interface ThrottleReportOptions {
  /** The account, as the lines name it. */
  label: string;
  /** Quiet time (ms: no request waiting, no pause) after which the episode is reported ended. */
  quietMs: number;
  /** Milliseconds since the epoch. */
  now(): number;
  /** The limiter as it is now. */
  view(now: number): ThrottleView;
  /** Receives the lines. */
  debug?: (line: string) => void;
  /** Runs `fn` after `ms` without keeping the process alive. */
  schedule(ms: number, fn: () => void): void;
}

/** One account's throttling episodes; see the module comment. */
export class ThrottleReport {
  private since: number | undefined;
  private lastWaitEnd = 0;
  private waited = 0;
  private rateLimited = 0;

  constructor(private readonly options: ThrottleReportOptions) {}

  /** Whether an episode is on. */
  get throttled(): boolean {
    return this.since !== undefined;
  }

  /** A request has to wait for its turn: `why` names the reason if this starts an episode. */
  waitStarted(why: "the permitted rate" | "a 429 pause"): void {
    this.waited++;
    if (this.since === undefined) this.start(why);
  }

  /** A request got its turn after waiting. */
  waitEnded(): void {
    const now = this.options.now();
    this.lastWaitEnd = now;
    if (this.options.view(now).waiting === 0) this.checkQuietLater();
  }

  /** Vobiz answered 429 (the limiter has already paused and re-paced). */
  answered429(): void {
    this.rateLimited++;
    this.lastWaitEnd = this.options.now();
    if (this.since === undefined) {
      this.start("Vobiz answered 429");
      this.checkQuietLater();
    }
  }

  /** Writes the end line once nothing has waited for `quietMs` and no pause is on; else checks later. */
  endIfQuiet(): void {
    const now = this.options.now();
    const view = this.options.view(now);
    if (this.since === undefined || view.waiting > 0) return;
    if (now - this.lastWaitEnd < this.options.quietMs || view.pausedUntil > now) {
      this.checkQuietLater();
      return;
    }
    const pace = Number.isFinite(view.rate) ? `pacing at ${formatRate(view.rate)} requests/s` : "unpaced";
    this.log(
      `throttling of ${this.options.label} ended after ${seconds(this.lastWaitEnd - this.since)}: ` +
        `${this.waited} requests waited, ${this.rateLimited} answered 429; ${pace}`,
    );
    this.since = undefined;
    this.waited = 0;
    this.rateLimited = 0;
  }

  private start(why: string): void {
    const now = this.options.now();
    const view = this.options.view(now);
    this.since = now;
    const pace = Number.isFinite(view.rate) ? `at most ${formatRate(view.rate)} requests/s` : "unpaced";
    const pause =
      view.pausedUntil > now ? `, all waiting ${seconds(view.pausedUntil - now)} for the reset` : "";
    this.log(`throttling requests to ${this.options.label} (${why}): ${pace}${pause}`);
  }

  private checkQuietLater(): void {
    if (this.since === undefined) return;
    const now = this.options.now();
    const delay = Math.max(this.options.quietMs, this.options.view(now).pausedUntil - now);
    this.options.schedule(delay, () => this.endIfQuiet());
  }

  private log(line: string): void {
    this.options.debug?.(`[pulumi-vobiz] ${line}`);
  }
}

/** `12`, `2.09`: a rate for a line. */
function formatRate(rate: number): string {
  return rate >= 10 ? String(Math.round(rate)) : String(Math.round(rate * 100) / 100);
}

/** `1.5 s`: a duration for a line. */
function seconds(ms: number): string {
  return `${Math.round(Math.max(0, ms) / 100) / 10} s`;
}
