/**
 * The provider's check: zod validation before any API call. Invalid inputs fail naming the
 * property and the rule, never echo a password and never reach the network; valid inputs
 * (unknown sentinels included) pass and are normalised.
 */
import fc from "fast-check";
import { PLAIN_VALUED_INPUTS } from "../../provider/lifecycle/checkFailures";
import {
  createCredentialProvider,
  engineCredentialProvider,
  type VobizCredentialProvider,
} from "../../provider/adapters/dynamic/engine";
import { PASSWORD_MIN_LENGTH, USERNAME_PATTERN } from "../../provider/contract/rules";
import { UNKNOWN } from "../../provider/contract/unknown";
import {
  AUTH_ID,
  AUTH_TOKEN,
  BASE_URL,
  captureOutput,
  checked,
  expectFreeOf,
  mockApi,
  newProvider,
  stackConfig,
  useNock,
} from "./provider.harness";

const PW = "Corp_SECRET_pw1";
const USERNAME = "office_desk-1";
const ok = { username: USERNAME, password: PW };
/** Environment variables the write-only cases read (check resolves sources once configured). */
const SOURCE_ENV = { SIP_PASSWORD: "Env_SECRET_pw7", SIP_PW: "Env_SECRET_pw8", _PW: "Env_SECRET_pw9" };

const nockState = useNock();

// fast-check runs many cases per test: generous, so a loaded machine never times one out midway
// (a timed-out property would keep running and registering interceptors into later tests).
jest.setTimeout(30_000);

let p: VobizCredentialProvider;
let api: ReturnType<typeof mockApi>;
let output: ReturnType<typeof captureOutput>;
beforeEach(async () => {
  // Stack config present (empty), so check also resolves write-only sources where it can.
  p = await newProvider({ config: {}, env: { VOBIZ_AUTH_TOKEN: AUTH_TOKEN, ...SOURCE_ENV } });
  api = mockApi(); // no interceptors + disableNetConnect: any request would show up below
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  expect(api.requests).toEqual([]);
  expect(nockState.unmatched).toEqual([]);
});

/** Every string anywhere in the raw inputs that is long enough to be recognised if echoed. */
function secretsIn(raw: unknown): string[] {
  if (typeof raw === "string") return raw.length >= 6 && raw !== USERNAME ? [raw] : [];
  if (raw && typeof raw === "object") return Object.values(raw).flatMap(secretsIn);
  return [];
}

type Case = [name: string, raw: Record<string, unknown>, property: string];

