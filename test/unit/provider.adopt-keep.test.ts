/**
 * Adoption that keeps the live password (`adoptExisting: "keepPassword"`) against a nock double
 * of the Vobiz API: check's rules and its one shared look-up at preview, create's writes (none
 * when everything matches, only what differs otherwise, never a password, never a POST), and a
 * later password rotating as usual.
 */
import type { VobizCredentialProvider } from "../../provider/adapters/dynamic/engine";
import {
  apiCredential,
  apiList,
  AUTH_ID,
  checked,
  credentialPath,
  LIST_PATH,
  mockApi,
  newProvider,
  stateOf,
  thrown,
  providerWithMovingClock,
  useNock,
} from "./provider.harness";

const ID = "11111111-2222-4333-8444-555555555555";
const USERNAME = "office_desk-1";
const PASSWORD = "pw_Unit_SECRET_1";
const KEEP = { username: USERNAME, adoptExisting: "keepPassword" };

useNock();

describe("check", () => {
  let p: VobizCredentialProvider;
  beforeEach(async () => {
    p = await newProvider(); // not configured: no look-up
  });

  test("keepPassword needs no password; state will hold none", async () => {
    const inputs = await checked(p, KEEP);
    expect(inputs).toEqual({ username: USERNAME, adoptExisting: "keepPassword", enabled: true });
  });

  test("without keepPassword a password is still required, and the reason names keepPassword", async () => {
    const r = await p.check({}, { username: USERNAME, adoptExisting: true });
    expect(r.failures).toEqual([
      { property: "password", reason: expect.stringContaining('adoptExisting: "keepPassword"') },
    ]);
  });

  test("any other string is refused", async () => {
    const r = await p.check({}, { ...KEEP, adoptExisting: "keep" });
    expect(r.failures).toContainEqual({
      property: "adoptExisting",
      reason: 'must be true, false or "keepPassword"',
    });
  });

  test("a first adoption keeping the password cannot also declare one (it would be ignored)", async () => {
    for (const extra of [
      { password: PASSWORD },
      { passwordFrom: { env: "SIP_PW" } },
      { generatePassword: true },
    ]) {
      const r = await p.check({}, { ...KEEP, ...extra });
      expect(r.failures).toEqual([
        { property: "adoptExisting", reason: expect.stringMatching(/keeps the live password.*later change/) },
      ]);
    }
  });

  test("rotation triggers without a password to send are refused, each named", async () => {
    const r = await p.check({}, { ...KEEP, rotateAfter: "90d", rotationTriggers: { v: 1 } });
    expect(r.failures).toEqual([
      {
        property: "rotationTriggers",
        reason: expect.stringMatching(/^needs a password the provider can set/),
      },
      { property: "rotateAfter", reason: expect.stringMatching(/^needs a password the provider can set/) },
    ]);
  });

  test("once adopted, a generated password rotates it: triggers are allowed then", async () => {
    const r = await p.check(
      { ...KEEP, enabled: true },
      { ...KEEP, generatePassword: true, rotateAfter: "90d" },
    );
    expect(r.failures).toBeUndefined();
  });

  test("once adopted (prior state), adding a password is allowed: it is a rotation", async () => {
    const r = await p.check({ ...KEEP, enabled: true }, { ...KEEP, password: PASSWORD });
    expect(r.failures).toBeUndefined();
  });
});

describe("check at preview, configured: the username must exist (one shared list scan)", () => {
  test("one list request for many resources; a missing username fails with the account named", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID }), apiCredential({ id: "b", username: "desk_b" })]));
    // The miss is confirmed by one fresh scan before it is reported.
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID })]));
    const p = await providerWithMovingClock(10);

    const results = await Promise.all(
      [USERNAME, "desk_b", USERNAME, "nobody"].map((u) => p.check({}, { ...KEEP, username: u })),
    );

    expect(results.map((r) => r.failures ?? [])).toEqual([
      [],
      [],
      [],
      [
        {
          property: "username",
          reason: expect.stringContaining(`account ${AUTH_ID} has no credential 'nobody'`),
        },
      ],
    ]);
    expect(results[3].failures?.[0].reason).toMatch(/A new credential needs a password/);
    expect(api.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
  });

  test("an update (prior state) looks nothing up", async () => {
    const api = mockApi();
    const p = await newProvider({ config: {} });
    const r = await p.check({ ...KEEP, enabled: true }, { ...KEEP, enabled: false });
    expect(r.failures).toBeUndefined();
    expect(api.requests).toEqual([]);
  });
});

describe("create", () => {
  test("everything matches: no write at all, and no password in the outputs", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID, description: "Desk" })]));
    const p = await newProvider();
    const inputs = await checked(p, { ...KEEP, description: "Desk" });

    const res = await p.create(inputs);

    expect(api.requests.map((r) => r.method)).toEqual(["GET"]);
    expect(res.id).toBe(ID);
    expect(res.outs?.password).toBeUndefined();
    expect(res.outs).toMatchObject({
      username: USERNAME,
      description: "Desk",
      adoptExisting: "keepPassword",
    });
  });

  test("only what differs is written, never a password, never a POST", async () => {
    const api = mockApi();
    api.scope
      .get(LIST_PATH)
      .query(true)
      .reply(200, apiList([apiCredential({ id: ID, enabled: true, description: "Old" })]));
    api.scope
      .put(credentialPath(ID))
      .reply(200, apiCredential({ id: ID, enabled: false, description: "Old" }));
    const p = await newProvider();
    const inputs = await checked(p, { ...KEEP, enabled: false, description: "Old" });

    const res = await p.create(inputs);

    expect(api.requests[1]).toEqual({ method: "PUT", path: credentialPath(ID), body: { enabled: false } });
    expect(res.outs?.enabled).toBe(false);
  });

  test("a username that does not exist: a clear error after the confirming scan, nothing created", async () => {
    const api = mockApi();
    api.scope.get(LIST_PATH).query(true).times(2).reply(200, apiList([]));
    const p = await providerWithMovingClock(10);
    // The inputs as check returns them when it could not look (e.g. preview without credentials).
    const inputs = { username: USERNAME, adoptExisting: "keepPassword" as const, enabled: true };

    const e = await thrown(() => p.create(inputs));

    expect(e.message).toMatch(/has no credential 'office_desk-1'.*needs a password/);
    expect(api.requests.map((r) => r.method)).toEqual(["GET", "GET"]);
  });
});

describe("update after adoption", () => {
  test("adding a password later rotates it with one PUT", async () => {
    const api = mockApi();
    api.scope.put(credentialPath(ID)).reply(200, apiCredential({ id: ID }));
    const p = await newProvider();
    const olds = stateOf(await checked(p, KEEP));
    const news = (await p.check(olds as unknown as Record<string, unknown>, { ...KEEP, password: PASSWORD }))
      .inputs!;

    expect(await p.diff(ID, olds, news)).toEqual({ changes: true });
    const res = await p.update(ID, olds, news);

    expect(api.requests).toEqual([{ method: "PUT", path: credentialPath(ID), body: { password: PASSWORD } }]);
    expect(res.outs?.password).toBe(PASSWORD);
  });

  test("dropping the password to keepPassword sends nothing: the live password stays", async () => {
    const api = mockApi();
    const p = await newProvider();
    const olds = stateOf(await checked(p, { username: USERNAME, password: PASSWORD }));
    const news = await checked(p, KEEP).catch(() => undefined);
    // check from empty olds refuses nothing here (no password declared); an update passes olds.
    const res = await p.update(ID, olds, news!);
    expect(api.requests).toEqual([]);
    expect(res.outs?.password).toBeUndefined();
  });
});
