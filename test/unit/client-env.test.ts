/**
 * What VobizClient reads from its environment besides the connection settings: `VOBIZ_DEBUG`
 * (which values turn debugging on) and `VOBIZ_MAX_RETRY_WAIT` (the retry time budget).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CLIENT_ENV_VARS, debugEnabled, retryWaitFromEnv, VobizClient } from "../../provider/api/client";
import { VobizConfigError, VobizRateLimitError } from "../../provider/common/errors";
import { fakeClock } from "../helpers/fakeClock";
import {
  listJson,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_AUTH_ID,
  UNIT_AUTH_TOKEN,
  UNIT_BASE_URL,
  UNIT_ORIGIN,
} from "../helpers/fixtures";
import { useNock } from "../helpers/nock";

const api = useNock();

describe("VOBIZ_DEBUG", () => {
  it.each(["", " ", "0", "false", "FALSE", "no", "off", "Off"])("%p is off", (v) => {
    expect(debugEnabled(v)).toBe(false);
  });

  it.each(["1", "true", "yes", "on", "verbose"])("%p is on", (v) => {
    expect(debugEnabled(v)).toBe(true);
  });

  it("unset is off", () => {
    expect(debugEnabled(undefined)).toBe(false);
  });

  describe("without a collector", () => {
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
  it("is read in seconds; unset or empty leaves the default", () => {
    expect(retryWaitFromEnv("300")).toBe(300_000);
    expect(retryWaitFromEnv(" 1.5 ")).toBe(1_500);
    expect(retryWaitFromEnv(undefined)).toBeUndefined();
    expect(retryWaitFromEnv("")).toBeUndefined();
  });

  it.each(["-1", "five", "10s", "1e3"])("%p is a VobizConfigError naming the variable", (v) => {
    expect(() => retryWaitFromEnv(v)).toThrow(VobizConfigError);
    expect(() => retryWaitFromEnv(v)).toThrow(/VOBIZ_MAX_RETRY_WAIT must be a number of seconds/);
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

  it("is documented in the README with the other environment variables", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    for (const name of Object.values(CLIENT_ENV_VARS)) expect(readme).toContain(`\`${name}\``);
  });
});
