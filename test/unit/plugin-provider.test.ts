/**
 * The plugin's provider (provider/adapters/plugin/provider.ts) against a nock double of the Vobiz
 * API: configure takes the connection from the provider's properties (secrets in wire form
 * included), `vobiz:*` only; each call maps onto the lifecycle with the same answers the dynamic
 * resource gets (inputs, failures and their masking, diff decisions, requests, errors), the
 * password marked secret wherever it is returned; invoke serves the look-ups; and the interrupt
 * guard waits for writes in flight.
 */
import { asSecret, isSecret, SECRET_SIGNATURE, SIGNATURE_KEY } from "../../provider/adapters/plugin/secrets";
import {
  createPluginProvider,
  typeOfUrn,
  type PluginProvider,
} from "../../provider/adapters/plugin/provider";
import { interruptHandler } from "../../provider/adapters/plugin/interrupt";
import { maskForEngine } from "../../provider/lifecycle/checkFailures";
import { createCredentialProvider } from "../../provider/lifecycle/operations";
import {
  apiCredential,
  apiList,
  AUTH_ID,
  AUTH_TOKEN,
  BASE_URL,
  CREATE_PATH,
  credentialPath,
  fakeClock,
  LIST_PATH,
  mockApi,
  useNock,
} from "./provider.harness";

useNock();

const URN = "urn:pulumi:dev::proj::vobiz:index:Credential::desk";
const PASSWORD = "pw_Plugin_SECRET_1";
const NEW_PASSWORD = "pw_Plugin_SECRET_2";
const ID = "11111111-2222-4333-8444-555555555555";
const NOW = "2025-03-01T00:00:00.000Z";

/** A plugin provider with instant retries and a fixed clock; the connection comes from configure. */
function newPlugin(env: NodeJS.ProcessEnv = {}): PluginProvider {
  return createPluginProvider({
    version: "9.9.9",
    env,
    now: () => Date.parse(NOW),
    clientOptions: { retry: { maxAttempts: 3, baseDelayMs: 0 }, clock: fakeClock() },
  });
}

/** Configured as the engine configures the default provider: the token arrives as a wire secret. */
async function configured(extra: Record<string, unknown> = {}): Promise<PluginProvider> {
  const p = newPlugin();
  await p.configure({ authId: AUTH_ID, authToken: asSecret(AUTH_TOKEN), baseUrl: BASE_URL, ...extra });
  return p;
}

async function checkedInputs(p: PluginProvider, news: Record<string, unknown>) {
  const r = await p.check(URN, {}, news);
  if (!r.inputs) throw new Error(`check failed: ${JSON.stringify(r.failures)}`);
  return r.inputs;
}

/** The plain values of what the plugin returned (the engine keeps the secret marks). */
const reveal = (props: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(props).map(([k, v]) => [k, isSecret(v) ? v.value : v]));

