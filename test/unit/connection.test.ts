/**
 * The provider's client cache (provider/lifecycle/clients.ts): one client per resolved settings,
 * reused while the settings are unchanged, resolved again when they change. (The settings
 * themselves and their keys: settings.test.ts.)
 */
import { createClientCache } from "../../provider/lifecycle/clients";
import type { ConfigSource } from "../../provider/settings/settings";
import { VobizConfigError } from "../../provider/common/errors";

const TOKEN = "tok_conn_SECRET_1";
const OTHER_TOKEN = "tok_conn_SECRET_2";

function setup(env: NodeJS.ProcessEnv, config?: Record<string, string>) {
  const state = { env, config: config && ({ get: (k: string) => config[k] } as ConfigSource) };
  const client = createClientCache({ env: () => state.env, config: () => state.config });
  return { state, client };
}

describe("the client cache", () => {
  test("reuses the client while the settings are unchanged", () => {
    const { client } = setup({ VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN });
    const first = client();
    expect(first.authId).toBe("MA_ONE");
    expect(client()).toBe(first);
  });

  test("a changed token or account gives another client; going back gives the first one again", () => {
    const { state, client } = setup({ VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN });
    const first = client();
    state.env = { VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: OTHER_TOKEN };
    const second = client();
    expect(second).not.toBe(first);
    state.env = { VOBIZ_AUTH_ID: "MA_TWO", VOBIZ_AUTH_TOKEN: OTHER_TOKEN };
    expect(client().authId).toBe("MA_TWO");
    state.env = { VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN };
    expect(client()).toBe(first);
  });

  test("settings that resolve to the same connection share one client", () => {
    const { state, client } = setup({ VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN });
    const fromEnv = client();
    state.env = {};
    state.config = { get: (k) => ({ "vobiz:authId": "MA_ONE", "vobiz:authToken": TOKEN })[k] };
    expect(client()).toBe(fromEnv);
  });

  test("stack config wins over the environment", () => {
    const { client } = setup(
      { VOBIZ_AUTH_ID: "MA_ENV", VOBIZ_AUTH_TOKEN: TOKEN },
      { "vobiz:authId": "MA_CONFIG", "vobiz:authToken": OTHER_TOKEN },
    );
    expect(client().authId).toBe("MA_CONFIG");
  });

  test("a client setting from the stack config reaches the client (vobiz:accountPathSegment)", () => {
    const { client } = setup(
      { VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN, VOBIZ_ACCOUNT_PATH_SEGMENT: "account" },
      { "vobiz:accountPathSegment": "Account", "vobiz:listPageSize": "25" },
    );
    const c = client() as unknown as { tuning: { accountPathSegment: string; listPageSize: number } };
    expect(c.tuning.accountPathSegment).toBe("Account");
    expect(c.tuning.listPageSize).toBe(25);
  });

  test("missing settings throw a VobizConfigError, and the next call resolves again", () => {
    const { state, client } = setup({});
    expect(() => client()).toThrow(VobizConfigError);
    state.env = { VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN };
    expect(client().authId).toBe("MA_ONE");
  });
});
