/**
 * Reusable end-to-end fixture: a local Vobiz sandbox on loopback plus a Pulumi workspace running
 * the spec program (test/e2e/programs/spec) from the installed package, configured through stack
 * config exactly as a user would (`vobiz:authId`, secret `vobiz:authToken`, `vobiz:baseUrl`).
 *
 * Named checks that scenarios share, in the spirit of the Terraform AWS provider's acctest
 * helpers: `expectCleanPreview` (the plan after an apply is empty and sends no write),
 * `deleteOutOfBand` (the "disappears" check's first half), `expectNoSecretsLeaked`.
 *
 * `close()` is the scenario's `CheckDestroy`: it destroys the stack, asserts that the state is
 * empty and that the account holds no credential but those the scenario declared with
 * `keepsOnAccount`, runs the secret scan over everything the scenario produced, and only then
 * stops the sandbox and removes the scratch directories (which it does whatever the checks found).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { startSandbox, type JournalEntry, type Sandbox, type SandboxOptions } from "../../provider/sandbox";
import {
  credentialsOf,
  PulumiWorkspace,
  type RunResult,
  type StackDeployment,
  type StateResource,
} from "./engine";
import { ensureConsumer, installedPluginDir, REPO_ROOT } from "./installedPackage";
import { describeHits, scanWorkspace, type SecretHit } from "./secretScanner";
import { nonHexSecret } from "./secrets";

export const SPEC_PROGRAM = fs.readFileSync(
  path.join(REPO_ROOT, "test", "e2e", "programs", "spec", "index.ts"),
  "utf8",
);

/** One credential of the spec program's spec.json. */
export interface SpecEntry {
  username: unknown;
  passwordKey?: string;
  password?: unknown;
  generatedPassword?: boolean;
  passwordFrom?: { config: string } | { env: string };
  passwordVersion?: number;
  enabled?: unknown;
  description?: unknown;
  adoptExisting?: boolean;
  extra?: Record<string, unknown>;
  importId?: string;
}

export interface StackFixture {
  sandbox: Sandbox;
  ws: PulumiWorkspace;
  authId: string;
  authToken: string;
  /**
   * Every plain secret the scenario used, by label (for the scanner). A password set again under
   * the same key keeps its label; the earlier values stay registered as `<label> (earlier n)`.
   */
  secrets: Record<string, string>;
  /** Writes spec.json. */
  spec(entries: Record<string, SpecEntry>): void;
  /** Sets a password as secret stack config and registers it with the scanner; returns it. */
  password(key: string, value?: string): Promise<string>;
  /** API requests the sandbox saw since the last call of `takeRequests` (or the start). */
  takeRequests(): JournalEntry[];
  /** Credentials of the fixture's account on the sandbox. */
  live(): ReturnType<Sandbox["credentials"]["list"]>;
  /**
   * Declares a credential (by username) that is on the account on purpose when the scenario ends
   * and that the stack does not manage (made behind Pulumi's back, or left by `retainOnDelete`).
   * `close()` then expects exactly these after its destroy, and removes them.
   */
  keepsOnAccount(username: string, why: string): void;
  /**
   * Registers a secret the test itself writes into a project file (e.g. an inline password in
   * spec.json, the very input under test): the scans search for it everywhere but in that file.
   */
  secretInFile(label: string, value: string, file: string): void;
  /** Scans everything the runs produced for every registered secret (plus `extra`); returns the hits. */
  scanForSecrets(extra?: Record<string, string>): Promise<SecretHit[]>;
  /**
   * Fails when any secret appears in anything the runs produced so far. `close()` runs the same
   * scan over everything, its destroy included: call this only to check a moment that a later
   * step erases.
   */
  expectNoSecretsLeaked(): Promise<void>;
  /**
   * CheckDestroy, then clean-up: `pulumi destroy`, state empty, account empty but for the
   * declared leftovers, secret scan; then the sandbox (unless shared) stops and the scratch
   * directories go. Throws one error listing every check that failed.
   */
  close(): Promise<void>;
}

