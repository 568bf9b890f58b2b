/**
 * Importing a credential (`pulumi import`, or the `import` resource option) against a nock double
 * of the Vobiz API: the engine reads with only the id (no prior state), and the lifecycle answers
 * with an adoption that keeps the live password (`adoptExisting: "keepPassword"`), so the inputs
 * the engine then checks validate with no password and no request, N imports share one list scan
 * however long they take, the program generated from those inputs plans no change, and a password
 * added later rotates with one PUT. Both adapters give the same answer (the plugin's read and
 * check are the lifecycle's).
 */
import { createPluginProvider } from "../../provider/adapters/plugin/provider";
import { asSecret } from "../../provider/adapters/plugin/secrets";
import { type CredentialOutputs, type VobizCredentialProvider } from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs } from "../../provider/contract/table";
import {
  apiCredential,
  apiList,
  AUTH_ID,
  AUTH_TOKEN,
  BASE_URL,
  credentialPath,
  fakeClock,
  LIST_PATH,
  mockApi,
  newProvider,
  REALM,
  providerWithMovingClock,
  useNock,
} from "./provider.harness";

useNock();

const ID = "11111111-2222-4333-8444-555555555555";
const USERNAME = "office_desk-1";
const PASSWORD = "pw_Import_SECRET_1";

/** What the engine's import step does with a read's answer: check it against itself. */
async function importCheck(p: VobizCredentialProvider, inputs: Record<string, unknown>) {
  return p.check(inputs, inputs);
}

describe("read with no prior state (an import)", () => {
  test("answers an adoption keeping the live password: inputs that validate, no password anywhere", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(
        200,
        apiList([
          apiCredential({ id: "other", username: "someone_else" }),
          apiCredential({ id: ID, enabled: false, description: "Front desk" }),
        ]),
      );
    const p = await newProvider({ config: {} });

    const res = await p.read(ID, {} as CredentialOutputs);

    expect(res.id).toBe(ID);
    expect(res.inputs).toEqual({
      username: USERNAME,
      enabled: false,
      description: "Front desk",
      adoptExisting: "keepPassword",
    });
    expect(res.props).toEqual({
      ...res.inputs,
      realm: REALM,
      accountId: AUTH_ID,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.props).not.toHaveProperty("password");
    expect(res.props).not.toHaveProperty("passwordSetAt"); // the provider set no password
    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);

    // The engine's check of the imported inputs: valid, unchanged, and no request (no adoption
    // look-up: the olds hold the username).
    const checked = await importCheck(p, res.inputs as unknown as Record<string, unknown>);
    // (A configured check also names the account among the inputs, for the engine's diff display.)
    expect(checked).toEqual({ inputs: { ...res.inputs, accountId: AUTH_ID } });
    expect(api.requests).toHaveLength(1);
  });

  test("without a description on the live credential, the inputs have none", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID })]));
    const p = await newProvider({ config: {} });
    const res = await p.read(ID, {} as CredentialOutputs);
    expect(res.inputs).toEqual({ username: USERNAME, enabled: true, adoptExisting: "keepPassword" });
  });

  test("N imports cost one list scan, however long the run takes (the adoption scan, not the 30 s snapshot)", async () => {
    const api = mockApi();
    const all = Array.from({ length: 5 }, (_, i) => apiCredential({ id: `id-${i}`, username: `phone_${i}` }));
    api.scope.get(LIST_PATH).query(true).reply(200, apiList(all));
    const p = await providerWithMovingClock(60_000);

    const read = [];
    for (let i = 0; i < 5; i++) read.push(await p.read(`id-${i}`, {} as CredentialOutputs));

    expect(read.map((r) => r.inputs?.username)).toEqual([
      "phone_0",
      "phone_1",
      "phone_2",
      "phone_3",
      "phone_4",
    ]);
    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);
    // A first adoption's check in the same process shares that scan too.
    const checked = await p.check({}, { username: "phone_3", adoptExisting: "keepPassword" });
    expect(checked.failures).toBeUndefined();
    expect(api.requests).toHaveLength(1);
  });

  test("an id the account does not have: {} (the engine says it does not exist) after one confirming scan", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .times(2)
      .reply(200, apiList([apiCredential({ id: "other", username: "someone_else" })]));
    const p = await providerWithMovingClock(60_000);
    expect(await p.read("not-there", {} as CredentialOutputs)).toEqual({});
    expect(await p.read("also-not-there", {} as CredentialOutputs)).toEqual({});
    expect(api.requests.map((r) => r.method)).toEqual(["GET", "GET"]); // both misses share the confirmation
  });

  test("a refresh (prior state) still reads the shared snapshot and keeps the declared mode", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID })]));
    const p = await newProvider({ config: {} });
    const state = {
      username: USERNAME,
      password: PASSWORD,
      enabled: true,
      adoptExisting: false,
      accountId: AUTH_ID,
    } as CredentialOutputs;
    const res = await p.read(ID, state);
    expect(res.inputs).toEqual({
      username: USERNAME,
      password: PASSWORD,
      enabled: true,
      adoptExisting: false,
      accountId: AUTH_ID, // a refresh names the account among the inputs (the diff display)
    });
  });
});

