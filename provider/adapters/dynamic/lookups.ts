/**
 * Look-ups (what Terraform calls data sources): typed functions a Pulumi program calls to read
 * credentials its stack does not manage, by username or all of them (optionally filtered). They
 * run in the program's process, resolve the connection like the resource does (explicit options,
 * the stack's `vobiz:*` config, then `VOBIZ_*`), share one list scan per connection for the whole
 * program run, and return no password (Vobiz never returns one). The client, axios and zod load
 * on the first call, so importing the package stays cheap.
 */
import type { VobizConnectionSettings } from "../../settings/settings";
import type { Credential } from "../../api/schemas";
import type { CredentialInfo, GetCredentialArgs, GetCredentialsArgs } from "../../lifecycle/lookups";

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
  const [{ createHash }, { resolveConnection, settingsFromConfig, settingsFromEnv }] = await Promise.all([
    import("node:crypto"),
    import("../../settings/settings"),
  ]);
  const env = options.env ?? process.env;
  const conn = resolveConnection(
    options.connection ?? {},
    settingsFromConfig(await stackConfig()),
    settingsFromEnv(env),
  );
  const key = `${conn.baseUrl}\u0000${conn.authId}\u0000${createHash("sha256").update(conn.authToken).digest("hex")}`;
  let scan = scans.get(key);
  if (!scan) {
    scan = import("../../api/client").then(({ VobizClient }) =>
      new VobizClient({ ...conn, env }).listAllCredentials(),
    );
    scans.set(key, scan);
    scan.catch(() => scans.delete(key)); // a failed scan is not remembered
  }
  return { authId: conn.authId, all: await scan };
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
  const [{ authId, all }, { findCredential }] = await Promise.all([
    allCredentials(options),
    import("../../lifecycle/lookups"),
  ]);
  return findCredential(all, args, authId);
}

/** Every credential of the account (sorted by username), optionally filtered; `[]` when none match. */
export async function getCredentials(
  args: GetCredentialsArgs = {},
  options: LookupOptions = {},
): Promise<CredentialInfo[]> {
  const [{ authId, all }, { selectCredentials }] = await Promise.all([
    allCredentials(options),
    import("../../lifecycle/lookups"),
  ]);
  return selectCredentials(all, args, authId);
}
