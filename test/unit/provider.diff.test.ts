/**
 * The provider's diff: what replaces, what updates in place, what is no change at all. Olds are
 * the stored outputs, news the inputs `check` returned, as the engine passes them.
 */
import {
  createCredentialProvider,
  type CredentialOutputs,
  type VobizCredentialProvider,
} from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs } from "../../provider/contract/table";
import { UNKNOWN } from "../../provider/contract/unknown";
import {
  AUTH_ID,
  AUTH_TOKEN,
  checked,
  expectFreeOf,
  mockApi,
  newProvider,
  stateOf,
  useNock,
} from "./provider.harness";

const PASSWORD = "pw_Diff_SECRET_1";
const USERNAME = "office_desk-1";
const ID = "11111111-2222-4333-8444-555555555555";

const nockState = useNock();

let p: VobizCredentialProvider;
let api: ReturnType<typeof mockApi>;
beforeEach(async () => {
  p = await newProvider();
  api = mockApi(); // no interceptors: any request would be recorded as unmatched
});
afterEach(() => {
  // diff never talks to the API
  expect(api.requests).toEqual([]);
  expect(nockState.unmatched).toEqual([]);
});

const base = { username: USERNAME, password: PASSWORD, description: "Front desk" };

/** State of a credential created from `raw` (through check, as the engine does). */
async function olds(raw: Record<string, unknown> = base, overrides: Partial<CredentialOutputs> = {}) {
  return stateOf(await checked(p, raw), overrides);
}

async function diff(oldsRaw: Record<string, unknown>, newsRaw: Record<string, unknown>, overrides = {}) {
  const result = await p.diff(ID, await olds(oldsRaw, overrides), await checked(p, newsRaw));
  expectFreeOf(JSON.stringify(result), [PASSWORD, AUTH_TOKEN]);
  return result;
}

const NO_CHANGE = { changes: false };
const UPDATE = { changes: true };
const REPLACE_USERNAME = { changes: true, replaces: ["username"], deleteBeforeReplace: false };

describe("each field alone", () => {
  test.each<[string, Record<string, unknown>, object]>([
    ["nothing", {}, NO_CHANGE],
    ["username", { username: "office_desk-2" }, REPLACE_USERNAME],
    ["username case only", { username: "Office_desk-1" }, REPLACE_USERNAME],
    ["password", { password: "pw_Diff_SECRET_2" }, UPDATE],
    ["enabled false", { enabled: false }, UPDATE],
    ["enabled true (explicit default)", { enabled: true }, NO_CHANGE],
    ["description changed", { description: "Back office" }, UPDATE],
    ["description removed", { description: undefined }, UPDATE],
    ["description set to empty", { description: "" }, UPDATE],
    ["description set to null", { description: null }, UPDATE],
    ["adoptExisting true", { adoptExisting: true }, NO_CHANGE],
  ])("%s", async (_name, change, expected) => {
    expect(await diff(base, { ...base, ...change })).toEqual(expected);
  });
});

describe("several fields together", () => {
  test("password, enabled and description: one in-place update", async () => {
    expect(
      await diff(base, { ...base, password: "pw_Diff_SECRET_2", enabled: false, description: "Other" }),
    ).toEqual(UPDATE);
  });

  test("username and anything else: replace (create-before-delete), naming only username", async () => {
    expect(
      await diff(base, { ...base, username: "office_desk-2", password: "pw_Diff_SECRET_2", enabled: false }),
    ).toEqual(REPLACE_USERNAME);
  });

  test("adoptExisting and description: an update", async () => {
    expect(await diff(base, { ...base, adoptExisting: true, description: "x" })).toEqual(UPDATE);
  });
});

