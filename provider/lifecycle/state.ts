/**
 * What a VobizCredential's state holds, and how it maps to and from a live Vobiz credential: the
 * outputs written after create, read and update, the inputs that describe a credential read back
 * (keeping what Vobiz cannot return, the password), and the credential a state describes.
 */
import type { CredentialInputs, CredentialOutputs } from "../contract/table";
import { applyDefaults, INPUT_NAMES } from "../contract/fields";
import { normaliseDescription } from "../contract/rules";
import type { Credential } from "../api/schemas";

/** The defined inputs among `values`, with the defaults `check` would fill in. */
function definedInputs(values: Partial<CredentialOutputs>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of INPUT_NAMES) if (values[name] !== undefined) out[name] = values[name];
  return applyDefaults(out);
}

/** The inputs that describe the live credential, keeping what Vobiz cannot return (the password). */
export function inputsFromLive(state: Partial<CredentialOutputs>, live: Credential): CredentialInputs {
  const inputs = definedInputs(state);
  inputs.username = live.username;
  inputs.enabled = live.enabled;
  // Newer API responses omit the description: then keep the last known one.
  const description = normaliseDescription(
    live.description !== undefined ? live.description : state.description,
  );
  if (description !== undefined) inputs.description = description;
  else delete inputs.description;
  return inputs as unknown as CredentialInputs;
}

/** The credential a state describes (for an update that sends nothing). */
export function credentialFromOutputs(id: string, o: Partial<CredentialOutputs>): Credential {
  const c: Credential = { id, username: o.username ?? "", enabled: o.enabled ?? true };
  if (o.realm) c.realm = o.realm;
  if (o.accountId) c.accountId = o.accountId;
  if (o.createdAt) c.createdAt = o.createdAt;
  if (o.updatedAt) c.updatedAt = o.updatedAt;
  return c;
}

/**
 * The outputs stored in state: plain JSON with no undefined values (the engine's RPC rejects
 * them). The password is marked secret by the resource's `additionalSecretOutputs`.
 */
export function outputsOf(
  inputs: CredentialInputs,
  live: Credential,
  authId: string,
  previous?: Partial<CredentialOutputs>,
): CredentialOutputs {
  const outs = definedInputs(inputs) as unknown as CredentialOutputs;
  outs.username = live.username || inputs.username;
  outs.enabled = live.enabled;
  const description = normaliseDescription(inputs.description);
  if (description !== undefined) outs.description = description;
  else delete outs.description;
  const realm = live.realm ?? previous?.realm;
  if (realm) outs.realm = realm;
  outs.accountId = live.accountId ?? previous?.accountId ?? authId;
  const createdAt = live.createdAt ?? previous?.createdAt;
  if (createdAt) outs.createdAt = createdAt;
  const updatedAt = live.updatedAt ?? previous?.updatedAt;
  if (updatedAt) outs.updatedAt = updatedAt;
  return outs;
}