describe("after an import", () => {
  /** The state and inputs an import leaves (what read answered). */
  async function imported(p: VobizCredentialProvider) {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID, description: "Front desk" })]));
    const res = await p.read(ID, {} as CredentialOutputs);
    return {
      state: res.props as CredentialOutputs,
      inputs: res.inputs as unknown as Record<string, unknown>,
      api,
    };
  }

  test("the program generated from the inputs plans no change, with no request", async () => {
    const p = await newProvider({ config: {} });
    const { state, inputs, api } = await imported(p);
    const news = await p.check(inputs, { ...inputs }); // the program declares what was generated
    expect(news.failures).toBeUndefined();
    expect(await p.diff(ID, state, news.inputs!)).toEqual({ changes: false });
    expect(api.requests).toHaveLength(1); // the import's read only
  });

  test("a password added later rotates with one PUT holding only the password", async () => {
    const p = await newProvider({ config: {} });
    const { state, inputs, api } = await imported(p);
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ id: ID, description: "Front desk" }));
    const news = await p.check(inputs, { ...inputs, password: PASSWORD });
    expect(news.failures).toBeUndefined();
    expect(await p.diff(ID, state, news.inputs!)).toEqual({ changes: true });
    const res = await p.update(ID, state, news.inputs as CredentialInputs);
    expect(api.requests.slice(1)).toEqual([
      { method: "PUT", path: credentialPath(ID), body: { password: PASSWORD } },
    ]);
    expect(res.outs?.password).toBe(PASSWORD);
    expect(res.outs?.passwordSetAt).toEqual(expect.any(String));
  });
});

describe("the plugin adapter gives the same answer", () => {
  test("Read with no properties, then the import's Check: the lifecycle's inputs, valid, no password", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID, description: "Front desk" })]));
    const plugin = createPluginProvider({
      version: "9.9.9",
      env: {},
      clientOptions: { retry: { maxAttempts: 1 }, clock: fakeClock() },
    });
    await plugin.configure({ authId: AUTH_ID, authToken: asSecret(AUTH_TOKEN), baseUrl: BASE_URL });
    const urn = "urn:pulumi:dev::proj::vobiz:index:Credential::desk";

    const read = await plugin.read(ID, urn, {});

    expect(read.id).toBe(ID);
    expect(read.inputs).toEqual({
      username: USERNAME,
      enabled: true,
      description: "Front desk",
      adoptExisting: "keepPassword",
    });
    expect(await plugin.check(urn, read.inputs!, read.inputs!)).toEqual({
      inputs: { ...read.inputs, accountId: AUTH_ID },
    });
    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);
  });
});
