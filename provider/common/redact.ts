/**
 * Redaction of secrets, for both sides of the package: the provider (errors and debug lines of the
 * HTTP transport) and the sandbox (its request journal). Two rules, applied together:
 *
 * - **Secret-looking keys.** Under a key that contains `pass`, `token` or `secret` (any case), every
 *   string and number, at any depth, becomes {@link MASK}. Booleans and null stay: they hold no secret.
 * - **Known secret values** (the auth token, the password of a request). Any run of
 *   {@link MIN_ECHO_LENGTH} or more consecutive characters of a known secret is masked wherever it
 *   appears, so a partial echo (say, the first 10 characters of a password) is masked too, and so are
 *   the secret's URL-encoded and JSON-escaped forms. A secret shorter than that (only an invalid
 *   password can be: Vobiz's minimum is 8) is masked where it stands as a whole word, that is not
 *   inside a longer run of letters and digits, so it does not shred the rest of the text.
 *
 * One exception keeps the words of a message readable when a secret contains a common word (a token
 * `not-a-real-token` and Vobiz's `X-Auth-Token`): a match of at most {@link MAX_WORD_PART_LENGTH}
 * characters that lies strictly inside a word of the text made only of letters, a word which is not
 * itself a part of the secret, is left alone. Such a word (`Token`) is the message's, not an echo:
 * an echo stands as its own word (`... token 'abcd...' ...`), carries digits or symbols, or is a part
 * of the secret as a whole word (`token`, masked: it may be an echo of that part).
 *
 * Not covered: an echo shorter than {@link MIN_ECHO_LENGTH} characters, an echo whose characters
 * were changed (case, other encodings such as base64), and an echo of at most
 * {@link MAX_WORD_PART_LENGTH} letters glued to other letters. Matching is by code point,
 * case-sensitive. A text that shares a run of that length with a secret loses that run too (a
 * password containing `word` masks the word `word` in a message): the rule errs on the side of the
 * secret.
 */

/** What replaces a masked value or run. */
export const MASK = "***";

/**
 * Shortest run of a known secret's consecutive characters that is masked. 4 keeps what an echo can
 * reveal to at most 3 characters in a row, while random text rarely matches a run of a token by
 * chance (one position in about 17 million for a 24-byte base64 token).
 */
export const MIN_ECHO_LENGTH = 4;

/**
 * Longest match left alone inside a longer word of letters that is not part of the secret (see the
 * module comment): long enough for the part of a common word a secret may share (`oken` of
 * `Token`), short enough that a glued echo of a secret loses at most this many characters.
 */
export const MAX_WORD_PART_LENGTH = 2 * MIN_ECHO_LENGTH - 1;

/** Keys whose values are secret: `password`, `passphrase`, `authToken`, `client_secret`, ... */
export const SECRET_KEY = /pass|token|secret/i;

/** Deepest nesting {@link maskSecrets} walks; anything deeper becomes `"[...]"`. */
export const MAX_MASK_DEPTH = 8;

/**
 * `key=value`, `key: value` and `"key": "value"` assignments of secret-looking keys inside free text
 * (a body that is not JSON, a form body): group 1 is everything up to the value, group 2 the value.
 */
const SECRET_ASSIGNMENT =
  /((?:pass|token|secret)[^:=]{0,20}?["']?\s*[:=]\s*)("(?:[^"\\]|\\.)*"?|'[^']*'?|[^\s,&}]*)/gi;

const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;

/**
 * Masks secrets in a value bound for an error, a log line or a journal: values under secret-looking
 * keys, and runs of the known `secrets` in every string and object key (see the module comment).
 * Returns a copy; the input is not changed.
 */
export function maskSecrets(value: unknown, secrets: readonly string[] = []): unknown {
  return maskValue(value, prepare(secrets), false, 0);
}

/** Masks runs of the known `secrets` in `text` (see the module comment). */
export function redactString(text: string, secrets: readonly string[]): string {
  return redactWith(text, prepare(secrets));
}

/**
 * Masks the values of secret-looking keys written as text (`password=...`, `"token": "..."`),
 * then runs of the known `secrets`. For text that is not JSON, such as a form body.
 */
export function redactText(text: string, secrets: readonly string[] = []): string {
  const assignmentsMasked = text.replace(SECRET_ASSIGNMENT, (_m, key: string) => `${key}${MASK}`);
  return redactString(assignmentsMasked, secrets);
}

/** A known secret, prepared once: its runs of {@link MIN_ECHO_LENGTH}, or itself when shorter. */
type Prepared =
  { kind: "runs"; form: string; runs: ReadonlySet<string> } | { kind: "word"; chars: readonly string[] };

function prepare(secrets: readonly string[]): Prepared[] {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== "string" || s === "") continue;
    forms.add(s);
    forms.add(safeEncode(s));
    forms.add(JSON.stringify(s).slice(1, -1));
  }
  return [...forms].map((form): Prepared => {
    const chars = [...form];
    if (chars.length < MIN_ECHO_LENGTH) return { kind: "word", chars };
    const runs = new Set<string>();
    for (let i = 0; i + MIN_ECHO_LENGTH <= chars.length; i++) {
      runs.add(chars.slice(i, i + MIN_ECHO_LENGTH).join(""));
    }
    return { kind: "runs", form, runs };
  });
}

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s; // a lone surrogate cannot be URL-encoded
  }
}

