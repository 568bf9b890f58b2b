/**
 * A create that needs a follow-up PUT (`enabled: false`: the create body carries only username
 * and password) whose PUT keeps failing. The provider deletes the credential it just created and
 * says so; nothing is orphaned. When the rollback DELETE fails too, the provider reports the
 * credential as created but not initialised: the engine keeps it in state and the next `up`
 * applies what is missing, with no `adoptExisting`.
 */
import type { FaultRule } from "../../provider/sandbox";
import { expectConverged } from "../helpers/convergence";
import { output } from "../helpers/engine";
import { describeRules, measuredColumns, providerError } from "../helpers/faultsResults";
import { FAULTS_SEED, useScenario } from "../helpers/scenario";

jest.setTimeout(900_000);

describe("failed follow-up PUT after a create", () => {
  const f = useScenario({ name: "faults-followup", sandbox: { seed: FAULTS_SEED } }, async (f) => {
    await f.password("pw");
  });

  test("every PUT answers 500: up fails saying nothing was left behind; the account stays empty; next up works", async () => {
    const rules: FaultRule[] = [{ method: "PUT", status: 500, times: 100 }];
    for (const r of rules) f.sandbox.faults.add(r);
    f.spec({ phone: { username: "followup_disabled", passwordKey: "pw", enabled: false } });
    const journal = f.window();
    const failed = await f.ws.up({ check: false });
    const afterFailure = await f.convergence();
    const sequence = journal.entries().map((e) => `${e.method} ${e.status}`);

    f.sandbox.faults.clear();
    const fixed = f.window();
    const up = await f.ws.up();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await f.convergence();
    const w = journal.appliedWrites();
    f.record({
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

  test("PUT and the rollback DELETE both fail: the credential is kept in state, not initialised; the next up finishes it", async () => {
    const rules: FaultRule[] = [
      { method: "PUT", status: 500, times: 100 },
      { method: "DELETE", status: 503, times: 100 },
    ];
    for (const r of rules) f.sandbox.faults.add(r);
    f.spec({
      phone: { username: "followup_disabled", passwordKey: "pw", enabled: false },
      fax: { username: "followup_stuck", passwordKey: "pw", enabled: false, description: "Fax line" },
    });
    const journal = f.window();
    const failed = await f.ws.up({ check: false });
    const afterFailure = await f.convergence();
    const leftover = f.live().find((c) => c.username === "followup_stuck");
    const recorded = (await f.ws.credentialsInState()).find((r) => r.urn.endsWith("::fax"));

    f.sandbox.faults.clear();
    // No adoptExisting: the engine updates the resource it recorded as not initialised.
    const finish = f.window();
    const finished = await f.ws.up();
    const finishing = finish.entries();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await f.convergence();
    const w = journal.appliedWrites();
    f.record({
      id: "03b",
      message: providerError(failed),
      scenario: "failed follow-up and failed rollback DELETE: kept in state as not initialised",
      faults: describeRules(rules),
      operations:
        "up (failed: created but not initialised); faults cleared; up (ok: one PUT finishes it); " +
        "preview --expect-no-changes (ok)",
      ...measuredColumns(w, c, journal),
      durationMs: failed.durationMs + finished.durationMs + preview.durationMs,
      outcome: `after the failed run: ${afterFailure.orphansLive.length} orphans, ${afterFailure.stateIds.length} in state; next up: ${finishing
        .map((e) => `${e.method} ${e.status}`)
        .join(" → ")}; converged`,
    });

    expect(failed.code).not.toBe(0);
    expect(leftover).toBeDefined();
    expect(leftover!.enabled).toBe(true);
    // The engine holds the new credential: nothing orphaned, even before the next up.
    expect(afterFailure.orphansLive).toEqual([]);
    expect(afterFailure.stateIds).toContain(leftover!.id);
    expect(recorded?.id).toBe(leftover!.id);
    expect(recorded?.inputs?.__provider).toBeDefined();
    expect(output(failed)).toContain(`(id ${leftover!.id})`);
    expect(output(failed)).toMatch(/Deleting it again also failed/);
    expect(output(failed)).toMatch(/run `pulumi up` again/);
    expect(output(failed)).not.toMatch(/adoptExisting: true/);
    // The next up sends what is missing in one PUT, no create (the state holds no password, so it
    // sends the same one again).
    expect(finishing.map((e) => `${e.method} ${e.status}`)).toEqual(["PUT 200"]);
    expect(Object.keys(finishing[0].body as object).sort()).toEqual(["description", "enabled", "password"]);
    expectConverged(c, ["followup_disabled", "followup_stuck"]);
    const fax = f.live().find((x) => x.username === "followup_stuck")!;
    expect(fax.id).toBe(leftover!.id);
    expect(fax.enabled).toBe(false);
    expect(fax.description).toBe("Fax line");
    expect(f.sandbox.credentials.verifyPassword(f.authId, fax.id, f.secrets["password pw"])).toBe(true);
  });
});
