/**
 * The limiter's turn queue (provider/http/limiter/turnQueue.ts) on a manual clock: turns in call
 * order, one interval after the last turn at the pace of the moment (so a pace that changes while
 * requests wait applies to them), pauses, and the paced and busy time it keeps for the estimator.
 */
import { TurnQueue } from "../../provider/http/limiter/turnQueue";
import { FAKE_EPOCH_MS } from "../helpers/fakeClock";
import { manualClock, type ManualClock } from "../helpers/manualClock";

function setup(initialPace = Infinity) {
  const clock = manualClock();
  const pace = { now: initialPace };
  const queue = new TurnQueue({ clock, pace: () => pace.now });
  return { clock, pace, queue };
}

/** Queues `n` requests now; `order` fills with their index and `times` with when each got its turn. */
function waitMany(queue: TurnQueue, clock: ManualClock, n: number) {
  const order: number[] = [];
  const times: number[] = [];
  const done = Promise.all(
    Array.from({ length: n }, (_, i) =>
      queue.wait().then(() => {
        order.push(i);
        times.push(clock.now() - FAKE_EPOCH_MS);
      }),
    ),
  );
  return { order, times, done };
}

describe("TurnQueue", () => {
  it("gives a turn at once while unpaced, and never to a caller behind someone waiting", async () => {
    const { clock, queue } = setup();
    expect(queue.tryTake()).toBe(true);
    expect(queue.tryTake()).toBe(true);
    queue.pause(FAKE_EPOCH_MS + 1000);
    expect(queue.tryTake()).toBe(false);
    const { times, done } = waitMany(queue, clock, 2);
    await clock.advance(1000);
    expect(queue.waiting).toBe(0);
    // The pause is over but unpaced turns are taken at once: a new caller is not held back.
    expect(queue.tryTake()).toBe(true);
    await done;
    expect(times).toEqual([1000, 1000]);
  });

  it("gives turns in call order, one interval of the pace apart", async () => {
    const { clock, queue } = setup(4);
    expect(queue.tryTake()).toBe(true); // the first turn is free
    expect(queue.tryTake()).toBe(false); // the next one is 250 ms later
    const { order, times, done } = waitMany(queue, clock, 5);
    await clock.advance(2000);
    await done;
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(times).toEqual([250, 500, 750, 1000, 1250]);
  });

  it("resolves each turn with the milliseconds its caller waited", async () => {
    const { clock, queue } = setup(2);
    queue.tryTake();
    const first = queue.wait();
    await clock.advance(200);
    const second = queue.wait(); // joins 200 ms later
    await clock.advance(2000);
    expect(await first).toBe(500);
    expect(await second).toBe(800); // its turn at 1000, waited from 200
  });

  it("a pace that rises while requests wait applies to them: turns come closer at once", async () => {
    const { clock, pace, queue } = setup(1);
    queue.tryTake(); // at 0; the next turn due at 1000
    const { times, done } = waitMany(queue, clock, 6);
    await clock.advance(1000); // the first waiter's turn, at the pace of 1 per second
    pace.now = 10;
    queue.repace();
    await clock.advance(2000);
    await done;
    // Turns handed out as fixed times when the requests queued would be 1 s apart to the end
    // (1000, 2000, ..., 6000); taken at the pace of the moment they are 100 ms apart.
    expect(times).toEqual([1000, 1100, 1200, 1300, 1400, 1500]);
  });

  it("a pace that falls while requests wait spaces them further apart, from the last turn given", async () => {
    const { clock, pace, queue } = setup(10);
    queue.tryTake(); // at 0
    const { times, done } = waitMany(queue, clock, 4);
    await clock.advance(150); // one turn at 100
    pace.now = 2;
    await clock.advance(5000);
    await done;
    expect(times).toEqual([100, 600, 1100, 1600]);
  });

  it("a pause holds every turn until it ends, then turns go on at the pace", async () => {
    const { clock, queue } = setup(5);
    queue.tryTake(); // at 0
    queue.pause(FAKE_EPOCH_MS + 3000);
    const { times, done } = waitMany(queue, clock, 3);
    await clock.advance(2999);
    expect(times).toEqual([]);
    await clock.advance(2000);
    await done;
    expect(times).toEqual([3000, 3200, 3400]);
  });

  it("a later pause extends the one on; an earlier end never shortens it", async () => {
    const { clock, queue } = setup();
    queue.pause(FAKE_EPOCH_MS + 1000);
    queue.pause(FAKE_EPOCH_MS + 500);
    expect(queue.pausedUntilAt(clock.now())).toBe(FAKE_EPOCH_MS + 1000);
    const { times, done } = waitMany(queue, clock, 1);
    await clock.advance(800);
    queue.pause(FAKE_EPOCH_MS + 2500); // a 429 during the pause
    await clock.advance(5000);
    await done;
    expect(times).toEqual([2500]);
    expect(queue.pausedUntilAt(clock.now())).toBe(0);
  });

  it("counts paced time (requests held back by the pace) and busy time (waiting, in flight or paused)", async () => {
    const { clock, queue } = setup(1);
    queue.tryTake(); // in flight from 0
    await clock.advance(300);
    queue.release(); // answered at 300: busy 0..300
    await clock.advance(700); // idle
    expect(queue.busyMs(clock.now())).toBe(300);
    expect(queue.pacedMs(clock.now())).toBe(0);

    const turn = queue.wait(); // at 1000: due at once (1 s after the last turn)
    await clock.advance(0);
    await turn;
    const { done } = waitMany(queue, clock, 1); // waits from 1000 for 2000
    await clock.advance(400);
    expect(queue.pacedMs(clock.now())).toBe(400);
    queue.pause(FAKE_EPOCH_MS + 2000); // paused 1400..2000: busy, not paced
    await clock.advance(600);
    await done;
    expect(queue.pacedMs(clock.now())).toBe(400);
    expect(queue.busyMs(clock.now())).toBe(300 + 1000);
    queue.release();
    queue.release(); // both answered at 2000
    queue.release(); // one more than taken changes nothing
    await clock.advance(1000);
    expect(queue.busyMs(clock.now())).toBe(1300);
  });
});
