/**
 * How VobizClient applies its settings (provider/settings): a missing Auth ID or token fails its
 * construction before any request; it reads the environment it is given after its options; the
 * debug trace (`VOBIZ_DEBUG` or an injected collector) never carries a secret; the retry budget
 * (`VOBIZ_MAX_RETRY_WAIT`); and every setting is documented in the README.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { VobizClient } from "../../provider/api/client";
import { VobizConfigError, VobizRateLimitError } from "../../provider/common/errors";
import { DEFAULT_BASE_URL, resolveSetting, SETTINGS } from "../../provider/settings/settings";
import { fakeClock } from "../helpers/fakeClock";
import {
  credentialJson,
  errorEnvelope,
  listJson,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_AUTH_ID,
  UNIT_AUTH_TOKEN,
  UNIT_BASE_URL,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { networkError, useNock } from "../helpers/nock";
import { thrownWithoutSecrets } from "../helpers/secrets";

const TOKEN = UNIT_AUTH_TOKEN;

const configError = (f: () => unknown): VobizConfigError =>
  thrownWithoutSecrets(f, VobizConfigError, [TOKEN]);

/** Records (and silences) what the tests of the enclosing describe write to stderr, one entry per write. */
function useStderrWrites(): string[] {
  const writes: string[] = [];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    writes.length = 0;
    spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
  });
  afterEach(() => spy.mockRestore());
  return writes;
}

const api = useNock();

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
    const writes = useStderrWrites();

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

describe("VOBIZ_DEBUG", () => {
  it.each(["", " ", "0", "false", "FALSE", "no", "off", "Off"])("%p is off", (v) => {
    expect(resolveSetting("debug", { env: { VOBIZ_DEBUG: v } })).toBe(false);
  });

  it.each(["1", "true", "yes", "on", "verbose"])("%p is on", (v) => {
    expect(resolveSetting("debug", { env: { VOBIZ_DEBUG: v } })).toBe(true);
  });

  describe("without a collector", () => {
    const writes = useStderrWrites();

    it.each(["0", "false"])("VOBIZ_DEBUG=%s writes nothing to stderr", async (v) => {
      api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(200, listJson([]));
      await makeClient({ debug: undefined, env: { VOBIZ_DEBUG: v } }).client.listAllCredentials();
      expect(writes).toEqual([]);
    });

    it("VOBIZ_DEBUG=1 writes one line per attempt plus one per retry wait", async () => {
      api
        .scope(UNIT_ORIGIN)
        .get(PATHS.listPage(0))
        .reply(503)
        .get(PATHS.listPage(0))
        .reply(200, listJson([]));
      await makeClient({ debug: undefined, env: { VOBIZ_DEBUG: "1" } }).client.listAllCredentials();
      expect(writes.map((w) => w.replace(/(-> \d+) in \d+ ms/, "$1 in N ms"))).toEqual([
        "[pulumi-vobiz] GET /account/MA_UNIT/trunks/credentials -> 503 in N ms (attempt 1)\n",
        "[pulumi-vobiz] retrying GET /account/MA_UNIT/trunks/credentials in 250 ms (attempt 2)\n",
        "[pulumi-vobiz] GET /account/MA_UNIT/trunks/credentials -> 200 in N ms (attempt 2)\n",
      ]);
    });
  });
});

describe("VOBIZ_MAX_RETRY_WAIT", () => {
  it.each(["-1", "five", "10s", "1e3"])("%p is a VobizConfigError naming the variable", (v) => {
    expect(() => resolveSetting("maxRetryWait", { env: { VOBIZ_MAX_RETRY_WAIT: v } })).toThrow(
      /VOBIZ_MAX_RETRY_WAIT must be a number of seconds/,
    );
  });

  it("a malformed value fails the client's construction, before any request", () => {
    expect(
      () =>
        new VobizClient({
          baseUrl: UNIT_BASE_URL,
          authId: UNIT_AUTH_ID,
          authToken: UNIT_AUTH_TOKEN,
          env: { VOBIZ_MAX_RETRY_WAIT: "soon" },
        }),
    ).toThrow(VobizConfigError);
    expect(api.traffic.seen).toEqual([]);
  });

  it("raises the budget so a long Retry-After is waited out", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(429, "", { "Retry-After": "300" })
      .get(PATHS.listPage(0))
      .reply(200, listJson([]));
    const { client, clock } = makeClient({ env: { VOBIZ_MAX_RETRY_WAIT: "400" } });
    await client.listAllCredentials();
    expect(clock.sleeps).toEqual([300_000]);
  });

  it("without it, the same Retry-After fails at once, naming the wait and the variable", async () => {
    api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(429, "", { "Retry-After": "300" });
    const { client, clock } = makeClient();
    const err = await rejectionOf(client.listAllCredentials());
    expect(err).toBeInstanceOf(VobizRateLimitError);
    expect((err as Error).message).toContain(
      "Gave up after 1 attempt: Vobiz asked to wait 300 s (Retry-After)",
    );
    expect((err as Error).message).toContain("VOBIZ_MAX_RETRY_WAIT=<seconds>");
    expect(clock.sleeps).toEqual([]);
  });

  it("an explicit retry.maxElapsedMs wins over the environment", async () => {
    api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(429, "", { "Retry-After": "300" });
    const { client } = makeClient({
      env: { VOBIZ_MAX_RETRY_WAIT: "400" },
      retry: { maxElapsedMs: 10_000 },
      clock: fakeClock(),
    });
    expect(await rejectionOf(client.listAllCredentials())).toBeInstanceOf(VobizRateLimitError);
  });

  it("every setting's variable and config key is documented in the README", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    for (const s of Object.values(SETTINGS)) {
      expect(readme).toContain(`\`${s.env}\``);
      expect(readme).toContain(`\`${s.config}\``);
    }
  });
});