describe("unknown values (preview)", () => {
  test.each<[string, Record<string, unknown>, object]>([
    ["username", { username: UNKNOWN }, REPLACE_USERNAME],
    ["password", { password: UNKNOWN }, UPDATE],
    ["enabled", { enabled: UNKNOWN }, UPDATE],
    ["description", { description: UNKNOWN }, UPDATE],
    // adoptExisting only matters at create, so an unknown value cannot change anything.
    ["adoptExisting", { adoptExisting: UNKNOWN }, NO_CHANGE],
  ])("unknown %s", async (_name, change, expected) => {
    expect(await diff(base, { ...base, ...change })).toEqual(expected);
  });

  const wo = { username: USERNAME, passwordFrom: { config: "sipPassword" }, passwordVersion: 1 };
  test.each<[string, Record<string, unknown>]>([
    ["passwordFrom", { passwordFrom: UNKNOWN }],
    ["passwordFrom.config", { passwordFrom: { config: UNKNOWN } }],
    ["passwordFrom.env", { passwordFrom: { env: UNKNOWN } }],
    ["passwordVersion", { passwordVersion: UNKNOWN }],
  ])("unknown %s (write-only mode): an in-place update", async (_name, change) => {
    expect(await diff(wo, { ...wo, ...change })).toEqual(UPDATE);
  });

  test("every field unknown at once: a replace because of the username", async () => {
    const news = {
      username: UNKNOWN,
      password: UNKNOWN,
      enabled: UNKNOWN,
      description: UNKNOWN,
      adoptExisting: UNKNOWN,
    };
    expect(await diff(base, news)).toEqual(REPLACE_USERNAME);
  });
});

describe("normalisation: no perpetual diff", () => {
  const empties = [undefined, null, ""] as const;
  for (const before of empties) {
    for (const after of empties) {
      test(`description ${JSON.stringify(before) ?? "absent"} in state, ${JSON.stringify(after) ?? "absent"} in the program`, async () => {
        const state = await olds({ username: USERNAME, password: PASSWORD });
        // Older states (or hand-edited ones) may hold the raw empty value.
        const raw = { ...state } as Record<string, unknown>;
        if (before !== undefined) raw.description = before;
        const news = await checked(p, { username: USERNAME, password: PASSWORD, description: after });
        expect(await p.diff(ID, raw as unknown as CredentialOutputs, news)).toEqual(NO_CHANGE);
        // and even when handed the raw, unchecked value
        const rawNews = { ...news, description: after } as unknown as CredentialInputs;
        expect(await p.diff(ID, raw as unknown as CredentialOutputs, rawNews)).toEqual(NO_CHANGE);
      });
    }
  }

  test("enabled absent from an old state equals the default true", async () => {
    const state = (await olds()) as Partial<CredentialOutputs>;
    delete state.enabled;
    expect(await p.diff(ID, state as CredentialOutputs, await checked(p, base))).toEqual(NO_CHANGE);
  });

  test("enabled absent from the program equals enabled: true in state", async () => {
    expect(await diff({ ...base, enabled: true }, base)).toEqual(NO_CHANGE);
  });

  test("server-set outputs (realm, timestamps) never count as changes", async () => {
    expect(await diff(base, base, { realm: "elsewhere", createdAt: "x", updatedAt: "y" })).toEqual(NO_CHANGE);
  });
});

