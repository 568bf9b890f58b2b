/** The sandbox's own field rules (provider/sandbox/validation.ts), without HTTP. */
import fc from "fast-check";
import { SandboxError } from "../../provider/sandbox/errors";
import {
  AUTH_TOKEN_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  LIST_DEFAULT_LIMIT,
  LIST_MAX_LIMIT,
  SANDBOX_PASSWORD_MIN_LENGTH,
  SANDBOX_USERNAME_PATTERN,
  USERNAME_MAX_LENGTH,
  parseJsonObject,
  parseListQuery,
  validateAccount,
  validateConsolePatch,
  validateCreate,
  validateUpdate,
  TEXT_FIELD_NAMES,
} from "../../provider/sandbox/validation";

jest.setTimeout(30_000);

/** The SandboxError `f` throws, as `{ status, code, details }`. */
function failure(f: () => unknown): { status: number; code: string; details: Record<string, unknown> } {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SandboxError);
    const e = err as SandboxError;
    return { status: e.status, code: e.code, details: { ...e.details } };
  }
  throw new Error("expected a SandboxError");
}

const ok = { username: "office_desk-1", password: "12345678" };

describe("validateCreate", () => {
  it("accepts the documented body and returns only the given fields", () => {
    expect(validateCreate({ ...ok }, false)).toEqual(ok);
    expect(validateCreate({ ...ok, enabled: false, description: "desk" }, true)).toEqual({
      ...ok,
      enabled: false,
      description: "desk",
    });
  });

  it("requires username and password, reporting the first problem and all of them", () => {
    const f = failure(() => validateCreate({}, false));
    expect(f).toMatchObject({
      status: 422,
      code: "VALIDATION_ERROR",
      details: { field: "username", rule: "required" },
    });
    expect(f.details.errors).toEqual([
      { field: "username", rule: "required" },
      { field: "password", rule: "required" },
    ]);
    expect(
      failure(() => validateCreate({ username: "", password: "12345678" }, false)).details,
    ).toMatchObject({
      field: "username",
      rule: "required",
    });
  });

  it("enforces the username characters: letters, digits, _ and -", () => {
    for (const bad of ["with space", "dot.ted", "ümlaut", "semi;colon", "a/b"]) {
      expect(failure(() => validateCreate({ ...ok, username: bad }, false)).details).toMatchObject({
        field: "username",
        rule: "pattern",
      });
    }
    expect(failure(() => validateCreate({ ...ok, username: 42 }, false)).details).toMatchObject({
      field: "username",
      rule: "type",
    });
  });

  it(`limits usernames to ${USERNAME_MAX_LENGTH} characters (the sandbox's own choice)`, () => {
    expect(validateCreate({ ...ok, username: "u".repeat(USERNAME_MAX_LENGTH) }, false).username).toHaveLength(
      USERNAME_MAX_LENGTH,
    );
    expect(
      failure(() => validateCreate({ ...ok, username: "u".repeat(USERNAME_MAX_LENGTH + 1) }, false)).details,
    ).toMatchObject({
      field: "username",
      rule: "max_length",
      max: USERNAME_MAX_LENGTH,
    });
  });

  it(`needs passwords of ${SANDBOX_PASSWORD_MIN_LENGTH} code points, with no upper bound and no character rule`, () => {
    expect(failure(() => validateCreate({ ...ok, password: "1234567" }, false)).details).toMatchObject({
      field: "password",
      rule: "min_length",
      min: SANDBOX_PASSWORD_MIN_LENGTH,
    });
    // 7 emoji are 14 UTF-16 units but 7 characters: too short; 8 emoji pass.
    expect(failure(() => validateCreate({ ...ok, password: "😀".repeat(7) }, false)).details.rule).toBe(
      "min_length",
    );
    expect(validateCreate({ ...ok, password: "😀".repeat(8) }, false).password).toBe("😀".repeat(8));
    expect(validateCreate({ ...ok, password: "p".repeat(10_000) }, false).password).toHaveLength(10_000);
    // Control characters are not documented as forbidden: the provider refuses them, the sandbox does not.
    expect(validateCreate({ ...ok, password: "tab\there\n01" }, false).password).toBe("tab\there\n01");
    expect(failure(() => validateCreate({ ...ok, password: 12345678 }, false)).details.rule).toBe("type");
  });

  it("checks enabled and description types and the description length", () => {
    expect(failure(() => validateCreate({ ...ok, enabled: "yes" }, true)).details).toMatchObject({
      field: "enabled",
      rule: "type",
    });
    expect(failure(() => validateCreate({ ...ok, description: 5 }, true)).details).toMatchObject({
      field: "description",
      rule: "type",
    });
    expect(
      validateCreate({ ...ok, description: "d".repeat(DESCRIPTION_MAX_LENGTH) }, true).description,
    ).toHaveLength(DESCRIPTION_MAX_LENGTH);
    expect(
      failure(() => validateCreate({ ...ok, description: "d".repeat(DESCRIPTION_MAX_LENGTH + 1) }, true))
        .details,
    ).toMatchObject({ field: "description", rule: "max_length" });
  });

  it("refuses unknown fields with 400 UNKNOWN_FIELD; enabled and description only when extra fields are on", () => {
    expect(failure(() => validateCreate({ ...ok, trunk_id: "t" }, true))).toMatchObject({
      status: 400,
      code: "UNKNOWN_FIELD",
      details: { field: "trunk_id" },
    });
    expect(failure(() => validateCreate({ ...ok, enabled: true }, false))).toMatchObject({
      status: 400,
      code: "UNKNOWN_FIELD",
      details: { field: "enabled", allowed: ["username", "password"] },
    });
  });

  it("property: a username is accepted exactly when it matches the documented characters", () => {
    const alphabet = "abcXYZ019_- .é/@";
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...alphabet.split("")), { minLength: 1, maxLength: 30 })
          .map((a) => a.join("")),
        (username) => {
          const documented = /^[A-Za-z0-9_-]+$/.test(username);
          expect(SANDBOX_USERNAME_PATTERN.test(username)).toBe(documented);
          let accepted = true;
          try {
            validateCreate({ ...ok, username }, false);
          } catch {
            accepted = false;
          }
          expect(accepted).toBe(documented);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("validateUpdate", () => {
  it("accepts any non-empty subset of password, enabled, description and returns only those", () => {
    expect(validateUpdate({ enabled: false })).toEqual({ enabled: false });
    expect(validateUpdate({ password: "new-password", description: "" })).toEqual({
      password: "new-password",
      description: "",
    });
  });

  it("refuses username (immutable), unknown fields and an empty body", () => {
    expect(failure(() => validateUpdate({ username: "x" }))).toMatchObject({
      status: 400,
      code: "IMMUTABLE_FIELD",
      details: { field: "username" },
    });
    expect(failure(() => validateUpdate({ realm: "x" }))).toMatchObject({
      status: 400,
      code: "UNKNOWN_FIELD",
    });
    expect(failure(() => validateUpdate({}))).toMatchObject({
      status: 422,
      details: {
        field: "body",
        rule: "at_least_one_of",
        fields: ["password", "enabled", ...TEXT_FIELD_NAMES],
      },
    });
  });

  it("applies the create rules to the given fields", () => {
    expect(failure(() => validateUpdate({ password: "short" })).details).toMatchObject({
      field: "password",
      rule: "min_length",
    });
    expect(failure(() => validateUpdate({ enabled: 1 })).details).toMatchObject({
      field: "enabled",
      rule: "type",
    });
  });
});

describe("validateConsolePatch", () => {
  it("accepts inUse (or in_use) alone, which the API's update would refuse", () => {
    expect(validateConsolePatch({ inUse: true })).toEqual({ inUse: true });
    expect(validateConsolePatch({ in_use: false })).toEqual({ inUse: false });
    expect(validateConsolePatch({ inUse: true, enabled: false })).toEqual({ inUse: true, enabled: false });
  });

  it("checks inUse's type and the other fields by the update rules", () => {
    expect(failure(() => validateConsolePatch({ inUse: "yes" })).details).toMatchObject({
      field: "inUse",
      rule: "type",
    });
    expect(failure(() => validateConsolePatch({ inUse: true, password: "short" })).details.field).toBe(
      "password",
    );
    expect(failure(() => validateConsolePatch({})).details.rule).toBe("at_least_one_of");
  });
});

describe("parseListQuery", () => {
  const q = (s: string) => parseListQuery(new URLSearchParams(s));

  it(`defaults to limit ${LIST_DEFAULT_LIMIT}, offset 0, and clamps limit to ${LIST_MAX_LIMIT}`, () => {
    expect(q("")).toEqual({ limit: LIST_DEFAULT_LIMIT, offset: 0 });
    expect(q("limit=&offset=")).toEqual({ limit: LIST_DEFAULT_LIMIT, offset: 0 });
    expect(q("limit=7&offset=14")).toEqual({ limit: 7, offset: 14 });
    expect(q("limit=500")).toEqual({ limit: LIST_MAX_LIMIT, offset: 0 });
  });

  it("refuses a limit below 1 and values that are not whole numbers", () => {
    for (const bad of ["limit=0", "limit=-1", "limit=2.5", "limit=ten", "offset=-3", "offset=1e3"]) {
      expect(failure(() => q(bad))).toMatchObject({ status: 400, code: "INVALID_QUERY" });
    }
  });
});

describe("parseJsonObject", () => {
  it("parses a JSON object; an empty or malformed body is 400 INVALID_JSON, a non-object 400 INVALID_BODY", () => {
    expect(parseJsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(failure(() => parseJsonObject("  "))).toMatchObject({ status: 400, code: "INVALID_JSON" });
    expect(failure(() => parseJsonObject("{nope"))).toMatchObject({ status: 400, code: "INVALID_JSON" });
    for (const body of ["[1]", "null", '"text"', "3"]) {
      expect(failure(() => parseJsonObject(body))).toMatchObject({ status: 400, code: "INVALID_BODY" });
    }
  });
});

describe("validateAccount", () => {
  it("accepts an auth id of letters, digits, _ and - (1 to 64) and a token when given", () => {
    expect(validateAccount({ authId: "MA_X-1", authToken: "t" }, true)).toEqual({
      authId: "MA_X-1",
      authToken: "t",
    });
    expect(validateAccount({ authId: "MA_X" }, false)).toEqual({ authId: "MA_X" });
  });

  it("refuses a bad auth id, a missing or empty token when required, an over-long token, unknown fields", () => {
    expect(failure(() => validateAccount({ authId: "MA X", authToken: "t" }, true)).details.field).toBe(
      "authId",
    );
    expect(
      failure(() => validateAccount({ authId: "M".repeat(65), authToken: "t" }, true)).details.field,
    ).toBe("authId");
    expect(failure(() => validateAccount({ authId: "MA_X" }, true)).details).toMatchObject({
      field: "authToken",
      rule: "required",
    });
    expect(failure(() => validateAccount({ authId: "MA_X", authToken: "" }, false)).details.rule).toBe(
      "required",
    );
    expect(
      failure(() =>
        validateAccount({ authId: "MA_X", authToken: "t".repeat(AUTH_TOKEN_MAX_LENGTH + 1) }, true),
      ).details,
    ).toMatchObject({ field: "authToken", rule: "max_length" });
    expect(failure(() => validateAccount({ authId: "MA_X", authToken: "t", role: "admin" }, true)).code).toBe(
      "UNKNOWN_FIELD",
    );
  });
});
