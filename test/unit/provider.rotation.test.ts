/**
 * Generated passwords and rotation through the provider's lifecycle (nock as Vobiz): create
 * generates one value and sends it in the one POST, diff plans rotations with no request (map
 * change, age, mode switch), update rotates with one PUT, a declared password refuses to rotate
 * itself, a failed rotation names the next step, adoption sets a generated password with one PUT,
 * and check rejects clashing modes naming both inputs.
 */
import { meetsVobizRules } from "../../provider/lifecycle/generatedPassword";
import { VobizConfigError, VobizServerError } from "../../provider/common/errors";
import type { CredentialOutputs, VobizCredentialProvider } from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs } from "../../provider/contract/table";
import {
  apiCredential,
  apiError,
  apiList,
  captureOutput,
  checked,
  CREATE_PATH,
  credentialPath,
  errorText,
  expectFreeOf,
  LIST_PATH,
  mockApi,
  newProvider,
  PROVIDER_NOW,
  stateOf,
  thrown,
  useNock,
} from "./provider.harness";

const ID = "11111111-2222-4333-8444-555555555555";
const USERNAME = "office_desk-1";
const DECLARED = "pw_Unit_SECRET_1";
const OLD_GENERATED = "Old~Generated~Pw_01";
const DAY = 86_400_000;

useNock();

/** Every password the provider sent, so the output checks can look for them. */
function sentPasswords(requests: { body?: unknown }[]): string[] {
  return requests.flatMap((r) => {
    const pw = (r.body as { password?: unknown } | undefined)?.password;
    return typeof pw === "string" ? [pw] : [];
  });
}

let output: ReturnType<typeof captureOutput>;
let seen: string[];
beforeEach(() => {
  output = captureOutput();
  seen = [DECLARED, OLD_GENERATED];
});
afterEach(() => {
  output.restore();
  expectFreeOf(output.text(), seen);
});

/** State of a credential created in generated mode at `setAt`. */
function generatedState(inputs: CredentialInputs, setAt = PROVIDER_NOW): CredentialOutputs {
  return stateOf(inputs, { password: OLD_GENERATED, passwordSetAt: setAt });
}

describe("create with generatePassword", () => {
  test("one POST with a fresh password meeting both rules; it is the password output; passwordSetAt is now", async () => {
    const p = await newProvider();
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const inputs = await checked(p, { username: USERNAME, generatePassword: true });
    expect(inputs).toMatchObject({ generatePassword: true, passwordLength: 20 });
    expect(inputs).not.toHaveProperty("password");

    const res = await p.create(inputs);

    const [sent] = sentPasswords(api.requests);
    seen.push(sent);
    expect(api.requests.map((r) => r.method)).toEqual(["POST"]);
    expect(meetsVobizRules(sent)).toBe(true);
    expect(res.outs).toMatchObject({ password: sent, passwordSetAt: PROVIDER_NOW, generatePassword: true });
  });

  test("passwordLength sets the length", async () => {
    const p = await newProvider();
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    await p.create(await checked(p, { username: USERNAME, generatePassword: true, passwordLength: 8 }));
    const [sent] = sentPasswords(api.requests);
    seen.push(sent);
    expect(sent).toHaveLength(8);
    expect(meetsVobizRules(sent)).toBe(true);
  });

  test("adopting an existing username sets a generated password with one PUT", async () => {
    const p = await newProvider();
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(409, apiError("DUPLICATE_USERNAME", "username taken"));
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential()]));
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());
    const inputs = await checked(p, { username: USERNAME, generatePassword: true, adoptExisting: true });

    const res = await p.create(inputs);

    expect(api.requests.map((r) => r.method)).toEqual(["POST", "GET", "PUT"]);
    const [posted, put] = sentPasswords(api.requests);
    seen.push(posted, put);
    expect(put).toBe(posted); // one generated value per create
    expect(res.outs).toMatchObject({ password: put, passwordSetAt: PROVIDER_NOW });
  });
});

