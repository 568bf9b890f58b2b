/**
 * Adoption: taking over a credential that already exists on the account. Keeping the live
 * password (`adoptExisting: "keepPassword"`): finding the existing credential by username through
 * one list scan shared by every resource of the process (check at preview and create both ask it),
 * the clear error for a username that does not exist, and the takeover itself, which writes only
 * the fields that differ and never a password. Setting the declared password (`adoptExisting:
 * true`, after a 409): one PUT with the password and the fields that differ. Both patches are the
 * contract's one comparison of a declaration with a live credential.
 */
import type { VobizClient } from "../api/client";
import { VobizConfigError } from "../common/errors";
import { KEEP_PASSWORD, type CredentialInputs } from "../contract/table";
import { patchToMatch, type Credential } from "../contract/wire";

/**
 * Credentials by username, from one scan per client. A username missing from that scan is looked
 * for once more in one fresh scan, shared by every miss, before it is reported missing: so a
 * fleet of N adoptions costs one scan (two when some are missing), whatever the writes between.
 */
class UsernameIndex {
  private first?: Promise<Map<string, Credential>>;
  private confirmation?: Promise<Map<string, Credential>>;

  constructor(private readonly client: VobizClient) {}

  async find(username: string): Promise<Credential | undefined> {
    this.first ??= this.load(false, () => (this.first = undefined));
    const hit = (await this.first).get(username);
    if (hit) return hit;
    this.confirmation ??= this.load(true, () => (this.confirmation = undefined));
    return (await this.confirmation).get(username);
  }

  private load(fresh: boolean, forget: () => void): Promise<Map<string, Credential>> {
    const promise = this.client
      .listAllCredentials(fresh ? { fresh: true } : {})
      .then((all) => new Map(all.map((c) => [c.username, c])));
    promise.catch(forget); // a failed scan is not remembered: the next caller tries again
    return promise;
  }
}

const indexes = new WeakMap<VobizClient, UsernameIndex>();

/** The existing credential with this username, from the process's shared scan; undefined if none. */
export function findForAdoption(client: VobizClient, username: string): Promise<Credential | undefined> {
  let index = indexes.get(client);
  if (!index) indexes.set(client, (index = new UsernameIndex(client)));
  return index.find(username);
}

/** Whether the inputs ask to adopt keeping the live password. */
export function keepsPassword(inputs: Pick<CredentialInputs, "adoptExisting">): boolean {
  return inputs.adoptExisting === KEEP_PASSWORD;
}

/** Whether the inputs declare a password to send (`password`, `passwordFrom` or `generatePassword`). */
export function declaresPassword(inputs: Partial<CredentialInputs>): boolean {
  return (
    inputs.password !== undefined || inputs.passwordFrom !== undefined || inputs.generatePassword === true
  );
}

/** The message for a username that does not exist, in keepPassword mode. */
export function missingUsernameMessage(username: string, authId: string): string {
  return (
    `adoptExisting: "${KEEP_PASSWORD}" takes over an existing credential, but account ${authId} has no ` +
    `credential '${username}'. A new credential needs a password: declare 'password' or 'passwordFrom' ` +
    `and remove adoptExisting: "${KEEP_PASSWORD}" to create it, or correct the username ` +
    "(`vobiz-onboard` lists the account's credentials)."
  );
}

/** The check failure for a first adoption that also declares a password (it would be ignored). */
export const PASSWORD_AT_ADOPTION_MESSAGE =
  `adoptExisting: "${KEEP_PASSWORD}" keeps the live password, so a first adoption cannot also set one. ` +
  "Adopt first without 'password'/'passwordFrom', then add one in a later change to rotate; or use " +
  "adoptExisting: true to adopt and set the declared password in one PUT.";

/**
 * Takes over the existing credential, keeping its password: writes only the fields that differ
 * from what the program declares (contract/wire.ts `patchToMatch`: e.g. `enabled`, `description`;
 * no request at all when all match).
 */
export async function adoptKeepingPassword(
  client: VobizClient,
  inputs: CredentialInputs,
): Promise<Credential> {
  const existing = await findForAdoption(client, inputs.username);
  if (!existing) throw new VobizConfigError(missingUsernameMessage(inputs.username, client.authId));
  const patch = patchToMatch(inputs, existing);
  return Object.keys(patch).length === 0 ? existing : client.updateCredential(existing.id, patch);
}

/**
 * Takes over the existing credential of the same username setting the declared password
 * (`adoptExisting: true` after a 409): one PUT with the password and the fields that differ.
 */
export async function adoptSettingPassword(
  client: VobizClient,
  inputs: CredentialInputs,
  password: string,
): Promise<Credential> {
  const existing = await client.findCredentialByUsername(inputs.username, { fresh: true });
  if (!existing) {
    throw new VobizConfigError(
      `Vobiz reported username '${inputs.username}' as taken, but no credential with that username is ` +
        "visible to this account. Check vobiz:authId, then run `pulumi up` again.",
    );
  }
  return client.updateCredential(existing.id, { password, ...patchToMatch(inputs, existing) });
}
