/**
 * Ambiguous creates: the sandbox applies the POST but the client never learns it (the connection
 * is dropped, or a 500 comes back). The provider must not create a second credential: it reads
 * the list, recognises the credential it just created, sets its password once more and stores
 * its real id.
 */
import type { FaultRule, JournalEntry } from "../../provider/sandbox";
import { bodyUsername, expectConverged } from "../helpers/convergence";
import { output } from "../helpers/engine";
import { describeRules, measuredColumns, providerError } from "../helpers/faultsResults";
import { FAULTS_SEED, useScenario } from "../helpers/scenario";
import type { SpecEntry } from "../helpers/stackFixture";

jest.setTimeout(900_000);

describe("ambiguous create: applied on the server, failed for the client", () => {
  const spec: Record<string, SpecEntry> = {};
  const f = useScenario({ name: "faults-ambiguous", sandbox: { seed: FAULTS_SEED } }, async (f) => {
    await f.password("pw");
  });

  /** Adds one credential under `rule` and checks the journal and state; returns the POSTs seen. */
  async function createUnder(id: string, title: string, name: string, username: string, rule: FaultRule) {
    f.sandbox.faults.clear();
    f.sandbox.faults.add(rule);
    spec[name] = { username, passwordKey: "pw" };
    f.spec(spec);
    const journal = f.window();
    const up = await f.ws.up();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await f.convergence();
    const entries = journal.entries();
    const posts = entries.filter((e) => e.route === "create" && bodyUsername(e) === username);
    const w = journal.appliedWrites();
    const live = f.live().find((x) => x.username === username);
    const [inState] = (await f.ws.credentialsInState()).filter((r) => r.urn.endsWith(`::${name}`));
    f.record({
      id,
      scenario: title,
      faults: describeRules([rule]),
      operations: "up (ok); preview --expect-no-changes (ok)",
      created: w.created,
      updated: w.updated,
      deleted: w.deleted,
      kept: c.liveIds.length,
      duplicates: c.duplicates,
      orphans: c.orphansLive.length + c.orphansState.length,
      requests: entries.length,
      faultedRequests: journal.faulted(),
      durationMs: up.durationMs + preview.durationMs,
      outcome:
        `${posts.length} POST(s) for ${username} (${posts.map((p) => (p.dropped ? "dropped" : p.status)).join(", ")}); ` +
        `requests: ${entries.map((e) => `${e.method} ${e.route}`).join(" → ")}; state id ${inState?.id === live?.id ? "=" : "≠"} live id`,
    });
    expect(live).toBeDefined();
    expect(inState?.id).toBe(live!.id);
    expect(inState?.outputs?.createdAt).toBe(live!.created_at);
    expect(f.live().filter((x) => x.username === username)).toHaveLength(1);
    expect(w.created).toBe(1);
    return { posts, entries, c };
  }

  /** POST, one list read, then one PUT of only the password on the credential the list showed. */
  function expectReconciled(entries: JournalEntry[], postPath: string): void {
    expect(entries.map((e) => e.route)).toEqual(["create", "list", "update"]);
    const live = f.live();
    const put = entries[2];
    expect(put.body).toEqual({ password: "***" });
    expect(live.map((c) => `${postPath}/${c.id}`)).toContain(put.path);
  }

  test("POST applied, then the connection dropped: one POST, then a list read; state holds the real id", async () => {
    const rule: FaultRule = { route: "create", applyThenFail: { drop: true }, times: 1 };
    const { posts, entries, c } = await createUnder(
      "02a",
      "ambiguous create: POST applied, response dropped",
      "dropped",
      "amb_dropped",
      rule,
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ dropped: true, status: 0, appliedStatus: 201 });
    // The reconciliation reads the list instead of re-POSTing, then sets the declared password
    // once (client.ts: the credential found is certainly in the declared state afterwards).
    expectReconciled(entries, posts[0].path);
    expectConverged(c, ["amb_dropped"]);
  });

  test("POST applied, then answered 500: one POST, then a list read; state holds the real id", async () => {
    const rule: FaultRule = { route: "create", applyThenFail: { status: 500 }, times: 1 };
    const { posts, entries, c } = await createUnder(
      "02b",
      "ambiguous create: POST applied, answered 500",
      "answered500",
      "amb_500",
      rule,
    );
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ dropped: false, status: 500, appliedStatus: 201 });
    expectReconciled(entries, posts[0].path);
    expectConverged(c, ["amb_dropped", "amb_500"]);
  });

  test("control: POST dropped before it was applied: the list shows nothing, so the create is sent again", async () => {
    const rule: FaultRule = { route: "create", drop: true, times: 1 };
    const { posts, entries, c } = await createUnder(
      "02c",
      "ambiguous create (control): POST dropped unapplied",
      "droppedUnapplied",
      "amb_unapplied",
      rule,
    );
    expect(posts).toHaveLength(2);
    expect(posts[0]).toMatchObject({ dropped: true, status: 0 });
    expect(posts[0].appliedStatus).toBeUndefined();
    expect(posts[1]).toMatchObject({ status: 201 });
    expect(entries.map((e) => e.route)).toEqual(["create", "list", "create"]);
    expectConverged(c, ["amb_dropped", "amb_500", "amb_unapplied"]);
  });

  test("POST applied and the look-up fails too: the create's error is reported; the leftover is adopted next run", async () => {
    const rules: FaultRule[] = [
      { route: "create", applyThenFail: { status: 500 }, times: 1 },
      { route: "list", status: 503, times: 100 },
    ];
    f.sandbox.faults.clear();
    for (const r of rules) f.sandbox.faults.add(r);
    spec.lookupFails = { username: "amb_blind", passwordKey: "pw" };
    f.spec(spec);
    const journal = f.window();
    const failed = await f.ws.up({ check: false });
    const afterFailure = await f.convergence();
    const sequence = journal.entries().map((e) => `${e.method} ${e.status}`);

    f.sandbox.faults.clear();
    const conflict = await f.ws.up({ check: false });
    spec.lookupFails = { username: "amb_blind", passwordKey: "pw", adoptExisting: true };
    f.spec(spec);
    const adopted = await f.ws.up();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await f.convergence();
    const w = journal.appliedWrites();
    const posts = journal.entries().filter((e) => e.route === "create" && bodyUsername(e) === "amb_blind");
    f.record({
      id: "02d",
      scenario: "ambiguous create whose look-up fails too (Vobiz unreachable right after the write)",
      message: `${providerError(failed)} — next up: ${providerError(conflict)}`,
      faults: describeRules(rules),
      operations:
        "up (failed); faults cleared; up (failed: 409); adoptExisting: true; up (ok); preview --expect-no-changes (ok)",
      ...measuredColumns(w, c, journal),
      durationMs: failed.durationMs + conflict.durationMs + adopted.durationMs + preview.durationMs,
      outcome:
        `failed run: ${sequence.join(" → ")}; left ${afterFailure.orphansLive.length} live orphan; ` +
        `POSTs for the username: ${posts.map((e) => e.status).join(", ")}; adopted (1 PUT), converged`,
    });

    expect(failed.code).not.toBe(0);
    expect(output(failed)).toMatch(/HTTP 500/); // the create's failure, not the look-up's
    expect(sequence).toEqual(["POST 500", ...Array(5).fill("GET 503")]);
    expect(afterFailure.orphansLive).toHaveLength(1);
    expect(conflict.code).not.toBe(0);
    expect(output(conflict)).toMatch(/already exists[\s\S]*adoptExisting: true/);
    // The adopting run POSTs too (409), then takes the credential over: never a second one.
    expect(posts.map((e) => e.status)).toEqual([500, 409, 409]);
    expect(w.created).toBe(1);
    expectConverged(c, ["amb_dropped", "amb_500", "amb_unapplied", "amb_blind"]);
  });

  test("destroy removes all four", async () => {
    f.sandbox.faults.clear();
    const journal = f.window();
    await f.ws.destroy();
    expect(journal.appliedWrites()).toEqual({ created: 0, updated: 0, deleted: 4 });
    expect(f.live()).toEqual([]);
  });
});
