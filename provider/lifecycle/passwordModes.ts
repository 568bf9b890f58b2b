/**
 * The three password modes and the rules between them: a declared `password`, a write-only
 * `passwordFrom` (with `passwordVersion`) and a generated one (`generatePassword`, with
 * `passwordLength`). Exactly one mode per credential (none only when adopting with
 * `adoptExisting: "keepPassword"`, which keeps the live password), checked before any request
 * with a message naming both inputs of a clash (also `rotationTriggers` next to a declared
 * `password`, which could never rotate it); and the password a create or rotation sends in each mode.
 */
import { KEEP_PASSWORD, type CredentialInputs } from "../contract/table";
import { generatePassword } from "./generatedPassword";
import type { InputFailure } from "./checkFailures";
import { resolvePassword, type PasswordSourceContext } from "./passwordSource";
import { isUnknown } from "../contract/unknown";

const given = (value: unknown) => value !== undefined && value !== null;

/**
 * Why `check` refuses `rotationTriggers` next to a declared `password`: a trigger asks the provider
 * for a new password, and a declared one is the program's to choose, so the trigger could only ever
 * fail `up`. (`rotateAfter` stays allowed there: it makes `up` fail once the password is too old,
 * naming it, which is a reminder some want.)
 */
export const DECLARED_TRIGGERS_MESSAGE =
  "cannot rotate a declared 'password': the provider cannot choose a new value for it. Remove " +
  "'rotationTriggers' and rotate by declaring a new value (e.g. `pulumi config set --secret <key> <new password>`, " +
  "then `pulumi up`), or replace 'password' with 'generatePassword: true' (the provider generates each new " +
  "password) or 'passwordFrom' (a trigger change re-reads the source)";

/** A `rotationTriggers` map with at least one entry (`{}` is none; other shapes are the schema's to refuse). */
function hasTriggers(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
  );
}

/** `check`'s failures of the mode inputs (raw, before the schema), in the engine's shape. */
export function passwordModeFailures(raw: Record<string, unknown>): InputFailure[] {
  const failures: InputFailure[] = [];
  const hasPassword = given(raw.password);
  const hasSource = given(raw.passwordFrom);
  const generated = raw.generatePassword === true || isUnknown(raw.generatePassword);
  if (hasPassword && hasSource) {
    failures.push({
      property: "passwordFrom",
      reason: "set exactly one of 'password' and 'passwordFrom', not both",
    });
  }
  if (generated && hasPassword) {
    failures.push({
      property: "generatePassword",
      reason:
        "set exactly one of 'password' and 'generatePassword', not both: with generatePassword the provider " +
        "chooses the password (read it from the 'password' output)",
    });
  }
  if (generated && hasSource) {
    failures.push({
      property: "generatePassword",
      reason: "set exactly one of 'passwordFrom' and 'generatePassword', not both",
    });
  }
  const keepsLive = raw.adoptExisting === KEEP_PASSWORD;
  if (!hasPassword && !hasSource && !generated && !keepsLive) {
    failures.push({
      property: "password",
      reason:
        "is required: set 'password' (stored encrypted in state), 'passwordFrom' (write-only, never stored) " +
        "or 'generatePassword: true' (the provider generates it), or adoptExisting: " +
        `"${KEEP_PASSWORD}" to take over an existing credential with its live password`,
    });
  }
  if (!hasPassword && !hasSource && !generated && keepsLive) {
    for (const trigger of ["rotationTriggers", "rotateAfter"]) {
      if (given(raw[trigger])) {
        failures.push({
          property: trigger,
          reason:
            `needs a password the provider can set: with adoptExisting: "${KEEP_PASSWORD}" and no ` +
            "'password', 'passwordFrom' or 'generatePassword: true', a rotation would have nothing to send",
        });
      }
    }
  }
  if (hasPassword && hasTriggers(raw.rotationTriggers)) {
    failures.push({ property: "rotationTriggers", reason: DECLARED_TRIGGERS_MESSAGE });
  }
  if (!hasSource && raw.passwordVersion !== undefined) {
    failures.push({ property: "passwordVersion", reason: "only applies together with 'passwordFrom'" });
  }
  if (!generated && raw.passwordLength !== undefined && raw.passwordLength !== null) {
    failures.push({
      property: "passwordLength",
      reason: "only applies together with 'generatePassword: true'",
    });
  }
  return failures;
}

/**
 * The password a create or a rotation sends: a new generated one, the declared one, or the one
 * read from `passwordFrom` now.
 */
export function passwordToSend(inputs: CredentialInputs, context: PasswordSourceContext): string {
  if (inputs.generatePassword === true) return generatePassword(inputs.passwordLength);
  return resolvePassword(inputs, context);
}
