/**
 * A create that Vobiz applied but the provider could not finish (the follow-up PUT of `enabled`
 * or `description` failed, and deleting the new credential again failed too). Owns the error
 * that tells the engine so: Pulumi's dynamic-provider host sends a create error carrying `id`
 * and `properties` as `ErrorResourceInitFailed`, and the engine records the resource as created
 * but not initialised, so the next `up` updates it (applying what is missing) instead of
 * creating it again, and `destroy` deletes it. Nothing is orphaned and no `adoptExisting` is
 * needed.
 */
import type { CredentialInputs, CredentialOutputs } from "../contract/table";
import { VobizError } from "../common/errors";
import { declarationAsCreated, type Credential } from "../contract/wire";
import { outputsOf } from "./state";

/**
 * The state of a credential Vobiz created but the provider could not finish: what is live
 * (the follow-up fields, e.g. `enabled` and `description`, as created, so the next update applies
 * the declared ones), the
 * username, and in the write-only mode the password's source and version (references, not
 * secrets: the next update does not read the source again). A `password` is left out: an error
 * never holds a secret, and the host sends these properties as they are, with no secret marking.
 * The next update then sends the (same) password along with `enabled`/`description`, in the
 * same single PUT.
 */
export function partialCreateProperties(
  inputs: CredentialInputs,
  created: Credential,
  authId: string,
): CredentialOutputs {
  const asCreated = declarationAsCreated(inputs as unknown as Record<string, unknown>, created);
  const outs = outputsOf(asCreated as unknown as CredentialInputs, created, authId);
  delete outs.password;
  return outs;
}

/**
 * Thrown by `create` when the credential exists on Vobiz but does not yet match the program.
 * `id` and `properties` are what the dynamic-provider host reads to report the resource as
 * created but not initialised (the engine adapter adds the serialized provider to `properties`).
 */
export class VobizPartialCreateError extends VobizError {
  /** The id of the credential Vobiz created. */
  readonly id: string;
  /**
   * The state to record for it: the credential as created (`enabled`/`description` as Vobiz has
   * them, the username, the password's source and version) and never a password.
   */
  readonly properties: Record<string, unknown>;
  /** Why it is not initialised (no secret): the engine prints these instead of the message. */
  readonly reasons: string[];

  constructor(message: string, id: string, properties: CredentialOutputs) {
    super(message);
    this.id = id;
    this.properties = { ...properties };
    this.reasons = [message];
  }
}
