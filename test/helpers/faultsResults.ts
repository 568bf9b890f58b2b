/**
 * The faults tier's measured results: the rows the scenarios record (through a scenario's
 * `record`, see ./scenario), merged per test file into an untracked results file with the report
 * rendered beside it, so a test run changes no tracked file. `npm run faults:report`
 * (scripts/faults-report.js) merges those rows into the tracked docs/faults-results.json and
 * re-renders docs/faults-report.md (./faultsReport). Also the row's words: the fault rules and
 * the user's error message as the report prints them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FaultRule } from "../../provider/sandbox";
import type { Convergence, JournalWindow } from "./convergence";
import { output, type RunResult } from "./engine";
import { E2E_ROOT, REPO_ROOT } from "./installedPackage";

/** One row of the report, measured by a test. */
export interface ScenarioResult {
  /** Sort key and identity, e.g. `01a`. */
  id: string;
  scenario: string;
  faults: string;
  /** Pulumi commands run, with their outcome, e.g. `up (ok)`, `destroy (failed: 409)`. */
  operations: string;
  /** Credentials really created on the sandbox (applied POSTs). */
  created: number;
  /** Live credentials of the stack's account at the end. */
  kept: number;
  /** Credentials really deleted (applied DELETEs). */
  deleted: number;
  /** Applied PUTs. */
  updated: number;
  duplicates: number;
  /** Live-not-in-state plus state-not-live, at the end. */
  orphans: number;
  leaks: number;
  /** API requests the sandbox saw, and how many an injected fault answered. */
  requests: number;
  faultedRequests: number;
  /** Wall time of the scenario's Pulumi commands. */
  durationMs: number;
  /** One-line result or note. */
  outcome: string;
  /** The error message the user saw, when a run failed on purpose (see `providerError`). */
  message?: string;
  measuredAt?: string;
}

/**
 * Where a test run keeps the measured numbers (untracked; each run replaces only its own rows),
 * and the report rendered from them. Override the directory with PULUMI_VOBIZ_FAULTS_RESULTS.
 */
export const RESULTS_DIR = process.env.PULUMI_VOBIZ_FAULTS_RESULTS ?? path.join(E2E_ROOT, "faults-results");
export const RESULTS_FILE = path.join(RESULTS_DIR, "faults-results.json");
export const REPORT_FILE = path.join(RESULTS_DIR, "faults-report.md");
/** The tracked copies that `npm run faults:report` (scripts/faults-report.js) writes. */
export const DOCS_RESULTS_FILE = path.join(REPO_ROOT, "docs", "faults-results.json");
export const DOCS_REPORT_FILE = path.join(REPO_ROOT, "docs", "faults-report.md");

const pending: ScenarioResult[] = [];

/** A row as a scenario records it: the leak count comes from the scenario's closing scan. */
export type MeasuredRow = Omit<ScenarioResult, "leaks" | "measuredAt">;

/**
 * Queues a measured row (its leak count 0 until {@link addLeaks}); `flushResults` merges it into
 * {@link RESULTS_FILE}. jest loads this module once per test file, so the queue is the file's.
 */
export function recordResult(r: MeasuredRow): void {
  pending.push({ ...r, leaks: 0, measuredAt: new Date().toISOString() });
}

/**
 * Adds a closing secret scan's hits to every row this test file recorded so far: each scan covers
 * everything its stack's runs produced, so a file's rows carry the hits of all its scans.
 */
export function addLeaks(hits: number): void {
  for (const r of pending) r.leaks += hits;
}

/** Merges this file's rows into {@link RESULTS_FILE} and renders {@link REPORT_FILE} beside it. */
export async function flushResults(): Promise<void> {
  if (pending.length === 0) return;
  const all = mergeResults(readResults(RESULTS_FILE), pending.splice(0));
  await writeResults(all, RESULTS_FILE, REPORT_FILE);
}

/** The rows of a results file (none when it is missing or unreadable). */
export function readResults(file: string): ScenarioResult[] {
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { scenarios: ScenarioResult[] }).scenarios;
  } catch {
    return [];
  }
}

/** `base` with every row of `fresh` replacing the row of the same id, sorted by id. */
export function mergeResults(base: ScenarioResult[], fresh: ScenarioResult[]): ScenarioResult[] {
  let all = base;
  for (const r of fresh) all = [...all.filter((x) => x.id !== r.id), r];
  return all.sort((a, b) => a.id.localeCompare(b.id));
}

/** Writes the rows as JSON (formatted by prettier when it is available) and the report rendered from them. */
export async function writeResults(
  all: ScenarioResult[],
  resultsFile: string,
  reportFile: string,
): Promise<void> {
  fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
  fs.writeFileSync(resultsFile, await prettierJson(JSON.stringify({ scenarios: all }, null, 2)));
  const { renderReport } = await import("./faultsReport");
  fs.mkdirSync(path.dirname(reportFile), { recursive: true });
  fs.writeFileSync(reportFile, renderReport(all));
}

async function prettierJson(json: string): Promise<string> {
  try {
    const prettier = await import("prettier");
    const options = (await prettier.resolveConfig(DOCS_RESULTS_FILE)) ?? {};
    return await prettier.format(json, { ...options, parser: "json" });
  } catch {
    return `${json}\n`;
  }
}

/** The counted columns of a row: applied writes, what is live, duplicates, orphans, requests. */
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
