/**
 * The engine adapter (provider/provider.ts, the module `pulumi-vobiz/provider` the engine loads):
 * its writes count as in flight for the SIGINT guard, which ignores an interrupt while a write
 * is in flight and re-raises it at once when idle; and it delegates every operation.
 */
import {
  engineCredentialProvider,
  onDynamicProviderInterrupt,
  vobizCredentialProvider,
} from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs, CredentialOutputs } from "../../provider/contract/table";
import { VobizPartialCreateError } from "../../provider/lifecycle/partialCreate";

const inputs: CredentialInputs = {
  username: "u1",
  password: "pw_Engine_SECRET",
  enabled: true,
  adoptExisting: false,
};
const outs: CredentialOutputs = { ...inputs, accountId: "MA_ENGINE" };

let kill: jest.SpyInstance;
let removeListener: jest.SpyInstance;
beforeEach(() => {
  kill = jest.spyOn(process, "kill").mockImplementation(() => true);
  removeListener = jest.spyOn(process, "removeListener");
});
afterEach(() => jest.restoreAllMocks());

/** A promise with its resolver, to hold a write in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

test("idle: an interrupt removes the guard and re-raises SIGINT at once", () => {
  onDynamicProviderInterrupt();
  expect(removeListener).toHaveBeenCalledWith("SIGINT", onDynamicProviderInterrupt);
  expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
});

test.each(["create", "update", "delete"] as const)(
  "while a %s is in flight an interrupt is ignored; once it is answered it is not",
  async (op) => {
    const pending = deferred<never>();
    const spy = jest.spyOn(vobizCredentialProvider, op).mockImplementation(() => pending.promise);
    const call =
      op === "create"
        ? engineCredentialProvider.create(inputs)
        : op === "update"
          ? engineCredentialProvider.update("id-1", outs, inputs)
          : engineCredentialProvider.delete("id-1", outs);
    onDynamicProviderInterrupt();
    expect(kill).not.toHaveBeenCalled();
    pending.resolve(undefined as never);
    await call;
    expect(spy).toHaveBeenCalledTimes(1);
    onDynamicProviderInterrupt();
    expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
  },
);

test("a failed write is no longer in flight", async () => {
  jest.spyOn(vobizCredentialProvider, "create").mockRejectedValue(new Error("boom"));
  await expect(engineCredentialProvider.create(inputs)).rejects.toThrow("boom");
  onDynamicProviderInterrupt();
  expect(kill).toHaveBeenCalledTimes(1);
});

test("a partial create carries the serialized provider from the create's inputs (the host adds it only on success)", async () => {
  const partial = new VobizPartialCreateError("created, not initialised", "id-9", outs);
  jest.spyOn(vobizCredentialProvider, "create").mockRejectedValue(partial);
  const withProvider = { ...inputs, __provider: "exports.handler = ..." } as CredentialInputs;
  await expect(engineCredentialProvider.create(withProvider)).rejects.toBe(partial);
  expect(partial.id).toBe("id-9");
  expect(partial.properties).toEqual({ ...outs, __provider: "exports.handler = ..." });
});

test.each(["configure", "check", "diff", "read", "create", "update", "delete"] as const)(
  "%s installs the SIGINT guard (any entry from the engine's host), once",
  async (op) => {
    process.removeAllListeners("SIGINT");
    jest
      .spyOn(vobizCredentialProvider, op)
      .mockResolvedValue((op === "check" ? { inputs } : undefined) as never);
    const call: Record<typeof op, () => Promise<unknown>> = {
      configure: () => engineCredentialProvider.configure({ config: {} as never }),
      check: () => engineCredentialProvider.check({}, {}),
      diff: () => engineCredentialProvider.diff("id-1", outs, inputs),
      read: () => engineCredentialProvider.read("id-1", outs),
      create: () => engineCredentialProvider.create(inputs),
      update: () => engineCredentialProvider.update("id-1", outs, inputs),
      delete: () => engineCredentialProvider.delete("id-1", outs),
    };
    expect(process.listeners("SIGINT")).not.toContain(onDynamicProviderInterrupt);
    await call[op]();
    await call[op]();
    expect(process.listeners("SIGINT").filter((l) => l === onDynamicProviderInterrupt)).toHaveLength(1);
    process.removeAllListeners("SIGINT");
  },
);

test("reads, diffs and configure delegate to the default provider", async () => {
  const read = jest.spyOn(vobizCredentialProvider, "read").mockResolvedValue({ id: "id-1", props: outs });
  const diff = jest.spyOn(vobizCredentialProvider, "diff").mockResolvedValue({ changes: false });
  expect(await engineCredentialProvider.read("id-1", outs)).toEqual({ id: "id-1", props: outs });
  expect(await engineCredentialProvider.diff("id-1", outs, inputs)).toEqual({ changes: false });
  expect(read).toHaveBeenCalledWith("id-1", outs);
  expect(diff).toHaveBeenCalledWith("id-1", outs, inputs);
  process.removeAllListeners("SIGINT");
});
