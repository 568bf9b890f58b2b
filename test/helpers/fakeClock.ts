/**
 * A fake {@link Clock} for the client and transport: time moves only when a test (or a retry's
 * `sleep`) moves it, so retry and cache tests run instantly and deterministically.
 *
 * ```ts
 * const clock = fakeClock({ random: 0.5 });
 * const client = new VobizClient({ ..., clock });
 * await client.listAllCredentials();
 * expect(clock.sleeps).toEqual([2000]); // the waits the client asked for, in order
 * clock.advance(31_000);                // e.g. past a cache TTL
 * ```
 */
import type { Clock } from "../../provider/common/clock";

/** 2030-01-01T00:00:00Z: the default start of every fake clock. */
export const FAKE_EPOCH_MS = Date.UTC(2030, 0, 1, 0, 0, 0);

export interface FakeClock extends Clock {
  /** Every `sleep(ms)` requested so far, in order. */
  readonly sleeps: number[];
  /** Sum of {@link sleeps}. */
  slept(): number;
  /** Moves time forward by `ms` without recording a sleep. */
  advance(ms: number): void;
  /** Sets the current time (ms since epoch). */
  set(ms: number): void;
  /** Changes what `random()` returns: a fixed value in [0, 1) or a function. */
  setRandom(value: number | (() => number)): void;
  /** The current time as an ISO string, e.g. to build `created_at` fixtures. */
  iso(offsetMs?: number): string;
}

export interface FakeClockOptions {
  /** Start time, ms since epoch; default {@link FAKE_EPOCH_MS}. */
  start?: number;
  /** What `random()` returns: a fixed value in [0, 1) or a function; default 0.5. */
  random?: number | (() => number);
}

/**
 * A fake clock. `sleep(ms)` records `ms`, advances `now` by it and resolves at once (after the
 * current microtasks); `random()` returns the configured value.
 */
export function fakeClock(options: FakeClockOptions = {}): FakeClock {
  let now = options.start ?? FAKE_EPOCH_MS;
  let random = toRandom(options.random ?? 0.5);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep(ms: number): Promise<void> {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`fake clock: sleep(${ms}) is not a valid wait`);
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => random(),
    slept: () => sleeps.reduce((a, b) => a + b, 0),
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
    setRandom(value) {
      random = toRandom(value);
    },
    iso: (offsetMs = 0) => new Date(now + offsetMs).toISOString(),
  };
}

function toRandom(value: number | (() => number)): () => number {
  if (typeof value === "function") return value;
  if (!(value >= 0 && value < 1)) throw new RangeError(`fake clock: random must be in [0, 1), got ${value}`);
  return () => value;
}