describe("configure", () => {
  test("the connection comes from the provider's properties: the token in wire form, the account and URL", async () => {
    const p = await configured();
    const api = mockApi();
    api.scope.post(CREATE_PATH).matchHeader("X-Auth-Token", AUTH_TOKEN).reply(201, apiCredential());
    const inputs = await checkedInputs(p, { username: "office_desk-1", password: PASSWORD });
    const { id } = await p.create(URN, reveal(inputs));
    expect(id).toBe(ID);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${CREATE_PATH}`]);
  });

  test("without settings anywhere, check fails with the resource's message, before any request", async () => {
    const p = newPlugin();
    await p.configure({});
    const r = await p.check(URN, {}, { username: "office_desk-1", password: PASSWORD });
    expect(r.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(/^Vobiz credentials are not configured: set the Auth ID/),
      },
    ]);
  });

  test("the environment fills in what the provider's properties leave out (VOBIZ_*)", async () => {
    const p = newPlugin({ VOBIZ_AUTH_TOKEN: AUTH_TOKEN, VOBIZ_BASE_URL: BASE_URL });
    await p.configure({ authId: AUTH_ID });
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential()]));
    expect(
      (await p.invoke("vobiz:index:getCredential", { username: "office_desk-1" })).outputs,
    ).toMatchObject({
      id: ID,
      accountId: AUTH_ID,
    });
  });

  test("non-string settings (an explicit provider's number) reach the lifecycle as config text", async () => {
    const p = await configured({ maxRequestsPerSecond: 0 });
    const r = await p.check(URN, {}, { username: "office_desk-1", password: PASSWORD });
    expect(r.failures?.[0].reason).toMatch(/vobiz:maxRequestsPerSecond must be a positive number/);
  });

  test("passwordFrom outside the vobiz namespace: a check failure that says why and what to do", async () => {
    const p = await configured({ deskPassword: "wo_Config_SECRET_1" });
    const outside = await p.check(
      URN,
      {},
      { username: "office_desk-1", passwordFrom: { config: "deskPassword" } },
    );
    expect(outside.failures).toEqual([
      {
        property: "",
        reason: expect.stringMatching(
          /^passwordFrom stack config 'deskPassword' does not reach the vobiz provider plugin.*pulumi config set --secret vobiz:deskPassword <password>/,
        ),
      },
    ]);
    const inside = await p.check(
      URN,
      {},
      { username: "office_desk-1", passwordFrom: { config: "vobiz:deskPassword" } },
    );
    expect(inside.failures).toBeUndefined();
  });

  test("checkConfig marks the token secret and keeps the rest as given", () => {
    const p = newPlugin();
    expect(p.checkConfig({ authId: AUTH_ID, authToken: AUTH_TOKEN, version: "0.1.0" })).toEqual({
      authId: AUTH_ID,
      authToken: { [SIGNATURE_KEY]: SECRET_SIGNATURE, value: AUTH_TOKEN },
      version: "0.1.0",
    });
  });
});

describe("each call maps onto the lifecycle, with the dynamic resource's answers", () => {
  test("check: the lifecycle's inputs, the password marked secret", async () => {
    const p = await configured();
    const inputs = await checkedInputs(p, { username: "office_desk-1", password: PASSWORD, description: "" });
    const lifecycle = createCredentialProvider({ env: {} });
    const dynamic = await lifecycle.check(
      {},
      { username: "office_desk-1", password: PASSWORD, description: "" },
    );
    expect(inputs.password).toEqual(asSecret(PASSWORD));
    // Configured, the lifecycle also names the account among the inputs (for the engine's diff display).
    expect(reveal(inputs)).toEqual({ ...dynamic.inputs, accountId: AUTH_ID });
  });

  test.each([
    ["a short password", { username: "office_desk-1", password: "short" }],
    ["a bad username and a wrong enabled", { username: "a b", password: PASSWORD, enabled: "yes" }],
    ["an unknown input", { username: "office_desk-1", password: PASSWORD, colour: "blue" }],
    ["two password modes", { username: "office_desk-1", password: PASSWORD, generatePassword: true }],
    ["a bad passwordLength", { username: "u", generatePassword: true, passwordLength: 99 }],
  ])(
    "check failures (%s): the lifecycle's, masked as the dynamic adapter masks them",
    async (_what, news) => {
      const p = await configured();
      const lifecycle = createCredentialProvider({
        env: {},
        clientOptions: { authId: AUTH_ID, authToken: AUTH_TOKEN },
      });
      const dynamic = await lifecycle.check({}, news);
      const r = await p.check(URN, {}, news);
      expect(r.inputs).toBeUndefined();
      expect(r.failures).toEqual(maskForEngine([...(dynamic.failures ?? [])], news));
      expect(JSON.stringify(r.failures)).not.toContain(PASSWORD);
    },
  );

  test("diff: the lifecycle's decisions (rename replaces, create first; a password change updates)", async () => {
    const p = await configured();
    const olds = {
      ...reveal(await checkedInputs(p, { username: "office_desk-1", password: PASSWORD })),
      accountId: AUTH_ID,
    };
    const same = reveal(await checkedInputs(p, { username: "office_desk-1", password: PASSWORD }));
    const renamed = reveal(await checkedInputs(p, { username: "office_desk-2", password: PASSWORD }));
    const rotated = reveal(await checkedInputs(p, { username: "office_desk-1", password: NEW_PASSWORD }));
    expect(await p.diff(ID, URN, olds, same)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    expect(await p.diff(ID, URN, olds, renamed)).toEqual({
      changes: true,
      replaces: ["username"],
      deleteBeforeReplace: false,
    });
    expect(await p.diff(ID, URN, olds, rotated)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    // Another account configured: the credential cannot move, so it is replaced.
    expect((await p.diff(ID, URN, { ...olds, accountId: "MA_OTHER" }, same)).replaces).toEqual(["accountId"]);
  });

  test("create, update (one PUT with only the password), read and delete; outputs mark the password secret", async () => {
    const p = await configured();
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ updated_at: "2025-03-01T00:00:01Z" }));
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ enabled: false })]));
    api.scope.delete(credentialPath(ID)).reply(204);

    const inputs = reveal(await checkedInputs(p, { username: "office_desk-1", password: PASSWORD }));
    const created = await p.create(URN, inputs);
    expect(created.properties.password).toEqual(asSecret(PASSWORD));
    expect(reveal(created.properties)).toMatchObject({
      username: "office_desk-1",
      accountId: AUTH_ID,
      passwordSetAt: NOW,
    });

    const news = reveal(await checkedInputs(p, { username: "office_desk-1", password: NEW_PASSWORD }));
    const updated = await p.update(ID, URN, reveal(created.properties), news);
    expect(updated.properties.password).toEqual(asSecret(NEW_PASSWORD));

    const read = await p.read(ID, URN, reveal(updated.properties));
    expect(read.id).toBe(ID);
    expect(read.properties?.password).toEqual(asSecret(NEW_PASSWORD));
    expect(read.inputs?.password).toEqual(asSecret(NEW_PASSWORD));
    expect(read.properties?.enabled).toBe(false); // drift, as Vobiz has it

    await p.delete(ID, URN, reveal(updated.properties));
    expect(api.requests.map((r) => [r.method, r.body])).toEqual([
      ["POST", { username: "office_desk-1", password: PASSWORD }],
      ["PUT", { password: NEW_PASSWORD }],
      ["GET", undefined],
      ["DELETE", undefined],
    ]);
  });

  test("read of a credential deleted out of band: no id (the engine drops it)", async () => {
    const p = await configured();
    const api = mockApi();
    api.scope.get(LIST_PATH).query(true).reply(200, apiList([]));
    expect(await p.read(ID, URN, { username: "office_desk-1", accountId: AUTH_ID })).toEqual({});
  });

  test("a generated password is returned only as a secret output", async () => {
    const p = await configured();
    const api = mockApi();
    api.scope.post(CREATE_PATH).reply(201, apiCredential());
    const created = await p.create(
      URN,
      reveal(await checkedInputs(p, { username: "office_desk-1", generatePassword: true })),
    );
    expect(isSecret(created.properties.password)).toBe(true);
    expect((api.requests[0].body as { password: string }).password).toBe(
      (created.properties.password as { value: string }).value,
    );
  });

  test("errors are the lifecycle's (a delete on another account is refused with its message)", async () => {
    const p = await configured();
    await expect(p.delete(ID, URN, { username: "u", accountId: "MA_OTHER" })).rejects.toThrow(
      /lives on account MA_OTHER, but the provider is configured for/,
    );
  });

  test("an unknown resource type is refused by name", async () => {
    const p = await configured();
    await expect(p.check("urn:pulumi:dev::proj::vobiz:index:Trunk::t", {}, {})).rejects.toThrow(
      "The vobiz provider has no resource type 'vobiz:index:Trunk'; it manages vobiz:index:Credential.",
    );
    expect(typeOfUrn("urn:pulumi:dev::proj::my:comp:Thing$vobiz:index:Credential::desk")).toBe(
      "vobiz:index:Credential",
    );
  });
});

describe("invoke", () => {
  test("getCredential and getCredentials through one list scan, never a password", async () => {
    const p = await configured();
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(
        200,
        apiList([apiCredential(), apiCredential({ id: "id-b", username: "sales_01", enabled: false })]),
      );
    const one = await p.invoke("vobiz:index:getCredential", { username: "sales_01" });
    const all = await p.invoke("vobiz:index:getCredentials", { filter: "sales_*", enabled: false });
    expect(one.outputs).toMatchObject({
      id: "id-b",
      username: "sales_01",
      enabled: false,
      accountId: AUTH_ID,
    });
    expect(all.outputs).toEqual({ credentials: [one.outputs] });
    expect(api.requests).toHaveLength(1);
    expect(JSON.stringify([one, all])).not.toMatch(/password|redacted/);
  });

  test("an unknown username: the look-up's error naming it and the account", async () => {
    const p = await configured();
    mockApi().scope.get(LIST_PATH).query(true).reply(200, apiList([]));
    await expect(p.invoke("vobiz:index:getCredential", { username: "nobody" })).rejects.toThrow(
      `getCredential: account ${AUTH_ID} has no credential 'nobody'`,
    );
  });

  test("bad arguments are failures before any request; an unknown function is refused by name", async () => {
    const p = await configured();
    expect((await p.invoke("vobiz:index:getCredential", {})).failures).toEqual([
      { property: "username", reason: "is required: give the SIP username to find" },
    ]);
    expect((await p.invoke("vobiz:index:getCredentials", { enabled: "yes", colour: 1 })).failures).toEqual([
      { property: "enabled", reason: "must be true or false" },
      {
        property: "colour",
        reason: "is not an argument of getCredentials; valid arguments are filter, enabled",
      },
    ]);
    await expect(p.invoke("vobiz:index:getTrunks", {})).rejects.toThrow(
      /no function 'vobiz:index:getTrunks'/,
    );
  });
});

describe("writes in flight and the interrupt guard", () => {
  afterEach(() => jest.restoreAllMocks());

  test("a write counts as in flight until answered; SIGINT is ignored meanwhile and re-raised when idle", async () => {
    const kill = jest.spyOn(process, "kill").mockImplementation(() => true);
    const p = await configured();
    const onInterrupt = interruptHandler(() => p.writesInFlight());
    const api = mockApi();
    api.scope.delete(credentialPath(ID)).delay(20).reply(204);
    const pending = p.delete(ID, URN, { username: "u", accountId: AUTH_ID });
    expect(p.writesInFlight()).toBe(1);
    onInterrupt();
    expect(kill).not.toHaveBeenCalled();
    await pending;
    expect(p.writesInFlight()).toBe(0);
    onInterrupt();
    expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
  });
});

test("the schema is served as JSON with the plugin's version", () => {
  const schema = JSON.parse(newPlugin().schema()) as { name: string; version: string };
  expect(schema).toMatchObject({ name: "vobiz", version: "9.9.9" });
});
