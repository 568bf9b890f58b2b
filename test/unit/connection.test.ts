/**
 * The provider's connection settings and client cache (provider/connection.ts): one client per
 * connection, reused while the settings are unchanged, resolved again when they change, and no
 * token in plain text in any cache key.
 */
import { createClientCache, settingsKey } from "../../provider/lifecycle/clients";
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

  test("missing settings throw a VobizConfigError, and the next call resolves again", () => {
    const { state, client } = setup({});
    expect(() => client()).toThrow(VobizConfigError);
    state.env = { VOBIZ_AUTH_ID: "MA_ONE", VOBIZ_AUTH_TOKEN: TOKEN };
    expect(client().authId).toBe("MA_ONE");
  });
});

describe("the settings key", () => {
  test("holds a token only as a hash, and differs when the token differs", () => {
    const key = settingsKey([{ authId: "MA_ONE", authToken: TOKEN }, {}, { baseUrl: "http://x" }]);
    expect(key).not.toContain(TOKEN);
    expect(key).toContain("MA_ONE");
    expect(key).toMatch(/[0-9a-f]{64}/);
    expect(settingsKey([{ authId: "MA_ONE", authToken: OTHER_TOKEN }, {}, { baseUrl: "http://x" }])).not.toBe(
      key,
    );
  });
});