const invalid: Case[] = [
  // username
  ["username missing", { password: PW }, "username"],
  ["username empty", { username: "", password: PW }, "username"],
  ["username a single space", { username: " ", password: PW }, "username"],
  ["username whitespace only", { username: " \t  ", password: PW }, "username"],
  ["username with a space", { username: "office desk", password: PW }, "username"],
  ["username with a leading space", { username: " office", password: PW }, "username"],
  ["username with a trailing newline", { username: "office\n", password: PW }, "username"],
  ["username with NUL", { username: "office\u0000", password: PW }, "username"],
  ["username with a dot", { username: "office.desk", password: PW }, "username"],
  ["username with '@'", { username: "desk@office", password: PW }, "username"],
  ["username with '+'", { username: "desk+1", password: PW }, "username"],
  ["username with '/'", { username: "desk/1", password: PW }, "username"],
  ["username with ':'", { username: "desk:1", password: PW }, "username"],
  ["username with an accented letter", { username: "désk", password: PW }, "username"],
  ["username in Cyrillic", { username: "офис", password: PW }, "username"],
  ["username in CJK", { username: "用户", password: PW }, "username"],
  ["username with an emoji", { username: "desk😀", password: PW }, "username"],
  ["username with a full-width digit", { username: "desk１", password: PW }, "username"],
  ["very long username ending in a space", { username: `${"a".repeat(10_000)} `, password: PW }, "username"],
  ["username a number", { username: 42, password: PW }, "username"],
  ["username a boolean", { username: true, password: PW }, "username"],
  ["username null", { username: null, password: PW }, "username"],
  ["username an array", { username: [USERNAME], password: PW }, "username"],
  ["username an object", { username: { name: USERNAME }, password: PW }, "username"],
  // password
  ["password empty", { username: USERNAME, password: "" }, "password"],
  ["password of 7 characters", { username: USERNAME, password: "Sec_7ch" }, "password"],
  ["password of 7 emoji (14 UTF-16 units)", { username: USERNAME, password: "😀".repeat(7) }, "password"],
  ["password of 4 emoji (8 UTF-16 units)", { username: USERNAME, password: "🔑".repeat(4) }, "password"],
  ["password of 7 accented letters", { username: USERNAME, password: "éàüöñçø" }, "password"],
  ["password with a newline", { username: USERNAME, password: "Corp_SECRET\npw1" }, "password"],
  ["password with a trailing newline", { username: USERNAME, password: "Corp_SECRET_pw1\n" }, "password"],
  ["password with CR", { username: USERNAME, password: "Corp_SECRET\rpw1" }, "password"],
  ["password with a tab", { username: USERNAME, password: "Corp_SECRET\tpw1" }, "password"],
  ["password with NUL", { username: USERNAME, password: "Corp_SECRET\u0000pw1" }, "password"],
  ["password with DEL", { username: USERNAME, password: "Corp_SECRET\u007fpw1" }, "password"],
  ["password with ESC", { username: USERNAME, password: "Corp_SECRET\u001bpw1" }, "password"],
  [
    "password with U+0085 (C1 NEXT LINE)",
    { username: USERNAME, password: "Corp_SECRET\u0085pw1" },
    "password",
  ],
  ["password with U+0080 (C1)", { username: USERNAME, password: "Corp_SECRET\u0080pw1" }, "password"],
  ["password with U+009F (C1)", { username: USERNAME, password: "Corp_SECRET\u009fpw1" }, "password"],
  [
    "very long password with a newline",
    { username: USERNAME, password: `${"Long_SECRET".repeat(1000)}\n` },
    "password",
  ],
  ["password a number", { username: USERNAME, password: 12345678 }, "password"],
  ["password a boolean", { username: USERNAME, password: true }, "password"],
  ["password an array", { username: USERNAME, password: [PW] }, "password"],
  ["password an object", { username: USERNAME, password: { value: PW } }, "password"],
  ["neither password nor passwordFrom", { username: USERNAME }, "password"],
  ["password null, no passwordFrom", { username: USERNAME, password: null }, "password"],
  // write-only mode
  ["both password and passwordFrom", { ...ok, passwordFrom: { config: "sipPassword" } }, "passwordFrom"],
  ["passwordVersion without passwordFrom", { ...ok, passwordVersion: 1 }, "passwordVersion"],
  [
    "passwordVersion negative",
    { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: -1 },
    "passwordVersion",
  ],
  [
    "passwordVersion fractional",
    { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: 1.5 },
    "passwordVersion",
  ],
  [
    "passwordVersion a string",
    { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: "2" },
    "passwordVersion",
  ],
  [
    "passwordVersion NaN",
    { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: NaN },
    "passwordVersion",
  ],
  [
    "passwordVersion Infinity",
    { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: Infinity },
    "passwordVersion",
  ],
  [
    "passwordVersion null",
    { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: null },
    "passwordVersion",
  ],
  ["passwordFrom a string", { username: USERNAME, passwordFrom: "sipPassword" }, "passwordFrom"],
  ["passwordFrom holding the password itself", { username: USERNAME, passwordFrom: PW }, "passwordFrom"],
  ["passwordFrom empty object", { username: USERNAME, passwordFrom: {} }, "passwordFrom"],
  ["passwordFrom an array", { username: USERNAME, passwordFrom: [] }, "passwordFrom"],
  ["passwordFrom a number", { username: USERNAME, passwordFrom: 1 }, "passwordFrom"],
  [
    "passwordFrom with config and env",
    { username: USERNAME, passwordFrom: { config: "a", env: "B" } },
    "passwordFrom",
  ],
  ["passwordFrom with a value key", { username: USERNAME, passwordFrom: { value: PW } }, "passwordFrom"],
  [
    "passwordFrom with an extra key",
    { username: USERNAME, passwordFrom: { env: "SIP_PW", secret: PW } },
    "passwordFrom",
  ],
  ["passwordFrom.config a number", { username: USERNAME, passwordFrom: { config: 5 } }, "passwordFrom"],
  ["passwordFrom.config empty", { username: USERNAME, passwordFrom: { config: "" } }, "passwordFrom.config"],
  [
    "passwordFrom.config with a space",
    { username: USERNAME, passwordFrom: { config: "sip password" } },
    "passwordFrom.config",
  ],
  [
    "passwordFrom.env starting with a digit",
    { username: USERNAME, passwordFrom: { env: "1SIP" } },
    "passwordFrom.env",
  ],
  [
    "passwordFrom.env with a dash",
    { username: USERNAME, passwordFrom: { env: "SIP-PW" } },
    "passwordFrom.env",
  ],
  ["passwordFrom.env empty", { username: USERNAME, passwordFrom: { env: "" } }, "passwordFrom.env"],
  // enabled, description, adoptExisting
  ["enabled a string", { ...ok, enabled: "true" }, "enabled"],
  ["enabled a number", { ...ok, enabled: 1 }, "enabled"],
  ["enabled null", { ...ok, enabled: null }, "enabled"],
  ["enabled an array", { ...ok, enabled: [true] }, "enabled"],
  ["description a number", { ...ok, description: 5 }, "description"],
  ["description a boolean", { ...ok, description: false }, "description"],
  ["description an array", { ...ok, description: ["desk"] }, "description"],
  ["description an object", { ...ok, description: { text: "desk" } }, "description"],
  ["description with NUL", { ...ok, description: "front\u0000desk" }, "description"],
  [
    "very long description with a control character",
    { ...ok, description: `${"d".repeat(20_000)}\u0007` },
    "description",
  ],
  ["adoptExisting a string", { ...ok, adoptExisting: "yes" }, "adoptExisting"],
  ["adoptExisting a number", { ...ok, adoptExisting: 0 }, "adoptExisting"],
  ["adoptExisting null", { ...ok, adoptExisting: null }, "adoptExisting"],
  // unknown properties (typos)
  ["unknown property userName", { ...ok, userName: USERNAME }, "userName"],
  [
    "unknown property pasword (holding a password)",
    { username: USERNAME, password: PW, pasword: "Typo_SECRET_pw2" },
    "pasword",
  ],
  ["unknown property Password", { ...ok, Password: "Typo_SECRET_pw3" }, "Password"],
  ["unknown property enable", { ...ok, enable: false }, "enable"],
  ["unknown property descripton", { ...ok, descripton: "desk" }, "descripton"],
  ["unknown property adopt_existing", { ...ok, adopt_existing: true }, "adopt_existing"],
  ["unknown property id", { ...ok, id: "x" }, "id"],
];

