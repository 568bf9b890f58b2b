/**
 * A rotation of a generated password whose PUT fails, through the real engine: once with the
 * write applied and every answer lost (the sandbox applies the PUT, then drops the connection),
 * once refused (503, nothing applied). Either way the failed `up` says the next `pulumi up`
 * finishes the rotation, state keeps the previous password (the engine keeps the old outputs when
 * update throws) and still plans the rotation; the next `up` sets a fresh generated password with
 * exactly one PUT, and state and Vobiz agree on it.
 */
import type { FaultRule } from "../../provider/sandbox";
import { meetsVobizRules } from "../../provider/lifecycle/generatedPassword";
import { expectConverged } from "../helpers/convergence";
import { output } from "../helpers/engine";
import { describeRules, measuredColumns, providerError } from "../helpers/faultsResults";
import { FAULTS_SEED, useScenario } from "../helpers/scenario";
import { countByMethod, type StackFixture } from "../helpers/stackFixture";

jest.setTimeout(900_000);

const USERNAME = "rotating_desk";
const spec = (rotation: string) => ({
  desk: { username: USERNAME, extra: { generatePassword: true, rotationTriggers: { rotation } } },
});

/** The generated password in state (read with --show-secrets), registered with the scanner. */
async function statePassword(f: StackFixture, label: string): Promise<string> {
  const value = ((await f.ws.outputs(true)).credentials as Record<string, unknown>).deskPassword;
  if (typeof value !== "string") throw new Error("no password output");
  f.secrets[label] = value;
  return value;
}

describe("a failed rotation loses nothing", () => {
  let round = 0;
  const f = useScenario({ name: "faults-rotation", sandbox: { seed: FAULTS_SEED } }, async (f) => {
    f.spec(spec("0"));
    await f.ws.up();
  });

  test.each([
    [
      "09a",
      "applied, every answer lost",
      { route: "update", applyThenFail: { drop: true }, times: 100 },
      true,
    ],
    ["09b", "refused (503), nothing applied", { route: "update", status: 503, times: 100 }, false],
  ] as [string, string, FaultRule, boolean][])(
    "%s: rotation PUT %s: up fails naming the next step; state keeps the old password; the next up rotates with one PUT",
    async (id, what, rule, appliedOnServer) => {
      round++;
      const before = await statePassword(f, `password before ${id}`);
      const [live] = f.live();
      f.sandbox.faults.add(rule);
      f.spec(spec(String(round)));
      const journal = f.window();
      const failed = await f.ws.up({ check: false });
      const sequence = journal.entries().map((e) => `${e.method} ${e.status}`);

      expect(failed.code).not.toBe(0);
      expect(output(failed)).toMatch(/state keeps the previous one/);
      expect(output(failed)).toMatch(
        /run `pulumi up` again to finish it \(it sets and records a freshly generated password\)/,
      );
      // The transport retried the PUT (the same new password each time) to the end of its budget.
      expect(new Set(sequence)).toEqual(new Set([appliedOnServer ? "PUT 0" : "PUT 503"]));
      expect(await statePassword(f, `password after failed ${id}`)).toBe(before);
      // Applied: Vobiz already holds the lost password; refused: the old one still works.
      expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, before)).toBe(!appliedOnServer);
      // The rotation is still planned: preview shows the update, with no request.
      const planned = f.window();
      const preview = await f.ws.preview();
      expect(preview.stdout).toMatch(/~ .*vobiz:Credential: \(update\)/);
      expect(planned.entries()).toHaveLength(0);

      f.sandbox.faults.clear();
      const fixed = f.window();
      const up = await f.ws.up();
      expect(countByMethod(fixed.entries())).toEqual({ PUT: 1 });
      const after = await statePassword(f, `password after ${id}`);
      expect(after).not.toBe(before);
      expect(meetsVobizRules(after)).toBe(true);
      expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, after)).toBe(true);
      const clean = await f.ws.preview({ expectNoChanges: true });
      const c = await f.convergence();
      expectConverged(c, [USERNAME]);

      f.record({
        id,
        message: providerError(failed),
        scenario: `failed rotation of a generated password: PUT ${what}`,
        faults: describeRules([rule]),
        operations:
          "trigger changed; up (failed); faults cleared; preview (update planned); up (ok); preview --expect-no-changes (ok)",
        ...measuredColumns(journal.appliedWrites(), c, journal),
        durationMs: failed.durationMs + preview.durationMs + up.durationMs + clean.durationMs,
        outcome:
          `failed run: ${sequence.join(" → ")}; state kept the previous password; ` +
          `retry: ${fixed
            .entries()
            .map((e) => `${e.method} ${e.status}`)
            .join(" → ")} with a fresh password, state and Vobiz agree`,
      });
    },
  );
});
