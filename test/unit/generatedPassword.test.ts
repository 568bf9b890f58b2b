/**
 * The generator of provider-made passwords (lifecycle/generatedPassword.ts) and the pure rotation
 * rules (contract/rules.ts, lifecycle/rotation.ts): durations, trigger maps and the age check.
 */
import {
  CONSOLE_SPECIALS,
  GENERATED_ALPHABET,
  generatePassword,
  meetsVobizRules,
} from "../../provider/lifecycle/generatedPassword";
import { VobizConfigError } from "../../provider/common/errors";
import { durationMs, normaliseTriggers } from "../../provider/contract/rules";
import { dueByAge, rotationFailed, withRotation } from "../../provider/lifecycle/rotation";
import { UNKNOWN } from "../../provider/contract/unknown";

describe("generatePassword", () => {
  test("50 generated passwords are all distinct and each meets both Vobiz rules", () => {
    const values = Array.from({ length: 50 }, () => generatePassword());
    expect(new Set(values).size).toBe(50);
    for (const v of values) {
      expect(v).toHaveLength(20);
      expect(meetsVobizRules(v)).toBe(true);
      expect([...v].some((ch) => CONSOLE_SPECIALS.includes(ch))).toBe(true);
      expect([...v].every((ch) => GENERATED_ALPHABET.includes(ch))).toBe(true);
      expect(v).toMatch(/[a-z]/);
      expect(v).toMatch(/[A-Z]/);
      expect(v).toMatch(/[0-9]/);
    }
  });

  test.each([8, 12, 20])("length %i is honoured, with a special character", (length) => {
    for (let i = 0; i < 20; i++) {
      const v = generatePassword(length);
      expect(v).toHaveLength(length);
      expect(meetsVobizRules(v)).toBe(true);
    }
  });

  test.each([7, 21, 0, 12.5, Number.NaN])("length %p is refused", (length) => {
    expect(() => generatePassword(length)).toThrow(RangeError);
  });

  test("every character of the alphabet turns up (the choice covers the whole alphabet)", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 400; i++) for (const ch of generatePassword()) seen.add(ch);
    expect([...seen].sort().join("")).toBe([...GENERATED_ALPHABET].sort().join(""));
  });

  test("meetsVobizRules states both rules", () => {
    expect(meetsVobizRules("Abcdefg1")).toBe(false); // no special character
    expect(meetsVobizRules("Abc!ef1")).toBe(false); // 7 characters
    expect(meetsVobizRules("Abcdefghij1234567890!")).toBe(false); // 21 characters
    expect(meetsVobizRules("Abc!efg1")).toBe(true);
  });
});

describe("rotation rules", () => {
  test("durations: a whole number and one unit", () => {
    expect(durationMs("90d")).toBe(90 * 86_400_000);
    expect(durationMs("12h")).toBe(12 * 3_600_000);
    expect(durationMs("30m")).toBe(1_800_000);
    expect(durationMs("45s")).toBe(45_000);
    expect(durationMs("2w")).toBe(14 * 86_400_000);
    for (const bad of ["0d", "90", "d", "1.5d", "90 d", "-1d", "1y", "1234567d"]) {
      expect(durationMs(bad)).toBeUndefined();
    }
  });

  test("trigger maps compare without key order, an empty map is none, unknowns pass through", () => {
    expect(JSON.stringify(normaliseTriggers({ b: 1, a: "x" }))).toBe('{"a":"x","b":1}');
    expect(normaliseTriggers({})).toBeUndefined();
    expect(normaliseTriggers(null)).toBeUndefined();
    expect(normaliseTriggers(UNKNOWN)).toBe(UNKNOWN);
  });

  test("age: due once passwordSetAt (or, in an old state, createdAt) is rotateAfter ago", () => {
    const at = Date.parse("2025-01-01T00:00:00Z");
    const olds = { username: "u", passwordSetAt: "2025-01-01T00:00:00Z", createdAt: "2024-01-01T00:00:00Z" };
    expect(dueByAge(olds, { rotateAfter: "1d" }, at + 86_400_000 - 1)).toBe(false);
    expect(dueByAge(olds, { rotateAfter: "1d" }, at + 86_400_000)).toBe(true);
    expect(dueByAge({ username: "u", createdAt: "2024-01-01T00:00:00Z" }, { rotateAfter: "1d" }, at)).toBe(
      true,
    );
    expect(dueByAge({ username: "u" }, { rotateAfter: "1d" }, at)).toBe(false);
    expect(dueByAge(olds, {}, at + 10 * 86_400_000)).toBe(false);
    expect(dueByAge(olds, { rotateAfter: UNKNOWN }, at + 10 * 86_400_000)).toBe(false);
  });

  test("a generated password in state is no change while the program still asks for one; an old one adds passwordSetAt", () => {
    const olds = {
      username: "u",
      generatePassword: true,
      password: "from-state",
      passwordSetAt: "2025-01-01T00:00:00Z",
    };
    const news = { username: "u", generatePassword: true as const, rotateAfter: "1d" };
    const now = Date.parse("2025-01-01T12:00:00Z");
    expect(withRotation(["password"], olds, news, now)).toEqual([]);
    expect(withRotation(["password"], olds, news, now + 86_400_000)).toEqual(["passwordSetAt"]);
    // Declared -> generated: the password change stays (it sets the generated one).
    expect(
      withRotation(["password", "generatePassword"], { username: "u", password: "x" }, news, now),
    ).toEqual(["password", "generatePassword"]);
  });

  test("a failed rotation's error keeps its class and says the next `pulumi up` finishes it", () => {
    const e = rotationFailed(new VobizConfigError("PUT failed."), "desk", true) as Error;
    expect(e).toBeInstanceOf(VobizConfigError);
    expect(e.message).toMatch(
      /^PUT failed\. .*state keeps the previous one.*run `pulumi up` again to finish it/,
    );
    expect(rotationFailed("not an error", "desk", false)).toBe("not an error");
  });
});
