/**
 * The contract table (provider/contract.ts) and what is derived from it: every row is complete,
 * the name lists, check's defaults and diff's decisions follow the rows, the update behaviour
 * covers exactly the inputs that update in place, and the resource and engine adapter use the
 * table's secret fields.
 */
import {
  CREDENTIAL_FIELDS,
  type CredentialInputs,
  type CredentialOutputs,
} from "../../provider/contract/table";
import {
  applyDefaults,
  FIELD_NAMES,
  fieldChanges,
  INPUT_NAMES,
  inputRows,
  rowOf,
  SECRET_NAMES,
  VOBIZ_SET_NAMES,
} from "../../provider/contract/fields";
import { parseCredentialInputs } from "../../provider/lifecycle/inputs";
import { loadZod } from "../../provider/common/zod";
import { UNKNOWN } from "../../provider/contract/unknown";

/** A value of each input that passes its rule, and a different one that also passes. */
const SAMPLES: Record<string, [unknown, unknown]> = {
  username: ["office_desk-1", "office_desk-2"],
  password: ["pw_Contract_1", "pw_Contract_2"],
  passwordFrom: [{ config: "sipPassword" }, { env: "SIP_PASSWORD" }],
  passwordVersion: [1, 2],
  generatePassword: [true, false],
  passwordLength: [12, 16],
  rotationTriggers: [{ rotation: "1" }, { rotation: 2 }],
  rotateAfter: ["90d", "12h"],
  enabled: [false, true],
  description: ["Front desk", "Back office"],
  adoptExisting: [true, false],
};

describe("the table", () => {
  test("lists the inputs first, then the Vobiz-set fields, and names every field once", () => {
    expect(FIELD_NAMES).toEqual(Object.keys(CREDENTIAL_FIELDS));
    expect(FIELD_NAMES).toEqual([...INPUT_NAMES, ...VOBIZ_SET_NAMES]);
    expect(INPUT_NAMES).toEqual([
      "username",
      "password",
      "passwordFrom",
      "passwordVersion",
      "generatePassword",
      "passwordLength",
      "rotationTriggers",
      "rotateAfter",
      "enabled",
      "description",
      "adoptExisting",
    ]);
    expect(VOBIZ_SET_NAMES).toEqual(["realm", "accountId", "createdAt", "updatedAt", "passwordSetAt"]);
  });

  test.each([...FIELD_NAMES])("%s has a type, a doc line and a change rule", (name) => {
    const row = rowOf(name);
    expect(row.type.length).toBeGreaterThan(0);
    expect(row.doc.length).toBeGreaterThan(0);
    expect(row.doc).not.toContain("\n");
    expect(["replace", "update", "rotate", "state", "none"]).toContain(row.onChange);
  });

  test.each(inputRows())("input %s has a zod rule that accepts a sample value", (name, row) => {
    const z = loadZod();
    const schema = row.schema({ z, orUnknown: (s) => z.union([z.literal(UNKNOWN), s]) });
    expect(schema.safeParse(SAMPLES[name][0]).success).toBe(true);
    expect(schema.safeParse(Symbol("not a value")).success).toBe(false);
  });

  test("only the password is secret; only the username (and the account) replace", () => {
    expect(SECRET_NAMES).toEqual(["password"]);
    expect(FIELD_NAMES.filter((n) => rowOf(n).onChange === "replace")).toEqual(["username", "accountId"]);
  });

  test.each(inputRows())(
    "input %s states check's message for a missing value only when required",
    (_n, row) => {
      if (row.required) expect(row.missing).toMatch(/^is required/);
      else expect(row.missing).toBeUndefined();
    },
  );
});

describe("derived behaviour", () => {
  test("check applies the table's defaults, passwordVersion only with passwordFrom", () => {
    const plain = parseCredentialInputs({ username: "u1", password: "pw_Contract_1" });
    expect(plain).toEqual({
      ok: true,
      inputs: { username: "u1", password: "pw_Contract_1", enabled: true, adoptExisting: false },
    });
    const wo = parseCredentialInputs({ username: "u1", passwordFrom: { env: "SIP_PASSWORD" } });
    expect(wo.ok && wo.inputs.passwordVersion).toBe(0);
    expect(applyDefaults({ passwordVersion: undefined } as Record<string, unknown>)).toEqual({
      enabled: true,
      adoptExisting: false,
    });
  });

  test("a field the table does not know is rejected by check, naming the valid inputs in table order", () => {
    const result = parseCredentialInputs({ username: "u1", password: "pw_Contract_1", colour: "red" });
    expect(result).toEqual({
      ok: false,
      failures: [{ property: "colour", reason: expect.stringContaining(INPUT_NAMES.join(", ")) }],
    });
  });

  test.each(inputRows().map(([name, row]) => [name, row.onChange] as const))(
    "changing only %s counts as %s",
    (name, onChange) => {
      const [before, after] = SAMPLES[name];
      const olds = { username: "u1", [name]: before } as Partial<CredentialOutputs>;
      const news = { username: "u1", [name]: after } as Partial<CredentialInputs>;
      const { replaces, updates } = fieldChanges(olds, news);
      expect(replaces).toEqual(onChange === "replace" ? [name] : []);
      expect(updates).toEqual(["update", "rotate", "state"].includes(onChange) ? [name] : []);
      // An unknown value counts the same way, unless nothing can change.
      const unknown = fieldChanges(olds, { ...news, [name]: UNKNOWN });
      expect([...unknown.replaces, ...unknown.updates]).toEqual(onChange === "none" ? [] : [name]);
    },
  );

  test("an equal value after normalising and defaults is no change", () => {
    const olds: Partial<CredentialOutputs> = { username: "u1", enabled: true };
    expect(fieldChanges(olds, { username: "u1", description: "" })).toEqual({ replaces: [], updates: [] });
    expect(fieldChanges({ ...olds, description: "x" }, { username: "u1", description: "x" }).updates).toEqual(
      [],
    );
    expect(fieldChanges({ username: "u1" }, { username: "u1", enabled: true }).updates).toEqual([]);
  });

  test("a Vobiz-set field that replaces counts only when the provider knows its value now", () => {
    const olds: Partial<CredentialOutputs> = { username: "u1", accountId: "MA_OLD" };
    expect(fieldChanges(olds, { username: "u1" }, { accountId: "MA_NEW" }).replaces).toEqual(["accountId"]);
    expect(fieldChanges(olds, { username: "u1" }, { accountId: "MA_OLD" }).replaces).toEqual([]);
    expect(fieldChanges(olds, { username: "u1" }).replaces).toEqual([]);
    expect(fieldChanges({ username: "u1" }, { username: "u1" }, { accountId: "MA_NEW" }).replaces).toEqual(
      [],
    );
  });

  test("the change kinds: what updates in place has a wire mapping a PUT may carry; what rotates sends the password", () => {
    for (const [name, row] of inputRows()) {
      if (row.onChange === "update") expect([name, row.wire?.update]).toEqual([name, true]);
      if (row.onChange === "rotate")
        expect([name, row.wire === undefined || row.wire.api === "password"]).toEqual([name, true]);
      if (row.onChange === "state" || row.onChange === "none")
        expect([name, row.wire]).toEqual([name, undefined]);
    }
    expect(
      inputRows()
        .filter(([, r]) => r.onChange === "rotate")
        .map(([n]) => n),
    ).toEqual([
      "password",
      "passwordFrom",
      "passwordVersion",
      "generatePassword",
      "passwordLength",
      "rotationTriggers",
    ]);
  });
});
