/**
 * A manual {@link Clock} for code where several callers wait at once (the rate limiter): unlike
 * fakeClock, whose `sleep` resolves at once, a `sleep` here resolves only when the test moves time
 * past its end, so concurrent waits overlap as they would in real time.
 *
 * ```ts
 * const clock = manualClock();
 * const turn = limiter.acquire();
 * await clock.advance(500); // runs every sleep due by then, in time order
 * ```
 */
import type { Clock } from "../../provider/common/clock";
import { FAKE_EPOCH_MS } from "./fakeClock";

export interface ManualClock extends Clock {
  /** Moves time forward by `ms`, waking each sleeper at its own time, in order. */
  advance(ms: number): Promise<void>;
  /** Sleeps not yet woken. */
  pending(): number;
}

/** Lets every queued promise callback run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

export function manualClock(start = FAKE_EPOCH_MS): ManualClock {
  let now = start;
  let timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    random: () => 0.5,
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        timers.push({ at: now + Math.max(0, ms), wake: resolve });
      });
    },
    pending: () => timers.length,
    async advance(ms: number): Promise<void> {
      const end = now + ms;
      await flush();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers = timers.slice(1);
        now = Math.max(now, next.at);
        next.wake();
        await flush();
      }
      now = end;
      await flush();
    },
  };
}