describe("invalid inputs", () => {
  test("the corpus has at least 50 cases with unique names", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(50);
    expect(new Set(invalid.map(([n]) => n)).size).toBe(invalid.length);
  });

  // Titles carry the name and the property only: never format the raw inputs (they hold passwords).
  const titled = invalid.map(
    ([name, raw, property]) => [`${name} -> fails on ${property}`, raw, property] as Case,
  );
  test.each(titled)("%s", async (_title, raw, property) => {
    const result = await p.check({}, raw);

    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual(expect.arrayContaining([expect.objectContaining({ property })]));
    for (const f of result.failures ?? []) {
      expect(typeof f.property).toBe("string");
      expect(f.property.length).toBeGreaterThan(0);
      expect(typeof f.reason).toBe("string");
      expect(f.reason.length).toBeGreaterThan(5);
    }
    expectFreeOf(JSON.stringify(result), [...secretsIn(raw), AUTH_TOKEN]);
    expectFreeOf(output.text(), [...secretsIn(raw), AUTH_TOKEN]);
  });

  test("an unknown property's failure lists the valid inputs", async () => {
    const result = await p.check({}, { ...ok, pasword: PW });
    expect(result.failures).toEqual([
      { property: "pasword", reason: expect.stringContaining("username, password, passwordFrom") },
    ]);
  });

  test("reasons state the rule", async () => {
    const reasonFor = async (raw: Record<string, unknown>) => (await p.check({}, raw)).failures?.[0]?.reason;
    expect(await reasonFor({ username: "a b", password: PW })).toMatch(/letters.*digits.*'_'.*'-'/);
    expect(await reasonFor({ username: USERNAME, password: "Sec_7ch" })).toMatch(/at least 8 characters/);
    expect(await reasonFor({ username: USERNAME, password: "Corp\nSECRET" })).toMatch(/control characters/);
    expect(await reasonFor({ username: USERNAME })).toMatch(/'password'.*'passwordFrom'/);
    expect(await reasonFor({ ...ok, passwordFrom: { env: "X" } })).toMatch(/exactly one/);
    expect(await reasonFor({ username: USERNAME, passwordFrom: { foo: "x" } })).toMatch(/config.*env/);
    expect(await reasonFor({ ...ok, enabled: "no" })).toMatch(/true or false/);
  });

  test("several problems at once: one failure per property", async () => {
    const result = await p.check({}, { username: "a b", password: "short", enabled: "x", colour: "red" });
    expect(result.failures?.map((f) => f.property).sort()).toEqual([
      "colour",
      "enabled",
      "password",
      "username",
    ]);
    expectFreeOf(JSON.stringify(result), ["short"]);
  });
});

