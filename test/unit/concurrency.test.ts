/** inFlight (provider/concurrency.ts): order, the limit, and what a rejection stops. */
import { inFlight } from "../../provider/common/concurrency";

const tick = () => new Promise((resolve) => setImmediate(resolve));

it("keeps the items' order whatever order the calls finish in", async () => {
  const out = await inFlight([30, 10, 20], 3, async (ms) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return ms * 2;
  });
  expect(out).toEqual([60, 20, 40]);
});

it("never has more than `limit` calls pending", async () => {
  let pending = 0;
  let most = 0;
  await inFlight([...Array(10).keys()], 3, async () => {
    most = Math.max(most, ++pending);
    await tick();
    pending--;
  });
  expect(most).toBe(3);
});

it("rejects with the first failure and starts no call after it", async () => {
  const started: number[] = [];
  const run = inFlight([0, 1, 2, 3, 4, 5], 2, async (i) => {
    started.push(i);
    await tick();
    if (i === 1) throw new Error("page 1 failed");
  });
  await expect(run).rejects.toThrow("page 1 failed");
  await tick();
  expect(started).toEqual([0, 1, 2]);
});

it("an empty list is an empty result; a limit below 1 is refused", async () => {
  await expect(inFlight([], 4, async () => 1)).resolves.toEqual([]);
  await expect(inFlight([1], 0, async () => 1)).rejects.toThrow(RangeError);
});
