/**
 * `kill -9` of `pulumi` (issue 22, item 13): the engine cannot stop its dynamic-provider process
 * any more, so the provider process notices that the engine is gone and ends by itself, within a
 * few seconds, instead of staying idle for good. Killed during a preview whose check waits on a
 * slow list request (an adoption keeping the password looks the username up), so the provider is
 * busy and the stack has no lock or pending operation to clean up afterwards.
 */
import * as fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import { useScenario } from "../helpers/scenario";
import { descendantPids, waitFor } from "../helpers/processes";

jest.setTimeout(600_000);

const USERNAME = "killed_engine_desk";

/** Whether a process runs (a zombie, ended but not yet reaped by its new parent, does not). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

const f = useScenario({ name: "engine-killed" }, (f) => {
  f.sandbox.credentials.create(f.authId, { username: USERNAME, password: "Existing-Pw-123" });
  f.keepsOnAccount(USERNAME, "made out of band, only previewed for adoption, never managed");
  f.spec({ desk: { username: USERNAME, extra: { adoptExisting: "keepPassword" } } });
});

test("the provider process ends within seconds of `kill -9` of pulumi, mid-check", async () => {
  // The check's list request waits 5 s at the sandbox: the provider is mid-call when pulumi dies.
  const slow = f.sandbox.faults.add({ route: "list", latencyMs: 5_000, times: 1 });
  let child: ChildProcess | undefined;
  const run = f.ws.preview({ check: false, onSpawn: (c) => (child = c) });
  await waitFor(() => !f.sandbox.faults.list().some((r) => r.id === slow && r.remaining !== 0), 120_000, 50);
  const pulumi = child!.pid!;
  const tree = descendantPids(pulumi);
  const provider = tree.find((pid) => commandLine(pid).includes("dynamic-provider"));
  expect(provider).toBeDefined();

  process.kill(pulumi, "SIGKILL");
  let providerEnded = false;
  try {
    await waitFor(() => !running(provider!), 15_000, 100);
    providerEnded = true;
  } finally {
    // The rest of the tree (language host, program) is not the provider's to end: end it here.
    for (const pid of tree) if (running(pid)) process.kill(pid, "SIGKILL");
    await run;
  }
  expect(providerEnded).toBe(true);
  // Nothing was written: the preview only read.
  expect(f.takeRequests().filter((e) => e.method !== "GET")).toEqual([]);
});