describe("diff plans rotations with no request", () => {
  let p: VobizCredentialProvider;
  let news: CredentialInputs;
  beforeEach(async () => {
    p = await newProvider({ now: () => Date.parse(PROVIDER_NOW) + 10 * DAY });
    news = await checked(p, {
      username: USERNAME,
      generatePassword: true,
      rotationTriggers: { rotation: "1" },
    });
  });

  test("the same program: no change (the generated password in state is no difference)", async () => {
    const api = mockApi();
    expect(await p.diff(ID, generatedState(news), news)).toEqual({ changes: false });
    expect(api.requests).toEqual([]);
  });

  test("a changed trigger value, an added key, another key order (no change) and an unknown value", async () => {
    const olds = generatedState(news);
    const changed = await checked(p, {
      username: USERNAME,
      generatePassword: true,
      rotationTriggers: { rotation: "2" },
    });
    const added = await checked(p, {
      username: USERNAME,
      generatePassword: true,
      rotationTriggers: { rotation: "1", image: "sha256:abc" },
    });
    expect((await p.diff(ID, olds, changed)).changes).toBe(true);
    expect((await p.diff(ID, olds, added)).changes).toBe(true);
    const reordered = { ...olds, rotationTriggers: { image: "a", rotation: "1" } };
    const sameKeys = await checked(p, {
      username: USERNAME,
      generatePassword: true,
      rotationTriggers: { rotation: "1", image: "a" },
    });
    expect((await p.diff(ID, reordered, sameKeys)).changes).toBe(false);
    const unknown = { ...news, rotationTriggers: { rotation: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } };
    expect((await p.diff(ID, olds, unknown)).changes).toBe(true);
  });

  test("age: due at rotateAfter after passwordSetAt, by the provider's clock", async () => {
    const aged = await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "10d" });
    expect((await p.diff(ID, generatedState(aged), aged)).changes).toBe(true);
    const younger = await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "11d" });
    expect((await p.diff(ID, generatedState(younger), younger)).changes).toBe(false);
  });

  test("no environment variable moves the shipped provider's clock (VOBIZ_NOW is not read)", async () => {
    const q = await newProvider({ env: { VOBIZ_NOW: "2099-01-01T00:00:00Z" }, now: undefined });
    const inputs = await checked(q, { username: USERNAME, generatePassword: true, rotateAfter: "90d" });
    const setNow = { ...generatedState(inputs), passwordSetAt: new Date().toISOString() };
    expect((await q.diff(ID, setNow, inputs)).changes).toBe(false);
    const setLongAgo = { ...setNow, passwordSetAt: new Date(Date.now() - 91 * DAY).toISOString() };
    expect((await q.diff(ID, setLongAgo, inputs)).changes).toBe(true);
  });

  test("a state written before passwordSetAt existed is aged from createdAt; with neither, never due", async () => {
    const aged = await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "10d" });
    const oldState = (createdAt: string | undefined): CredentialOutputs => {
      const state = generatedState(aged);
      delete state.passwordSetAt;
      if (createdAt === undefined) delete state.createdAt;
      else state.createdAt = createdAt;
      return state;
    };
    const now = Date.parse(PROVIDER_NOW) + 10 * DAY; // p's clock
    expect((await p.diff(ID, oldState(new Date(now - 10 * DAY).toISOString()), aged)).changes).toBe(true);
    expect((await p.diff(ID, oldState(new Date(now - 9 * DAY).toISOString()), aged)).changes).toBe(false);
    expect((await p.diff(ID, oldState(undefined), aged)).changes).toBe(false);
    // passwordSetAt wins when both are there: a recent one is not due, however old createdAt is.
    const recent = {
      ...oldState(new Date(now - 30 * DAY).toISOString()),
      passwordSetAt: new Date(now - DAY).toISOString(),
    };
    expect((await p.diff(ID, recent, aged)).changes).toBe(false);
  });
});

