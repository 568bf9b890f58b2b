/**
 * The engine adapter, and the module the engine loads (`pulumi-vobiz/provider`, required by the
 * serialized provider of every state, old ones included, so its path and exports stay). It owns
 * what only matters inside Pulumi's dynamic-provider process: applying the check-failure masking
 * (lifecycle/checkFailures.ts), recording a partial create, the SIGINT guard with its count of writes in
 * flight, and ending the process when its engine is gone (engineWatch.ts). The lifecycle itself is
 * lifecycle.ts's.
 */
import type { VobizCredentialProvider } from "../../lifecycle/operations";
import { vobizCredentialProvider } from "../../lifecycle/operations";
import { maskForEngine } from "../../lifecycle/checkFailures";
import { VobizPartialCreateError } from "../../lifecycle/partialCreate";
import { withoutHostEcho } from "./hostEcho";
import { engineAddress, watchEngine } from "./engineWatch";

export {
  createCredentialProvider,
  vobizCredentialProvider,
  type CredentialProviderOptions,
  type VobizCredentialProvider,
} from "../../lifecycle/operations";
export type { CredentialOutputs } from "../../contract/table";

/** Creates, updates and deletes the engine has asked this process for and not yet been answered. */
let writesInFlight = 0;

async function tracked<T>(write: () => Promise<T>): Promise<T> {
  writesInFlight++;
  try {
    return await write();
  } finally {
    writesInFlight--;
  }
}

/**
 * SIGINT inside Pulumi's dynamic-provider process. A Ctrl-C in a terminal reaches the whole
 * process group; the engine cancels gracefully and waits for the operations in flight, but a
 * provider that died at once would lose creates Vobiz had already applied (orphans). So while a
 * write is in flight the signal is ignored; when idle (which includes the engine's own SIGINT at
 * shutdown, sent once operations are done) the process ends as it would by default, at once.
 */
export function onDynamicProviderInterrupt(): void {
  if (writesInFlight > 0) return;
  process.removeListener("SIGINT", onDynamicProviderInterrupt);
  process.kill(process.pid, "SIGINT");
}

/**
 * Installs the SIGINT guard, once. Called on every entry into the engine adapter: only Pulumi's
 * dynamic-provider host calls it (through the serialized provider, `configure` first), so no
 * guess about the host's file layout is needed and a change in the SDK cannot switch it off.
 */
export function installSigintGuard(): void {
  if (process.listeners("SIGINT").includes(onDynamicProviderInterrupt)) return;
  process.on("SIGINT", onDynamicProviderInterrupt);
}

let watching = false;

/**
 * Starts watching the engine, once (engineWatch.ts): when it is gone (killed, so it cannot stop this
 * process itself), the process ends as soon as no write is in flight.
 */
export function watchEngineOnce(argv: readonly string[] = process.argv): void {
  if (watching) return;
  watching = true;
  const address = engineAddress(argv);
  if (address === undefined) return;
  watchEngine({ address, onGone: exitWhenIdle });
}

function exitWhenIdle(): void {
  if (writesInFlight === 0) process.exit(0);
  setTimeout(exitWhenIdle, 100);
}

/** Calls `fn` after making sure the SIGINT guard is installed and the engine is watched. */
function entered<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    installSigintGuard();
    watchEngineOnce();
    return fn(...args);
  };
}

/** The engine's key of the serialized provider, in the inputs of every dynamic resource. */
const PROVIDER_KEY = "__provider";

/**
 * A create whose credential Vobiz created but the provider could not finish is reported with
 * its id and properties (VobizPartialCreateError), which the host sends as "created but not
 * initialised". The host adds the serialized provider only to successful results, and later
 * operations need it, so it is added here from the create's own inputs.
 */
async function createRecordingPartial(inputs: Parameters<VobizCredentialProvider["create"]>[0]) {
  try {
    return await vobizCredentialProvider.create(inputs);
  } catch (e) {
    const provider = (inputs as unknown as Record<string, unknown>)[PROVIDER_KEY];
    if (e instanceof VobizPartialCreateError && provider !== undefined) e.properties[PROVIDER_KEY] = provider;
    throw e;
  }
}

/**
 * The provider as the engine drives it (through the serialized provider). Identical to
 * {@link vobizCredentialProvider} except that any call installs the SIGINT guard, that its
 * writes count as in flight for it ({@link onDynamicProviderInterrupt}), that a partial create
 * is recorded, that a check failure whose value could be secret is reported without a
 * property name (lifecycle/checkFailures.ts): the engine prints the value of a failing property next to the
 * reason, so the name goes in the reason; and that the host does not print our errors of check,
 * diff, read and delete with their stack (hostEcho.ts).
 */
export const engineCredentialProvider: VobizCredentialProvider = {
  configure: entered((req) => vobizCredentialProvider.configure(req)),
  diff: entered((id, olds, news) => withoutHostEcho(() => vobizCredentialProvider.diff(id, olds, news))),
  read: entered((id, props) => withoutHostEcho(() => vobizCredentialProvider.read(id, props))),
  create: entered((inputs) => tracked(() => createRecordingPartial(inputs))),
  update: entered((id, olds, news) => tracked(() => vobizCredentialProvider.update(id, olds, news))),
  delete: entered((id, props) =>
    withoutHostEcho(() => tracked(() => vobizCredentialProvider.delete(id, props))),
  ),
  check: entered((olds, news) =>
    withoutHostEcho(async () => {
      const result = await vobizCredentialProvider.check(olds, news);
      if (!result.failures) return result;
      return { failures: maskForEngine(result.failures, news) };
    }),
  ),
};
