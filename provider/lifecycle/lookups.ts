/**
 * The look-ups' core (what Terraform calls data sources): reading credentials a stack does not
 * manage, by username or all of them (optionally filtered by a username pattern and `enabled`),
 * from one list of the account. What a look-up returns of each credential is the contract's
 * (contract/wire.ts `lookupFields`): everything the API tells, never a password. Both engine
 * adapters call these: the dynamic adapter's `getCredential`/`getCredentials` in the program, the
 * plugin's `invoke`.
 */
import { VobizError } from "../common/errors";
import { lookupFields, type Credential, type LookupFields } from "../contract/wire";

/** A credential as a look-up returns it: everything Vobiz tells about it, never a password. */
export interface CredentialInfo extends LookupFields {
  /** Vobiz's id of the credential (a UUID). */
  id: string;
}

/** Arguments of `getCredential`. */
export interface GetCredentialArgs {
  /** The SIP username to find. */
  username: string;
}

/** Arguments of `getCredentials`. */
export interface GetCredentialsArgs {
  /** Only usernames matching this pattern (`*` any run, `?` one character; several separated by commas). */
  filter?: string;
  /** Only enabled (`true`) or disabled (`false`) credentials. */
  enabled?: boolean;
}

/**
 * A username filter: `*` matches any run of characters, `?` one character; several patterns
 * separated by commas select a username matching any of them. Case-sensitive, like usernames.
 */
export function usernameMatcher(filter: string | undefined): (username: string) => boolean {
  if (filter === undefined) return () => true;
  const patterns = filter
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map(
      (p) =>
        new RegExp(
          `^${p
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        ),
    );
  return (username) => patterns.some((re) => re.test(username));
}

/** What a look-up returns of a live credential. */
export function credentialInfo(c: Credential, authId: string): CredentialInfo {
  return { id: c.id, ...lookupFields(c, authId) };
}

/** The credential with this username among `all`; a VobizError naming the account when none has it. */
export function findCredential(
  all: readonly Credential[],
  authId: string,
  args: GetCredentialArgs,
): CredentialInfo {
  const found = all.find((c) => c.username === args.username);
  if (!found) {
    throw new VobizError(
      `getCredential: account ${authId} has no credential '${args.username}' ` +
        `(${all.length} credential(s) on the account). Check the username and vobiz:authId / VOBIZ_AUTH_ID.`,
    );
  }
  return credentialInfo(found, authId);
}

/** The credentials among `all` that match (sorted by username); `[]` when none match. */
export function selectCredentials(
  all: readonly Credential[],
  authId: string,
  args: GetCredentialsArgs,
): CredentialInfo[] {
  const matches = usernameMatcher(args.filter);
  return all
    .filter((c) => matches(c.username) && (args.enabled === undefined || c.enabled === args.enabled))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
    .map((c) => credentialInfo(c, authId));
}
