/** The one masking function of the package: secret-looking keys, and whole or partial echoes of known secrets. */
import fc from "fast-check";
import {
  MASK,
  MAX_WORD_PART_LENGTH,
  MIN_ECHO_LENGTH,
  maskSecrets,
  redactString,
  redactText,
} from "../../provider/common/redact";
import { expectNoSecrets } from "../helpers/secrets";

jest.setTimeout(30_000);

/** Every run of `n` consecutive code points of `s`. */
function runsOf(s: string, n: number): string[] {
  const chars = [...s];
  const out: string[] = [];
  for (let i = 0; i + n <= chars.length; i++) out.push(chars.slice(i, i + n).join(""));
  return out;
}

/** Noise interleaved with arbitrary slices of the secret (partial echoes), as the properties draw them. */
function interleaved(secret: string, pieces: [string, number, number][]): string {
  return pieces
    .map(([noise, a, b]) => {
      const from = a % secret.length;
      return noise + secret.slice(from, from + (b % (secret.length - from + 1)));
    })
    .join("");
}
describe("maskSecrets", () => {
  const SECRET = "hunter2-very-secret";

  it("masks string values of keys that look secret, whatever their case", () => {
    expect(
      maskSecrets({ password: "x", newPassword: "y", authToken: "z", client_SECRET: "w", username: "u" }),
    ).toEqual({ password: "***", newPassword: "***", authToken: "***", client_SECRET: "***", username: "u" });
  });

  it("masks `pass...` keys the sandbox journal masked before (passphrase, passcode)", () => {
    expect(maskSecrets({ passphrase: "a", passcode: "b", Passwd: "c", user: "d" })).toEqual({
      passphrase: MASK,
      passcode: MASK,
      Passwd: MASK,
      user: "d",
    });
  });

  it("replaces the given secrets anywhere, in nested objects and arrays", () => {
    const masked = maskSecrets(
      { field: "password", message: `got ${SECRET}`, list: [SECRET, { deep: `a${SECRET}b${SECRET}` }], n: 3 },
      [SECRET],
    );
    expect(masked).toEqual({
      field: "password",
      message: "got ***",
      list: ["***", { deep: "a***b***" }],
      n: 3,
    });
    expectNoSecrets(masked, [SECRET]);
  });

  // Changed with the move (issue 12 item 4): the provider kept numbers and values nested under a
  // secret key, the journal masked them; the one function takes the stricter rule.
  it("masks every string and number under a secret-looking key, at any depth; keeps booleans and null", () => {
    expect(maskSecrets({ password: [SECRET, 5] }, [SECRET])).toEqual({ password: ["***", "***"] });
    expect(maskSecrets({ password: null })).toEqual({ password: null });
    expect(maskSecrets({ password: 12345678, token: true })).toEqual({ password: MASK, token: true });
    expect(maskSecrets({ password: { value: "plain-secret", note: ["x"] } })).toEqual({
      password: { value: MASK, note: [MASK] },
    });
  });

  it("masks known secrets in object keys too", () => {
    const echoed = "Xk29-qq77-Lm";
    expect(maskSecrets({ [`bad ${echoed}`]: "rejected" }, [echoed])).toEqual({ "bad ***": "rejected" });
  });

  it("passes through primitives and stops at depth 8", () => {
    expect(maskSecrets(7)).toBe(7);
    expect(maskSecrets(null)).toBeNull();
    expect(maskSecrets(true)).toBe(true);
    expect(maskSecrets(undefined)).toBeUndefined();
    let deep: unknown = SECRET;
    for (let i = 0; i < 12; i++) deep = { d: deep };
    expectNoSecrets(maskSecrets(deep, [SECRET]), [SECRET]);
    expect(JSON.stringify(maskSecrets(deep, [SECRET]))).toContain('"[...]"');
  });

  it("does not change its input", () => {
    const input = { password: "pw-12345678", list: [`x ${SECRET}`] };
    const copy = structuredClone(input);
    maskSecrets(input, [SECRET]);
    expect(input).toEqual(copy);
  });
});