describe("valid inputs", () => {
  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["minimal", ok, { username: USERNAME, password: PW, enabled: true, adoptExisting: false }],
    [
      "description empty is dropped",
      { ...ok, description: "" },
      { username: USERNAME, password: PW, enabled: true, adoptExisting: false },
    ],
    [
      "description null is dropped",
      { ...ok, description: null },
      { username: USERNAME, password: PW, enabled: true, adoptExisting: false },
    ],
    [
      "description kept",
      { ...ok, description: "Front desk\n2nd floor" },
      { description: "Front desk\n2nd floor" },
    ],
    ["enabled false", { ...ok, enabled: false }, { enabled: false }],
    ["adoptExisting true", { ...ok, adoptExisting: true }, { adoptExisting: true }],
    ["8-character password", { username: USERNAME, password: "Sec_8chr" }, { password: "Sec_8chr" }],
    ["8 emoji password", { username: USERNAME, password: "🔑".repeat(8) }, { password: "🔑".repeat(8) }],
    [
      "password with spaces and symbols",
      { username: USERNAME, password: "p@ss w0rd ~!#$%^&*()" },
      { password: "p@ss w0rd ~!#$%^&*()" },
    ],
    ["long password", { username: USERNAME, password: "x".repeat(5000) }, { password: "x".repeat(5000) }],
    ["username of only '_' and '-'", { ...ok, username: "_-_" }, { username: "_-_" }],
    ["very long username", { ...ok, username: "a".repeat(10_000) }, { username: "a".repeat(10_000) }],
    ["single-character username", { ...ok, username: "Z" }, { username: "Z" }],
    [
      "passwordFrom env, version defaults to 0",
      { username: USERNAME, passwordFrom: { env: "SIP_PASSWORD" } },
      { passwordFrom: { env: "SIP_PASSWORD" }, passwordVersion: 0 },
    ],
    [
      "passwordFrom with a version",
      { username: USERNAME, passwordFrom: { env: "_PW" }, passwordVersion: 7 },
      { passwordVersion: 7 },
    ],
    [
      "password null with passwordFrom",
      { username: USERNAME, password: null, passwordFrom: { env: "SIP_PW" } },
      { passwordFrom: { env: "SIP_PW" } },
    ],
    [
      "undefined optional values are ignored",
      { ...ok, description: undefined, enabled: undefined, passwordFrom: undefined },
      { enabled: true },
    ],
    [
      "engine-added properties are ignored",
      {
        ...ok,
        __provider: "exports.handler = ...",
        realm: "r",
        accountId: "MA_X",
        createdAt: "t",
        updatedAt: "t",
      },
      { username: USERNAME },
    ],
  ])("%s", async (_name, raw, expected) => {
    const inputs = await checked(p, raw);
    expect(inputs).toMatchObject(expected);
    expect(inputs).not.toHaveProperty("__provider");
    expect(inputs).not.toHaveProperty("realm");
    expectFreeOf(JSON.stringify(inputs), Object.values(SOURCE_ENV));
  });

  test("passwordFrom: { config } that resolves passes, and the value never enters the inputs", async () => {
    const q = await newProvider({ config: { "proj:sipPassword": "Cfg_SECRET_pw9" } });
    const result = await q.check({}, { username: USERNAME, passwordFrom: { config: "sipPassword" } });
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toEqual({
      username: USERNAME,
      passwordFrom: { config: "sipPassword" },
      passwordVersion: 0,
      enabled: true,
      adoptExisting: false,
      accountId: AUTH_ID, // configured: the account, for the engine's display of an account switch
    });
    expectFreeOf(JSON.stringify(result), ["Cfg_SECRET_pw9"]);
  });

  test("before configure (no stack config yet) check does not resolve the source", async () => {
    const q = await newProvider();
    const result = await q.check({}, { username: USERNAME, passwordFrom: { config: "sipPassword" } });
    expect(result.failures).toBeUndefined();
  });
});