describe("account", () => {
  test("state on another account than the configured one: replace, naming accountId", async () => {
    const result = await diff(base, base, { accountId: "MA_OTHER" });
    expect(result.changes).toBe(true);
    expect(result.replaces).toContain("accountId");
    expect(result.deleteBeforeReplace).toBe(false);
  });

  test("account mismatch and username change: both named", async () => {
    const result = await diff(base, { ...base, username: "office_desk-2" }, { accountId: "MA_OTHER" });
    expect(result.replaces).toEqual(expect.arrayContaining(["username", "accountId"]));
  });

  test("the same account: no change", async () => {
    expect(await diff(base, base, { accountId: AUTH_ID })).toEqual(NO_CHANGE);
  });

  test("a state without accountId (older state, import): no change", async () => {
    const state = (await olds()) as Partial<CredentialOutputs>;
    delete state.accountId;
    expect(await p.diff(ID, state as CredentialOutputs, await checked(p, base))).toEqual(NO_CHANGE);
  });

  test("the configured account comes from the stack config when set there", async () => {
    const q = createCredentialProvider({ env: {} });
    await q.configure({
      config: {
        get: (k: string) => ({ "vobiz:authId": "MA_CFG", "vobiz:authToken": "tok_cfg_SECRET" })[k],
        require: () => "",
      },
    });
    const inputs = await checked(q, base);
    expect((await q.diff(ID, stateOf(inputs, { accountId: "MA_CFG" }), inputs)).changes).toBe(false);
    expect((await q.diff(ID, stateOf(inputs, { accountId: AUTH_ID }), inputs)).replaces).toEqual([
      "accountId",
    ]);
  });

  test("the configured account comes from VOBIZ_AUTH_ID otherwise", async () => {
    const q = createCredentialProvider({
      env: { VOBIZ_AUTH_ID: "MA_ENV", VOBIZ_AUTH_TOKEN: "tok_env_SECRET" },
    });
    const inputs = await checked(q, base);
    expect((await q.diff(ID, stateOf(inputs, { accountId: "MA_ENV" }), inputs)).changes).toBe(false);
    expect((await q.diff(ID, stateOf(inputs, { accountId: AUTH_ID }), inputs)).replaces).toEqual([
      "accountId",
    ]);
  });

  test("settings that change between calls are seen by the next call (the client is not pinned)", async () => {
    const env: NodeJS.ProcessEnv = { VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: "tok_one_SECRET" };
    const q = createCredentialProvider({ env });
    const inputs = await checked(q, base);
    const onOne = stateOf(inputs, { accountId: "MA_ONE" });
    expect((await q.diff(ID, onOne, inputs)).changes).toBe(false);
    env.VOBIZ_AUTH_ID = "MA_TWO";
    expect((await q.diff(ID, onOne, inputs)).replaces).toEqual(["accountId"]);
    delete env.VOBIZ_AUTH_TOKEN;
    expect(await q.diff(ID, onOne, inputs)).toEqual(NO_CHANGE); // not configured any more
    env.VOBIZ_AUTH_ID = "MA_ONE";
    env.VOBIZ_AUTH_TOKEN = "tok_one_SECRET";
    expect((await q.diff(ID, onOne, inputs)).changes).toBe(false);
  });

  test("no credentials configured (e.g. a preview without them): diff still works and does not replace", async () => {
    const q = createCredentialProvider({ env: {} });
    const inputs = await checked(q, base);
    expect(await q.diff(ID, stateOf(inputs, { accountId: "MA_OTHER" }), inputs)).toEqual(NO_CHANGE);
  });
});

describe("write-only mode", () => {
  const wo = { username: USERNAME, passwordFrom: { config: "sipPassword" }, passwordVersion: 1 };

  test.each<[string, Record<string, unknown>, Record<string, unknown>, object]>([
    ["same source and version", wo, wo, NO_CHANGE],
    [
      "version absent equals version 0",
      { ...wo, passwordVersion: 0 },
      { ...wo, passwordVersion: undefined },
      NO_CHANGE,
    ],
    ["version bump", wo, { ...wo, passwordVersion: 2 }, UPDATE],
    ["version lowered (any new number rotates)", wo, { ...wo, passwordVersion: 0 }, UPDATE],
    ["config key changed", wo, { ...wo, passwordFrom: { config: "otherKey" } }, UPDATE],
    ["config -> env", wo, { ...wo, passwordFrom: { env: "SIP_PASSWORD" } }, UPDATE],
    [
      "env name changed",
      { ...wo, passwordFrom: { env: "A" } },
      { ...wo, passwordFrom: { env: "B" } },
      UPDATE,
    ],
    ["password -> passwordFrom", base, { ...wo, description: "Front desk" }, UPDATE],
    ["passwordFrom -> password", wo, { username: USERNAME, password: PASSWORD }, UPDATE],
    ["enabled changes in write-only mode", wo, { ...wo, enabled: false }, UPDATE],
    ["username change in write-only mode", wo, { ...wo, username: "other_user" }, REPLACE_USERNAME],
  ])("%s", async (_name, before, after, expected) => {
    expect(await diff(before, after)).toEqual(expected);
  });
});
