/**
 * `VobizCredential`: the resource class a Pulumi program declares. It registers every field of
 * the contract as an output, sends secret inputs as secrets and marks secret outputs, and hands
 * the engine the thin serialized provider. Its shape (inputs, outputs, secrecy) is the contract's.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VobizCredentialArgs, VobizCredentialOutputs } from "../../contract/table";
import { FIELD_NAMES, SECRET_NAMES } from "../../contract/fields";
import { serializedCredentialProvider } from "./serialized";

export type {
  PasswordSource,
  RotationTriggers,
  VobizCredentialArgs,
  VobizCredentialOutputs,
} from "../../contract/table";

/** The resource's outputs, each `undefined` until the engine resolves it. */
const DECLARED_OUTPUTS: Readonly<Record<string, undefined>> = Object.freeze(
  Object.fromEntries(FIELD_NAMES.map((name) => [name, undefined])),
);

// The class's output properties are the contract's (one declaration, merged into the class).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface VobizCredential extends VobizCredentialOutputs {}

/**
 * A Vobiz SIP credential managed by Pulumi. The resource id is the credential's Vobiz id (a
 * UUID); every field of {@link VobizCredentialArgs} is also an output, plus what Vobiz sets
 * (`realm`, `accountId`, `createdAt`, `updatedAt`).
 *
 * ```ts
 * const desk = new VobizCredential("desk", { username: "office_desk", password: cfg.requireSecret("sipPassword") });
 * export const realm = desk.realm;
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class VobizCredential extends pulumi.dynamic.Resource {
  /**
   * Declares the credential. Connection settings come from the stack config (`vobiz:authId`,
   * `vobiz:authToken`, `vobiz:baseUrl`) or the environment (`VOBIZ_AUTH_ID`, ...), at run time.
   */
  constructor(name: string, args: VobizCredentialArgs, opts?: pulumi.CustomResourceOptions) {
    const given: pulumi.Inputs = { ...args };
    const props: pulumi.Inputs = {
      // Every declared output needs a key here, or the SDK creates no Output for it (an input
      // left out would read as `undefined`); `undefined` values are not sent as inputs.
      ...DECLARED_OUTPUTS,
      // Every given property is passed on, so `check` can reject a misspelt one (JavaScript
      // programs and casts get past the type checker) instead of silently ignoring it.
      ...given,
    };
    for (const name of SECRET_NAMES) {
      if (given[name] !== undefined) props[name] = pulumi.secret(given[name]);
    }
    super(
      serializedCredentialProvider,
      name,
      props,
      pulumi.mergeOptions(opts, { additionalSecretOutputs: [...SECRET_NAMES] }),
      "vobiz",
      "Credential",
    );
  }
}
