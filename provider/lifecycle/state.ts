/**
 * What a VobizCredential's state holds, and how it maps to and from a live Vobiz credential: the
 * outputs written after create, read and update, the inputs that describe a credential read back
 * (keeping what Vobiz cannot return, the password), and the credential a state describes. The
 * field-by-field mapping is the contract's (contract/wire.ts).
 */
import { applyDefaults, INPUT_NAMES, rowOf } from "../contract/fields";
import type { CredentialInputs, CredentialOutputs } from "../contract/table";
import { credentialFromState, declarationFromLive, outputsFromLive, type Credential } from "../contract/wire";

/** The defined inputs among `values`, normalised, with the defaults `check` would fill in. */
function definedInputs(values: Partial<CredentialOutputs>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of INPUT_NAMES) {
    const row = rowOf(name);
    const value = row.source === "input" && row.normalise ? row.normalise(values[name]) : values[name];
    if (value !== undefined) out[name] = value;
  }
  return applyDefaults(out);
}

/** The inputs that describe the live credential, keeping what Vobiz cannot return (the password). */
export function inputsFromLive(state: Partial<CredentialOutputs>, live: Credential): CredentialInputs {
  return declarationFromLive(definedInputs(state), live) as unknown as CredentialInputs;
}

/** The credential a state describes (for an update that sends nothing). */
export function credentialFromOutputs(id: string, o: Partial<CredentialOutputs>): Credential {
  return credentialFromState(id, o as Record<string, unknown>);
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
  const outs = definedInputs(inputs);
  outputsFromLive(outs, live, authId, previous as Record<string, unknown> | undefined);
  return outs as unknown as CredentialOutputs;
}
