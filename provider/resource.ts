/**
 * `VobizCredential`: a Vobiz SIP credential managed by Pulumi.
 *
 * This module is the resource's whole shape in one place: every input and output, what replaces
 * and what updates in place, what is secret. The README's reference is written from it.
 */
import * as pulumi from "@pulumi/pulumi";
import { serializedCredentialProvider } from "./serializedProvider";

/** Where the write-only mode reads the password from, each time it creates or rotates. */
export type PasswordSourceInput =
  /** A stack config key (set it with `pulumi config set --secret <key> <password>`). */
  | { config: string }
  /** An environment variable of the process that runs `pulumi`. */
  | { env: string };

/** Inputs of a {@link VobizCredential}. */
export interface VobizCredentialArgs {
  /**
   * The SIP username. Letters, digits, `_` and `-`; unique per Vobiz account.
   * **Changing it replaces the credential**: the new one is created first, then the old one is
   * deleted.
   */
  username: pulumi.Input<string>;
  /**
   * The SIP password, at least 8 characters. Stored encrypted (as a secret) in state, never
   * shown in plain text; Vobiz never returns it. Changing it updates in place (one PUT).
   * Set exactly one of `password` and `passwordFrom`.
   */
  password?: pulumi.Input<string>;
  /**
   * Write-only mode: the provider reads the password from this source at create and rotation
   * time, and state holds only the reference. Rotate by changing the value at the source and
   * bumping `passwordVersion`. No drift detection of the value (Vobiz cannot return it).
   */
  passwordFrom?: pulumi.Input<PasswordSourceInput>;
  /**
   * Write-only mode's rotation trigger: bump it (any new whole number) to send the password from
   * `passwordFrom` again. Default 0.
   */
  passwordVersion?: pulumi.Input<number>;
  /** `false` blocks SIP authentication without deleting the credential. Default `true`. Updates in place. */
  enabled?: pulumi.Input<boolean>;
  /** Free text shown in the Vobiz console. Absent, `""` and `null` all mean none. Updates in place. */
  description?: pulumi.Input<string>;
  /**
   * When the username already exists on the account (HTTP 409 at create), take that credential
   * over instead of failing: one PUT sets the declared password, `enabled` and `description`,
   * and Pulumi manages it from then on (and deletes it on destroy). Default `false`.
   */
  adoptExisting?: pulumi.Input<boolean>;
}

/** The resource's outputs, each `undefined` until the engine resolves it. */
const DECLARED_OUTPUTS: Readonly<Record<string, undefined>> = Object.freeze({
  username: undefined,
  password: undefined,
  passwordFrom: undefined,
  passwordVersion: undefined,
  enabled: undefined,
  description: undefined,
  adoptExisting: undefined,
  realm: undefined,
  accountId: undefined,
  createdAt: undefined,
  updatedAt: undefined,
});

/** A Vobiz SIP credential. The resource id is the credential's Vobiz id (a UUID). */
export class VobizCredential extends pulumi.dynamic.Resource {
  /** The SIP username. */
  declare public readonly username: pulumi.Output<string>;
  /** The password (secret), absent in write-only mode. */
  declare public readonly password: pulumi.Output<string | undefined>;
  /** Write-only mode's source reference, when used. */
  declare public readonly passwordFrom: pulumi.Output<PasswordSourceInput | undefined>;
  /** Write-only mode's rotation counter, when used. */
  declare public readonly passwordVersion: pulumi.Output<number | undefined>;
  /** Whether the credential can authenticate. */
  declare public readonly enabled: pulumi.Output<boolean>;
  /** The description, when set. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** Whether this resource adopted an existing credential at create. */
  declare public readonly adoptExisting: pulumi.Output<boolean>;
  /** The SIP digest realm a device must present, `{accountId}.sip.vobiz.ai`. */
  declare public readonly realm: pulumi.Output<string>;
  /** The Vobiz account (Auth ID) the credential lives on. */
  declare public readonly accountId: pulumi.Output<string>;
  /** When Vobiz created the credential (ISO 8601 UTC). */
  declare public readonly createdAt: pulumi.Output<string>;
  /** When Vobiz last changed the credential (ISO 8601 UTC). */
  declare public readonly updatedAt: pulumi.Output<string>;

  constructor(name: string, args: VobizCredentialArgs, opts?: pulumi.CustomResourceOptions) {
    const props: pulumi.Inputs = {
      // Every declared output needs a key here, or the SDK creates no Output for it (an input
      // left out would read as `undefined`); `undefined` values are not sent as inputs.
      ...DECLARED_OUTPUTS,
      // Every given property is passed on, so `check` can reject a misspelt one (JavaScript
      // programs and casts get past the type checker) instead of silently ignoring it.
      ...args,
      password: args.password === undefined ? undefined : pulumi.secret(args.password),
    };
    const secretOutputs = { additionalSecretOutputs: ["password"] };
    super(
      serializedCredentialProvider,
      name,
      props,
      pulumi.mergeOptions(opts, secretOutputs),
      "vobiz",
      "Credential",
    );
  }
}
