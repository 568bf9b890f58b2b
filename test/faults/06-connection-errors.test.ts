/**
 * Connection settings that cannot work: a wrong token, a base URL where nothing listens, no
 * settings at all. Each must fail within seconds (never hang until the engine gives up) with a
 * message naming the setting to fix; once it is fixed, the next run succeeds.
 */
import { expectConverged } from "../helpers/convergence";
import { output } from "../helpers/engine";
import { providerError } from "../helpers/faultsResults";
import { closedPort } from "../helpers/processes";
import { FAULTS_SEED, useScenario } from "../helpers/scenario";
import { randomToken } from "../helpers/stackFixture";

jest.setTimeout(900_000);

describe("wrong or missing connection settings", () => {
  const f = useScenario({ name: "faults-connection", sandbox: { seed: FAULTS_SEED } }, async (f) => {
    await f.password("pw");
    f.spec({ desk: { username: "conn_desk", passwordKey: "pw" } });
  });

  test("wrong token: 401 within seconds, not retried, message names vobiz:authToken", async () => {
    const wrong = randomToken("wrong");
    f.secrets["wrong token"] = wrong;
    await f.ws.setConfig("vobiz:authToken", wrong, { secret: true });
    const journal = f.window();
    const up = await f.ws.up({ check: false });
    const c = await f.convergence();
    const sent = journal.entries().map((e) => `${e.method} ${e.status}`);
    f.record({
      id: "06a",
      message: providerError(up),
      scenario: "wrong auth token",
      faults: "vobiz:authToken set to a token the account does not have",
      operations: `up (failed, ${up.durationMs} ms)`,
      created: 0,
      updated: 0,
      deleted: 0,
      kept: c.liveIds.length,
      duplicates: c.duplicates,
      orphans: c.orphansLive.length + c.orphansState.length,
      requests: journal.entries().length,
      faultedRequests: 0,
      durationMs: up.durationMs,
      outcome: `requests: ${sent.join(", ")}; message names vobiz:authToken: ${/vobiz:authToken/.test(output(up))}`,
    });
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/HTTP 401/);
    expect(output(up)).toMatch(/vobiz:authToken/);
    expect(up.durationMs).toBeLessThan(30_000);
    expect(sent).toEqual(["POST 401"]); // one attempt: a 401 is never retried
    expect(c.liveIds).toEqual([]);
    await f.ws.setConfig("vobiz:authToken", f.authToken, { secret: true });
  });

  test("base URL on a closed port: fails within seconds naming the base URL; nothing is sent anywhere", async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/api/v1`;
    await f.ws.setConfig("vobiz:baseUrl", url);
    const journal = f.window();
    const up = await f.ws.up({ check: false });
    const c = await f.convergence();
    f.record({
      id: "06b",
      message: providerError(up),
      scenario: "base URL on a closed port",
      faults: `vobiz:baseUrl = http://127.0.0.1:<closed port>/api/v1`,
      operations: `up (failed, ${up.durationMs} ms)`,
      created: 0,
      updated: 0,
      deleted: 0,
      kept: c.liveIds.length,
      duplicates: c.duplicates,
      orphans: c.orphansLive.length + c.orphansState.length,
      requests: journal.entries().length,
      faultedRequests: 0,
      durationMs: up.durationMs,
      outcome:
        `ECONNREFUSED retried (provably unsent), then failed; message names the base URL setting: ` +
        `${/vobiz:baseUrl/.test(output(up))}, shows the URL itself: ${output(up).includes(`127.0.0.1:${port}`)}`,
    });
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/ECONNREFUSED/);
    expect(output(up)).toMatch(
      /base URL \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\), set by vobiz:baseUrl \/ VOBIZ_BASE_URL/,
    );
    expect(up.durationMs).toBeLessThan(30_000);
    expect(journal.entries()).toEqual([]);
    expect(c.liveIds).toEqual([]);
    await f.ws.setConfig("vobiz:baseUrl", f.sandbox.baseUrl);
  });

  test("no Vobiz settings at all: preview and up fail naming vobiz:authId / VOBIZ_AUTH_ID", async () => {
    for (const key of ["vobiz:authId", "vobiz:authToken", "vobiz:baseUrl"]) {
      await f.ws.run(["config", "rm", key]);
    }
    const journal = f.window();
    const preview = await f.ws.preview({ check: false });
    const up = await f.ws.up({ check: false });
    const c = await f.convergence();
    f.record({
      id: "06c",
      message: `preview: ${preview.code === 0 ? "(succeeded: no error)" : providerError(preview)} — up: ${providerError(up)}`,
      scenario: "no Vobiz settings (no config, no env)",
      faults: "vobiz:authId, vobiz:authToken, vobiz:baseUrl removed; VOBIZ_* unset",
      operations: `preview (${preview.code === 0 ? "ok" : "failed"}, ${preview.durationMs} ms); up (${up.code === 0 ? "ok" : "failed"}, ${up.durationMs} ms)`,
      created: 0,
      updated: 0,
      deleted: 0,
      kept: c.liveIds.length,
      duplicates: c.duplicates,
      orphans: c.orphansLive.length + c.orphansState.length,
      requests: journal.entries().length,
      faultedRequests: 0,
      durationMs: preview.durationMs + up.durationMs,
      outcome:
        `preview names vobiz:authId/VOBIZ_AUTH_ID: ${/vobiz:authId[\s\S]*VOBIZ_AUTH_ID/.test(output(preview))}; ` +
        `up names them: ${/vobiz:authId[\s\S]*VOBIZ_AUTH_ID/.test(output(up))}`,
    });
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/vobiz:authId or env VOBIZ_AUTH_ID/);
    expect(journal.entries()).toEqual([]);
    // Fails today: preview succeeds and plans the create (finding 1 in docs/faults-report.md:
    // provider.ts check() never resolves the connection settings, and diff() tolerates their absence).
    expect(output(preview)).toMatch(/vobiz:authId or env VOBIZ_AUTH_ID/);
    expect(preview.code).not.toBe(0);
  });

  test("with the settings fixed, up succeeds", async () => {
    await f.ws.setConfig("vobiz:authId", f.authId);
    await f.ws.setConfig("vobiz:authToken", f.authToken, { secret: true });
    await f.ws.setConfig("vobiz:baseUrl", f.sandbox.baseUrl);
    await f.ws.up();
    expectConverged(await f.convergence(), ["conn_desk"]);
  });
});
