/**
 * `inFlight`: maps items through an async function with at most `limit` calls pending at once,
 * results in item order; the first rejection rejects the whole (calls already started finish on
 * their own, none is started after it). Written here because p-map and p-limit are ESM-only and
 * this package is CommonJS; the fifteen lines need no dependency.
 */
export async function inFlight<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError("limit must be a whole number of at least 1");
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
