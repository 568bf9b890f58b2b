/**
 * The provider's create, read, update and delete against a nock double of the Vobiz API: the
 * exact requests of every branch, the outputs, and that no secret leaks into an error, an
 * output or the console.
 */
import { nock } from "../helpers/nock";
import { fieldChanges } from "../../provider/contract/fields";
import { VobizPartialCreateError } from "../../provider/lifecycle/partialCreate";
import { VobizConflictError } from "../../provider/common/errors";
import type { CredentialOutputs, VobizCredentialProvider } from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs } from "../../provider/contract/table";
import {
  ACCOUNT_PATH,
  apiCredential,
  apiError,
  apiList,
  AUTH_ID,
  AUTH_TOKEN,
  captureOutput,
  checked,
  CREATE_PATH,
  CREATED_AT,
  credentialPath,
  errorText,
  expectFreeOf,
  LIST_PATH,
  mockApi,
  newProvider,
  PROVIDER_NOW,
  REALM,
  stateOf,
  thrown,
  undefinedPaths,
  UPDATED_AT,
  useNock,
} from "./provider.harness";

const PASSWORD = "pw_Unit_SECRET_1";
const NEW_PASSWORD = "pw_Unit_SECRET_2";
const CONFIG_PASSWORD = "wo_Config_SECRET_1";
const ENV_PASSWORD = "wo_Env_SECRET_1";
const ROTATED_PASSWORD = "wo_Config_SECRET_2";
const ID = "11111111-2222-4333-8444-555555555555";
const USERNAME = "office_desk-1";
const SECRETS = [PASSWORD, NEW_PASSWORD, CONFIG_PASSWORD, ENV_PASSWORD, ROTATED_PASSWORD, AUTH_TOKEN];

useNock();

let output: ReturnType<typeof captureOutput>;
beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  expectFreeOf(output.text(), SECRETS);
});

/** Asserts the outputs are engine-safe (no undefined anywhere) and returns them typed. */
function expectCleanOutputs(outs: unknown): CredentialOutputs {
  expect(undefinedPaths(outs)).toEqual([]);
  return outs as CredentialOutputs;
}

async function expectThrowsClean(fn: () => Promise<unknown>): Promise<Error> {
  const e = await thrown(fn);
  expectFreeOf(errorText(e), SECRETS);
  return e;
}

