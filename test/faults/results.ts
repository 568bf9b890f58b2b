/**
 * The faults tier's measured results: the rows the scenarios record, merged per test file into an
 * untracked results file with the report rendered beside it, so a test run changes no tracked
 * file. `npm run faults:report` (scripts/faults-report.js) merges those rows into the tracked
 * docs/faults-results.json and re-renders docs/faults-report.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { E2E_ROOT, REPO_ROOT } from "../helpers/installedPackage";

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

/** Queues a measured row; `flushResults` (each file's afterAll) merges it into {@link RESULTS_FILE}. */
export function recordResult(r: Omit<ScenarioResult, "leaks"> & { leaks?: number }): void {
  pending.push({ leaks: 0, ...r, measuredAt: new Date().toISOString() });
}

/**
 * Sets the leak count of every row this test file recorded so far (jest loads this module once
 * per file): the secret scan runs at the end of a file and covers everything its runs produced.
 */
export function recordLeaks(hits: number): void {
  for (const r of pending) r.leaks = hits;
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
  const { renderReport } = await import("./report");
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