describe("rotationTriggers next to a declared password (the provider cannot choose its value)", () => {
  test("refused before any request, naming both inputs and the fix", async () => {
    const result = await p.check({}, { ...ok, rotationTriggers: { rotation: "1" } });
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual([{ property: "rotationTriggers", reason: expect.any(String) }]);
    const reason = result.failures![0].reason;
    expect(reason).toMatch(/cannot rotate a declared 'password'/);
    expect(reason).toMatch(/Remove 'rotationTriggers'.*declaring a new value/);
    expect(reason).toMatch(/'generatePassword: true'.*'passwordFrom'/);
    expectFreeOf(JSON.stringify(result), [PW]);
    // Through the engine adapter the name moves into the reason (a map's value is not echoed).
    const engine = await engineCredentialProvider.check({}, { ...ok, rotationTriggers: { rotation: "1" } });
    expect(engine.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(/^rotationTriggers cannot rotate a declared 'password'/),
      },
    ]);
  });

  test.each<[string, Record<string, unknown>]>([
    ["an empty map (the same as none)", { ...ok, rotationTriggers: {} }],
    ["rotateAfter (the age reminder stays allowed)", { ...ok, rotateAfter: "90d" }],
    ["generatePassword", { username: USERNAME, generatePassword: true, rotationTriggers: { r: 1 } }],
    ["passwordFrom", { username: USERNAME, passwordFrom: { env: "SIP_PW" }, rotationTriggers: { r: 1 } }],
  ])("accepted: %s", async (_name, raw) => {
    const result = await p.check({}, raw);
    expect(result.failures).toBeUndefined();
  });
});

describe("the configured account among the checked inputs (the engine names it in a replace)", () => {
  test("configured: accountId is the configured Auth ID; before configure: none", async () => {
    expect((await p.check({}, ok)).inputs).toMatchObject({ accountId: AUTH_ID });
    const unconfigured = await newProvider({ env: { VOBIZ_AUTH_TOKEN: AUTH_TOKEN } });
    expect((await unconfigured.check({}, ok)).inputs).not.toHaveProperty("accountId");
  });

  test("an account switch: diff replaces on accountId, and the stored inputs differ in accountId alone", async () => {
    // The same stack pointed at another account (stack config wins over the environment).
    const other = createCredentialProvider({
      env: { VOBIZ_AUTH_TOKEN: AUTH_TOKEN },
      clientOptions: { baseUrl: BASE_URL, retry: { maxAttempts: 1 } },
    });
    await other.configure({ config: stackConfig({ "vobiz:authId": "MA_OTHER" }) });
    const before = (await p.check({}, ok)).inputs!;
    const after = (await other.check({ ...before }, ok)).inputs!;
    expect(after).toEqual({ ...before, accountId: "MA_OTHER" });
    const state = { ...before, accountId: AUTH_ID, realm: `${AUTH_ID}.sip.vobiz.ai` };
    expect(await other.diff("id-1", state, after)).toEqual({
      changes: true,
      replaces: ["accountId"],
      deleteBeforeReplace: false,
    });
    // Not an input of the program (a Vobiz-set field the resource class declares): the configured account wins.
    const given = await p.check({}, { ...ok, accountId: "MA_OTHER" });
    expect(given.inputs).toMatchObject({ accountId: AUTH_ID });
  });
});

