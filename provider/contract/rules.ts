/**
 * The rules a credential's values follow, as the provider enforces them: the username's
 * characters, the password's length (declared and generated), what a stack config key and an
 * environment variable name look like, which descriptions mean "none", a `rotateAfter` duration
 * and how `rotationTriggers` compare. (The sandbox keeps its own copy of Vobiz's rules on purpose,
 * so it can catch the provider's mistakes.)
 */

/** Documented username rule (Vobiz Console): letters, digits, `_` and `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Documented minimum password length (API docs; the Console's 5-20 rule is older and looser). */
export const PASSWORD_MIN_LENGTH = 8;

/** Counts code points, so a password of 8 emoji is 8 characters, as a person counts. */
export function characterCount(s: string): number {
  return Array.from(s).length;
}

/** `undefined`, `null` and `""` are the same description: none. */
export function normaliseDescription(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return value as string;
}

/**
 * Control characters, which a password must not contain: C0 (U+0000-U+001F), DEL and C1
 * (U+0080-U+009F, e.g. U+0085 NEXT LINE), every code point of Unicode's `Cc` category.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it rejects
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
/** Control characters but tab and line breaks, which a description must not contain. */
// eslint-disable-next-line no-control-regex -- control characters (but tab and newlines) are rejected
export const CONTROL_CHARS_BUT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/** A stack config key, with or without its namespace. */
export const CONFIG_KEY_PATTERN = /^[A-Za-z0-9_.:-]+$/;
/** An environment variable name. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The rule of `passwordFrom`'s shape, reported whenever the shape (not a value in it) is wrong. */
export const PASSWORD_SOURCE_RULE = 'must be { config: "<stack config key>" } or { env: "<ENV_VAR>" }';

/** Shortest generated password: the API's minimum. */
export const GENERATED_MIN_LENGTH = 8;
/** Longest generated password: the Console's maximum. */
export const GENERATED_MAX_LENGTH = 20;
/** Length of a generated password when `passwordLength` is left out. */
export const GENERATED_DEFAULT_LENGTH = 20;

/** `rotateAfter`: a whole number (at most 6 digits) and a unit, e.g. `90d`. */
export const ROTATE_AFTER_PATTERN = /^[1-9][0-9]{0,5}[smhdw]$/;

const UNIT_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86_400e3, w: 604_800e3 };

/** Milliseconds of a `rotateAfter` duration, or undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  if (!ROTATE_AFTER_PATTERN.test(text)) return undefined;
  return Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1)];
}

/** `rotationTriggers` as diff compares it: keys sorted, an empty map the same as none. */
export function normaliseTriggers(value: unknown): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) return value as Record<string, unknown>; // the schema rejects it
  const keys = Object.keys(value).sort();
  if (keys.length === 0) return undefined;
  return Object.fromEntries(keys.map((k) => [k, (value as Record<string, unknown>)[k]]));
}
