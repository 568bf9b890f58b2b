/**
 * A flaky API: 50 credentials created, rotated and destroyed through the real engine while about
 * a fifth of all API requests are answered 429 (Retry-After: 1), 500, 502 or 503, with random
 * latency on every request. Each operation must converge in one run with no duplicate and no
 * orphan, and the plan afterwards must be empty.
 */
import type { FaultRule } from "../../provider/sandbox";
import { expectConverged, type JournalWindow } from "../helpers/convergence";
import { describeRules, measuredColumns } from "../helpers/faultsResults";
import { FAULTS_SEED, manyEntries, manyUsernames, setPasswords, useScenario } from "../helpers/scenario";

jest.setTimeout(900_000);

const N = 50;
const KEYS = ["pw0", "pw1", "pw2", "pw3", "pw4"];

/**
 * 1 - 0.92 * 0.96^3 = 18.6 % of requests get an error status. Evaluated in order, so a request
 * the 429 rule answers never reaches the 5xx rules. The jitter rule only delays.
 */
const FLAKY: FaultRule[] = [
  { latencyJitterMs: 50 },
  { status: 429, retryAfter: 1, probability: 0.08 },
  { status: 500, probability: 0.04 },
  { status: 502, probability: 0.04 },
  { status: 503, probability: 0.04 },
];

describe("flaky API: 50 credentials with ~20% of requests failing", () => {
  let journal: JournalWindow;
  let ids: string[] = [];
  const usernames = manyUsernames("flaky", N);
  // The first round's passwords stay registered with the closing scan after the rotation.
  const f = useScenario({ name: "faults-flaky", sandbox: { seed: FAULTS_SEED } }, (f) => {
    for (const r of FLAKY) f.sandbox.faults.add(r);
    journal = f.window();
  });

  test("up of 50 converges in one run; preview and refresh are clean with the faults still on", async () => {
    await setPasswords(f, KEYS);
    f.spec(manyEntries("flaky", N, KEYS));
    journal.reset();
    const up = await f.ws.up(); // throws unless it succeeds: one run
    const c = await f.convergence();
    const w = journal.appliedWrites();
    const statuses = journal.statuses();

    // Faults are kept for the checks: `preview` sends no API request at all (diff needs none),
    // `refresh` reads every credential through one shared list scan, which is retried on faults.
    const previewWindow = f.window();
    const preview = await f.ws.preview({ expectNoChanges: true });
    expect(previewWindow.entries()).toEqual([]);
    const refresh = await f.ws.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    expect(previewWindow.entries().every((e) => e.route === "list")).toBe(true);
    const after = await f.convergence();
    f.record({
      id: "01a",
      scenario: `flaky API: up of ${N}`,
      faults: describeRules(FLAKY),
      operations: "up (ok, one run); preview --expect-no-changes (ok); refresh --expect-no-changes (ok)",
      ...measuredColumns(w, after, journal),
      durationMs: up.durationMs + preview.durationMs + refresh.durationMs,
      outcome: `converged in 1 up (${up.durationMs} ms); statuses ${JSON.stringify(statuses)}`,
    });

    expectConverged(c, usernames);
    expectConverged(after, usernames);
    expect(w).toEqual({ created: N, updated: 0, deleted: 0 }); // never a second credential
    expect(journal.faulted()).toBeGreaterThan(0);
    expect(statuses["429"]).toBeGreaterThan(0);
    // Every create that the sandbox answered with a fault was retried or reconciled: per username
    // exactly one POST succeeded.
    const okPosts = journal.entries().filter((e) => e.route === "create" && e.status === 201);
    expect(okPosts).toHaveLength(N);
    ids = c.liveIds;
  });

  test("rotating all 50 passwords converges in one run; each verifies with its new password", async () => {
    const next = await setPasswords(f, KEYS);
    journal.reset();
    const up = await f.ws.up();
    const c = await f.convergence();
    const w = journal.appliedWrites();
    const statuses = journal.statuses();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const live = f.live();
    const entries = manyEntries("flaky", N, KEYS);
    const verified = live.filter((cred) => {
      const key = Object.values(entries).find((e) => e.username === cred.username)!.passwordKey!;
      return f.sandbox.credentials.verifyPassword(f.authId, cred.id, next[key]);
    }).length;
    f.record({
      id: "01b",
      scenario: `flaky API: rotate all ${N} passwords`,
      faults: "same rules",
      operations: "up (ok, one run); preview --expect-no-changes (ok)",
      ...measuredColumns(w, c, journal),
      durationMs: up.durationMs + preview.durationMs,
      outcome: `${verified}/${N} verify with the new password; statuses ${JSON.stringify(statuses)}`,
    });

    expectConverged(c, usernames);
    expect([...c.liveIds].sort()).toEqual([...ids].sort()); // updated in place, same ids
    expect(w).toEqual({ created: 0, updated: N, deleted: 0 });
    expect(verified).toBe(N);
    expect(journal.entries().every((e) => e.route === "update" || e.route === "list")).toBe(true);
  });

  test("destroy of 50 converges in one run and empties the account", async () => {
    journal.reset();
    const destroy = await f.ws.destroy();
    const c = await f.convergence();
    const w = journal.appliedWrites();
    const statuses = journal.statuses();
    f.record({
      id: "01c",
      scenario: `flaky API: destroy of ${N}`,
      faults: "same rules",
      operations: "destroy (ok, one run)",
      ...measuredColumns(w, c, journal),
      durationMs: destroy.durationMs,
      outcome: `account empty; statuses ${JSON.stringify(statuses)}`,
    });

    expect(c.liveIds).toEqual([]);
    expect(c.stateIds).toEqual([]);
    expect(w).toEqual({ created: 0, updated: 0, deleted: N });
    // Deleted ids are exactly the created ones: nothing else was touched.
    const deletedIds = journal
      .entries()
      .filter((e) => e.route === "delete" && e.status === 204)
      .map((e) => e.path.split("/").pop());
    expect(deletedIds.sort()).toEqual([...ids].sort());
  });
});
