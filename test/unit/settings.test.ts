/**
 * The settings module (provider/settings/settings.ts): one table of every setting, resolved as
 * explicit option > flag > stack config > environment > default, empty values as absent, clear
 * errors naming the config key or variable (never the value), the base URL's checks, cache keys
 * that hold a token only as a hash, and the lines that set what `vobiz-onboard check` found.
 */
import { VobizConfigError } from "../../provider/common/errors";
import {
  CONFIG_KEYS,
  DEFAULT_BASE_URL,
  ENV_VARS,
  findSetting,
  flagSettings,
  resolveConnection,
  resolveSetting,
  resolveSettings,
  SETTINGS,
  settingLines,
  settingsKey,
  type ConfigSource,
  type SettingName,
} from "../../provider/settings/settings";
import { thrownWithoutSecrets } from "../helpers/secrets";

const TOKEN = "tok_settings_SECRET_1";
const config = (values: Record<string, string | undefined>): ConfigSource => ({ get: (k) => values[k] });

const configError = (f: () => unknown): VobizConfigError =>
  thrownWithoutSecrets(f, VobizConfigError, [TOKEN]);

/** For each setting: two valid texts (and their values), one invalid text. */
const SAMPLES: Record<SettingName, { a: [string, unknown]; b: [string, unknown]; bad?: string }> = {
  authId: { a: ["MA_A", "MA_A"], b: ["MA_B", "MA_B"] },
  authToken: { a: ["tok_a", "tok_a"], b: ["tok_b", "tok_b"] },
  baseUrl: {
    a: ["https://a.test/api/v1/", "https://a.test/api/v1"],
    b: ["http://b.test", "http://b.test"],
    bad: "b.test",
  },
  accountPathSegment: { a: ["Account", "Account"], b: ["account", "account"], bad: "ACCOUNT" },
  listPageSize: { a: ["50", 50], b: ["7", 7], bad: "101" },
  maxRetryWait: { a: ["300", 300], b: ["1.5", 1.5], bad: "10s" },
  requestTimeout: { a: ["10", 10], b: ["2.5", 2.5], bad: "0" },
  maxRequestsPerSecond: { a: ["5", 5], b: ["0.5", 0.5], bad: "-1" },
  releaseAccount: { a: ["MA_OLD", "MA_OLD"], b: ["MA_OTHER", "MA_OTHER"] },
  rateLimiter: { a: ["off", "off"], b: ["SHARED", "shared"], bad: "own" },
  debug: { a: ["1", true], b: ["off", false] },
};
const NAMES = Object.keys(SETTINGS) as SettingName[];

describe("the table", () => {
  test("names every setting with a vobiz:* key, a VOBIZ_* variable, a type and a doc line", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...NAMES].sort());
    for (const name of NAMES) {
      const s = SETTINGS[name];
      expect(s.config).toBe(`vobiz:${name}`);
      expect(s.env).toMatch(/^VOBIZ_[A-Z_]+$/);
      expect(s.doc).not.toContain("\n");
      expect(CONFIG_KEYS[name]).toBe(s.config);
      expect(ENV_VARS[name]).toBe(s.env);
    }
  });

  test("the connection settings use the names of Vobiz's SDKs; only the token is secret", () => {
    expect([ENV_VARS.authId, ENV_VARS.authToken, ENV_VARS.baseUrl]).toEqual([
      "VOBIZ_AUTH_ID",
      "VOBIZ_AUTH_TOKEN",
      "VOBIZ_BASE_URL",
    ]);
    expect(NAMES.filter((n) => SETTINGS[n].secret)).toEqual(["authToken"]);
    expect(DEFAULT_BASE_URL).toBe("https://api.vobiz.ai/api/v1");
  });

  test("the CLI flags are kebab-case names, and the token has none (it would show in a process list)", () => {
    for (const [name, s] of flagSettings()) {
      expect(s.flag).toBe(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    }
    expect(SETTINGS.authToken.flag).toBeUndefined();
  });
});

