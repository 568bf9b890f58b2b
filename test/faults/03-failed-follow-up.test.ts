/**
 * A create that needs a follow-up PUT (`enabled: false`: the create body carries only username
 * and password) whose PUT keeps failing. The provider deletes the credential it just created and
 * says so; nothing is orphaned. When the rollback DELETE fails too, the error names the leftover
 * and the way to take it over, and that recovery works.
 */
import type { FaultRule } from "../../provider/sandbox";
import { createStackFixture, type StackFixture } from "../helpers/stackFixture";
import {
  convergence,
  describeRules,
  expectConverged,
  expectNoHits,
  FAULTS_SEED,
  flushResults,
  JournalWindow,
  output,
  providerError,
  recordLeaks,
  recordResult,
  scanLeaks,
  measuredColumns,
} from "./support";

jest.setTimeout(900_000);

describe("failed follow-up PUT after a create", () => {
  let f: StackFixture;

  beforeAll(async () => {
    f = await createStackFixture({ name: "faults-followup", sandbox: { seed: FAULTS_SEED } });
    await f.password("pw");
  });
  afterAll(async () => {
    await flushResults(); // the measured rows, even when a close check fails
    await f?.close();
  });

  test("every PUT answers 500: up fails saying nothing was left behind; the account stays empty; next up works", async () => {
    const rules: FaultRule[] = [{ method: "PUT", status: 500, times: 100 }];
    for (const r of rules) f.sandbox.faults.add(r);
    f.spec({ phone: { username: "followup_disabled", passwordKey: "pw", enabled: false } });
    const journal = new JournalWindow(f);
    const failed = await f.ws.up({ check: false });
    const afterFailure = await convergence(f);
    const sequence = journal.entries().map((e) => `${e.method} ${e.status}`);

    f.sandbox.faults.clear();
    const fixed = new JournalWindow(f);
    const up = await f.ws.up();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await convergence(f);
    const w = journal.appliedWrites();
    recordResult({
      id: "03a",
      message: providerError(failed),
      scenario: "failed follow-up: PUT (enabled: false) fails after the create",
      faults: describeRules(rules),
      operations: `up (failed, ${failed.durationMs} ms); faults cleared; up (ok); preview --expect-no-changes (ok)`,
      ...measuredColumns(w, c, journal),
      durationMs: failed.durationMs + up.durationMs + preview.durationMs,
      outcome: `failed run: ${sequence.join(" → ")}, left ${afterFailure.liveIds.length} live / ${afterFailure.stateIds.length} in state; retry: ${fixed
        .entries()
        .map((e) => `${e.method} ${e.status}`)
        .join(" → ")}`,
    });

    expect(failed.code).not.toBe(0);
    expect(output(failed)).toMatch(/deleted\s+again and nothing was left behind/);
    expect(output(failed)).toMatch(/HTTP 500/);
    // POST 201, the PUT retried to the end of its budget (5 attempts), then the rollback DELETE.
    expect(sequence).toEqual(["POST 201", ...Array(5).fill("PUT 500"), "DELETE 204"]);
    expect(afterFailure.liveIds).toEqual([]);
    expect(afterFailure.stateIds).toEqual([]);
    expect(failed.durationMs).toBeLessThan(60_000);

    expect(fixed.entries().map((e) => `${e.method} ${e.status}`)).toEqual(["POST 201", "PUT 200"]);
    expectConverged(c, ["followup_disabled"]);
    expect(f.live()[0].enabled).toBe(false);
  });

  test("PUT and the rollback DELETE both fail: the error names the leftover; adoptExisting takes it over", async () => {
    const rules: FaultRule[] = [
      { method: "PUT", status: 500, times: 100 },
      { method: "DELETE", status: 503, times: 100 },
    ];
    for (const r of rules) f.sandbox.faults.add(r);
    f.spec({
      phone: { username: "followup_disabled", passwordKey: "pw", enabled: false },
      fax: { username: "followup_stuck", passwordKey: "pw", enabled: false },
    });
    const journal = new JournalWindow(f);
    const failed = await f.ws.up({ check: false });
    const afterFailure = await convergence(f);
    const leftover = f.live().find((c) => c.username === "followup_stuck");

    f.sandbox.faults.clear();
    // Without adoptExisting the next up hits the leftover's username (409) and says what to do.
    const conflict = await f.ws.up({ check: false });
    f.spec({
      phone: { username: "followup_disabled", passwordKey: "pw", enabled: false },
      fax: { username: "followup_stuck", passwordKey: "pw", enabled: false, adoptExisting: true },
    });
    const adopted = await f.ws.up();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await convergence(f);
    const w = journal.appliedWrites();
    const hits = await scanLeaks(f);
    recordLeaks(hits.length);
    recordResult({
      id: "03b",
      message: `${providerError(failed)} — then, without adoptExisting: ${providerError(conflict)}`,
      scenario: "failed follow-up and failed rollback DELETE; recovered with adoptExisting",
      faults: describeRules(rules),
      operations:
        `up (failed); faults cleared; up (failed: ${conflict.code === 0 ? "no" : "409"} conflict); ` +
        "adoptExisting: true; up (ok, adopted); preview --expect-no-changes (ok)",
      ...measuredColumns(w, c, journal),
      leaks: hits.length,
      durationMs: failed.durationMs + conflict.durationMs + adopted.durationMs + preview.durationMs,
      outcome: `after the failed run: ${afterFailure.orphansLive.length} orphan (named in the error); after adoption: converged`,
    });

    expect(failed.code).not.toBe(0);
    expect(leftover).toBeDefined();
    expect(afterFailure.orphansLive).toEqual([leftover!.id]);
    expect(output(failed)).toContain(`(id ${leftover!.id})`);
    expect(output(failed)).toMatch(/Deleting it again also failed/);
    expect(output(failed)).toMatch(/adoptExisting: true/);
    expect(conflict.code).not.toBe(0);
    expect(output(conflict)).toMatch(/already exists[\s\S]*adoptExisting: true/);
    expectConverged(c, ["followup_disabled", "followup_stuck"]);
    // Adoption kept the leftover (same id) and applied enabled: false and the password.
    const fax = f.live().find((x) => x.username === "followup_stuck")!;
    expect(fax.id).toBe(leftover!.id);
    expect(fax.enabled).toBe(false);
    expect(f.sandbox.credentials.verifyPassword(f.authId, fax.id, f.secrets["password pw"])).toBe(true);
    expectNoHits(hits);
    await f.expectNoSecretsLeaked();
  });
});