describe("update rotates with one PUT", () => {
  test("a trigger change: one PUT {password: <new>}; state holds the new one and the new passwordSetAt", async () => {
    const later = Date.parse(PROVIDER_NOW) + DAY;
    const p = await newProvider({ now: () => later });
    const olds = generatedState(
      await checked(p, { username: USERNAME, generatePassword: true, rotationTriggers: { r: 1 } }),
    );
    const news = await checked(p, { username: USERNAME, generatePassword: true, rotationTriggers: { r: 2 } });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());

    const res = await p.update(ID, olds, news);

    expect(api.requests.map((r) => r.method)).toEqual(["PUT"]);
    expect(Object.keys(api.requests[0].body as object)).toEqual(["password"]);
    const [sent] = sentPasswords(api.requests);
    seen.push(sent);
    expect(sent).not.toBe(OLD_GENERATED);
    expect(meetsVobizRules(sent)).toBe(true);
    expect(res.outs).toMatchObject({
      password: sent,
      rotationTriggers: { r: 2 },
      passwordSetAt: new Date(later).toISOString(),
    });
  });

  test("age: one PUT with a new password", async () => {
    const p = await newProvider({ now: () => Date.parse(PROVIDER_NOW) + 30 * DAY });
    const news = await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "30d" });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());
    const res = await p.update(ID, generatedState(news), news);
    const [sent] = sentPasswords(api.requests);
    seen.push(sent);
    expect(api.requests).toHaveLength(1);
    expect(res.outs?.password).toBe(sent);
  });

  test("an old state without passwordSetAt, older than rotateAfter by createdAt: one PUT, then passwordSetAt is recorded", async () => {
    const now = Date.parse(PROVIDER_NOW) + 30 * DAY;
    const p = await newProvider({ now: () => now });
    const news = await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "30d" });
    const olds = generatedState(news);
    delete olds.passwordSetAt;
    olds.createdAt = new Date(now - 31 * DAY).toISOString();
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());
    const res = await p.update(ID, olds, news);
    const [sent] = sentPasswords(api.requests);
    seen.push(sent);
    expect(api.requests.map((r) => Object.keys(r.body as object))).toEqual([["password"]]);
    expect(res.outs).toMatchObject({ password: sent, passwordSetAt: new Date(now).toISOString() });
  });

  test("changing only rotateAfter (not yet due) sends nothing and keeps the password and its time", async () => {
    const p = await newProvider();
    const olds = generatedState(
      await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "90d" }),
    );
    const news = await checked(p, { username: USERNAME, generatePassword: true, rotateAfter: "30d" });
    const api = mockApi();
    const res = await p.update(ID, olds, news);
    expect(api.requests).toEqual([]);
    expect(res.outs).toMatchObject({
      password: OLD_GENERATED,
      passwordSetAt: PROVIDER_NOW,
      rotateAfter: "30d",
    });
  });

  test("an unrelated change keeps the generated password and its time", async () => {
    const p = await newProvider();
    const olds = generatedState(await checked(p, { username: USERNAME, generatePassword: true }));
    const news = await checked(p, { username: USERNAME, generatePassword: true, enabled: false });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ enabled: false }));
    const res = await p.update(ID, olds, news);
    expect(api.requests.map((r) => r.body)).toEqual([{ enabled: false }]);
    expect(res.outs).toMatchObject({ password: OLD_GENERATED, passwordSetAt: PROVIDER_NOW });
  });

  test("declared -> generated -> write-only -> declared: each one PUT holding only the password", async () => {
    const p = await newProvider({ env: { SIP_PW: "wo_Env_SECRET_1" } });
    seen.push("wo_Env_SECRET_1");
    const declared = await checked(p, { username: USERNAME, password: DECLARED });
    const generated = await checked(p, { username: USERNAME, generatePassword: true });
    const writeOnly = await checked(p, { username: USERNAME, passwordFrom: { env: "SIP_PW" } });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).times(3).reply(200, apiCredential());

    const g = (await p.update(ID, stateOf(declared), generated)).outs!;
    const w = (await p.update(ID, g, writeOnly)).outs!;
    const d = (await p.update(ID, w, declared)).outs!;

    const sent = sentPasswords(api.requests);
    seen.push(sent[0]);
    expect(api.requests.map((r) => Object.keys(r.body as object))).toEqual([
      ["password"],
      ["password"],
      ["password"],
    ]);
    expect(meetsVobizRules(sent[0])).toBe(true);
    expect(sent.slice(1)).toEqual(["wo_Env_SECRET_1", DECLARED]);
    expect(g.password).toBe(sent[0]);
    expect(w).not.toHaveProperty("password");
    expect(d.password).toBe(DECLARED);
    expect(d).not.toHaveProperty("generatePassword");
  });

  test("write-only: a trigger change re-reads the source and sends it (one PUT)", async () => {
    const p = await newProvider({ env: { SIP_PW: "wo_Env_SECRET_2" } });
    seen.push("wo_Env_SECRET_2");
    const olds = stateOf(
      await checked(p, { username: USERNAME, passwordFrom: { env: "SIP_PW" }, rotationTriggers: { r: "1" } }),
    );
    const news = await checked(p, {
      username: USERNAME,
      passwordFrom: { env: "SIP_PW" },
      rotationTriggers: { r: "2" },
    });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());
    const res = await p.update(ID, olds, news);
    expect(api.requests.map((r) => r.body)).toEqual([{ password: "wo_Env_SECRET_2" }]);
    expect(res.outs).not.toHaveProperty("password");
    expect(res.outs?.passwordSetAt).toBe(PROVIDER_NOW);
  });

  test("an old state with rotationTriggers next to a declared password: removing them changes state only", async () => {
    const p = await newProvider();
    // Written before check refused the combination (check would refuse these inputs now).
    const olds = stateOf(await checked(p, { username: USERNAME, password: DECLARED }), {
      rotationTriggers: { rotation: "1" },
      passwordSetAt: PROVIDER_NOW,
    });
    const news = await checked(p, { username: USERNAME, password: DECLARED });
    expect((await p.diff(ID, olds, news)).changes).toBe(true);
    const api = mockApi();
    const res = await p.update(ID, olds, news);
    expect(api.requests).toEqual([]);
    expect(res.outs).not.toHaveProperty("rotationTriggers");
    expect(res.outs?.passwordSetAt).toBe(PROVIDER_NOW);
  });

  test("a declared password cannot rotate itself: no request, a message saying what to do", async () => {
    const p = await newProvider({ now: () => Date.parse(PROVIDER_NOW) + 100 * DAY });
    const olds = stateOf(await checked(p, { username: USERNAME, password: DECLARED, rotateAfter: "90d" }), {
      passwordSetAt: PROVIDER_NOW,
    });
    const news = await checked(p, { username: USERNAME, password: DECLARED, rotateAfter: "90d" });
    expect((await p.diff(ID, olds, news)).changes).toBe(true); // the plan shows it is due
    const api = mockApi();
    const e = await thrown(() => p.update(ID, olds, news));
    expect(e).toBeInstanceOf(VobizConfigError);
    expect(e.message).toMatch(
      /older than rotateAfter \(90d\).*Declare a new password.*generatePassword: true/,
    );
    expect(api.requests).toEqual([]);
    // A new declared value in the same update rotates it.
    const renewed = await checked(p, {
      username: USERNAME,
      password: "pw_Unit_SECRET_9",
      rotateAfter: "90d",
    });
    seen.push("pw_Unit_SECRET_9");
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());
    const res = await p.update(ID, olds, renewed);
    expect(api.requests.map((r) => r.body)).toEqual([{ password: "pw_Unit_SECRET_9" }]);
    expect(res.outs?.passwordSetAt).toBe(new Date(Date.parse(PROVIDER_NOW) + 100 * DAY).toISOString());
  });

  test("a failed rotation throws (the engine keeps the old state) and names the next step", async () => {
    const p = await newProvider();
    const olds = generatedState(
      await checked(p, { username: USERNAME, generatePassword: true, rotationTriggers: { r: 1 } }),
    );
    const news = await checked(p, { username: USERNAME, generatePassword: true, rotationTriggers: { r: 2 } });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).times(3).reply(503, apiError("UNAVAILABLE", "try later"));
    const e = await thrown(() => p.update(ID, olds, news));
    seen.push(...sentPasswords(api.requests));
    expect(api.requests).toHaveLength(3);
    expect(new Set(sentPasswords(api.requests)).size).toBe(1); // retries resend the same new password
    expect(e).toBeInstanceOf(VobizServerError);
    expect(e.message).toMatch(/state keeps the previous one.*run `pulumi up` again to finish it/);
    expectFreeOf(errorText(e), seen);
  });
});

