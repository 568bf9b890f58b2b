/**
 * The package path's interrupted `up` (04-interrupted's equivalent for the provider plugin): a
 * Pulumi YAML stack of 40 `vobiz:index:Credential` cut off after 15 creates, by SIGINT to `pulumi`
 * (graceful cancel), by Ctrl-C to the process group (the plugin ignores SIGINT, as the dynamic
 * provider does), and by SIGKILL of the `pulumi-resource-vobiz` process alone (the engine lives on
 * and records the creates in flight as failed; Vobiz may have applied them). Each is followed by
 * the documented recovery (a plain up; `adoptExisting: true` for credentials that a killed create
 * left on Vobiz but not in state), after which the stack holds exactly the 40 credentials, with no
 * duplicate, no orphan and an empty plan.
 */
import * as fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import type { FaultRule } from "../../provider/sandbox";
import { convergenceSummary, expectConverged, waitForQuiet } from "../helpers/convergence";
import { output, type RunResult } from "../helpers/engine";
import { describeRules, measuredColumns, providerError } from "../helpers/faultsResults";
import { descendantPids, signalTree, waitFor } from "../helpers/processes";
import { FAULTS_SEED, setPasswords, useScenario } from "../helpers/scenario";

jest.setTimeout(900_000);

const N = 40;
const KEYS = ["pw0", "pw1", "pw2", "pw3"];
const INTERRUPT_AFTER = 15;
const SLOW: FaultRule[] = [{ latencyMs: 200 }];
/**
 * Added once INTERRUPT_AFTER creates are done, IN_FLIGHT_MS before the signal: the creates sent in
 * that window are still in flight (Vobiz applies each when its delay ends, whatever the client).
 */
const IN_FLIGHT: FaultRule = { route: "create", latencyMs: 2000 };
const IN_FLIGHT_MS = 300;
const usernames = (prefix: string) =>
  Array.from({ length: N }, (_, i) => `${prefix}_${String(i).padStart(2, "0")}`);

/** The YAML program: N credentials, passwords from the KEYS secret config values, round robin. */
function program(prefix: string, adoptExisting = false): string {
  const config = KEYS.map((k) => `  ${k}:\n    type: string\n    secret: true\n`).join("");
  const resources = usernames(prefix).map(
    (u, i) =>
      `  c${String(i).padStart(2, "0")}:\n    type: vobiz:index:Credential\n    properties:\n      username: ${u}\n` +
      `      password: \${${KEYS[i % KEYS.length]}}\n${adoptExisting ? "      adoptExisting: true\n" : ""}`,
  );
  return `config:\n${config}resources:\n${resources.join("")}`;
}

/** The plugin processes below `pulumi` (the shim execs node on dist/adapters/plugin/main.js). */
function pluginPids(pulumiPid: number): number[] {
  return descendantPids(pulumiPid).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("adapters/plugin/main.js");
    } catch {
      return false;
    }
  });
}

const SCENARIOS: {
  id: string;
  prefix: string;
  how: string;
  send: (child: ChildProcess) => number;
  /** Whether the creates in flight are lost from state (the plugin died under them). */
  loses: boolean;
}[] = [
  {
    id: "11a",
    prefix: "pint",
    how: "SIGINT to `pulumi`",
    send: (c) => Number(c.kill("SIGINT")),
    loses: false,
  },
  {
    id: "11b",
    prefix: "pctrlc",
    how: "Ctrl-C in a terminal (SIGINT to the process group)",
    send: (c) => signalTree(c.pid!, "SIGINT").length,
    loses: false,
  },
  {
    id: "11c",
    prefix: "pkill",
    how: "SIGKILL of the pulumi-resource-vobiz process",
    send: (c) => pluginPids(c.pid!).map((pid) => process.kill(pid, "SIGKILL")).length,
    loses: true,
  },
];

