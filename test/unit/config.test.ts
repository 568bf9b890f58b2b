/**
 * Connection settings: explicit options over stack config over environment, empty values as
 * absent, clear errors naming both the config key and the environment variable, base URL checks,
 * and the debug trace, which never carries a secret.
 */
import { randomBytes } from "node:crypto";
import { VobizClient } from "../../provider/api/client";
import {
  CONFIG_KEYS,
  DEFAULT_BASE_URL,
  ENV_VARS,
  resolveConnection,
  settingsFromConfig,
  settingsFromEnv,
  type ConfigSource,
} from "../../provider/settings/settings";
import { VobizConfigError } from "../../provider/common/errors";
import { fakeClock } from "../helpers/fakeClock";
import {
  credentialJson,
  errorEnvelope,
  listJson,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_AUTH_TOKEN,
  UNIT_BASE_URL,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { networkError, useNock } from "../helpers/nock";
import { expectNoSecrets } from "../helpers/secrets";

const api = useNock();
const TOKEN = UNIT_AUTH_TOKEN;

const config = (values: Record<string, string | undefined>): ConfigSource => ({ get: (k) => values[k] });

function configError(f: () => unknown): VobizConfigError {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(VobizConfigError);
  expectNoSecrets(caught, [TOKEN]);
  return caught as VobizConfigError;
}

describe("names", () => {
  it("uses the documented config keys and environment variables", () => {
    expect(CONFIG_KEYS).toEqual({
      authId: "vobiz:authId",
      authToken: "vobiz:authToken",
      baseUrl: "vobiz:baseUrl",
      maxRequestsPerSecond: "vobiz:maxRequestsPerSecond",
    });
    expect(ENV_VARS).toEqual({
      authId: "VOBIZ_AUTH_ID",
      authToken: "VOBIZ_AUTH_TOKEN",
      baseUrl: "VOBIZ_BASE_URL",
    });
    expect(DEFAULT_BASE_URL).toBe("https://api.vobiz.ai/api/v1");
  });
});

describe("settingsFromConfig / settingsFromEnv", () => {
  it("read the three settings, trimmed", () => {
    expect(
      settingsFromConfig(
        config({ "vobiz:authId": " MA_C ", "vobiz:authToken": "tok_c", "vobiz:baseUrl": "https://c.test" }),
      ),
    ).toEqual({ authId: "MA_C", authToken: "tok_c", baseUrl: "https://c.test" });
    expect(
      settingsFromEnv({ VOBIZ_AUTH_ID: "MA_E", VOBIZ_AUTH_TOKEN: "tok_e", VOBIZ_BASE_URL: "https://e.test" }),
    ).toEqual({
      authId: "MA_E",
      authToken: "tok_e",
      baseUrl: "https://e.test",
    });
  });

  it("treat empty and blank values as absent", () => {
    expect(
      settingsFromConfig(
        config({ "vobiz:authId": "", "vobiz:authToken": "   ", "vobiz:baseUrl": undefined }),
      ),
    ).toEqual({
      authId: undefined,
      authToken: undefined,
      baseUrl: undefined,
    });
    expect(settingsFromEnv({ VOBIZ_AUTH_ID: "", VOBIZ_AUTH_TOKEN: "\t" })).toEqual({
      authId: undefined,
      authToken: undefined,
      baseUrl: undefined,
    });
    expect(settingsFromConfig(undefined)).toEqual({});
  });
});

describe("resolveConnection precedence", () => {
  const explicit = { authId: "MA_X", authToken: "tok_x", baseUrl: "https://x.test/api/v1" };
  const stack = { authId: "MA_S", authToken: "tok_s", baseUrl: "https://s.test/api/v1" };
  const env = { authId: "MA_E", authToken: "tok_e", baseUrl: "https://e.test/api/v1" };

  it("explicit options win over stack config, which wins over the environment", () => {
    expect(resolveConnection(explicit, stack, env)).toEqual(explicit);
    expect(resolveConnection({}, stack, env)).toEqual(stack);
    expect(resolveConnection({}, {}, env)).toEqual(env);
  });

  it("merges field by field", () => {
    expect(resolveConnection({ authId: "MA_X" }, { authToken: "tok_s" }, env)).toEqual({
      authId: "MA_X",
      authToken: "tok_s",
      baseUrl: "https://e.test/api/v1",
    });
  });

  it("treats empty strings as absent at every level", () => {
    expect(
      resolveConnection({ authId: "", authToken: " " }, { authId: "", authToken: "tok_s" }, env),
    ).toMatchObject({
      authId: "MA_E",
      authToken: "tok_s",
    });
  });

  it("defaults the base URL to the production API", () => {
    expect(resolveConnection({ authId: "MA_X", authToken: "tok" }).baseUrl).toBe(DEFAULT_BASE_URL);
    expect(resolveConnection({ authId: "MA_X", authToken: "tok", baseUrl: "  " }).baseUrl).toBe(
      DEFAULT_BASE_URL,
    );
  });
});

describe("missing or bad credentials", () => {
  it("no Auth ID: names vobiz:authId and VOBIZ_AUTH_ID only", () => {
    const err = configError(() => resolveConnection({ authToken: TOKEN }));
    expect(err.message).toContain("vobiz:authId");
    expect(err.message).toContain("VOBIZ_AUTH_ID");
    expect(err.message).not.toContain("VOBIZ_AUTH_TOKEN");
  });

  it("no Auth Token: names vobiz:authToken (set as a secret) and VOBIZ_AUTH_TOKEN only", () => {
    const err = configError(() => resolveConnection({ authId: "MA_X" }));
    expect(err.message).toContain("`pulumi config set --secret vobiz:authToken ...`");
    expect(err.message).toContain("VOBIZ_AUTH_TOKEN");
    expect(err.message).not.toContain("VOBIZ_AUTH_ID");
  });

  it("neither: names both", () => {
    const err = configError(() => resolveConnection({}, {}, {}));
    for (const s of ["vobiz:authId", "VOBIZ_AUTH_ID", "vobiz:authToken", "VOBIZ_AUTH_TOKEN"])
      expect(err.message).toContain(s);
  });

  it.each([
    ["Auth ID", { authId: "MA_\nX", authToken: TOKEN }],
    ["Auth Token", { authId: "MA_X", authToken: `${TOKEN}\r\nX-Evil: 1` }],
  ])("a line break inside the %s is refused, without echoing it", (_, settings) => {
    const err = configError(() => resolveConnection(settings));
    expect(err.message).toContain("line break");
  });
});

describe("base URL", () => {
  const base = (baseUrl: string) => resolveConnection({ authId: "MA_X", authToken: TOKEN, baseUrl }).baseUrl;

  it("keeps the path and drops trailing slashes", () => {
    expect(base("https://api.vobiz.test/api/v1")).toBe("https://api.vobiz.test/api/v1");
    expect(base("https://api.vobiz.test/api/v1/")).toBe("https://api.vobiz.test/api/v1");
    expect(base("https://api.vobiz.test/api/v1///")).toBe("https://api.vobiz.test/api/v1");
    expect(base("https://api.vobiz.test")).toBe("https://api.vobiz.test");
    expect(base("  http://127.0.0.1:8080/api/v1/ ")).toBe("http://127.0.0.1:8080/api/v1");
  });

  it.each(["not a url", "api.vobiz.ai/api/v1", "//api.vobiz.ai", "https://"])(
    "refuses %p, naming the settings",
    (raw) => {
      const err = configError(() => base(raw));
      expect(err.message).toContain("vobiz:baseUrl");
      expect(err.message).toContain("VOBIZ_BASE_URL");
    },
  );

  it.each(["ftp://api.vobiz.test/api/v1", "file:///etc/passwd", "javascript:alert(1)"])(
    "refuses the non-HTTP scheme of %p",
    (raw) => {
      expect(configError(() => base(raw)).message).toContain("must use http or https");
    },
  );

  it("refuses a user or password in the URL, without echoing it", () => {
    const err = configError(() => base(`https://MA_X:${TOKEN}@api.vobiz.test/api/v1`));
    expect(err.message).toContain("must not hold a user or password");
  });

  it.each(["https://api.vobiz.test/api/v1?x=1", "https://api.vobiz.test/api/v1#frag"])(
    "refuses a query or fragment (%p), which would corrupt every request path",
    (raw) => {
      expect(configError(() => base(raw)).message).toContain("vobiz:baseUrl");
    },
  );
});

describe("VobizClient construction", () => {
  it("throws VobizConfigError before any request when the Auth ID is missing", () => {
    const err = configError(() => new VobizClient({ authToken: TOKEN, baseUrl: UNIT_BASE_URL, env: {} }));
    expect(err.message).toContain("vobiz:authId");
    expect(api.traffic.seen).toEqual([]);
  });

  it("throws VobizConfigError before any request when the Auth Token is missing", () => {
    const err = configError(() => new VobizClient({ authId: "MA_UNIT", baseUrl: UNIT_BASE_URL, env: {} }));
    expect(err.message).toContain("VOBIZ_AUTH_TOKEN");
    expect(api.traffic.seen).toEqual([]);
  });

  it("reads the environment it is given, after the explicit options", async () => {
    const optionsToken = `tok_${randomBytes(8).toString("hex")}`;
    const scope = api
      .scope(UNIT_ORIGIN, { reqheaders: { "x-auth-id": "MA_UNIT", "x-auth-token": optionsToken } })
      .get(PATHS.listPage(0))
      .reply(200, listJson([]));
    const client = new VobizClient({
      authToken: optionsToken,
      env: {
        VOBIZ_AUTH_ID: "MA_UNIT",
        VOBIZ_AUTH_TOKEN: "tok_from_env",
        VOBIZ_BASE_URL: `${UNIT_BASE_URL}/`,
      },
      clock: fakeClock(),
    });
    expect(client.baseUrl).toBe(UNIT_BASE_URL);
    await client.listAllCredentials();
    expect(scope.isDone()).toBe(true);
  });

  it("defaults to process.env", () => {
    const saved = { ...process.env };
    try {
      process.env.VOBIZ_AUTH_ID = "MA_PROC";
      process.env.VOBIZ_AUTH_TOKEN = "tok_proc";
      delete process.env.VOBIZ_BASE_URL;
      const client = new VobizClient();
      expect(client.authId).toBe("MA_PROC");
      expect(client.baseUrl).toBe(DEFAULT_BASE_URL);
    } finally {
      process.env = saved;
    }
  });
});

describe("debug trace", () => {
  it("the injected collector gets one line per attempt and retry, never the token or a password", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500, errorEnvelope("E", `echo ${UNIT_PASSWORD} ${TOKEN}`), { "X-Request-Id": "req_1" })
      .get(PATHS.listPage(0))
      .reply(200, listJson([]))
      .post(PATHS.credentials)
      .replyWithError(networkError("ECONNREFUSED", `refused ${UNIT_PASSWORD}`))
      .post(PATHS.credentials)
      .reply(201, credentialJson({ username: "desk", password: UNIT_PASSWORD }))
      .put(PATHS.credential("c1"))
      .reply(400, { error: `bad ${UNIT_PASSWORD}` });
    const { client, logs } = makeClient();
    await client.createCredential({ username: "desk", password: UNIT_PASSWORD });
    await rejectionOf(client.updateCredential("c1", { password: UNIT_PASSWORD }));
    expect(logs.length).toBeGreaterThanOrEqual(6);
    expect(logs.every((l) => l.startsWith("[pulumi-vobiz] "))).toBe(true);
    for (const line of logs) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(UNIT_PASSWORD);
    }
    expect(logs).toContain(
      "[pulumi-vobiz] POST /account/MA_UNIT/credentials -> 500 in 0 ms (attempt 1, request req_1)",
    );
  });

  describe("VOBIZ_DEBUG without a collector writes to stderr", () => {
    let writes: string[];
    let spy: jest.SpyInstance;
    beforeEach(() => {
      writes = [];
      spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        writes.push(String(chunk));
        return true;
      });
    });
    afterEach(() => spy.mockRestore());

    it("one masked line per attempt", async () => {
      api
        .scope(UNIT_ORIGIN)
        .put(PATHS.credential("c1"))
        .reply(503)
        .put(PATHS.credential("c1"))
        .reply(200, credentialJson({ id: "c1" }));
      const { client } = makeClient({ debug: undefined, env: { VOBIZ_DEBUG: "1" } });
      await client.updateCredential("c1", { password: UNIT_PASSWORD });
      expect(writes).toHaveLength(3);
      expect(writes.every((w) => w.startsWith("[pulumi-vobiz] ") && w.endsWith("\n"))).toBe(true);
      for (const w of writes) {
        expect(w).not.toContain(TOKEN);
        expect(w).not.toContain(UNIT_PASSWORD);
      }
    });

    it("nothing without VOBIZ_DEBUG", async () => {
      api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(200, listJson([]));
      await makeClient({ debug: undefined, env: {} }).client.listAllCredentials();
      expect(writes).toEqual([]);
    });

    it("an explicit collector takes precedence over VOBIZ_DEBUG", async () => {
      api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(200, listJson([]));
      const lines: string[] = [];
      await makeClient({
        debug: (l) => lines.push(l),
        env: { VOBIZ_DEBUG: "1" },
      }).client.listAllCredentials();
      expect(writes).toEqual([]);
      expect(lines).toHaveLength(1);
    });
  });
});