describe.each(NAMES)("%s", (name) => {
  const s = SETTINGS[name];
  const { a, b, bad } = SAMPLES[name];

  test("an option wins over a flag, which wins over the stack config, which wins over the environment", () => {
    const env = { [s.env]: b[0] };
    expect(resolveSetting(name, { env })).toEqual(b[1]);
    expect(resolveSetting(name, { config: config({ [s.config]: a[0] }), env })).toEqual(a[1]);
    if (s.flag) {
      expect(
        resolveSetting(name, { flags: { [s.flag]: b[0] }, config: config({ [s.config]: a[0] }), env }),
      ).toEqual(b[1]);
    }
    expect(
      resolveSetting(name, { options: { [name]: b[0] }, config: config({ [s.config]: a[0] }), env }),
    ).toEqual(b[1]);
  });

  test("empty and blank values are absent; unset gives the default", () => {
    expect(
      resolveSetting(name, {
        options: { [name]: " " },
        config: config({ [s.config]: "" }),
        env: { [s.env]: "\t" },
      }),
    ).toEqual(s.default);
    expect(findSetting(name, { env: {} })).toBeUndefined();
    expect(resolveSetting(name, { env: {} })).toEqual(s.default);
  });

  if (bad !== undefined) {
    test(`a malformed value (${JSON.stringify(bad)}) names where it came from, not the value`, () => {
      expect(configError(() => resolveSetting(name, { env: { [s.env]: bad } })).message).toContain(s.env);
      expect(
        configError(() => resolveSetting(name, { config: config({ [s.config]: bad }), env: {} })).message,
      ).toContain(s.config);
      if (s.flag) {
        expect(
          configError(() => resolveSetting(name, { flags: { [s.flag!]: bad }, env: {} })).message,
        ).toContain(`--${s.flag}`);
      }
    });
  }
});

describe("typed options follow the same rules as text", () => {
  test.each([
    ["listPageSize", 0],
    ["listPageSize", 2.5],
    ["maxRequestsPerSecond", 0],
    ["requestTimeout", -1],
  ] as const)("%s: %p is refused", (name, value) => {
    expect(
      configError(() => resolveSetting(name, { options: { [name]: value }, env: {} })).message,
    ).toContain(`option ${name}`);
  });
});

describe("the connection", () => {
  test("resolves field by field across sources, the base URL defaulting to production", () => {
    expect(
      resolveConnection({
        options: { authId: "MA_X" },
        config: config({ "vobiz:authToken": TOKEN }),
        env: { VOBIZ_BASE_URL: "https://e.test/api/v1" },
      }),
    ).toEqual({ authId: "MA_X", authToken: TOKEN, baseUrl: "https://e.test/api/v1" });
    expect(resolveConnection({ options: { authId: "MA_X", authToken: TOKEN }, env: {} }).baseUrl).toBe(
      DEFAULT_BASE_URL,
    );
  });

  test("no Auth ID: names vobiz:authId and VOBIZ_AUTH_ID only, and says to find it", () => {
    const err = configError(() => resolveConnection({ options: { authToken: TOKEN }, env: {} }));
    expect(err.message).toContain("vobiz:authId");
    expect(err.message).toContain("VOBIZ_AUTH_ID");
    expect(err.message).not.toContain("VOBIZ_AUTH_TOKEN");
    expect(err.message).toContain("Find it in the Vobiz console");
  });

  test("no Auth Token: names vobiz:authToken (set as a secret) and VOBIZ_AUTH_TOKEN only", () => {
    const err = configError(() => resolveConnection({ options: { authId: "MA_X" }, env: {} }));
    expect(err.message).toContain("`pulumi config set --secret vobiz:authToken ...`");
    expect(err.message).toContain("VOBIZ_AUTH_TOKEN");
    expect(err.message).not.toContain("VOBIZ_AUTH_ID");
    expect(err.message).toContain("Find it in the Vobiz console");
  });

  test("neither: names both, and says to find both", () => {
    const err = configError(() => resolveConnection({ env: {} }));
    for (const k of ["vobiz:authId", "VOBIZ_AUTH_ID", "vobiz:authToken", "VOBIZ_AUTH_TOKEN", "Find both"]) {
      expect(err.message).toContain(k);
    }
  });

  test.each([
    ["Auth ID", { authId: "MA_\nX", authToken: TOKEN }],
    ["Auth Token", { authId: "MA_X", authToken: `${TOKEN}\r\nX-Evil: 1` }],
  ])("a line break inside the %s is refused, without echoing it", (_, options) => {
    // Trimming keeps inner line breaks: the header would be split.
    expect(configError(() => resolveConnection({ options, env: {} })).message).toContain("line break");
  });

  test("resolveSettings gives every setting, with defaults", () => {
    expect(resolveSettings({ options: { authId: "MA_X", authToken: TOKEN }, env: {} })).toEqual({
      authId: "MA_X",
      authToken: TOKEN,
      baseUrl: DEFAULT_BASE_URL,
      accountPathSegment: "account",
      listPageSize: 100,
      maxRetryWait: 120,
      requestTimeout: 30,
      maxRequestsPerSecond: undefined,
      releaseAccount: undefined,
      rateLimiter: "shared",
      debug: false,
    });
  });
});

