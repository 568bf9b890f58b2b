/**
 * Failures that retrying cannot fix: a credential in use by active calls (DELETE answers 409) and
 * a rate limit that outlasts the retry budget. Both must fail fast with a message that says what
 * to do, leave the state as it was, and let the next run complete once the cause is gone.
 */
import type { FaultRule } from "../../provider/sandbox";
import { expectConverged, withoutCiphertext } from "../helpers/convergence";
import { output } from "../helpers/engine";
import { describeRules, measuredColumns, providerError } from "../helpers/faultsResults";
import { FAULTS_SEED, useScenario } from "../helpers/scenario";

jest.setTimeout(900_000);

describe("conflicts and rate limits", () => {
  const f = useScenario({ name: "faults-conflicts", sandbox: { seed: FAULTS_SEED } }, async (f) => {
    await f.password("pwA");
    await f.password("pwB");
  });

  test("delete in use (409): destroy fails once, clearly, keeps the resource; after the calls end it completes", async () => {
    f.spec({
      desk: { username: "inuse_desk", passwordKey: "pwA" },
      phone: { username: "inuse_phone", passwordKey: "pwB" },
    });
    await f.ws.up();
    const desk = f.live().find((c) => c.username === "inuse_desk")!;
    const [deskBefore] = (await f.ws.credentialsInState()).filter((r) => r.id === desk.id);
    f.sandbox.credentials.setInUse(f.authId, desk.id, true);

    const journal = f.window();
    const failed = await f.ws.destroy({ check: false });
    const afterFailure = await f.convergence();
    const state = await f.ws.credentialsInState();
    const deskDeletes = journal.entries().filter((e) => e.route === "delete" && e.path.endsWith(desk.id));

    f.sandbox.credentials.setInUse(f.authId, desk.id, false);
    const done = await f.ws.destroy();
    const c = await f.convergence();
    const w = journal.appliedWrites();
    f.record({
      id: "05a",
      message: providerError(failed),
      scenario: "delete in use (409) during destroy",
      faults: "credential marked in use (sandbox.credentials.setInUse), no injected fault",
      operations: `destroy (failed, ${failed.durationMs} ms); in-use cleared; destroy (ok)`,
      created: 0,
      updated: w.updated,
      deleted: w.deleted,
      kept: c.liveIds.length,
      duplicates: c.duplicates,
      orphans: c.orphansLive.length + c.orphansState.length,
      requests: journal.entries().length,
      faultedRequests: journal.faulted(),
      durationMs: failed.durationMs + done.durationMs,
      outcome:
        `DELETE of the in-use one: ${deskDeletes.map((e) => e.status).join(", ")} (not retried); ` +
        `after the failure ${afterFailure.stateIds.length} in state (the in-use one), ${afterFailure.liveIds.length} live; then empty`,
    });

    expect(failed.code).not.toBe(0);
    expect(output(failed)).toMatch(/in use by active calls/);
    expect(output(failed)).toMatch(
      /Set `enabled: false` on it and run `pulumi up`[\s\S]*once its calls have ended/,
    );
    expect(deskDeletes.map((e) => e.status)).toEqual([409]); // one attempt: 409 is not retried
    expect(failed.durationMs).toBeLessThan(30_000);
    // The other credential was deleted; the one in use is still in state, unchanged.
    expect(state.map((r) => r.id)).toEqual([desk.id]);
    expect(withoutCiphertext(state[0].outputs)).toEqual(withoutCiphertext(deskBefore.outputs));
    expect(afterFailure.liveIds).toEqual([desk.id]);
    expect(afterFailure.orphansLive).toEqual([]);
    expect(afterFailure.orphansState).toEqual([]);
    expect(c.liveIds).toEqual([]);
    expect(c.stateIds).toEqual([]);
    expect(w).toEqual({ created: 0, updated: 0, deleted: 2 });
  });

  test("429 on every create and update outlasts the retry budget: up fails fast, state unchanged; then it completes", async () => {
    f.spec({
      desk: { username: "limited_desk", passwordKey: "pwA" },
      phone: { username: "limited_phone", passwordKey: "pwB" },
    });
    await f.ws.up();
    const before = await f.ws.credentialsInState();
    const liveBefore = f.live();
    const oldPasswords = { desk: f.secrets["password pwA"], phone: f.secrets["password pwB"] };

    // Rotate both passwords and add a third credential, while Vobiz rate-limits every write.
    await f.password("pwA");
    await f.password("pwB");
    f.spec({
      desk: { username: "limited_desk", passwordKey: "pwA" },
      phone: { username: "limited_phone", passwordKey: "pwB" },
      fax: { username: "limited_fax", passwordKey: "pwA" },
    });
    const rules: FaultRule[] = [
      { route: "create", status: 429, retryAfter: 1, times: 100 },
      { route: "update", status: 429, retryAfter: 1, times: 100 },
    ];
    for (const r of rules) f.sandbox.faults.add(r);
    const journal = f.window();
    const failed = await f.ws.up({ check: false });
    const after = await f.ws.credentialsInState();
    const afterFailure = await f.convergence();
    const limited = journal.entries().filter((e) => e.status === 429).length;
    const liveAfterFailure = f.live();
    // The old passwords still work: no PUT got through.
    const oldStillValid = liveAfterFailure
      .map((cred) => [
        cred.username,
        f.sandbox.credentials.verifyPassword(
          f.authId,
          cred.id,
          cred.username === "limited_desk" ? oldPasswords.desk : oldPasswords.phone,
        ),
      ])
      .sort();

    f.sandbox.faults.clear();
    const ok = await f.ws.up();
    const preview = await f.ws.preview({ expectNoChanges: true });
    const c = await f.convergence();
    const w = journal.appliedWrites();
    // The old passwords stay registered with the closing scan (f.password keeps earlier values).
    f.record({
      id: "05b",
      message: providerError(failed),
      scenario: "rate limit outlasting the retry budget (rotate 2 + create 1)",
      faults: describeRules(rules),
      operations: `up (failed, ${failed.durationMs} ms); faults cleared; up (ok); preview --expect-no-changes (ok)`,
      ...measuredColumns(w, c, journal),
      durationMs: failed.durationMs + ok.durationMs + preview.durationMs,
      outcome: `${limited} requests answered 429 (5 attempts per request, Retry-After honoured); state and live unchanged by the failed run`,
    });

    expect(failed.code).not.toBe(0);
    expect(output(failed)).toMatch(/HTTP 429/);
    expect(output(failed)).toMatch(/rate limiting this account; wait a minute/);
    expect(output(failed)).toMatch(/Gave up after 5 attempts/);
    // Each of the 3 operations tried 5 times, waiting the 1 s Retry-After between attempts.
    expect(limited).toBe(15);
    expect(failed.durationMs).toBeLessThan(60_000);
    // State unchanged: the same two resources with the same outputs (the old password).
    const shape = (rs: typeof before) => withoutCiphertext(rs.map((r) => [r.urn, r.id, r.inputs, r.outputs]));
    expect(shape(after)).toEqual(shape(before));
    expect(liveAfterFailure).toEqual(liveBefore);
    expect(oldStillValid).toEqual([
      ["limited_desk", true],
      ["limited_phone", true],
    ]);
    expect(afterFailure.orphansLive).toEqual([]);

    expectConverged(c, ["limited_desk", "limited_phone", "limited_fax"]);
    expect(w).toEqual({ created: 1, updated: 2, deleted: 0 });
    const pwOf = (u: string) =>
      u === "limited_phone" ? f.secrets["password pwB"] : f.secrets["password pwA"];
    expect(
      f
        .live()
        .map((cred) => [
          cred.username,
          f.sandbox.credentials.verifyPassword(f.authId, cred.id, pwOf(cred.username)),
        ])
        .sort(),
    ).toEqual([
      ["limited_desk", true],
      ["limited_fax", true],
      ["limited_phone", true],
    ]);
  });
});