export interface StackFixtureOptions {
  name: string;
  sandbox?: SandboxOptions;
  /** Reuse a running sandbox (e.g. two stacks against one sandbox). */
  sharedSandbox?: Sandbox;
  /** Account of this stack (default a fresh one). */
  account?: { authId: string; authToken: string };
  /** Environment for the engine and provider processes. */
  env?: Record<string, string | undefined>;
  /** Files to add to the project (default: the spec program). */
  files?: Record<string, string>;
  copyFrom?: string;
  /** Run this existing project in place instead of a scratch copy (e.g. the repository root). */
  inPlace?: string;
  /** Stack name (default "dev"; give a unique one for in-place projects). */
  stack?: string;
  /** Install directory to create the project in (default: the shared one of ensureConsumer). */
  consumerDir?: string;
  /**
   * `yaml`: a Pulumi YAML project that loads the installed provider plugin (pulumi-resource-vobiz)
   * through Pulumi.yaml's `plugins.providers`; its program goes in `files["Main.yaml"]`.
   */
  runtime?: "nodejs" | "yaml";
  /** Told the number of hits of the closing secret scan (the faults report's leak column). */
  onClosingScan?: (hits: number) => void;
}

/** A random auth token (no run of it can mask part of a hex id: see nonHexSecret). */
export function randomToken(prefix = "tok"): string {
  return nonHexSecret(`${prefix}_`, 32);
}

export async function createStackFixture(options: StackFixtureOptions): Promise<StackFixture> {
  const authId = options.account?.authId ?? `MA_${randomBytes(5).toString("hex").toUpperCase()}`;
  const authToken = options.account?.authToken ?? randomToken();
  const sandbox =
    options.sharedSandbox ?? (await startSandbox({ ...options.sandbox, accounts: [{ authId, authToken }] }));
  if (options.sharedSandbox) sandbox.accounts.add({ authId, authToken });
  const consumerDir = options.consumerDir ?? ensureConsumer();
  const yaml = options.runtime === "yaml";
  const ws = new PulumiWorkspace({
    name: options.name,
    consumerDir,
    runtime: options.runtime,
    providerPlugins: yaml ? [{ name: "vobiz", path: installedPluginDir(consumerDir) }] : undefined,
    files:
      options.copyFrom || options.inPlace || yaml
        ? options.files
        : { "index.ts": SPEC_PROGRAM, "spec.json": "{}", ...(options.files ?? {}) },
    copyFrom: options.copyFrom,
    inPlace: options.inPlace,
    stack: options.stack,
    env: options.env,
  });
  await ws.init();
  await ws.setConfig("vobiz:authId", authId);
  await ws.setConfig("vobiz:authToken", authToken, { secret: true });
  await ws.setConfig("vobiz:baseUrl", sandbox.baseUrl);
  const secrets: Record<string, string> = { "auth token": authToken };
  const kept = new Map<string, string>();
  const register = (label: string, value: string): void => {
    const previous = secrets[label];
    if (previous !== undefined && previous !== value) {
      let n = 1;
      while (`${label} (earlier ${n})` in secrets) n++;
      secrets[`${label} (earlier ${n})`] = previous;
    }
    secrets[label] = value;
  };
  let lastSeq = Math.max(0, ...sandbox.journal.entries().map((e) => e.seq));
  /** Secrets the test wrote into a project file itself: label -> that file. */
  const writtenBy = new Map<string, string>();
  const scan = async (extra: Record<string, string> = {}, exported?: string): Promise<SecretHit[]> => {
    const hits = await scanWorkspace(
      ws,
      { ...secrets, ...extra },
      { "sandbox journal": JSON.stringify(sandbox.journal.entries()) },
      exported,
    );
    return hits.filter((h) => writtenBy.get(h.secret) !== h.where);
  };
  const fixture: StackFixture = {
    sandbox,
    ws,
    authId,
    authToken,
    secrets,
    spec(entries) {
      ws.writeFile("spec.json", JSON.stringify(entries, null, 2));
    },
    async password(key, value) {
      const v = value ?? `Pw-${key}-${randomBytes(9).toString("base64url")}`;
      register(`password ${key}`, v);
      await ws.setConfig(key, v, { secret: true });
      return v;
    },
    takeRequests() {
      const fresh = sandbox.journal.entries({ since: lastSeq });
      for (const e of fresh) lastSeq = Math.max(lastSeq, e.seq);
      return fresh.filter((e) => e.authId === authId);
    },
    live() {
      return sandbox.credentials.list(authId);
    },
    keepsOnAccount(username, why) {
      kept.set(username, why);
    },
    secretInFile(label, value, file) {
      register(label, value);
      writtenBy.set(label, path.resolve(ws.dir, file));
    },
    scanForSecrets(extra = {}) {
      return scan(extra);
    },
    async expectNoSecretsLeaked() {
      const hits = await fixture.scanForSecrets();
      if (hits.length > 0) throw new Error(`secrets leaked:\n${describeHits(hits)}`);
    },
    async close() {
      let problems: string[] = [];
      try {
        problems = await checkDestroy(fixture, kept, scan, options.onClosingScan);
      } finally {
        for (const c of fixture.live()) if (kept.has(c.username)) sandbox.credentials.delete(authId, c.id);
        if (!options.sharedSandbox) await sandbox.stop();
        if (!process.env.PULUMI_VOBIZ_KEEP_E2E) ws.cleanup();
      }
      if (problems.length > 0) {
        throw new Error(`stack fixture '${options.name}' did not close cleanly:\n- ${problems.join("\n- ")}`);
      }
    },
  };
  return fixture;
}

