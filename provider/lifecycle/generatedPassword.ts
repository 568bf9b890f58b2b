/**
 * Passwords the provider generates (`generatePassword: true`): the alphabet, the length rule and
 * the generator. Every value meets both Vobiz rules (vobiz-api.md, item 6): the API's (at least 8
 * characters) and the Console's (5 to 20 characters with one of `~!@#$%^&*()_+`). Randomness is
 * node:crypto's, each character an unbiased choice (`randomInt`); the value never leaves this
 * module except as the return value.
 */
import { randomInt } from "node:crypto";
import { GENERATED_DEFAULT_LENGTH, GENERATED_MAX_LENGTH, GENERATED_MIN_LENGTH } from "../contract/rules";

/** The Console's special characters: a generated password holds at least one. */
export const CONSOLE_SPECIALS = "~!@#$%^&*()_+";

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** Every character a generated password is drawn from (75 characters, about 6.2 bits each). */
export const GENERATED_ALPHABET = LOWER + UPPER + DIGITS + CONSOLE_SPECIALS;
/** Each class appears at least once, so the value passes stricter device or console rules too. */
const CLASSES = [LOWER, UPPER, DIGITS, CONSOLE_SPECIALS];

/**
 * A new random password of `length` characters (8..20, default 20): letters, digits and the
 * Console's special characters, with at least one of each class. Drawn uniformly from the
 * alphabet and redrawn whole when a class is missing, so every valid password is equally likely.
 */
export function generatePassword(length: number = GENERATED_DEFAULT_LENGTH): string {
  if (!Number.isInteger(length) || length < GENERATED_MIN_LENGTH || length > GENERATED_MAX_LENGTH) {
    throw new RangeError(
      `a generated password has ${GENERATED_MIN_LENGTH} to ${GENERATED_MAX_LENGTH} characters`,
    );
  }
  for (;;) {
    let value = "";
    for (let i = 0; i < length; i++) value += GENERATED_ALPHABET[randomInt(GENERATED_ALPHABET.length)];
    if (CLASSES.every((chars) => [...value].some((ch) => chars.includes(ch)))) return value;
  }
}

/** Whether a password meets both Vobiz rules: at least 8 characters, at most 20, one Console special. */
export function meetsVobizRules(password: string): boolean {
  const n = Array.from(password).length;
  return (
    n >= GENERATED_MIN_LENGTH &&
    n <= GENERATED_MAX_LENGTH &&
    [...password].some((ch) => CONSOLE_SPECIALS.includes(ch))
  );
}
