/**
 * What the `Date` headers of Vobiz's answers tell about Vobiz's clock: the range the offset of
 * Vobiz's clock from this machine's must lie in, narrowed with every answer. The create's
 * reconciliation uses it to decide whether a credential was created after its first attempt.
 */

/** The offset of Vobiz's clock from this machine's (Vobiz minus local), in ms: lies in [lowMs, highMs]. */
export interface ClockOffset {
  lowMs: number;
  highMs: number;
}

/** `Date` has whole seconds: the server's clock read somewhere in [D, D + 1 s) when it answered. */
const DATE_RESOLUTION_MS = 1000;

/**
 * Collects one offset range per answer and keeps their intersection. An answer whose range does
 * not overlap what was known (a clock that was set, or another server behind a balancer) replaces
 * it: the newest evidence wins over a contradiction.
 */
export class ServerClock {
  private range?: ClockOffset;

  /**
   * Records an answer that was sent at `sentAt` and received at `receivedAt` (local ms) with the
   * given `Date` header. Returns the server's time of the answer (ms since epoch), or undefined
   * when the header is missing or unparseable.
   */
  observe(dateHeader: string | undefined, sentAt: number, receivedAt: number): number | undefined {
    const serverAt = parseHttpDate(dateHeader);
    if (serverAt === undefined) return undefined;
    const sample = { lowMs: serverAt - receivedAt, highMs: serverAt + DATE_RESOLUTION_MS - sentAt };
    const r = this.range;
    const lowMs = r ? Math.max(r.lowMs, sample.lowMs) : sample.lowMs;
    const highMs = r ? Math.min(r.highMs, sample.highMs) : sample.highMs;
    this.range = lowMs <= highMs ? { lowMs, highMs } : sample;
    return serverAt;
  }

  /** The offset range known so far, or undefined when no answer carried a `Date` header. */
  offset(): ClockOffset | undefined {
    return this.range && { ...this.range };
  }
}

/** Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`); undefined for anything else. */
export function parseHttpDate(text: string | undefined): number | undefined {
  const t = text?.trim();
  // An HTTP date names its weekday and month; V8's lenient Date.parse would read "-5" as 2001.
  if (!t || !/[a-z]{3}/i.test(t)) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}
