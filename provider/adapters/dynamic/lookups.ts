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

/** A credential as a look-up returns it: everything Vobiz tells about it, never a password. */
export interface CredentialInfo {
  /** Vobiz's id of the credential (a UUID). */
  id: string;
  /** The SIP username. */
  username: string;
  /** Whether the credential can authenticate. */
  enabled: boolean;
  /** Free text shown in the Vobiz console; absent when none (or when the API does not return it). */
  description?: string;
  /** The SIP digest realm a device must present, when the API returns it. */
  realm?: string;
  /** The Vobiz account (Auth ID) the credential lives on. */
  accountId: string;
  /** When Vobiz created the credential (ISO 8601 UTC), when the API returns it. */
  createdAt?: string;
  /** When Vobiz last changed the credential (ISO 8601 UTC), when the API returns it. */
  updatedAt?: string;
}

/** Arguments of {@link getCredential}. */
export interface GetCredentialArgs {
  /** The SIP username to find. */
  username: string;
}

/** Arguments of {@link getCredentials}. */
export interface GetCredentialsArgs {
  /** Only usernames matching this pattern (`*` any run, `?` one character; several separated by commas). */
  filter?: string;
  /** Only enabled (`true`) or disabled (`false`) credentials. */
  enabled?: boolean;
}

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

function info(c: Credential, authId: string): CredentialInfo {
  const out: CredentialInfo = {
    id: c.id,
    username: c.username,
    enabled: c.enabled,
    accountId: c.accountId ?? authId,
  };
  if (c.description) out.description = c.description;
  if (c.realm) out.realm = c.realm;
  if (c.createdAt) out.createdAt = c.createdAt;
  if (c.updatedAt) out.updatedAt = c.updatedAt;
  return out;
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
  return asRunError(() => findCredential(args, options));
}

async function findCredential(args: GetCredentialArgs, options: LookupOptions): Promise<CredentialInfo> {
  const { authId, all } = await allCredentials(options);
  const found = all.find((c) => c.username === args.username);
  if (!found) {
    const { VobizError } = await import("../../common/errors");
    throw new VobizError(
      `getCredential: account ${authId} has no credential '${args.username}' ` +
        `(${all.length} credential(s) on the account). Check the username and vobiz:authId / VOBIZ_AUTH_ID.`,
    );
  }
  return info(found, authId);
}

/** Every credential of the account (sorted by username), optionally filtered; `[]` when none match. */
export async function getCredentials(
  args: GetCredentialsArgs = {},
  options: LookupOptions = {},
): Promise<CredentialInfo[]> {
  return asRunError(async () => {
    const [{ authId, all }, { usernameMatcher }] = await Promise.all([
      allCredentials(options),
      import("../../onboard/declarations"),
    ]);
    const matches = usernameMatcher(args.filter);
    return all
      .filter((c) => matches(c.username) && (args.enabled === undefined || c.enabled === args.enabled))
      .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
      .map((c) => info(c, authId));
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
