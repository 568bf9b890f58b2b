/**
 * What a scenario measures about a stack: the sandbox journal from a point on (a
 * {@link JournalWindow}), and whether the account's live credentials and the stack's state agree
 * ({@link convergence}: duplicates, orphans on either side, pending operations).
 */
import { credentialsOf } from "./engine";
import type { JournalEntry, Sandbox } from "../../provider/sandbox";
import type { StackFixture } from "./stackFixture";

const knownLastSeq = new WeakMap<Sandbox, number>();

/**
 * The sequence number of the sandbox's newest journal entry (0 if none). Incremental: only the
 * entries since the last call are read (the journal copies every entry it returns).
 */
export function lastSeq(sandbox: Sandbox): number {
  const known = knownLastSeq.get(sandbox) ?? 0;
  const fresh = sandbox.journal.entries({ since: known });
  const last = fresh.length > 0 ? fresh[fresh.length - 1].seq : known;
  knownLastSeq.set(sandbox, last);
  return last;
}

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
  const state = credentialsOf(deployment); // VobizCredential and vobiz:index:Credential alike
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

/** One line for a report: live, in state, live orphans, pending operations. */
export function convergenceSummary(c: Convergence): string {
  return `${c.liveIds.length} live, ${c.stateIds.length} in state, ${c.orphansLive.length} live orphan(s), ${c.pendingOperations} pending op(s)`;
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
    private readonly f: Pick<StackFixture, "sandbox" | "authId">,
    private readonly authId = f.authId,
  ) {
    this.start = lastSeq(f.sandbox);
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
    this.start = lastSeq(this.f.sandbox);
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

/** Waits until the sandbox journal has not grown for `quietMs` (stray in-flight requests landed). */
export async function waitForQuiet(
  f: Pick<StackFixture, "sandbox">,
  quietMs = 1500,
  timeoutMs = 30_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = lastSeq(f.sandbox);
  let since = Date.now();
  while (Date.now() - since < quietMs) {
    if (Date.now() > until) throw new Error("the sandbox did not go quiet");
    await new Promise((r) => setTimeout(r, 50));
    const now = lastSeq(f.sandbox);
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}