describe("create", () => {
  let p: VobizCredentialProvider;
  beforeEach(async () => {
    p = await newProvider();
  });

  test("defaults: POST {username, password} only, no PUT, full outputs", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD });

    const res = await p.create(inputs);

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: PASSWORD } },
    ]);
    expect(res.id).toBe(ID);
    expect(expectCleanOutputs(res.outs)).toEqual({
      username: USERNAME,
      password: PASSWORD,
      enabled: true,
      adoptExisting: false,
      realm: REALM,
      accountId: AUTH_ID,
      createdAt: CREATED_AT,
      updatedAt: UPDATED_AT,
      passwordSetAt: PROVIDER_NOW,
    });
  });

  test("explicit enabled: true and an empty description still need no PUT", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const inputs = await checked(p, {
      username: USERNAME,
      password: PASSWORD,
      enabled: true,
      description: "",
    });
    const res = await p.create(inputs);
    expect(api.requests.map((r) => r.method)).toEqual(["POST"]);
    expect(res.outs).not.toHaveProperty("description");
  });

  test("enabled: false: POST, then one PUT {enabled: false}", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope
      .put(credentialPath(ID))
      .reply(200, apiCredential({ enabled: false, updated_at: "2025-01-02T03:05:00Z" }));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD, enabled: false });

    const res = await p.create(inputs);

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: PASSWORD } },
      { method: "PUT", path: credentialPath(ID), body: { enabled: false } },
    ]);
    const outs = expectCleanOutputs(res.outs);
    expect(outs.enabled).toBe(false);
    expect(outs.updatedAt).toBe("2025-01-02T03:05:00Z");
  });

  test("description: POST, then one PUT {description}", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ description: "Front desk" }));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD, description: "Front desk" });

    const res = await p.create(inputs);

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: PASSWORD } },
      { method: "PUT", path: credentialPath(ID), body: { description: "Front desk" } },
    ]);
    expect(expectCleanOutputs(res.outs).description).toBe("Front desk");
  });

  test("enabled: false and a description together: still one PUT holding both", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ enabled: false, description: "Spare" }));
    const inputs = await checked(p, {
      username: USERNAME,
      password: PASSWORD,
      enabled: false,
      description: "Spare",
    });
    await p.create(inputs);
    expect(api.requests.slice(1)).toEqual([
      { method: "PUT", path: credentialPath(ID), body: { enabled: false, description: "Spare" } },
    ]);
  });

  test("a failing follow-up PUT deletes the new credential again and says nothing is left behind", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).times(3).reply(500, apiError("INTERNAL", "boom"));
    api.scope.delete(credentialPath(ID)).reply(204);
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD, enabled: false });

    const e = await expectThrowsClean(() => p.create(inputs));

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: PASSWORD } },
      { method: "PUT", path: credentialPath(ID), body: { enabled: false } },
      { method: "PUT", path: credentialPath(ID), body: { enabled: false } },
      { method: "PUT", path: credentialPath(ID), body: { enabled: false } },
      { method: "DELETE", path: credentialPath(ID) },
    ]);
    expect(e.message).toMatch(/deleted/);
    expect(e.message).toMatch(/nothing was left behind/);
    expect(e.message).toContain("500");
  });

  test("rollback whose DELETE finds the credential already gone (404) still reports nothing left behind", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).reply(422, apiError("VALIDATION_ERROR", "description too long"));
    api.scope.delete(credentialPath(ID)).reply(404, apiError("NOT_FOUND", "no such credential"));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD, description: "x".repeat(300) });

    const e = await expectThrowsClean(() => p.create(inputs));

    expect(api.requests.map((r) => r.method)).toEqual(["POST", "PUT", "DELETE"]);
    expect(e.message).toMatch(/nothing was left behind/);
  });

  test("rollback whose DELETE fails too: a partial create the engine records (id and the live state)", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).reply(422, apiError("VALIDATION_ERROR", "bad description"));
    api.scope.delete(credentialPath(ID)).reply(409, apiError("IN_USE", "credential in use"));
    const inputs = await checked(p, {
      username: USERNAME,
      password: PASSWORD,
      description: "Desk",
      enabled: false,
    });

    const e = await expectThrowsClean(() => p.create(inputs));

    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${CREATE_PATH}`,
      `PUT ${credentialPath(ID)}`,
      `DELETE ${credentialPath(ID)}`,
    ]);
    expect(e).toBeInstanceOf(VobizPartialCreateError);
    const partial = e as VobizPartialCreateError;
    expect(e.message).toContain(ID);
    expect(e.message).toContain(USERNAME);
    expect(e.message).toMatch(/run `pulumi up` again/);
    expect(e.message).not.toMatch(/nothing was left behind/);
    expect(partial.reasons).toEqual([e.message]);
    // What the host sends as "created but not initialised": the id, and the state as created
    // (enabled, no description) without the password (an error holds no secret), so the next
    // update applies the missing two and sends the same password again, in one PUT.
    expect(partial.id).toBe(ID);
    expect(partial.properties).toMatchObject({ username: USERNAME, enabled: true, accountId: AUTH_ID });
    expect(partial.properties).not.toHaveProperty("description");
    expect(partial.properties).not.toHaveProperty("password");
    expect(fieldChanges(partial.properties, inputs)).toEqual({
      replaces: [],
      updates: ["password", "enabled", "description"],
    });
  });

  test("rollback whose DELETE fails too, write-only mode: the state keeps the source, so nothing is read again", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).reply(422, apiError("VALIDATION_ERROR", "bad description"));
    api.scope.delete(credentialPath(ID)).reply(409, apiError("IN_USE", "credential in use"));
    const wo = await newProvider({ env: { SIP_PW: ENV_PASSWORD } });
    const inputs = await checked(wo, { username: USERNAME, passwordFrom: { env: "SIP_PW" }, enabled: false });

    const e = await expectThrowsClean(() => wo.create(inputs));

    const partial = e as VobizPartialCreateError;
    expect(partial.properties).toMatchObject({ passwordFrom: { env: "SIP_PW" }, passwordVersion: 0 });
    expect(fieldChanges(partial.properties, inputs)).toEqual({ replaces: [], updates: ["enabled"] });
  });

  test("409 with adoptExisting: POST, list, then one PUT with the declared password", async () => {
    const api = mockApi();
    const existingId = "99999999-2222-4333-8444-555555555555";
    api.scope.post(CREATE_PATH).reply(409, apiError("DUPLICATE_USERNAME", "username already exists"));
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(
        200,
        apiList([
          apiCredential({ id: "other", username: "someone_else" }),
          apiCredential({ id: existingId }),
        ]),
      );
    api.scope.put(credentialPath(existingId)).reply(200, apiCredential({ id: existingId }));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD, adoptExisting: true });

    const res = await p.create(inputs);

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: PASSWORD } },
      { method: "GET", path: expect.stringMatching(new RegExp(`^${LIST_PATH}\\?`)) },
      { method: "PUT", path: credentialPath(existingId), body: { password: PASSWORD } },
    ]);
    expect(res.id).toBe(existingId);
    const outs = expectCleanOutputs(res.outs);
    expect(outs.adoptExisting).toBe(true);
    expect(outs.password).toBe(PASSWORD);
  });

  test("409 with adoptExisting: the PUT also sets enabled and description when they differ", async () => {
    const api = mockApi();
    const existingId = "99999999-2222-4333-8444-555555555555";
    api.scope.post(CREATE_PATH).reply(409, apiError("DUPLICATE_USERNAME", "username already exists"));
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: existingId, enabled: true, description: "old text" })]));
    api.scope
      .put(credentialPath(existingId))
      .reply(200, apiCredential({ id: existingId, enabled: false, description: "Lobby" }));
    const inputs = await checked(p, {
      username: USERNAME,
      password: PASSWORD,
      enabled: false,
      description: "Lobby",
      adoptExisting: true,
    });

    const res = await p.create(inputs);

    expect(api.requests[2]).toEqual({
      method: "PUT",
      path: credentialPath(existingId),
      body: { password: PASSWORD, enabled: false, description: "Lobby" },
    });
    const outs = expectCleanOutputs(res.outs);
    expect(outs).toMatchObject({ enabled: false, description: "Lobby", adoptExisting: true });
  });

  test("409 with adoptExisting but the username is not in the list: a clear error, no PUT", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(409, apiError("DUPLICATE_USERNAME", "username already exists"));
    api.scope.get(LIST_PATH).query(true).reply(200, apiList([]));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD, adoptExisting: true });

    const e = await expectThrowsClean(() => p.create(inputs));

    expect(api.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
    expect(e.message).toContain(USERNAME);
    expect(e.message).toMatch(/vobiz:authId/);
  });

  test("409 without adoptExisting: fails after the POST alone, explaining adoptExisting", async () => {
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(409, apiError("DUPLICATE_USERNAME", "username already exists"));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD });

    const e = await expectThrowsClean(() => p.create(inputs));

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: PASSWORD } },
    ]);
    expect(e.message).toContain("409");
    expect(e.message).toContain("adoptExisting");
  });

  test("an API error that echoes the password is masked in the thrown error", async () => {
    const api = mockApi();
    api.scope
      .post(CREATE_PATH)
      .reply(422, apiError("VALIDATION_ERROR", `password '${PASSWORD}' is too weak`, { password: PASSWORD }));
    const inputs = await checked(p, { username: USERNAME, password: PASSWORD });

    const e = await expectThrowsClean(() => p.create(inputs));

    expect(api.requests).toHaveLength(1);
    expect(e.message).toContain("422");
  });

  test("VOBIZ_DEBUG traces go to stderr without the token or the password", async () => {
    const debugging = await newProvider({ env: { VOBIZ_DEBUG: "1" } });
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope
      .put(credentialPath(ID))
      .reply(503)
      .put(credentialPath(ID))
      .reply(200, apiCredential({ enabled: false }));
    const inputs = await checked(debugging, { username: USERNAME, password: PASSWORD, enabled: false });

    await debugging.create(inputs);

    expect(api.requests.map((r) => r.method)).toEqual(["POST", "PUT", "PUT"]);
    expect(output.text()).toContain("PUT");
    // The afterEach hook asserts the captured output holds no secret.
  });
});

describe("update", () => {
  let p: VobizCredentialProvider;
  let olds: CredentialOutputs;
  beforeEach(async () => {
    p = await newProvider();
    olds = stateOf(await checked(p, { username: USERNAME, password: PASSWORD, description: "Front desk" }), {
      description: "Front desk",
    });
  });

  test("one changed field: one PUT holding exactly that field", async () => {
    const api = mockApi();
    api.scope
      .put(credentialPath(ID))
      .reply(200, apiCredential({ description: "Front desk", updated_at: "2025-02-01T00:00:00Z" }));
    const news = await checked(p, { username: USERNAME, password: NEW_PASSWORD, description: "Front desk" });

    const res = await p.update(ID, olds, news);

    expect(api.requests).toEqual([
      { method: "PUT", path: credentialPath(ID), body: { password: NEW_PASSWORD } },
    ]);
    expect(expectCleanOutputs(res.outs)).toEqual({
      username: USERNAME,
      password: NEW_PASSWORD,
      enabled: true,
      adoptExisting: false,
      description: "Front desk",
      realm: REALM,
      accountId: AUTH_ID,
      createdAt: CREATED_AT,
      updatedAt: "2025-02-01T00:00:00Z",
      passwordSetAt: PROVIDER_NOW,
    });
  });

  test("several changed fields: one PUT holding exactly those", async () => {
    const api = mockApi();
    api.scope
      .put(credentialPath(ID))
      .reply(200, apiCredential({ enabled: false, description: "Back office" }));
    const news = await checked(p, {
      username: USERNAME,
      password: NEW_PASSWORD,
      enabled: false,
      description: "Back office",
    });

    const res = await p.update(ID, olds, news);

    expect(api.requests).toEqual([
      {
        method: "PUT",
        path: credentialPath(ID),
        body: { password: NEW_PASSWORD, enabled: false, description: "Back office" },
      },
    ]);
    expect(expectCleanOutputs(res.outs)).toMatchObject({
      password: NEW_PASSWORD,
      enabled: false,
      description: "Back office",
    });
  });

  test("only enabled changed: PUT {enabled}", async () => {
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ enabled: false }));
    const news = await checked(p, {
      username: USERNAME,
      password: PASSWORD,
      enabled: false,
      description: "Front desk",
    });
    await p.update(ID, olds, news);
    expect(api.requests).toEqual([{ method: "PUT", path: credentialPath(ID), body: { enabled: false } }]);
  });

  test.each([
    ["absent", {}],
    ["empty", { description: "" }],
    ["null", { description: null }],
  ])(
    'description removed (%s): PUT {description: ""} and no description in the outputs',
    async (_name, extra) => {
      const api = mockApi();
      api.scope.put(credentialPath(ID)).reply(200, apiCredential({ description: "" }));
      const news = await checked(p, { username: USERNAME, password: PASSWORD, ...extra });

      const res = await p.update(ID, olds, news);

      expect(api.requests).toEqual([{ method: "PUT", path: credentialPath(ID), body: { description: "" } }]);
      expect(expectCleanOutputs(res.outs)).not.toHaveProperty("description");
    },
  );

  test("nothing API-relevant changed (adoptExisting only): no request, full outputs", async () => {
    const api = mockApi();
    const news = await checked(p, {
      username: USERNAME,
      password: PASSWORD,
      description: "Front desk",
      adoptExisting: true,
    });

    const res = await p.update(ID, olds, news);

    expect(api.requests).toEqual([]);
    expect(expectCleanOutputs(res.outs)).toEqual({ ...olds, adoptExisting: true });
  });

  test("404: fails with a message that points at pulumi refresh", async () => {
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(404, apiError("NOT_FOUND", "credential not found"));
    const news = await checked(p, { username: USERNAME, password: NEW_PASSWORD, description: "Front desk" });

    const e = await expectThrowsClean(() => p.update(ID, olds, news));

    expect(api.requests).toHaveLength(1);
    expect(e.message).toContain("404");
    expect(e.message).toMatch(/pulumi refresh/);
  });
});

describe("read", () => {
  let p: VobizCredentialProvider;
  let state: CredentialOutputs;
  beforeEach(async () => {
    p = await newProvider();
    state = stateOf(await checked(p, { username: USERNAME, password: PASSWORD, description: "Front desk" }), {
      description: "Front desk",
    });
  });

  /** Reads may page or confirm a miss with a second scan; every request must be a list GET. */
  function expectOnlyListReads(requests: { method: string; path: string }[]) {
    expect(requests.length).toBeGreaterThanOrEqual(1);
    for (const r of requests) {
      expect(r.method).toBe("GET");
      expect(r.path.startsWith(`${LIST_PATH}?`)).toBe(true);
    }
  }

  test("a live credential: live fields as outputs, the password kept from state, and inputs", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(
        200,
        apiList([
          apiCredential({ id: "other", username: "someone_else" }),
          apiCredential({ description: "Front desk", updated_at: "2025-03-01T00:00:00Z" }),
        ]),
      );

    const res = await p.read(ID, state);

    expectOnlyListReads(api.requests);
    expect(res.id).toBe(ID);
    expect(expectCleanOutputs(res.props)).toEqual({
      ...state,
      updatedAt: "2025-03-01T00:00:00Z",
    });
    expect(expectCleanOutputs(res.inputs)).toEqual({
      username: USERNAME,
      password: PASSWORD,
      enabled: true,
      description: "Front desk",
      adoptExisting: false,
      accountId: AUTH_ID, // for the engine's display of an account switch (operations.ts withAccount)
    });
  });

  test("a deleted credential: {} (no id), so the engine drops it", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .times(2)
      .reply(200, apiList([apiCredential({ id: "other", username: "someone_else" })]));

    const res = await p.read(ID, state);

    expect(res).toEqual({});
    expectOnlyListReads(api.requests);
    nock.cleanAll(); // a second (confirming) scan is allowed, not required
  });

  test("keeps the description from state when the API omits the field", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential()]));
    const res = await p.read(ID, state);
    expect(res.props?.description).toBe("Front desk");
    expect(res.inputs?.description).toBe("Front desk");
  });

  test("drift: a credential disabled outside Pulumi reads as enabled: false", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ enabled: false })]));
    const res = await p.read(ID, state);
    expect(res.props?.enabled).toBe(false);
    expect(res.inputs?.enabled).toBe(false);
    expect(res.props?.password).toBe(PASSWORD);
  });

  test("drift: a description changed or cleared outside Pulumi", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ description: "" })]));
    const res = await p.read(ID, state);
    expect(expectCleanOutputs(res.props)).not.toHaveProperty("description");
    expect(expectCleanOutputs(res.inputs)).not.toHaveProperty("description");
  });
});

describe("delete", () => {
  let p: VobizCredentialProvider;
  let state: CredentialOutputs;
  beforeEach(async () => {
    p = await newProvider();
    state = stateOf(await checked(p, { username: USERNAME, password: PASSWORD }));
  });

  test("204: one DELETE", async () => {
    const api = mockApi();
    api.scope.delete(credentialPath(ID)).reply(204);
    await p.delete(ID, state);
    expect(api.requests).toEqual([{ method: "DELETE", path: credentialPath(ID) }]);
  });

  test("200 with a body is fine too", async () => {
    const api = mockApi();
    api.scope.delete(credentialPath(ID)).reply(200, { message: "deleted" });
    await p.delete(ID, state);
    expect(api.requests).toHaveLength(1);
  });

  test("404: already gone, success", async () => {
    const api = mockApi();
    api.scope.delete(credentialPath(ID)).reply(404, apiError("NOT_FOUND", "no such credential"));
    await expect(p.delete(ID, state)).resolves.toBeUndefined();
    expect(api.requests).toHaveLength(1);
  });

  test("409 (in use): fails once with the client's message, no retry loop", async () => {
    const api = mockApi();
    api.scope
      .delete(credentialPath(ID))
      .reply(409, apiError("CREDENTIAL_IN_USE", "credential has active calls"));

    const e = await expectThrowsClean(() => p.delete(ID, state));

    expect(api.requests).toHaveLength(1);
    expect(e.message).toContain("409");
    expect(e.message).toContain("credential has active calls");
    expect(e.message).toMatch(/Disable it first|enabled: false/);
  });

  test("409 (in use) of a credential state knows is disabled: no advice to disable it", async () => {
    const api = mockApi();
    api.scope
      .delete(credentialPath(ID))
      .reply(409, apiError("CREDENTIAL_IN_USE", "credential has active calls"));
    const e = await expectThrowsClean(() => p.delete(ID, { ...state, enabled: false }));
    expect(e).toBeInstanceOf(VobizConflictError);
    expect(e.message).toContain("credential has active calls");
    expect(e.message).toContain("It is already disabled, so no new call can start");
    expect(e.message).not.toMatch(/enabled: false|disable it first/i);
    expect(api.requests).toHaveLength(1);
  });
});

describe("a credential of another account", () => {
  let p: VobizCredentialProvider;
  let state: CredentialOutputs;
  let news: CredentialInputs;
  beforeEach(async () => {
    p = await newProvider();
    news = await checked(p, { username: USERNAME, password: NEW_PASSWORD });
    state = stateOf(await checked(p, { username: USERNAME, password: PASSWORD }), { accountId: "MA_OTHER" });
  });

  test.each([
    ["read", (q: VobizCredentialProvider) => q.read(ID, state)],
    ["update", (q: VobizCredentialProvider) => q.update(ID, state, news)],
    ["delete", (q: VobizCredentialProvider) => q.delete(ID, state)],
  ])("%s throws naming both accounts and sends no request", async (action, run) => {
    const api = mockApi();
    const e = await expectThrowsClean(() => run(p));
    expect(api.requests).toEqual([]);
    expect(e.message).toContain("MA_OTHER");
    expect(e.message).toContain(AUTH_ID);
    expect(e.message).toContain(action);
    expect(e.message).toContain(ID);
    expect(e.message).toContain("pulumi config set vobiz:releaseAccount MA_OTHER");
  });

  test.each([
    ["stack config", { config: { "vobiz:releaseAccount": "MA_OTHER" } }],
    ["environment", { env: { VOBIZ_RELEASE_ACCOUNT: "MA_OTHER" } }],
  ])(
    "with that account released (%s), delete and read drop it from the state without a request; update still refuses",
    async (_where, setup) => {
      const q = await newProvider(setup);
      const api = mockApi();
      await expect(q.delete(ID, state)).resolves.toBeUndefined();
      await expect(q.read(ID, state)).resolves.toEqual({});
      await expectThrowsClean(() => q.update(ID, state, news));
      expect(api.requests).toEqual([]);
    },
  );

  test("releasing another account changes nothing for this one's credentials", async () => {
    const q = await newProvider({ config: { "vobiz:releaseAccount": "MA_OTHER" } });
    const api = mockApi();
    api.scope.delete(credentialPath(ID)).reply(204);
    await q.delete(ID, { ...state, accountId: AUTH_ID });
    expect(api.requests).toEqual([{ method: "DELETE", path: credentialPath(ID), body: undefined }]);
  });
});

describe("write-only mode (passwordFrom)", () => {
  const config = { "proj:sipPassword": CONFIG_PASSWORD };

  test("create reads the password from a stack config key; outputs hold no password anywhere", async () => {
    const p = await newProvider({ config });
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const inputs = await checked(p, { username: USERNAME, passwordFrom: { config: "sipPassword" } });
    expect(JSON.stringify(inputs)).not.toContain(CONFIG_PASSWORD);

    const res = await p.create(inputs);

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: CONFIG_PASSWORD } },
    ]);
    const outs = expectCleanOutputs(res.outs);
    expect(outs).not.toHaveProperty("password");
    expect(outs).toMatchObject({ passwordFrom: { config: "sipPassword" }, passwordVersion: 0 });
    expectFreeOf(JSON.stringify(res), SECRETS);
  });

  test("create reads a fully qualified config key", async () => {
    const p = await newProvider({ config: { "other:pw": CONFIG_PASSWORD } });
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const res = await p.create(
      await checked(p, { username: USERNAME, passwordFrom: { config: "other:pw" } }),
    );
    expect(api.requests[0]?.body).toEqual({ username: USERNAME, password: CONFIG_PASSWORD });
    expectFreeOf(JSON.stringify(res), SECRETS);
  });

  test("create reads the password from an environment variable", async () => {
    const p = await newProvider({ env: { SIP_PASSWORD: ENV_PASSWORD }, config: {} });
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const inputs = await checked(p, {
      username: USERNAME,
      passwordFrom: { env: "SIP_PASSWORD" },
      passwordVersion: 3,
    });

    const res = await p.create(inputs);

    expect(api.requests).toEqual([
      { method: "POST", path: CREATE_PATH, body: { username: USERNAME, password: ENV_PASSWORD } },
    ]);
    const outs = expectCleanOutputs(res.outs);
    expect(outs).toMatchObject({ passwordFrom: { env: "SIP_PASSWORD" }, passwordVersion: 3 });
    expectFreeOf(JSON.stringify(res), SECRETS);
  });

  test("a missing config key: a clear error naming the key and the `pulumi config set --secret` fix, no request", async () => {
    const p = await newProvider({ config: {} });
    const api = mockApi();
    const inputs = (await p.check({}, { username: USERNAME, passwordFrom: { config: "sipPassword" } })) as {
      failures?: { property: string; reason: string }[];
    };
    // With the stack config known, check already reports it ...
    expect(inputs.failures).toEqual([
      { property: "passwordFrom", reason: expect.stringContaining("pulumi config set --secret sipPassword") },
    ]);
    // ... and create refuses too (e.g. when check ran before the key was removed).
    const e = await expectThrowsClean(() =>
      p.create({
        username: USERNAME,
        passwordFrom: { config: "sipPassword" },
        passwordVersion: 0,
        enabled: true,
        adoptExisting: false,
      }),
    );
    expect(api.requests).toEqual([]);
    expect(e.message).toContain("sipPassword");
    expect(e.message).toContain("pulumi config set --secret sipPassword");
  });

  test("a missing environment variable: a clear error naming it, no request", async () => {
    const p = await newProvider({ env: {} });
    const api = mockApi();
    const e = await expectThrowsClean(() =>
      p.create({
        username: USERNAME,
        passwordFrom: { env: "SIP_PASSWORD" },
        passwordVersion: 0,
        enabled: true,
        adoptExisting: false,
      }),
    );
    expect(api.requests).toEqual([]);
    expect(e.message).toContain("SIP_PASSWORD");
    expect(e.message).toMatch(/export SIP_PASSWORD/);
  });

  test.each([
    ["config", { "proj:sipPassword": "short7!" }, {}, { config: "sipPassword" }],
    ["env", {}, { SIP_PASSWORD: "short7!" }, { env: "SIP_PASSWORD" }],
  ])("a too-short value in %s: an error without the value, no request", async (_kind, cfg, env, source) => {
    const p = await newProvider({ config: cfg, env });
    const api = mockApi();
    const check = await p.check({}, { username: USERNAME, passwordFrom: source });
    expect(check.failures).toEqual([
      { property: "passwordFrom", reason: expect.stringMatching(/at least 8 characters/) },
    ]);
    expect(JSON.stringify(check)).not.toContain("short7!");

    const e = await thrown(() =>
      p.create({
        username: USERNAME,
        passwordFrom: source,
        passwordVersion: 0,
        enabled: true,
        adoptExisting: false,
      }),
    );
    expect(errorText(e)).not.toContain("short7!");
    expect(e.message).toMatch(/at least 8 characters/);
    expect(api.requests).toEqual([]);
  });

  test("bumping passwordVersion: one PUT {password: <new value>}; outputs hold no password", async () => {
    const p = await newProvider({ config: { "proj:sipPassword": ROTATED_PASSWORD } });
    const olds = stateOf(
      await checked(p, { username: USERNAME, passwordFrom: { config: "sipPassword" }, passwordVersion: 1 }),
    );
    const news = await checked(p, {
      username: USERNAME,
      passwordFrom: { config: "sipPassword" },
      passwordVersion: 2,
    });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ updated_at: "2025-04-01T00:00:00Z" }));

    const res = await p.update(ID, olds, news);

    expect(api.requests).toEqual([
      { method: "PUT", path: credentialPath(ID), body: { password: ROTATED_PASSWORD } },
    ]);
    const outs = expectCleanOutputs(res.outs);
    expect(outs).not.toHaveProperty("password");
    expect(outs.passwordVersion).toBe(2);
    expectFreeOf(JSON.stringify(res), SECRETS);
  });

  test("switching from password to passwordFrom: one PUT with the value from the source, password dropped from state", async () => {
    const p = await newProvider({ config });
    const olds = stateOf(await checked(p, { username: USERNAME, password: PASSWORD }));
    const news = await checked(p, { username: USERNAME, passwordFrom: { config: "sipPassword" } });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential());

    const res = await p.update(ID, olds, news);

    expect(api.requests).toEqual([
      { method: "PUT", path: credentialPath(ID), body: { password: CONFIG_PASSWORD } },
    ]);
    expect(expectCleanOutputs(res.outs)).not.toHaveProperty("password");
    expectFreeOf(JSON.stringify(res.outs), SECRETS);
  });

  test("an unrelated update in write-only mode does not resend the password", async () => {
    const p = await newProvider({ config });
    const olds = stateOf(await checked(p, { username: USERNAME, passwordFrom: { config: "sipPassword" } }));
    const news = await checked(p, {
      username: USERNAME,
      passwordFrom: { config: "sipPassword" },
      enabled: false,
    });
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ enabled: false }));
    await p.update(ID, olds, news);
    expect(api.requests).toEqual([{ method: "PUT", path: credentialPath(ID), body: { enabled: false } }]);
  });

  test("read keeps the source reference, never a value", async () => {
    const p = await newProvider({ config });
    const state = stateOf(
      await checked(p, { username: USERNAME, passwordFrom: { config: "sipPassword" }, passwordVersion: 4 }),
    );
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential()]));

    const res = await p.read(ID, state);

    expect(api.requests.every((r) => r.method === "GET")).toBe(true);
    expect(expectCleanOutputs(res.inputs)).toEqual({
      username: USERNAME,
      passwordFrom: { config: "sipPassword" },
      passwordVersion: 4,
      enabled: true,
      adoptExisting: false,
      accountId: AUTH_ID,
    });
    expectFreeOf(JSON.stringify(res), SECRETS);
  });
});

test("the account path is the documented lower-case /account/ segment", () => {
  expect(ACCOUNT_PATH).toBe("/api/v1/account/MA_UNIT");
});
