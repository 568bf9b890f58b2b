/**
 * The engine's "not known yet" value: during preview, an input that is the output of another
 * resource reaches `check` and `diff` as this sentinel, whatever the input's type.
 */

/** The value Pulumi passes for an input that is not known yet (pulumi/pulumi#6310). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether the value is the unknown sentinel. */
export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Whether the value is, or (in an object or array, at any depth) holds, the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}