describe("check reads passwordFrom only when the plan sends the password (create or rotation)", () => {
  const source = { config: "sipPassword" };
  const olds = {
    __provider: "exports.handler = ...",
    username: USERNAME,
    passwordFrom: source,
    passwordVersion: 0,
    enabled: true,
    adoptExisting: false,
  };
  const unset = async () => newProvider({ config: {} }); // configured, but the key is not set

  test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ["a create (no old inputs)", {}, { username: USERNAME, passwordFrom: source }],
    [
      "a create (only the serialized provider)",
      { __provider: "x" },
      { username: USERNAME, passwordFrom: source },
    ],
    ["a replacement (new username)", olds, { username: "other_user", passwordFrom: source }],
    ["a rotation (new version)", olds, { username: USERNAME, passwordFrom: source, passwordVersion: 1 }],
    ["a new source", olds, { username: USERNAME, passwordFrom: { env: "SIP_PW" } }],
    [
      "a switch from password",
      { ...olds, passwordFrom: undefined, password: PW },
      { username: USERNAME, passwordFrom: source },
    ],
  ])("%s: an unset source fails check", async (_label, old, news) => {
    const result = await (await unset()).check(old, news);
    expect(result.failures).toEqual([
      { property: "passwordFrom", reason: expect.stringMatching(/is not set|environment variable SIP_PW/) },
    ]);
  });

  test.each<[string, Record<string, unknown>]>([
    ["no change", { username: USERNAME, passwordFrom: source }],
    ["a description change", { username: USERNAME, passwordFrom: source, description: "Desk" }],
    ["enabled: false", { username: USERNAME, passwordFrom: source, enabled: false }],
    ["the same version, given explicitly", { username: USERNAME, passwordFrom: source, passwordVersion: 0 }],
  ])("%s: the source is not read, so an unset one passes", async (_label, news) => {
    const result = await (await unset()).check(olds, news);
    expect(result.failures).toBeUndefined();
    expect(result.inputs).toMatchObject({ passwordFrom: source });
  });
});

describe("unknown values (preview)", () => {
  test.each<[string, Record<string, unknown>]>([
    ["username", { ...ok, username: UNKNOWN }],
    ["password", { username: USERNAME, password: UNKNOWN }],
    ["enabled (a boolean field)", { ...ok, enabled: UNKNOWN }],
    ["description", { ...ok, description: UNKNOWN }],
    ["adoptExisting (a boolean field)", { ...ok, adoptExisting: UNKNOWN }],
    ["passwordFrom", { username: USERNAME, passwordFrom: UNKNOWN }],
    ["passwordFrom with a version", { username: USERNAME, passwordFrom: UNKNOWN, passwordVersion: 2 }],
    ["passwordFrom.config (nested)", { username: USERNAME, passwordFrom: { config: UNKNOWN } }],
    ["passwordFrom.env (nested)", { username: USERNAME, passwordFrom: { env: UNKNOWN } }],
    [
      "passwordVersion (a number field)",
      { username: USERNAME, passwordFrom: { env: "SIP_PW" }, passwordVersion: UNKNOWN },
    ],
    [
      "every field at once",
      {
        username: UNKNOWN,
        passwordFrom: UNKNOWN,
        passwordVersion: UNKNOWN,
        enabled: UNKNOWN,
        description: UNKNOWN,
        adoptExisting: UNKNOWN,
      },
    ],
  ])("unknown %s passes and is kept as the sentinel", async (_name, raw) => {
    const inputs = await checked(p, raw);
    for (const [k, v] of Object.entries(raw)) {
      if (v === UNKNOWN) expect((inputs as unknown as Record<string, unknown>)[k]).toBe(UNKNOWN);
    }
  });

  test("an unknown password with passwordFrom is still both: rejected", async () => {
    const result = await p.check({}, { username: USERNAME, password: UNKNOWN, passwordFrom: { env: "X" } });
    expect(result.failures?.map((f) => f.property)).toEqual(["passwordFrom"]);
  });
});

