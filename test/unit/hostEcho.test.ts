/**
 * The dynamic-provider host prints every error of check, diff, read and delete as
 * `${e}: ${e.stack}` before the engine prints its message under the resource: for the provider's
 * own errors that print is dropped (once per error), for any other error it stays.
 */
import { VobizConflictError, VobizError } from "../../provider/common/errors";
import { withoutHostEcho } from "../../provider/adapters/dynamic/hostEcho";
import { captureOutput } from "../helpers/output";

/** What the host does with a call's error (cmd/dynamic-provider: console.error, then the callback). */
async function asHost(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return await call();
  } catch (e) {
    console.error(`${e}: ${(e as Error).stack}`);
    return e;
  }
}

test("an error of ours: rethrown unchanged, the host's print of it dropped; other prints stay", async () => {
  const output = captureOutput();
  try {
    const ours = new VobizConflictError(
      { status: 409, operation: "delete", method: "DELETE", path: "/account/MA_X/credentials/1" },
      "advice",
    );
    const returned = await asHost(() => withoutHostEcho(() => Promise.reject(ours)));
    expect(returned).toBe(ours);
    console.error("an unrelated line");
    // The same text printed again (not by the host's catch of this call) is not dropped.
    console.error(`${ours}: ${ours.stack}`);
    const text = output.text();
    expect(text.split(`${ours}: ${ours.stack}`)).toHaveLength(2); // the second print only
    expect(text).toContain("an unrelated line");
  } finally {
    output.restore();
  }
});

test("any other error (a bug) keeps the host's print with its stack; results pass through", async () => {
  const output = captureOutput();
  try {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    await asHost(() => withoutHostEcho(() => Promise.reject(bug)));
    expect(output.text()).toContain(
      "TypeError: Cannot read properties of undefined (reading 'x'): TypeError",
    );
    expect(output.text()).toMatch(/\n\s+at /);
    await expect(withoutHostEcho(() => Promise.resolve(42))).resolves.toBe(42);
    await expect(withoutHostEcho(() => Promise.reject(new VobizError("plain")))).rejects.toThrow("plain");
  } finally {
    output.restore();
  }
});