function maskValue(
  value: unknown,
  secrets: readonly Prepared[],
  underSecretKey: boolean,
  depth: number,
): unknown {
  if (depth > MAX_MASK_DEPTH) return "[...]";
  if (typeof value === "string") return underSecretKey ? MASK : redactWith(value, secrets);
  if (typeof value === "number" || typeof value === "bigint") return underSecretKey ? MASK : value;
  if (Array.isArray(value)) return value.map((v) => maskValue(v, secrets, underSecretKey, depth + 1));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[redactWith(k, secrets)] = maskValue(v, secrets, underSecretKey || SECRET_KEY.test(k), depth + 1);
    }
    return out;
  }
  return value;
}

function redactWith(text: string, secrets: readonly Prepared[]): string {
  if (secrets.length === 0 || text === "") return text;
  const chars = [...text];
  const spans: [number, number][] = [];
  for (const secret of secrets) {
    if (secret.kind === "runs") collectRuns(chars, secret.runs, spans);
    else collectWords(chars, secret.chars, spans);
  }
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = "";
  let at = 0;
  let i = 0;
  while (i < spans.length) {
    const start = spans[i][0];
    let end = spans[i][1];
    while (i + 1 < spans.length && spans[i + 1][0] <= end) end = Math.max(end, spans[++i][1]);
    i++;
    if (partOfOtherWord(chars, start, end, secrets)) continue;
    out += chars.slice(at, start).join("") + MASK;
    at = end;
  }
  return out + chars.slice(at).join("");
}

/**
 * Whether the match `chars[start, end)` is part of a word of the message rather than an echo: at
 * most {@link MAX_WORD_PART_LENGTH} characters, strictly inside a word made only of letters, and
 * that word is no part of any secret (see the module comment).
 */
function partOfOtherWord(
  chars: readonly string[],
  start: number,
  end: number,
  secrets: readonly Prepared[],
): boolean {
  if (end - start > MAX_WORD_PART_LENGTH) return false;
  let from = start;
  while (from > 0 && WORD_CHARACTER.test(chars[from - 1])) from--;
  let to = end;
  while (to < chars.length && WORD_CHARACTER.test(chars[to])) to++;
  if (from === start && to === end) return false; // the match is a whole word
  for (let i = from; i < to; i++) if (!LETTER.test(chars[i])) return false;
  const word = chars.slice(from, to).join("");
  return !secrets.some((s) => s.kind === "runs" && s.form.includes(word));
}

/** Every window of the text that is a run of the secret; overlapping windows merge later. */
function collectRuns(chars: readonly string[], runs: ReadonlySet<string>, spans: [number, number][]): void {
  for (let i = 0; i + MIN_ECHO_LENGTH <= chars.length; i++) {
    if (runs.has(chars.slice(i, i + MIN_ECHO_LENGTH).join(""))) spans.push([i, i + MIN_ECHO_LENGTH]);
  }
}

/** Whole-word occurrences of a short secret: not preceded or followed by a letter or digit. */
function collectWords(chars: readonly string[], secret: readonly string[], spans: [number, number][]): void {
  const n = secret.length;
  for (let i = 0; i + n <= chars.length; i++) {
    let j = 0;
    while (j < n && chars[i + j] === secret[j]) j++;
    if (j < n) continue;
    const before = i > 0 ? chars[i - 1] : "";
    const after = i + n < chars.length ? chars[i + n] : "";
    if (!WORD_CHARACTER.test(before) && !WORD_CHARACTER.test(after)) spans.push([i, i + n]);
  }
}
