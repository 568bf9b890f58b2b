/**
 * Password sources: where the write-only mode (`passwordFrom`) finds the password at create and
 * rotation time, the stack config handed to `configure` or the provider's environment, and the
 * errors that say how to set it. Never puts the value in a message.
 */
import type { CredentialInputs, PasswordSource } from "../contract/table";
import type { ConfigSource } from "../settings/settings";
import { VobizConfigError } from "../common/errors";
import { changeKind, fieldChanges } from "../contract/fields";
import { characterCount, PASSWORD_MIN_LENGTH } from "../contract/rules";

/**
 * Whether the plan that `check(olds, news)` precedes sends the password, so `check` must read
 * the source: a create (no old inputs, or a change that replaces the credential) or a rotation
 * (a change of an input whose row rotates: the password, its source or version, a trigger). Otherwise the source is not read at all, so a
 * preview without the secret (a pull-request job) works when nothing is created or rotated.
 */
export function passwordWillBeSent(olds: Record<string, unknown>, news: CredentialInputs): boolean {
  const old = Object.keys(olds).filter((k) => k !== "__provider");
  if (old.length === 0) return true;
  const { replaces, updates } = fieldChanges(olds, news);
  return replaces.length > 0 || updates.some((name) => changeKind(name) === "rotate");
}

/** Where sources are read from, at call time. */
export interface PasswordSourceContext {
  /** The stack config the engine handed to `configure`, if it has. */
  config(): ConfigSource | undefined;
  /** The environment of the process running the provider. */
  env(): NodeJS.ProcessEnv;
}

/**
 * The password to send: `password` itself, or the value read from `passwordFrom`. Throws a
 * VobizConfigError (its message starting with `property`) when the source is unset or too short.
 */
export function resolvePassword(
  inputs: CredentialInputs,
  context: PasswordSourceContext,
  property = "passwordFrom",
): string {
  if (inputs.password !== undefined) return inputs.password;
  const source = inputs.passwordFrom;
  if (!source) throw new VobizConfigError("The credential needs 'password' or 'passwordFrom'.");
  const { value, where, fix } = lookUp(source, context);
  if (value === undefined || value === "") {
    throw new VobizConfigError(`${property}: ${where} is not set; ${fix}.`);
  }
  if (characterCount(value) < PASSWORD_MIN_LENGTH) {
    throw new VobizConfigError(
      `${property}: the password in ${where} must be at least ${PASSWORD_MIN_LENGTH} characters long (Vobiz rule); ${fix}.`,
    );
  }
  return value;
}

function lookUp(
  source: PasswordSource,
  context: PasswordSourceContext,
): { value?: string; where: string; fix: string } {
  if ("config" in source) {
    return {
      value: context.config()?.get(source.config),
      where: `stack config '${source.config}'`,
      fix: `run \`pulumi config set --secret ${source.config} <password>\``,
    };
  }
  return {
    value: context.env()[source.env],
    where: `environment variable ${source.env} (of the process running \`pulumi\`)`,
    fix: `export ${source.env} before running \`pulumi\``,
  };
}
