/**
 * Rotation: when a credential's password is set again, and what state records about it. It owns
 * the triggers (`rotationTriggers`, a map whose change rotates; `rotateAfter`, an age counted
 * from the `passwordSetAt` output), which changes send the password again, the password outputs after a write (the generated value, `passwordSetAt`), and the
 * next step a failed rotation states. It never calls the API and never sees a password's value
 * except to copy it into the outputs.
 */
import type { CredentialInputs, CredentialOutputs, FieldName } from "../contract/table";
import { VobizConfigError } from "../common/errors";
import { changeKind } from "../contract/fields";
import { durationMs, normaliseTriggers } from "../contract/rules";
import { isUnknown } from "../contract/unknown";

/**
 * Whether the password is older than `rotateAfter`. Its age counts from `passwordSetAt`, or,
 * in a state written before that output existed, from `createdAt`; with neither it is not due.
 */
export function dueByAge(
  olds: Partial<CredentialOutputs>,
  news: Partial<CredentialInputs>,
  nowMs: number,
): boolean {
  const after = news.rotateAfter;
  if (after === undefined || isUnknown(after)) return false;
  const ms = durationMs(after);
  const since = Date.parse(olds.passwordSetAt ?? olds.createdAt ?? "");
  if (ms === undefined || Number.isNaN(since)) return false;
  return nowMs - since >= ms;
}

/** Whether the checked inputs ask for a generated password. */
export function isGenerated(inputs: Partial<CredentialInputs>): boolean {
  return inputs.generatePassword === true;
}

/**
 * `diff`'s and `update`'s list of changed fields, corrected for the password: a generated
 * password in state is no change while the program still asks for one (the program never holds
 * it), and a password older than `rotateAfter` adds `passwordSetAt` (the age trigger).
 */
export function withRotation(
  updates: readonly FieldName[],
  olds: Partial<CredentialOutputs>,
  news: Partial<CredentialInputs>,
  nowMs: number,
): FieldName[] {
  const out = updates.filter(
    (name) => !(name === "password" && isGenerated(news) && isGenerated(olds) && news.password === undefined),
  );
  if (dueByAge(olds, news, nowMs) && !out.includes("passwordSetAt")) out.push("passwordSetAt");
  return out;
}

/** Changes that only ask for a new password, without saying which (a trigger or the age). */
const ROTATION_ONLY: readonly FieldName[] = ["rotationTriggers", "passwordSetAt"];

/** Whether the changes only ask for a new password (a trigger or the age), without giving one. */
export function rotates(updates: readonly FieldName[]): boolean {
  return updates.some((name) => ROTATION_ONLY.includes(name));
}

/**
 * Whether the changes make `update` send the password again: a change of an input whose row
 * rotates (the password, its source or version, the mode, the length, a trigger), or the age
 * (`passwordSetAt` stands for "older than rotateAfter").
 */
export function sendsPassword(updates: readonly FieldName[], news: Partial<CredentialInputs>): boolean {
  return updates.some(
    (name) =>
      name === "passwordSetAt" ||
      (changeKind(name) === "rotate" && (name !== "rotationTriggers" || triggerChangeRotates(news))),
  );
}

/**
 * Whether a change of `rotationTriggers` sets a new password. It does in every mode but one: a
 * declared password dropping its triggers. `check` refuses triggers next to a declared password,
 * so only a state written before that rule holds both, and removing them changes state only.
 */
export function triggerChangeRotates(news: Partial<CredentialInputs>): boolean {
  return !(news.password !== undefined && normaliseTriggers(news.rotationTriggers) === undefined);
}

/**
 * A declared password cannot rotate itself: the age asks for a new value that only the program
 * can give. Throws (before any request, state unchanged) unless the program declares a new
 * password in the same update.
 */
export function assertCanRotate(
  username: string,
  updates: readonly FieldName[],
  news: CredentialInputs,
): void {
  const asked = triggerChangeRotates(news) ? updates : updates.filter((name) => name !== "rotationTriggers");
  if (news.password === undefined || !rotates(asked) || updates.includes("password")) return;
  const why = updates.includes("passwordSetAt")
    ? `is older than rotateAfter (${news.rotateAfter})`
    : "is due for rotation (rotationTriggers changed)";
  throw new VobizConfigError(
    `The password of Vobiz credential '${username}' ${why}, but it is declared in the program, so the ` +
      "provider cannot choose a new one. Declare a new password (e.g. `pulumi config set --secret <key> " +
      "<new password>`) and run `pulumi up`, or use `generatePassword: true`. Nothing was changed.",
  );
}

/**
 * The password outputs after create, read or update: `passwordSetAt` (now when a password was
 * sent, else the previous one) and, in generated mode, the generated value (the one sent, else
 * the one in state). Changes `outs` in place and returns it.
 */
export function withPasswordOutputs(
  outs: CredentialOutputs,
  inputs: Partial<CredentialInputs>,
  previous: Partial<CredentialOutputs> | undefined,
  sent: string | undefined,
  nowMs: number,
): CredentialOutputs {
  const setAt = sent !== undefined ? new Date(nowMs).toISOString() : previous?.passwordSetAt;
  if (setAt !== undefined) outs.passwordSetAt = setAt;
  else delete outs.passwordSetAt;
  if (isGenerated(inputs)) {
    const value = sent ?? previous?.password;
    if (value !== undefined) outs.password = value;
  }
  return outs;
}

/**
 * Adds the next step to an error of a write that carried a new password. The engine keeps the
 * previous outputs when `update` throws, so state still holds the old password (or, for
 * `passwordFrom`, the old reference) and still shows the rotation as pending; the next `up` sets a
 * password again: a fresh one in generated mode, which is safe even when Vobiz applied the lost
 * one. Keeps the error's class and facts.
 */
export function rotationFailed(error: unknown, username: string, generated: boolean): unknown {
  if (!(error instanceof Error)) return error;
  error.message +=
    ` The password of Vobiz credential '${username}' was not rotated as far as Pulumi knows: state keeps ` +
    "the previous one. If Vobiz applied the new password before the failure, devices using the previous " +
    "one stop authenticating until the rotation is finished: run `pulumi up` again to finish it" +
    (generated ? " (it sets and records a freshly generated password)." : ".");
  return error;
}