describe.each(SCENARIOS)(
  "interrupted YAML up of 40 credentials: $how",
  ({ id, prefix, how, send, loses }) => {
    // Closing the scenario destroys the stack, checks the account is empty and runs the one
    // secret scan, whose hits fill this row's leak column.
    const f = useScenario(
      { name: `faults-${prefix}`, runtime: "yaml", sandbox: { seed: FAULTS_SEED } },
      async (s) => {
        await setPasswords(s, KEYS);
      },
    );

    test("recovery converges: no duplicate, no orphan, an empty plan", async () => {
      for (const r of SLOW) f.sandbox.faults.add(r);
      f.ws.writeFile("Main.yaml", program(prefix));
      const journal = f.window();
      const t0 = Date.now();
      let child: ChildProcess | undefined;
      const running = f.ws.run(["up", "--yes", "--skip-preview"], {
        check: false,
        onSpawn: (c) => (child = c),
      });
      const created = () => journal.entries().filter((e) => e.route === "create" && e.status === 201).length;
      await waitFor(() => created() >= INTERRUPT_AFTER, 120_000);
      f.sandbox.faults.add(IN_FLIGHT);
      await new Promise((r) => setTimeout(r, IN_FLIGHT_MS));
      const createdAtSignal = created();
      const signalled = send(child!);
      const run = await running;
      await waitForQuiet(f, IN_FLIGHT.latencyMs! + 1000); // the creates in flight have landed
      const after = await f.convergence();
      f.sandbox.faults.clear();

      const commands: string[] = [];
      const plain = await f.ws.up({ check: false });
      commands.push(`up${plain.code === 0 ? " (ok)" : ` (exit ${plain.code})`}`);
      const afterPlain = await f.convergence();
      let adopted: RunResult | undefined;
      if (plain.code !== 0) {
        f.ws.writeFile("Main.yaml", program(prefix, true));
        adopted = await f.ws.up();
        commands.push("adoptExisting: true; up (ok)");
      }
      await f.ws.preview({ expectNoChanges: true });
      f.ws.writeFile("Main.yaml", program(prefix)); // adoptExisting can go again: no change
      await f.ws.preview({ expectNoChanges: true });
      const c = await f.convergence();
      const w = journal.appliedWrites();
      f.record({
        id,
        scenario: `package path (Pulumi YAML, provider plugin): interrupted up of ${N}: ${how} after ${createdAtSignal} creates`,
        message: plain.code === 0 ? undefined : `plain up after the interrupt: ${providerError(plain)}`,
        faults: `${describeRules(SLOW)}; then, ${IN_FLIGHT_MS} ms before the signal, ${describeRules([IN_FLIGHT])}`,
        operations: `up (${how}, exit ${run.code ?? run.signal}); ${commands.join("; ")}; preview --expect-no-changes (ok, with and without adoptExisting)`,
        ...measuredColumns(w, c, journal),
        durationMs: Date.now() - t0,
        outcome: `after the interrupt: ${convergenceSummary(after)}; after a plain up: ${convergenceSummary(afterPlain)}; at the end: ${convergenceSummary(c)}`,
      });

      expect(signalled).toBeGreaterThan(0);
      expect(run.code).not.toBe(0);
      // The engine outlived each of these: nothing pending, nothing in state that is not live.
      expect(after.pendingOperations).toBe(0);
      expect(after.orphansState).toEqual([]);
      expect(after.liveIds.length).toBeGreaterThanOrEqual(INTERRUPT_AFTER);
      if (loses) {
        // The creates in flight failed in the engine, but Vobiz applied them: on the account, not in
        // state. A plain up stops at a 409 naming adoptExisting; adopting them converges.
        expect(output(run)).toMatch(/pulumi-resource-vobiz exited prematurely/);
        expect(after.orphansLive.length).toBeGreaterThan(0);
        expect(plain.code).not.toBe(0);
        expect(output(plain)).toMatch(/already exists[\s\S]*adoptExisting: true/);
        expect(afterPlain.orphansLive).toEqual(after.orphansLive); // nothing duplicated meanwhile
        expect(adopted?.code).toBe(0);
      } else {
        // The engine (and, for Ctrl-C, the plugin: it ignores SIGINT) lets the creates in flight
        // finish and records them: nothing lost, a plain up completes the rest.
        expect(output(run)).toMatch(/cancel/i);
        expect(after.orphansLive).toEqual([]);
        expect(plain.code).toBe(0);
        expect(adopted).toBeUndefined();
      }
      expectConverged(c, usernames(prefix));
      expect(w.created).toBe(N); // every username created exactly once, ever
      expect(w.deleted).toBe(0);
    });
  },
);
