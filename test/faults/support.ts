/**
 * Shared pieces of the faults tier: measuring a scenario from the sandbox journal, the live
 * credentials and the Pulumi state; convergence checks (duplicates, orphans); error messages and
 * fault rules in the report's words. Killing processes and waiting live in ./processes, recording
 * the measured numbers in ./results; both are re-exported here, so a test file imports its
 * helpers from one place.
 */
import type { FaultRule, JournalEntry } from "../../provider/sandbox";
import type { RunResult } from "../helpers/engine";
import { describeHits, type SecretHit } from "../helpers/secretScanner";
import type { ScenarioResult } from "./results";
import type { SpecEntry, StackFixture } from "../helpers/stackFixture";

/** Seed of every faults-tier sandbox (the fault PRNGs are seeded from it). */
export const FAULTS_SEED = 20_240_611;

/** The status an API request really had on the server: the applied one when a fault replaced it. */
export function appliedStatus(e: JournalEntry): number {
  return e.appliedStatus ?? e.status;
}

/** The request was handled for real and succeeded (the write happened), whatever the client saw. */
export function applied(e: JournalEntry): boolean {
  const s = appliedStatus(e);
  return s >= 200 && s < 300;
}

/** Whether a fault rule with a terminal effect (status, drop, applyThenFail) fired for the request. */
export function terminallyFaulted(e: JournalEntry): boolean {
  return e.fault.some((a) => a.kind !== "latency");
}

/** The username of a create request (its body is journaled with the password masked). */
export function bodyUsername(e: JournalEntry): string | undefined {
  const b = e.body as { username?: unknown } | null;
  return b && typeof b.username === "string" ? b.username : undefined;
}

/** N spec entries `<prefix>_00..` whose passwords come from `keys` secret config keys, round robin. */
export function manyEntries(
  prefix: string,
  n: number,
  keys: string[],
  extra: Partial<SpecEntry> = {},
): Record<string, SpecEntry> {
  const out: Record<string, SpecEntry> = {};
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(2, "0");
    out[`c${id}`] = { username: `${prefix}_${id}`, passwordKey: keys[i % keys.length], ...extra };
  }
  return out;
}

/** Sets one secret config value per key; returns key -> value. */
export async function setPasswords(f: StackFixture, keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = await f.password(k);
  return out;
}

/** What the sandbox, the state and the journal say about a stack at one moment. */
export interface Convergence {
  liveIds: string[];
  liveUsernames: string[];
  stateIds: string[];
  /** Live credentials sharing a username with another live one. */
  duplicates: number;
  /** Live credentials not in state. */
  orphansLive: string[];
  /** State resources with no live credential. */
  orphansState: string[];
  pendingOperations: number;
}

/** Compares the fixture account's live credentials with the stack's state. */
export async function convergence(f: StackFixture): Promise<Convergence> {
  const live = f.live();
  const { deployment } = await f.ws.exportStack();
  const state = (deployment.resources ?? []).filter(
    (r) => r.type === "pulumi-nodejs:dynamic/vobiz:Credential",
  );
  const stateIds = state.map((r) => r.id ?? "");
  const liveIds = live.map((c) => c.id);
  const usernames = live.map((c) => c.username);
  return {
    liveIds,
    liveUsernames: usernames,
    stateIds,
    duplicates: usernames.length - new Set(usernames).size,
    orphansLive: liveIds.filter((id) => !stateIds.includes(id)),
    orphansState: stateIds.filter((id) => !liveIds.includes(id)),
    pendingOperations: deployment.pending_operations?.length ?? 0,
  };
}

/**
 * A state value with every secret replaced by "[secret]": the ciphertext of a secret changes
 * each time the engine rewrites the state, even when the value does not.
 */
export function withoutCiphertext(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null), (_k, v: unknown) =>
    v && typeof v === "object" && "4dabf18193072939515e22adb298388d" in v ? "[secret]" : v,
  ) as unknown;
}

/** Asserts the stack holds exactly `usernames`, once each, and state and sandbox agree id for id. */
export function expectConverged(c: Convergence, usernames: string[]): void {
  expect([...c.liveUsernames].sort()).toEqual([...usernames].sort());
  expect(c.duplicates).toBe(0);
  expect(c.orphansLive).toEqual([]);
  expect(c.orphansState).toEqual([]);
  expect([...c.stateIds].sort()).toEqual([...c.liveIds].sort());
  expect(c.pendingOperations).toBe(0);
}

/** Journal entries of one account from a point on, plus counters. */
export class JournalWindow {
  private start: number;
  constructor(
    private readonly f: StackFixture,
    private readonly authId = f.authId,
  ) {
    this.start = lastSeq(f);
  }

  /** Entries of the account since the window opened (or was reset). */
  entries(): JournalEntry[] {
    return this.f.sandbox.journal.entries({ since: this.start, authId: this.authId });
  }

