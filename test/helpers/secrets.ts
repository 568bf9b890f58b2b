/**
 * Secret-leak assertions. {@link expectNoSecrets} renders a value every way a user, a log or
 * Pulumi might see it and fails if any secret (auth token, password) appears in any rendering.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";

/** One way a value was rendered, and the text. */
export interface Rendering {
  /** e.g. `String()`, `.message`, `.stack`, `JSON.stringify`, `util.inspect`, `.details` */
  how: string;
  text: string;
}

/**
 * Every rendering of `value`: `String()`, `JSON.stringify()` (which uses `toJSON()`),
 * `util.inspect()` with hidden properties, an explicit `toJSON()` call, and, recursively, every
 * own property (enumerable or not, so `message`, `stack` and `cause` of an Error are included).
 */
export function renderings(value: unknown): Rendering[] {
  const out: Rendering[] = [];
  const seen = new Set<unknown>();
  const visit = (v: unknown, where: string, depth: number) => {
    if (typeof v === "string") {
      out.push({ how: where, text: v });
      return;
    }
    if (v === null || (typeof v !== "object" && typeof v !== "function")) {
      out.push({ how: where, text: String(v) });
      return;
    }
    if (seen.has(v) || depth > 6) return;
    seen.add(v);
    out.push({ how: `String(${where})`, text: safe(() => String(v)) });
    out.push({ how: `JSON.stringify(${where})`, text: safe(() => JSON.stringify(v) ?? "") });
    out.push({ how: `inspect(${where})`, text: safe(() => inspect(v, { showHidden: true, depth: 8 })) });
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const json = safe(() => (toJSON as () => unknown).call(v));
      visit(json, `${where}.toJSON()`, depth + 1);
    }
    for (const key of Reflect.ownKeys(v)) {
      const desc = Object.getOwnPropertyDescriptor(v, key);
      const child =
        desc && "value" in desc ? desc.value : safe(() => (v as Record<PropertyKey, unknown>)[key]);
      visit(child, `${where}.${String(key)}`, depth + 1);
    }
  };
  visit(value, "value", 0);
  return out;
}

function safe<T>(f: () => T): T | string {
  try {
    return f();
  } catch (err) {
    return `[render failed: ${(err as Error)?.message}]`;
  }
}

/**
 * Fails (throws) when any of `secrets` appears in any {@link renderings rendering} of `value`.
 * Each secret must be at least 4 characters, so the check cannot pass vacuously.
 */
export function expectNoSecrets(value: unknown, secrets: readonly (string | undefined)[]): void {
  const list = secrets.filter((s): s is string => s !== undefined);
  if (list.length === 0) throw new Error("expectNoSecrets: no secrets given");
  for (const s of list) {
    if (s.length < 4) throw new Error(`expectNoSecrets: secret '${s}' is too short to search for`);
  }
  const leaks: string[] = [];
  for (const r of renderings(value)) {
    for (const s of list) {
      if (r.text.includes(s)) leaks.push(`${r.how} contains secret ${s.slice(0, 3)}…`);
    }
  }
  if (leaks.length > 0) {
    throw new Error(`secret leaked:\n  ${[...new Set(leaks)].join("\n  ")}`);
  }
}

/**
 * The error `f` throws, after asserting it is an `errorClass` and that none of `secrets` appears
 * in any rendering of it (for synchronous validation such as settings and inputs).
 */
export function thrownWithoutSecrets<E extends Error>(
  f: () => unknown,
  errorClass: abstract new (...args: never[]) => E,
  secrets: readonly (string | undefined)[],
): E {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(errorClass);
  expectNoSecrets(caught, secrets);
  return caught as E;
}

/** Every {@link renderings rendering} of `value` joined into one text, to search for a secret. */
export function renderedText(value: unknown): string {
  return renderings(value)
    .map((r) => r.text)
    .join("\n");
}

/**
 * Fails when any non-empty secret occurs in `text` (e.g. captured output or a serialized
 * result). The failure names the secret by length and first characters, never the text.
 */
export function expectTextFreeOf(text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    if (s.length > 0 && text.includes(s)) {
      throw new Error(
        `found a secret (${s.length} chars, starting ${JSON.stringify(s.slice(0, 3))}) in the text (${text.length} chars)`,
      );
    }
  }
}

/**
 * A random secret (a token) of `length` letters from g to z after `prefix`. None of its runs of 4
 * characters can occur in a hex id or request id: the provider masks any 4-character run of a
 * known secret wherever it appears (provider/common/redact.ts), so a hex token would now and then
 * mask part of an id a test looks for.
 */
export function nonHexSecret(prefix: string, length = 24): string {
  const letters = "ghijklmnopqrstuvwxyz";
  return `${prefix}${Array.from(randomBytes(length), (b) => letters[b % letters.length]).join("")}`;
}