describe("the engine-facing provider (engineCredentialProvider)", () => {
  // The engine prints a failing property's value next to the reason, and the host hands check
  // plain values (secrets unwrapped), so any failure whose value could be secret (every string
  // input, structures, unknown names) is reported with the property named in the reason.
  test.each<[string, Record<string, unknown>, string]>([
    ["password too short", { username: USERNAME, password: "Sec_7ch" }, "password"],
    ["password with a newline", { username: USERNAME, password: "Corp_SECRET\npw1" }, "password"],
    ["password of a wrong type", { username: USERNAME, password: ["Corp_SECRET_pw1"] }, "password"],
    ["misspelt pasword", { ...ok, pasword: "Typo_SECRET_pw2" }, "pasword"],
    ["misspelt Password", { ...ok, Password: "Typo_SECRET_pw3" }, "Password"],
    ["misspelt passwd", { ...ok, passwd: "Typo_SECRET_pw4" }, "passwd"],
    ["sipSecret", { ...ok, sipSecret: "Typo_SECRET_pw5" }, "sipSecret"],
    ["sip_pw", { ...ok, sip_pw: "Typo_SECRET_pw6" }, "sip_pw"],
    ["paswd", { ...ok, paswd: "Typo_SECRET_pw7" }, "paswd"],
    ["a misspelt description", { ...ok, descripton: "Desc_SECRET_1" }, "descripton"],
    ["an unknown name that looks harmless", { ...ok, colour: "Colour_SECRET_2" }, "colour"],
    ["a description with a control character", { ...ok, description: "Desc_SECRET_3\u0001" }, "description"],
    ["a username with a space", { username: "user SECRET4", password: PW }, "username"],
    ["passwordFrom shape", { username: USERNAME, passwordFrom: "Src_SECRET_5" }, "passwordFrom"],
    [
      "passwordFrom.config",
      { username: USERNAME, passwordFrom: { config: "Cfg SECRET6" } },
      "passwordFrom.config",
    ],
    ["a string given to enabled", { ...ok, enabled: "Bool_SECRET_7" }, "enabled"],
    [
      "a string given to passwordVersion",
      { username: USERNAME, passwordFrom: { env: "X" }, passwordVersion: "Ver_SECRET_8" },
      "passwordVersion",
    ],
  ])("%s: no property field, the name in the reason", async (_name, raw, property) => {
    const result = await engineCredentialProvider.check({}, raw);
    expect(result.inputs).toBeUndefined();
    expect(result.failures).toEqual(
      expect.arrayContaining([
        { property: "", reason: expect.stringMatching(new RegExp(`^${property.replace(".", "\\.")} `)) },
      ]),
    );
    expect(result.failures?.every((f) => f.property === "")).toBe(true);
    expectFreeOf(JSON.stringify(result), secretsIn(raw));
  });

  test.each<[string, Record<string, unknown>, string]>([
    ["enabled given a number", { ...ok, enabled: 1 }, "enabled"],
    ["adoptExisting given a number", { ...ok, adoptExisting: 0 }, "adoptExisting"],
    [
      "a negative passwordVersion",
      { username: USERNAME, passwordFrom: { env: "X" }, passwordVersion: -1 },
      "passwordVersion",
    ],
    [
      "a fractional passwordVersion",
      { username: USERNAME, passwordFrom: { env: "X" }, passwordVersion: 1.5 },
      "passwordVersion",
    ],
  ])(
    "%s (a boolean or number input, given a boolean or number): the property stays named",
    async (_name, raw, property) => {
      const result = await engineCredentialProvider.check({}, raw);
      expect(result.failures).toEqual(expect.arrayContaining([expect.objectContaining({ property })]));
    },
  );

  test("the inputs that may keep their property are the contract's boolean and number rows", () => {
    expect([...PLAIN_VALUED_INPUTS].sort()).toEqual([
      "adoptExisting",
      "enabled",
      "generatePassword",
      "passwordLength",
      "passwordVersion",
    ]);
  });

  test("valid inputs pass through unchanged", async () => {
    // Both unconfigured (the engine's singleton is, in this test), so neither adds the account.
    const unconfigured = await newProvider({ env: { VOBIZ_AUTH_TOKEN: AUTH_TOKEN, ...SOURCE_ENV } });
    expect(await engineCredentialProvider.check({}, ok)).toEqual(await unconfigured.check({}, ok));
  });
});