describe("redactString", () => {
  it("replaces every occurrence of every secret", () => {
    expect(redactString("a tok b tok pw", ["tok_", "pw_x"])).toBe("a tok b tok pw");
    expect(redactString("x=SECRET1;y=SECRET1;z=PASS9999", ["SECRET1", "PASS9999"])).toBe("x=***;y=***;z=***");
  });

  // Changed (issue 15 item 8): short secrets used to be ignored altogether.
  it("ignores empty secrets; masks a secret shorter than the run length where it stands as a word", () => {
    expect(redactString("abc abc", ["", "abc"])).toBe("*** ***");
    expect(redactString("abcd", ["abcd"])).toBe("***");
    expect(redactString("password 'abc' is too short", ["abc"])).toBe("password '***' is too short");
    // inside a longer run of letters and digits it is left alone, so the text stays readable
    expect(redactString("abcdef xabc abc1", ["abc"])).toBe("abcdef xabc abc1");
    expect(redactString("text", [""])).toBe("text");
  });

  it("masks a partial echo: the first 10 characters of a password", () => {
    const password = "Zq8#mLp2!vRt5&wX";
    const text = `password ${password.slice(0, 10)}... is not allowed`;
    const out = redactString(text, [password]);
    expect(out).toBe("password ***... is not allowed");
    for (const run of runsOf(password, MIN_ECHO_LENGTH)) expect(out).not.toContain(run);
  });

  it(`masks a run of exactly ${MIN_ECHO_LENGTH} characters, not one of ${MIN_ECHO_LENGTH - 1}`, () => {
    const secret = "Kp3xWq9zRt";
    expect(redactString(`at ${secret.slice(2, 2 + MIN_ECHO_LENGTH)} end`, [secret])).toBe("at *** end");
    const shorter = secret.slice(2, 1 + MIN_ECHO_LENGTH);
    expect(redactString(`at ${shorter} end`, [secret])).toBe(`at ${shorter} end`);
  });

  it("masks the URL-encoded and JSON-escaped forms of a secret", () => {
    const secret = 'p@ss w/"quote"';
    expect(redactString(`q=${encodeURIComponent(secret)}`, [secret])).toBe("q=***");
    expect(redactString(`{"v":${JSON.stringify(secret)}}`, [secret])).toBe('{"v":"***"}');
  });

  it("counts code points: an emoji password is masked without splitting surrogate pairs", () => {
    const secret = "😀😁😂🤣😃😄";
    const out = redactString(`x ${secret.slice(0, 8)} y`, [secret]); // 4 emoji
    expect(out).toBe("x *** y");
  });

  it("merges overlapping echoes of several secrets into one mask", () => {
    expect(redactString("[tokenABCDpassWXYZ]", ["tokenABCD", "DpassWXYZ"])).toBe("[***]");
  });

  const chars = (alphabet: string) => fc.constantFrom(...alphabet.split(""));
  const word = (alphabet: string, min: number, max: number) =>
    fc.array(chars(alphabet), { minLength: min, maxLength: max }).map((a) => a.join(""));

  /** The maximal run of letters and digits around `[at, at + n)` of `text`. */
  const wordAround = (text: string, at: number, n: number): string => {
    const chars = [...text];
    let from = at;
    while (from > 0 && /[\p{L}\p{N}]/u.test(chars[from - 1])) from--;
    let to = at + n;
    while (to < chars.length && /[\p{L}\p{N}]/u.test(chars[to])) to++;
    return chars.slice(from, to).join("");
  };
  /** Where `run` occurs in `text`, by code point. */
  const occurrences = (text: string, run: string): number[] => {
    const chars = [...text];
    const n = [...run].length;
    const out: number[] = [];
    for (let i = 0; i + n <= chars.length; i++) if (chars.slice(i, i + n).join("") === run) out.push(i);
    return out;
  };

  it("property: an echo never survives outside the masks when non-letters separate it from other text", () => {
    // No "*" in secrets or text, so every "*" in the output belongs to a mask. Each slice of the
    // secret is set apart by at least one digit or symbol, as an echo in a message is.
    const alphabet = "abcdefghijklmnopqrstuvwxyzABC0123456789 _-:=\"'{}";
    fc.assert(
      fc.property(
        word(alphabet, MIN_ECHO_LENGTH, 24),
        fc.array(fc.tuple(word("0123456789 _-:=\"'{}", 1, 12), fc.nat(), fc.nat())),
        (secret, pieces) => {
          const text = interleaved(secret, pieces);
          const out = redactString(text, [secret]);
          for (const part of out.split(MASK)) {
            for (const run of runsOf(secret, MIN_ECHO_LENGTH)) expect(part).not.toContain(run);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: a run that survives is a short part of a word of letters that is no part of the secret", () => {
    // The earlier rule's property ("no run survives"), with the one exception the rule makes.
    const alphabet = "abcdefghijklmnopqrstuvwxyzABC0123456789 _-:=\"'{}";
    fc.assert(
      fc.property(
        word(alphabet, MIN_ECHO_LENGTH, 24),
        fc.array(fc.tuple(word(alphabet, 0, 12), fc.nat(), fc.nat())),
        (secret, pieces) => {
          const text = interleaved(secret, pieces);
          const out = redactString(text, [secret]);
          for (const part of out.split(MASK)) {
            for (const run of runsOf(secret, MIN_ECHO_LENGTH)) {
              for (const at of occurrences(part, run)) {
                const word = wordAround(part, at, MIN_ECHO_LENGTH);
                expect(word).toMatch(/^\p{L}+$/u);
                expect(word.length).toBeGreaterThan(MIN_ECHO_LENGTH);
                expect(secret.includes(word)).toBe(false);
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a message's own words when the token contains a common word; still masks its echoes", () => {
    const token = "not-a-real-token";
    // The failing case: Vobiz's header name lost its end ("X-Auth-T***").
    const message = "Invalid or missing X-Auth-Token header for X-Auth-ID MA_X";
    expect(redactString(message, [token])).toBe(message);
    expect(redactString("Authentication failed: Token expired", ["wrong-token-for-authentication"])).toBe(
      "A*** failed: Token expired", // shares 13 characters with the token: masked
    );
    expect(redactString("Authentication failed: Token expired", ["wrong-token-for-auth"])).toBe(
      "Authentication failed: Token expired",
    );
    // Echoes are masked: whole, partial, glued to digits or symbols, or a part that is a whole word.
    expect(redactString(`key '${token}' is not valid`, [token])).toBe("key '***' is not valid");
    expect(redactString("key 'not-a-rea...' is not valid", [token])).toBe("key '***...' is not valid");
    expect(redactString("got 1real-toke2", [token])).toBe("got 1***2");
    expect(redactString("invalid token", [token])).toBe("invalid ***"); // 'token' is a part of it: masked
    // A glued echo longer than a word's part is masked too.
    const password = "correcthorsebattery";
    expect(redactString(`Xcorrecthorsez`, [password])).toBe("X***z");
    expect(MAX_WORD_PART_LENGTH).toBe(2 * MIN_ECHO_LENGTH - 1);
  });

  it("property: a text sharing no character with the secrets comes back unchanged", () => {
    fc.assert(
      fc.property(word("abcdefgh ", 0, 60), word("0123456789", 1, 20), (text, secret) => {
        expect(redactString(text, [secret])).toBe(text);
        expect(maskSecrets({ message: text, list: [text] }, [secret])).toEqual({
          message: text,
          list: [text],
        });
      }),
      { numRuns: 200 },
    );
  });

  it("property: masking is idempotent for texts and secrets without '*'", () => {
    fc.assert(
      fc.property(word("abcxyz0 ", 0, 40), word("abcxyz0", 1, 10), (text, secret) => {
        const once = redactString(text, [secret]);
        expect(redactString(once, [secret])).toBe(once);
      }),
      { numRuns: 200 },
    );
  });
});

describe("redactText", () => {
  it("masks values of secret-looking keys written as text, then known secrets", () => {
    expect(redactText("username=formish&password=hunter22")).toBe("username=formish&password=***");
    expect(redactText('{"username": "u", "password": "hunter22"')).toBe('{"username": "u", "password": ***');
    expect(redactText("token: abc123 rest")).toBe("token: *** rest");
    expect(redactText("note=tok_ABCDEFGH", ["tok_ABCDEFGH"])).toBe("note=***");
  });
});
