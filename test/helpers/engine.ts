/**
 * Runs the real Pulumi CLI against a project: a fresh `file://` backend, passphrase secrets and
 * a private PULUMI_HOME and TMPDIR per workspace, no Pulumi Cloud. Every command's output is kept
 * so the secret scanner can search all of it afterwards.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { E2E_ROOT, REPO_ROOT } from "./installedPackage";

/** The directory holding `pulumi` (set by scripts/with-pulumi.sh, or provisioned on demand). */
export function pulumiCliDir(): string {
  if (process.env.PULUMI_CLI_DIR) return process.env.PULUMI_CLI_DIR;
  const dir = execFileSync("bash", [path.join(REPO_ROOT, "scripts", "pulumi-cli.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
  process.env.PULUMI_CLI_DIR = dir;
  return dir;
}

export interface RunResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** stdout and stderr of a run, as one text (what a user sees in the terminal). */
export function output(r: Pick<RunResult, "stdout" | "stderr">): string {
  return `${r.stdout}\n${r.stderr}`;
}

export interface RunOptions {
  /** Extra environment for this command only. */
  env?: Record<string, string | undefined>;
  /** Fail the test when the command exits non-zero (default true). */
  check?: boolean;
  /** Kill the command after this many ms (default 300 000). */
  timeoutMs?: number;
  /** Written to the command's stdin (e.g. a secret config value, kept off the command line). */
  input?: string;
  /** Called with the child once spawned (to interrupt it). */
  onSpawn?: (child: import("node:child_process").ChildProcess) => void;
}

export interface WorkspaceOptions {
  /** Name of the scratch folder. */
  name: string;
  /** Directory that holds node_modules with the packed package (see ensureConsumer). */
  consumerDir: string;
  /** Files of the project (relative path -> content); Pulumi.yaml is written if absent. */
  files?: Record<string, string>;
  /** Copy an example project from the repo instead (e.g. "examples/basic"). */
  copyFrom?: string;
  /** Run an existing project in place (e.g. the repository root); it is never deleted. */
  inPlace?: string;
  /** Stack name; default "dev". */
  stack?: string;
  /** Environment for every command (e.g. VOBIZ_* for the provider process). */
  env?: Record<string, string | undefined>;
  /** The runtime of the Pulumi.yaml written when the files hold none (default nodejs; yaml: the program goes in Main.yaml). */
  runtime?: "nodejs" | "yaml";
  /** Provider plugins that written Pulumi.yaml loads from a directory (`plugins.providers`), e.g. the installed pulumi-resource-vobiz. */
  providerPlugins?: { name: string; path: string }[];
}

/**
 * Variables of the caller's environment that must never leak into a test's engine: these, and
 * every `VOBIZ_*` variable (connection, debugging, retry and rate settings alike).
 */
const SCRUBBED_ENV = ["PULUMI_ACCESS_TOKEN", "PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE_FILE"];

export class PulumiWorkspace {
  readonly dir: string;
  readonly root: string;
  readonly stack: string;
  readonly passphrase = `e2e-${randomBytes(12).toString("hex")}`;
  private readonly inPlace: boolean;
  /** Every command run so far, with its full output. */
  readonly history: RunResult[] = [];
  private readonly baseEnv: NodeJS.ProcessEnv;

  constructor(options: WorkspaceOptions) {
    this.stack = options.stack ?? "dev";
    this.root = fs.mkdtempSync(path.join(E2E_ROOT, `ws-${options.name}-`));
    // The project lives below the consumer directory so node resolves the installed package.
    this.inPlace = options.inPlace !== undefined;
    this.dir = options.inPlace ?? fs.mkdtempSync(path.join(options.consumerDir, `proj-${options.name}-`));
    if (options.copyFrom) copyProject(path.join(REPO_ROOT, options.copyFrom), this.dir);
    for (const [rel, content] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, rel), content);
    }
    if (!fs.existsSync(path.join(this.dir, "Pulumi.yaml"))) {
      const plugins = (options.providerPlugins ?? []).map(
        (p) => `    - name: ${p.name}\n      path: ${JSON.stringify(p.path)}\n`,
      );
      fs.writeFileSync(
        path.join(this.dir, "Pulumi.yaml"),
        `name: ${options.name}\nruntime: ${options.runtime ?? "nodejs"}\n` +
          (plugins.length > 0 ? `plugins:\n  providers:\n${plugins.join("")}` : ""),
      );
    }
    for (const d of ["backend", "home", "tmp"]) fs.mkdirSync(path.join(this.root, d), { recursive: true });
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith("VOBIZ_") || SCRUBBED_ENV.includes(k)) delete env[k];
    Object.assign(env, {
      PATH: `${pulumiCliDir()}${path.delimiter}${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "backend")}`,
      PULUMI_HOME: path.join(this.root, "home"),
      PULUMI_CONFIG_PASSPHRASE: this.passphrase,
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_SKIP_CONFIRMATIONS: "1",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      TMPDIR: path.join(this.root, "tmp"),
      NO_COLOR: "1",
      ...(options.env ?? {}),
    });
    this.baseEnv = env;
  }

  /** Runs `pulumi <args>` in the project directory. */
  async run(args: string[], options: RunOptions = {}): Promise<RunResult> {
    const env = { ...this.baseEnv, ...(options.env ?? {}) };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const started = Date.now();
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: this.dir, env });
    child.stdin.end(options.input ?? "");
    options.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    clearTimeout(timer);
    const result: RunResult = { args, code, signal, stdout, stderr, durationMs: Date.now() - started };
    this.history.push(result);
    if ((options.check ?? true) && code !== 0) {
      throw new Error(
        `pulumi ${args.join(" ")} exited ${code ?? signal}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
      );
    }
    return result;
  }

  /** `pulumi stack init` (idempotent per workspace). */
  async init(): Promise<void> {
    await this.run(["stack", "init", this.stack]);
  }

  async setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    // The value goes through stdin, never the command line (which error messages would show).
    await this.run(["config", "set", key, ...(options.secret ? ["--secret"] : ["--plaintext"])], {
      input: value,
    });
  }

  up(options?: RunOptions): Promise<RunResult> {
    return this.run(["up", "--yes", "--skip-preview", "--diff"], options);
  }

  preview(options?: RunOptions & { expectNoChanges?: boolean }): Promise<RunResult> {
    const extra = options?.expectNoChanges ? ["--expect-no-changes"] : [];
    return this.run(["preview", "--diff", ...extra], options);
  }

  refresh(options?: RunOptions): Promise<RunResult> {
    return this.run(["refresh", "--yes", "--skip-preview"], options);
  }

  destroy(options?: RunOptions): Promise<RunResult> {
    return this.run(["destroy", "--yes", "--skip-preview"], options);
  }

  /** `pulumi stack output --json` (secrets shown only when asked). */
  async outputs(showSecrets = false): Promise<Record<string, unknown>> {
    const r = await this.run(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  }

  /** `pulumi stack export`, parsed, and its raw text. */
  async exportStack(showSecrets = false): Promise<{ text: string; deployment: StackDeployment }> {
    const r = await this.run(["stack", "export", ...(showSecrets ? ["--show-secrets"] : [])]);
    return {
      text: r.stdout,
      deployment: (JSON.parse(r.stdout) as { deployment: StackDeployment }).deployment,
    };
  }

  /** The credentials in state: VobizCredential (dynamic) and vobiz:index:Credential (the plugin's) resources. */
  async credentialsInState(): Promise<StateResource[]> {
    return credentialsOf((await this.exportStack()).deployment);
  }

  /** Every file written under the workspace and project (state, config, logs), for the scanner. */
  files(): string[] {
    const out: string[] = [];
    const walk = (d: string): void => {
      if (!fs.existsSync(d)) return;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) {
          if (e.name !== "node_modules" && e.name !== "plugins") walk(p);
        } else if (e.isFile()) out.push(p);
      }
    };
    walk(this.root);
    walk(this.dir);
    return out;
  }

  /** Writes a project file (e.g. a spec the program reads). */
  writeFile(rel: string, content: string): void {
    fs.writeFileSync(path.join(this.dir, rel), content);
  }

  /** Removes the scratch directories. */
  cleanup(): void {
    if (this.inPlace) fs.rmSync(path.join(this.dir, `Pulumi.${this.stack}.yaml`), { force: true });
    else fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** The state types of a credential: the dynamic resource's and the provider plugin's. */
export const CREDENTIAL_TYPES = ["pulumi-nodejs:dynamic/vobiz:Credential", "vobiz:index:Credential"];

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  additionalSecretOutputs?: string[];
}

export interface StackDeployment {
  resources?: StateResource[];
  pending_operations?: unknown[];
}

/** The type token of VobizCredential resources in state. */
export const CREDENTIAL_TYPE = "pulumi-nodejs:dynamic/vobiz:Credential";

/** The credentials of a deployment: VobizCredential resources and the package's vobiz:index:Credential. */
export function credentialsOf(deployment: StackDeployment): StateResource[] {
  return (deployment.resources ?? []).filter((r) => CREDENTIAL_TYPES.includes(r.type));
}

function copyProject(from: string, to: string): void {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name === "node_modules" || (e.name.startsWith("Pulumi.") && e.name !== "Pulumi.yaml")) continue;
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.isDirectory()) {
      fs.mkdirSync(dst, { recursive: true });
      copyProject(src, dst);
    } else fs.copyFileSync(src, dst);
  }
}
