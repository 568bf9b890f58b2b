/**
 * Two stacks on two accounts of one Vobiz sandbox, with the same usernames: neither sees,
 * changes nor deletes the other's credentials. Then stack A is pointed at account B's Auth ID
 * and token by mistake: the plan must be a replace (the provider's diff replaces on an
 * `accountId` mismatch), never a silent in-place update, and running it must not touch B.
 */
import { expectConverged, withoutCiphertext } from "../helpers/convergence";
import { output } from "../helpers/engine";
import { providerError } from "../helpers/faultsResults";
import { FAULTS_SEED, openScenario, type Scenario } from "../helpers/scenario";

jest.setTimeout(900_000);

const USERNAMES = ["shared_desk", "shared_phone"];

describe("multi-account isolation", () => {
  let a: Scenario;
  let b: Scenario;

  // Two scenarios on one sandbox: B shares A's, so B closes first. The rows of the file carry the
  // hits of both closing scans.
  beforeAll(async () => {
    a = await openScenario({ name: "faults-acct-a", sandbox: { seed: FAULTS_SEED } });
    b = await openScenario({ name: "faults-acct-b", sharedSandbox: a.sandbox });
    for (const f of [a, b]) {
      await f.password("pw");
      f.spec({
        desk: { username: USERNAMES[0], passwordKey: "pw" },
        phone: { username: USERNAMES[1], passwordKey: "pw" },
      });
    }
  });
  afterAll(async () => {
    try {
      await b?.close(); // shares A's sandbox: close B first
    } finally {
      await a?.close();
    }
  });

  test("same usernames on two accounts: each stack creates, rotates and refreshes only its own", async () => {
    const all = a.window();
    const upA = await a.ws.up();
    const upB = await b.ws.up();
    const cA = await a.convergence();
    const cB = await b.convergence();
    const bBefore = b.live();

    // A rotates and refreshes: B's credentials do not move.
    await a.password("pw");
    const rotateA = await a.ws.up();
    const refreshA = await a.ws.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    const entries = all.allAccounts();
    const byAccount = (id: string) => entries.filter((e) => e.authId === id);
    const crossed = entries.filter(
      (e) => !e.path.includes(`/account/${e.authId}/`) || (e.authId !== a.authId && e.authId !== b.authId),
    );
    a.record({
      id: "07a",
      scenario: "two stacks, two accounts, same usernames",
      faults: "none (isolation check)",
      operations: "up A; up B; rotate A (up); refresh A --expect-no-changes",
      created: entries.filter((e) => e.route === "create" && e.status === 201).length,
      updated: entries.filter((e) => e.route === "update" && e.status === 200).length,
      deleted: 0,
      kept: cA.liveIds.length + cB.liveIds.length,
      duplicates: cA.duplicates + cB.duplicates,
      orphans:
        cA.orphansLive.length + cA.orphansState.length + cB.orphansLive.length + cB.orphansState.length,
      requests: entries.length,
      faultedRequests: 0,
      durationMs: upA.durationMs + upB.durationMs + rotateA.durationMs + refreshA.durationMs,
      outcome:
        `A: ${byAccount(a.authId).length} requests, all with A's Auth ID in header and path; ` +
        `B: ${byAccount(b.authId).length}; cross-account requests: ${crossed.length}; B unchanged by A's rotate`,
    });

    expectConverged(cA, USERNAMES);
    expectConverged(cB, USERNAMES);
    expect(cA.liveIds.filter((id) => cB.liveIds.includes(id))).toEqual([]);
    expect(crossed).toEqual([]);
    expect(b.live()).toEqual(bBefore); // same ids, same updated_at
    for (const c of b.live()) {
      expect(b.sandbox.credentials.verifyPassword(b.authId, c.id, b.secrets["password pw"])).toBe(true);
    }
    for (const c of a.live()) {
      expect(a.sandbox.credentials.verifyPassword(a.authId, c.id, a.secrets["password pw"])).toBe(true);
    }
  });

  test("stack A pointed at account B: preview shows a replace; up fails on B's usernames and changes nothing of B's", async () => {
    const stateA = await a.ws.credentialsInState();
    const liveA = a.live();
    const liveB = b.live();
    await a.ws.setConfig("vobiz:authId", b.authId);
    await a.ws.setConfig("vobiz:authToken", b.authToken, { secret: true });
    a.secrets["auth token B (in A's config)"] = b.authToken;

    const journal = a.window(b.authId);
    const journalA = a.window();
    const preview = await a.ws.preview();
    const previewRequests = journal.entries().length + journalA.entries().length;
    // refresh does not run the program: it configures the provider from the config the last
    // successful `up` recorded in state (A's), so it reads A's credentials with A's settings.
    const refresh = await a.ws.run(["refresh", "--yes", "--skip-preview", "--expect-no-changes"], {
      check: false,
    });
    const refreshSentToB = journal.entries().length;
    const up = await a.ws.up({ check: false });
    const bSent = journal.entries();
    const stateAfter = await a.ws.credentialsInState();
    const liveAAfter = a.live();
    const liveBAfter = b.live();

    // Back to A's own account. The plan (which runs the program, so configures the provider from
    // the stack config) is clean again.
    await a.ws.setConfig("vobiz:authId", a.authId);
    await a.ws.setConfig("vobiz:authToken", a.authToken, { secret: true });
    const clean = await a.ws.preview({ expectNoChanges: true });
    // But refresh and destroy do not run the program: they configure the provider from the config
    // the last `up` recorded in state (the default provider's inputs), which is B's since the
    // failed up. The account guard refuses to act, so nothing happens to either account.
    const stale = await a.ws.refresh({ check: false });
    const staleSent = journal.entries().length - bSent.length;
    // `refresh --run-program` configures the provider from the current stack config, and records
    // it: the plain refresh afterwards works again.
    const runProgram = await a.ws.run(
      ["refresh", "--yes", "--skip-preview", "--run-program", "--expect-no-changes"],
      {
        check: false,
      },
    );
    const staleAgain = await a.ws.refresh({ check: false });
    const cA = await a.convergence();
    const cB = await b.convergence();

    // Both stacks clean up their own.
    await a.ws.destroy();
    await b.ws.destroy();
    a.record({
      id: "07b",
      message: `up: ${providerError(up)} — refresh after restoring the config: ${providerError(stale)}`,
      scenario: "stack A's config switched to account B's Auth ID and token",
      faults: "vobiz:authId/vobiz:authToken of stack A set to account B's",
      operations:
        `preview (${/\(replace\)/.test(preview.stdout) ? "replace" : "no replace!"}); ` +
        `refresh (${refresh.code === 0 ? "ok, with the config recorded in state" : "failed"}); up (${up.code === 0 ? "ok" : "failed"}); ` +
        "config restored; preview --expect-no-changes (ok); " +
        `refresh (${stale.code === 0 ? "ok" : "failed: stale provider config"}); ` +
        `refresh --run-program --expect-no-changes (${runProgram.code === 0 ? "ok" : "failed"}); ` +
        `refresh (${staleAgain.code === 0 ? "ok" : "failed again"}); destroy A; destroy B`,
      created: bSent.filter((e) => e.route === "create" && e.status === 201).length,
      updated: bSent.filter((e) => e.route === "update" && e.status === 200).length,
      deleted: bSent.filter((e) => e.route === "delete" && e.status === 204).length,
      kept: cA.liveIds.length + cB.liveIds.length,
      duplicates: cA.duplicates + cB.duplicates,
      orphans:
        cA.orphansLive.length + cA.orphansState.length + cB.orphansLive.length + cB.orphansState.length,
      requests: bSent.length,
      faultedRequests: 0,
      durationMs: [preview, refresh, up, clean, stale, runProgram, staleAgain].reduce(
        (t, r) => t + r.durationMs,
        0,
      ),
      outcome:
        `preview: replace on accountId, ${previewRequests} requests; ` +
        `up sent to B: ${bSent.map((e) => `${e.method} ${e.status}`).join(", ") || "nothing"} (409: username taken on B), ` +
        "B's credentials unchanged, A's state unchanged; after restoring the config, refresh without " +
        "--run-program refused by the account guard (provider config recorded by the failed up is B's)",
    });

    // The plan: both resources replaced because accountId would change, no in-place update.
    expect(preview.stdout).toMatch(/\+-pulumi-nodejs:dynamic\/vobiz:Credential: \(replace\)/);
    expect(preview.stdout).not.toMatch(/~ pulumi-nodejs:dynamic\/vobiz:Credential: \(update\)/);
    expect(preview.stdout).toMatch(/2 to replace/);
    // The replace names why (issue 22 item 14): the account, as a changed input.
    expect(
      preview.stdout.match(new RegExp(`~ accountId\\s*: "${a.authId}" => "${b.authId}"`, "g")),
    ).toHaveLength(2);
    expect(previewRequests).toBe(0);
    expect(refresh.code).toBe(0);
    expect(refreshSentToB).toBe(0);
    // The up tries to create on B first (create before delete) and B already has the usernames.
    expect(up.code).not.toBe(0);
    expect(output(up)).toMatch(/HTTP 409/);
    expect(bSent.every((e) => e.method === "POST" || e.method === "GET")).toBe(true);
    expect(bSent.filter((e) => e.method === "POST").every((e) => e.status === 409)).toBe(true);
    expect(liveBAfter).toEqual(liveB); // same ids, same updated_at: B untouched
    expect(liveAAfter).toEqual(liveA);
    const shape = (rs: typeof stateA) => withoutCiphertext(rs.map((r) => [r.urn, r.id, r.outputs]));
    expect(shape(stateAfter)).toEqual(shape(stateA));
    expect(clean.code).toBe(0);
    expect(stale.code).not.toBe(0);
    expect(output(stale)).toMatch(/lives on account .*but the provider is\s+configured for/);
    expect(staleSent).toBe(0);
    expect(runProgram.code).toBe(0);
    expect(staleAgain.code).toBe(0);
    expectConverged(cA, USERNAMES);
    expectConverged(cB, USERNAMES);
    expect(a.live()).toEqual([]);
    expect(b.live()).toEqual([]);
  });
});