  /** Entries of every account since the window opened. */
  allAccounts(): JournalEntry[] {
    return this.f.sandbox.journal.entries({ since: this.start });
  }

  reset(): void {
    this.start = lastSeq(this.f);
  }

  /** Writes that really happened on the server, by route. */
  appliedWrites(): { created: number; updated: number; deleted: number } {
    const e = this.entries().filter(applied);
    return {
      created: e.filter((x) => x.route === "create").length,
      updated: e.filter((x) => x.route === "update").length,
      deleted: e.filter((x) => x.route === "delete").length,
    };
  }

  /** Number of requests answered by an injected status, drop or applyThenFail. */
  faulted(): number {
    return this.entries().filter(terminallyFaulted).length;
  }

  /** Count of answered statuses (0 = dropped), e.g. `{ 201: 50, 429: 4 }`. */
  statuses(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.entries()) out[e.status] = (out[e.status] ?? 0) + 1;
    return out;
  }
}

/** The counted columns of a result row: applied writes, what is live, duplicates, orphans, requests. */
export function measuredColumns(
  writes: { created: number; updated: number; deleted: number },
  c: Convergence,
  journal: JournalWindow,
): Pick<
  ScenarioResult,
  "created" | "updated" | "deleted" | "kept" | "duplicates" | "orphans" | "requests" | "faultedRequests"
> {
  return {
    ...writes,
    kept: c.liveIds.length,
    duplicates: c.duplicates,
    orphans: c.orphansLive.length + c.orphansState.length,
    requests: journal.entries().length,
    faultedRequests: journal.faulted(),
  };
}

function lastSeq(f: StackFixture): number {
  return Math.max(0, ...f.sandbox.journal.entries().map((e) => e.seq));
}

/** Runs the fixture's secret scanner (the same scan as `expectNoSecretsLeaked`) and returns the hits. */
export function scanLeaks(f: StackFixture, extraSecrets: Record<string, string> = {}): Promise<SecretHit[]> {
  return f.scanForSecrets(extraSecrets);
}

/** Fails with the (value-free) list of hits when any secret leaked. */
export function expectNoHits(hits: SecretHit[]): void {
  if (hits.length > 0) throw new Error(`secrets leaked:\n${describeHits(hits)}`);
}

/** stdout + stderr of a run. */
export function output(r: RunResult): string {
  return `${r.stdout}\n${r.stderr}`;
}

/**
 * The provider's error message in a failed run's output, with run-specific values (ids, Auth
 * IDs, request ids, ports) replaced by placeholders, for the report.
 */
export function providerError(r: RunResult): string {
  const generic = /^(update|preview|destroy|refresh) failed|^\d+ errors? occurred|^one or more errors/i;
  const messages = output(r)
    .split("\n")
    .map((l) => l.match(/error: (.*)$/)?.[1]?.trim())
    .filter((m): m is string => !!m && !generic.test(m));
  const first = messages[0] ?? "(no error line)";
  return first
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/MA_[0-9A-Z]+/g, "MA_…")
    .replace(/req_[A-Za-z0-9_-]+/g, "req_…")
    .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:<port>");
}

/** Waits until the sandbox journal has not grown for `quietMs` (stray in-flight requests landed). */
export async function waitForQuiet(f: StackFixture, quietMs = 1500, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = lastSeq(f);
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > until) throw new Error("the sandbox did not go quiet");
    await new Promise((r) => setTimeout(r, 50));
    const now = lastSeq(f);
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

/** Human form of the rules a scenario injected, for the report. */
export function describeRules(rules: FaultRule[]): string {
  return rules
    .map((r) => {
      const match = [r.method, r.route, r.authId ? `authId ${r.authId}` : undefined]
        .filter(Boolean)
        .join(" ");
      const effect = r.applyThenFail
        ? `apply then ${r.applyThenFail.drop ? "drop" : `answer ${r.applyThenFail.status ?? 500}`}`
        : r.drop
          ? "drop"
          : r.status !== undefined
            ? `${r.status}${r.retryAfter !== undefined ? ` (Retry-After: ${r.retryAfter})` : ""}`
            : undefined;
      const latency = [
        r.latencyMs ? `+${r.latencyMs} ms` : undefined,
        r.latencyJitterMs ? `+0..${r.latencyJitterMs} ms jitter` : undefined,
      ]
        .filter(Boolean)
        .join(" ");
      const when = [
        r.probability !== undefined ? `p=${r.probability}` : undefined,
        r.times !== undefined ? `${r.times}x` : undefined,
      ]
        .filter(Boolean)
        .join(", ");
      return `${[effect, latency].filter(Boolean).join(" ")} on ${match || "any request"}${when ? ` (${when})` : ""}`;
    })
    .join("; ");
}

export * from "./processes";
export * from "./results";
