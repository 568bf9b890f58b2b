/**
 * Adoption: taking over a credential that already exists on the account. Keeping the live
 * password (`adoptExisting: "keepPassword"`): finding the existing credential by username (or, for
 * an import, by id) through one list scan shared by every resource of the process (check at
 * preview, create and an import's read all ask it), the clear error for a username that does not
 * exist, and the takeover itself, which writes only the fields that differ and never a password.
 * An import (`pulumi import`, or the `import` resource option) is this same adoption: the engine
 * reads the credential with no prior state, and the declaration read back keeps the live password.
 * Setting the declared password (`adoptExisting: true`, after a 409): one PUT with the password and
 * the fields that differ. Both patches are the contract's one comparison of a declaration with a
 * live credential.
 */
import type { VobizClient } from "../api/client";
import { VobizConfigError } from "../common/errors";
import { KEEP_PASSWORD, type CredentialInputs, type CredentialOutputs } from "../contract/table";
import { patchToMatch, type Credential } from "../contract/wire";

/** The credentials of one scan, by username and by id. */
interface ScanIndex {
  byUsername: Map<string, Credential>;
  byId: Map<string, Credential>;
}

/**
 * Credentials by username and by id, from one scan per client. A credential missing from that
 * scan is looked for once more in one fresh scan, shared by every miss, before it is reported
 * missing: so a fleet of N adoptions or imports costs one scan (two when some are missing),
 * however long the run takes and whatever the writes between.
 */
class AdoptionIndex {
  private first?: Promise<ScanIndex>;
  private confirmation?: Promise<ScanIndex>;

  constructor(private readonly client: VobizClient) {}

  async find(key: keyof ScanIndex, value: string): Promise<Credential | undefined> {
    this.first ??= this.load(false, () => (this.first = undefined));
    const hit = (await this.first)[key].get(value);
    if (hit) return hit;
    this.confirmation ??= this.load(true, () => (this.confirmation = undefined));
    return (await this.confirmation)[key].get(value);
  }

  private load(fresh: boolean, forget: () => void): Promise<ScanIndex> {
    const promise = this.client.listAllCredentials(fresh ? { fresh: true } : {}).then((all) => ({
      byUsername: new Map(all.map((c) => [c.username, c])),
      byId: new Map(all.map((c) => [c.id, c])),
    }));
    promise.catch(forget); // a failed scan is not remembered: the next caller tries again
    return promise;
  }
}

const indexes = new WeakMap<VobizClient, AdoptionIndex>();

function indexOf(client: VobizClient): AdoptionIndex {
  let index = indexes.get(client);
  if (!index) indexes.set(client, (index = new AdoptionIndex(client)));
  return index;
}

/** The existing credential with this username, from the process's shared scan; undefined if none. */
export function findForAdoption(client: VobizClient, username: string): Promise<Credential | undefined> {
  return indexOf(client).find("byUsername", username);
}

/** The credential an import names by id, from the process's shared scan; undefined if none. */
export function findForImport(client: VobizClient, id: string): Promise<Credential | undefined> {
  return indexOf(client).find("byId", id);
}

/**
 * Whether a read has no prior state: the engine imports the credential (`pulumi import`, or the
 * `import` resource option) and sends only its id. Every state this provider writes has a username.
 */
export function isImport(state: Partial<CredentialOutputs>): boolean {
  return state.username === undefined;
}

/**
 * What an import declares, under the fields read from the live credential (username, enabled,
 * description): an adoption keeping the live password. So the inputs the engine checks and the
 * code `pulumi import` generates validate without a password, the import writes nothing, and a
 * `password` added later rotates it with one PUT, as after any adoption.
 */
export const IMPORTED_DECLARATION: Readonly<Partial<CredentialInputs>> = { adoptExisting: KEEP_PASSWORD };

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