/**
 * The checks of `close()`: destroy the stack (with any injected fault cleared), then the state
 * must be empty, the account must hold exactly the declared leftovers, and no secret may appear
 * in anything the scenario produced (the destroy included; the file backend keeps every earlier
 * checkpoint in its history, so the states the scenario went through are scanned too). One
 * `pulumi stack export` serves the scan and the state check. Returns what failed.
 */
async function checkDestroy(
  f: StackFixture,
  kept: Map<string, string>,
  scan: (extra: Record<string, string>, exported?: string) => Promise<SecretHit[]>,
  onClosingScan?: (hits: number) => void,
): Promise<string[]> {
  const problems: string[] = [];
  f.sandbox.faults.clear();
  const destroy = await f.ws.destroy({ check: false });
  const exported = await f.ws.run(["stack", "export"], { check: false });
  const hits = await scan({}, exported.stdout);
  onClosingScan?.(hits.length);
  if (hits.length > 0) problems.push(`secrets leaked:\n${describeHits(hits)}`);
  if (destroy.code !== 0) {
    // The output is shown only when the scan found no secret in anything the runs produced.
    const tail = hits.length > 0 ? "(output withheld: a secret leaked)" : lastLines(destroy, 15);
    problems.push(`pulumi destroy exited ${destroy.code ?? destroy.signal}:\n${tail}`);
  }
  let state: StateResource[] = [];
  if (exported.code !== 0) {
    problems.push(`cannot read the state: pulumi stack export exited ${exported.code ?? exported.signal}`);
  } else {
    state = credentialsOf((JSON.parse(exported.stdout) as { deployment: StackDeployment }).deployment);
  }
  if (state.length > 0) problems.push(`still in state: ${state.map((r) => r.urn).join(", ")}`);
  const live = f.live().map((c) => c.username);
  const unexpected = live.filter((u) => !kept.has(u));
  const missing = [...kept.keys()].filter((u) => !live.includes(u));
  if (unexpected.length > 0) {
    problems.push(`left on the account without being declared with keepsOnAccount: ${unexpected.join(", ")}`);
  }
  if (missing.length > 0) {
    problems.push(
      `declared with keepsOnAccount but gone: ${missing.map((u) => `${u} (${kept.get(u)})`).join(", ")}`,
    );
  }
  return problems;
}

function lastLines(r: RunResult, n: number): string {
  return `${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-n).join("\n");
}

/** Method + path of journal entries, e.g. `POST /api/v1/account/MA_X/credentials`. */
export function calls(entries: JournalEntry[]): string[] {
  return entries.map((e) => `${e.method} ${e.path}`);
}

/** Counts journal entries by method. */
export function countByMethod(entries: JournalEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) out[e.method] = (out[e.method] ?? 0) + 1;
  return out;
}

/** Writes (non-GET) requests among journal entries. */
export function writes(entries: JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.method !== "GET");
}

/** The plan right after an apply is empty and costs no write request. */
export async function expectCleanPreview(f: StackFixture): Promise<RunResult> {
  f.takeRequests();
  const r = await f.ws.preview({ expectNoChanges: true });
  const sent = f.takeRequests();
  if (writes(sent).length > 0) throw new Error(`preview sent writes: ${calls(sent).join(", ")}`);
  return r;
}

/** Deletes a credential behind Pulumi's back, as a person in the Vobiz console would. */
export function deleteOutOfBand(f: StackFixture, username: string): void {
  const c = f.live().find((x) => x.username === username);
  if (!c) throw new Error(`no live credential ${username}`);
  f.sandbox.credentials.delete(f.authId, c.id);
}