describe("properties (fast-check)", () => {
  // Unicode's control category (C0, DEL, C1), independent of the rule's own definition.
  const CONTROL = /\p{Cc}/u;
  const codePoint = fc.string({ unit: "binary", minLength: 1, maxLength: 1 });
  const printableCodePoint = codePoint.filter((c) => !CONTROL.test(c));
  const username = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
  const goodPassword = fc
    .array(printableCodePoint, { minLength: PASSWORD_MIN_LENGTH, maxLength: 40 })
    .map((cps) => cps.join(""));
  const shortPassword = fc
    .array(codePoint, { maxLength: PASSWORD_MIN_LENGTH - 1 })
    .map((cps) => cps.join(""));

  test("any username matching the rule with any password of >= 8 code points without control characters passes", async () => {
    await fc.assert(
      fc.asyncProperty(username, goodPassword, async (u, pw) => {
        expect(USERNAME_PATTERN.test(u)).toBe(true);
        const result = await p.check({}, { username: u, password: pw });
        expect(result.failures).toBeUndefined();
        expect(result.inputs).toMatchObject({
          username: u,
          password: pw,
          enabled: true,
          adoptExisting: false,
        });
      }),
      { numRuns: 200 },
    );
  });

  test("any password of fewer than 8 code points fails on 'password', with a value-free reason", async () => {
    const rules = new Set<string>();
    await fc.assert(
      fc.asyncProperty(username, shortPassword, async (u, pw) => {
        const result = await p.check({}, { username: u, password: pw });
        expect(result.inputs).toBeUndefined();
        expect(result.failures?.length).toBeGreaterThan(0);
        for (const f of result.failures ?? []) {
          expect(f.property).toBe("password");
          rules.add(f.reason);
        }
      }),
      { numRuns: 200 },
    );
    // The reasons are fixed rule texts (at most the length rule and the control-character rule),
    // so no generated value can have been echoed.
    expect(rules.size).toBeGreaterThanOrEqual(1);
    expect(rules.size).toBeLessThanOrEqual(2);
  });

  test("any username with a character outside the rule fails on 'username'", async () => {
    const bad = fc
      .tuple(
        username,
        printableCodePoint.filter((c) => !/^[A-Za-z0-9_-]$/.test(c)),
        username,
      )
      .map(([a, c, b]) => `${a}${c}${b}`)
      .filter((u) => u !== UNKNOWN);
    await fc.assert(
      fc.asyncProperty(bad, async (u) => {
        const result = await p.check({}, { username: u, password: PW });
        expect(result.failures?.map((f) => f.property)).toEqual(["username"]);
      }),
      { numRuns: 200 },
    );
  });

  test("any unknown property is rejected by name", async () => {
    const names = new Set([
      "username",
      "password",
      "passwordFrom",
      "passwordVersion",
      "enabled",
      "description",
      "adoptExisting",
    ]);
    const reserved = new Set(["__provider", "realm", "accountId", "createdAt", "updatedAt"]);
    const key = fc
      .string({ minLength: 1, maxLength: 20 })
      .filter((k) => !names.has(k) && !reserved.has(k) && k !== "__proto__");
    await fc.assert(
      fc.asyncProperty(key, fc.oneof(fc.string(), fc.integer(), fc.boolean()), async (k, v) => {
        const result = await p.check({}, { ...ok, [k]: v });
        expect(result.failures).toEqual([expect.objectContaining({ property: k })]);
      }),
      { numRuns: 200 },
    );
  });
});