describe("read keeps the generated password and its time", () => {
  test("refresh: props hold them; the inputs do not hold the generated password", async () => {
    const p = await newProvider();
    const inputs = await checked(p, { username: USERNAME, generatePassword: true });
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential()]));
    const res = await p.read!(ID, generatedState(inputs, "2025-02-01T00:00:00.000Z"));
    expect(res.props).toMatchObject({ password: OLD_GENERATED, passwordSetAt: "2025-02-01T00:00:00.000Z" });
    expect(res.inputs).not.toHaveProperty("password");
  });
});

describe("check: the password modes", () => {
  test.each([
    [{ password: DECLARED, generatePassword: true }, "generatePassword", /'password' and 'generatePassword'/],
    [
      { passwordFrom: { env: "X" }, generatePassword: true },
      "generatePassword",
      /'passwordFrom' and 'generatePassword'/,
    ],
    [
      { password: DECLARED, passwordLength: 12 },
      "passwordLength",
      /only applies together with 'generatePassword: true'/,
    ],
    [{ generatePassword: true, passwordLength: 21 }, "passwordLength", /at most 20/],
    [{ generatePassword: true, passwordLength: 7 }, "passwordLength", /at least 8/],
    [{ generatePassword: true, rotateAfter: "90 days" }, "rotateAfter", /e\.g\. '90d'/],
    [
      { generatePassword: true, rotationTriggers: ["a"] },
      "rotationTriggers",
      /map of strings, numbers or booleans/,
    ],
    [{ generatePassword: true, rotationTriggers: { a: { b: 1 } } }, "rotationTriggers", /map of strings/],
    [{}, "password", /'generatePassword: true'/],
  ])("%j fails on %s", async (raw, property, reason) => {
    const p = await newProvider();
    const result = await p.check({}, { username: USERNAME, ...raw });
    expect(result.failures).toContainEqual({ property, reason: expect.stringMatching(reason) });
  });

  test("generatePassword: false is the same as leaving it out", async () => {
    const p = await newProvider();
    expect(
      await checked(p, { username: USERNAME, password: DECLARED, generatePassword: false }),
    ).not.toHaveProperty("generatePassword");
  });
});