describe("the base URL", () => {
  const base = (baseUrl: string) =>
    resolveConnection({ options: { authId: "MA_X", authToken: TOKEN, baseUrl } }).baseUrl;

  test("keeps the path and drops trailing slashes", () => {
    expect(base("https://api.vobiz.test/api/v1")).toBe("https://api.vobiz.test/api/v1");
    expect(base("https://api.vobiz.test/api/v1///")).toBe("https://api.vobiz.test/api/v1");
    expect(base("https://api.vobiz.test")).toBe("https://api.vobiz.test");
    expect(base("  http://127.0.0.1:8080/api/v1/ ")).toBe("http://127.0.0.1:8080/api/v1");
  });

  test.each(["not a url", "api.vobiz.ai/api/v1", "//api.vobiz.ai", "https://"])(
    "refuses %p, naming the settings",
    (raw) => {
      const err = configError(() => base(raw));
      expect(err.message).toContain("vobiz:baseUrl");
      expect(err.message).toContain("VOBIZ_BASE_URL");
    },
  );

  test.each(["ftp://api.vobiz.test/api/v1", "file:///etc/passwd", "javascript:alert(1)"])(
    "refuses the non-HTTP scheme of %p",
    (raw) => expect(configError(() => base(raw)).message).toContain("must use http or https"),
  );

  test("refuses a user or password in the URL, without echoing it", () => {
    expect(configError(() => base(`https://MA_X:${TOKEN}@api.vobiz.test/api/v1`)).message).toContain(
      "must not hold a user or password",
    );
  });

  test.each(["https://api.vobiz.test/api/v1?x=1", "https://api.vobiz.test/api/v1#frag"])(
    "refuses a query or fragment (%p), which would corrupt every request path",
    (raw) => expect(configError(() => base(raw)).message).toContain("query or fragment"),
  );
});

describe("keys and printed lines", () => {
  test("a settings key holds a token only as a hash, and differs when the token differs", () => {
    const key = settingsKey({
      options: { authId: "MA_ONE", authToken: TOKEN },
      env: { VOBIZ_BASE_URL: "http://x" },
    });
    expect(key).not.toContain(TOKEN);
    expect(key).toContain("MA_ONE");
    expect(key).toMatch(/[0-9a-f]{64}/);
    expect(
      settingsKey({
        options: { authId: "MA_ONE", authToken: "tok_other" },
        env: { VOBIZ_BASE_URL: "http://x" },
      }),
    ).not.toBe(key);
    expect(settingsKey({ env: { VOBIZ_AUTH_TOKEN: TOKEN } })).not.toContain(TOKEN);
  });

  test("settingLines gives pulumi config and export lines; a secret's value is never printed", () => {
    const { config: lines, env } = settingLines({
      authId: "MA_X",
      authToken: TOKEN,
      accountPathSegment: "Account",
      listPageSize: 50,
      baseUrl: "https://x.test/api/v1",
    });
    expect(lines).toEqual([
      "pulumi config set vobiz:authId MA_X",
      "pulumi config set --secret vobiz:authToken",
      "pulumi config set vobiz:baseUrl https://x.test/api/v1",
      "pulumi config set vobiz:accountPathSegment Account",
      "pulumi config set vobiz:listPageSize 50",
    ]);
    expect(env).toContain("export VOBIZ_ACCOUNT_PATH_SEGMENT=Account");
    expect(env.join("\n")).not.toContain(TOKEN);
    expect(lines.join("\n")).not.toContain(TOKEN);
  });
});
