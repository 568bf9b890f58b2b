/**
 * The look-ups of a TypeScript program (what Terraform calls data sources): `getCredential` and
 * `getCredentials` read credentials the stack does not manage. They run in the program's process,
 * resolve the settings like the resource does (explicit `connection`, the stack's `vobiz:*`
 * config, then `VOBIZ_*`), share one list scan per connection for the whole program run, and
 * return no password (Vobiz never returns one). Selection and results are the lifecycle's
 * (lifecycle/lookups.ts). The client, axios and zod load on the first call, so importing the
 * package stays cheap.
 */
import type { Credential } from "../../contract/wire";
import type { CredentialInfo, GetCredentialArgs, GetCredentialsArgs } from "../../lifecycle/lookups";
import type { VobizConnectionSettings } from "../../settings/settings";

export type { CredentialInfo, GetCredentialArgs, GetCredentialsArgs } from "../../lifecycle/lookups";

/** Options of a look-up. */
export interface LookupOptions {
  /** Connection settings laid over the stack config and `VOBIZ_*` (e.g. another account). */
  connection?: VobizConnectionSettings;
  /** Environment to read `VOBIZ_*` from; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** One list scan per connection for the whole program run (keys hold the token only as a hash). */
const scans = new Map<string, Promise<Credential[]>>();

async function allCredentials(options: LookupOptions): Promise<{ authId: string; all: Credential[] }> {
  const { connectionKey, resolveSettings } = await import("../../settings/settings");
  const env = options.env ?? process.env;
  const settings = resolveSettings({ options: options.connection ?? {}, config: await stackConfig(), env });
  const key = connectionKey(settings);
  let scan = scans.get(key);
  if (!scan) {
    scan = Promise.all([import("../../api/client"), import("../../api/options")]).then(
      ([{ VobizClient }, { optionsOf }]) =>
        new VobizClient({ ...optionsOf(settings), env }).listAllCredentials(),
    );
    scans.set(key, scan);
    scan.catch(() => scans.delete(key)); // a failed scan is not remembered
  }
  return { authId: settings.authId, all: await scan };
}

/** The stack config of the running program (`vobiz:*`), or none outside a Pulumi program. */
async function stackConfig(): Promise<{ get(key: string): string | undefined } | undefined> {
  try {
    const { runtime } = await import("@pulumi/pulumi");
    return { get: (key) => runtime.getConfig(key) };
  } catch {
    return undefined;
  }
}

/**
 * The credential with this username. Rejects with a VobizError when the account has none, and
 * with the resource's errors when the connection is not configured or the API refuses.
 *
 * ```ts
 * const trunkUser = await getCredential({ username: "pbx_trunk" });
 * export const realm = trunkUser.realm;
 * ```
 */
export async function getCredential(
  args: GetCredentialArgs,
  options: LookupOptions = {},
): Promise<CredentialInfo> {
  return asRunError(async () => {
    const [{ authId, all }, { findCredential }] = await Promise.all([
      allCredentials(options),
      import("../../lifecycle/lookups"),
    ]);
    return findCredential(all, authId, args);
  });
}

/** Every credential of the account (sorted by username), optionally filtered; `[]` when none match. */
export async function getCredentials(
  args: GetCredentialsArgs = {},
  options: LookupOptions = {},
): Promise<CredentialInfo[]> {
  return asRunError(async () => {
    const [{ authId, all }, { selectCredentials }] = await Promise.all([
      allCredentials(options),
      import("../../lifecycle/lookups"),
    ]);
    return selectCredentials(all, authId, args);
  });
}

/**
 * Runs a look-up; a VobizError it rejects with is marked the way Pulumi's `RunError` is
 * (`__pulumiRunError`), so a program that does not catch it ends with the message alone, printed
 * once, instead of "failed with an unhandled exception" and a stack trace. The error keeps its
 * class (`instanceof VobizError` still holds) and facts.
 */
async function asRunError<T>(lookUp: () => Promise<T>): Promise<T> {
  try {
    return await lookUp();
  } catch (e) {
    const { VobizError } = await import("../../common/errors");
    if (e instanceof VobizError) Object.defineProperty(e, "__pulumiRunError", { value: true });
    throw e;
  }
}
