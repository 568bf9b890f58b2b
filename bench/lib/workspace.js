/**
 * Plain-JavaScript counterparts of test/helpers/installedPackage.ts and test/helpers/engine.ts
 * for the benchmark (which runs as a Node script, without a TypeScript loader): the packed
 * package installed into a "consumer" directory, and a Pulumi project below it run by the real
 * CLI with a file:// backend, passphrase secrets and a private PULUMI_HOME and TMPDIR.
 */
const { execFileSync, spawn } = require("node:child_process");
const { createHash, randomBytes } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const timers = require("node:timers");

const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Same scratch root as the end-to-end tests, so the installed consumer is shared. */
const E2E_ROOT = process.env.PULUMI_VOBIZ_E2E_DIR ?? path.join(os.tmpdir(), "pulumi-vobiz-e2e");

function devVersion(name) {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  return pkg.devDependencies[name];
}

/** Same hash as installedPackage.ts: package.json plus every file under dist/. */
function builtHash() {
  const h = createHash("sha256");
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(REPO_ROOT, p)).update(fs.readFileSync(p));
    }
  };
  h.update(fs.readFileSync(path.join(REPO_ROOT, "package.json")));
  walk(path.join(REPO_ROOT, "dist"));
  return h.digest("hex").slice(0, 16);
}

/**
 * A directory whose node_modules holds the packed pulumi-vobiz (from the current dist/),
 * @pulumi/pulumi and typescript. Installed into a private directory first and renamed into
 * place, so a concurrent test run building the same consumer cannot see a half-installed one.
 */
function ensureConsumer() {
  if (!fs.existsSync(path.join(REPO_ROOT, "dist", "index.js"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm run bench does)");
  }
  // Not the end-to-end tests' `consumer-<hash>`: that one also holds yaml (examples/fleet), and
  // a benchmark install under the same name once made the examples fail with "Cannot find module".
  const dir = path.join(E2E_ROOT, `bench-consumer-${builtHash()}`);
  if (fs.existsSync(path.join(dir, ".ready"))) return dir;
  const tarballs = path.join(E2E_ROOT, "tarballs");
  fs.mkdirSync(tarballs, { recursive: true });
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tarballs], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const tarball = path.join(tarballs, path.basename(JSON.parse(out)[0].filename));
  const staging = `${dir}.bench-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  fs.writeFileSync(
    path.join(staging, "package.json"),
    JSON.stringify({ name: "e2e-consumer", private: true }, null, 2),
  );
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      "--loglevel=error",
      tarball,
      `@pulumi/pulumi@${devVersion("@pulumi/pulumi")}`,
      `typescript@${devVersion("typescript")}`,
    ],
    { cwd: staging, stdio: ["ignore", "ignore", "inherit"] },
  );
  fs.writeFileSync(path.join(staging, ".ready"), new Date().toISOString());
  try {
    fs.renameSync(staging, dir);
  } catch (e) {
    // Someone else finished first: use theirs once it is ready.
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, ".ready"))) throw e;
  }
  return dir;
}

/** Variables of the caller's environment that must not leak into the engine. */
const SCRUBBED_ENV = [
  "VOBIZ_AUTH_ID",
  "VOBIZ_AUTH_TOKEN",
  "VOBIZ_BASE_URL",
  "VOBIZ_DEBUG",
  "PULUMI_ACCESS_TOKEN",
  "PULUMI_BACKEND_URL",
  "PULUMI_CONFIG_PASSPHRASE_FILE",
  "NODE_OPTIONS",
];

class Workspace {
  /**
   * @param {{ name: string, consumerDir: string, files: Record<string, string>, env?: Record<string, string> }} o
   */
  constructor(o) {
    this.stack = "bench";
    fs.mkdirSync(E2E_ROOT, { recursive: true });
    this.root = fs.mkdtempSync(path.join(E2E_ROOT, `ws-bench-${o.name}-`));
    this.dir = fs.mkdtempSync(path.join(o.consumerDir, `proj-bench-${o.name}-`));
    for (const [rel, content] of Object.entries(o.files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(this.dir, rel), content);
    }
    if (!fs.existsSync(path.join(this.dir, "Pulumi.yaml"))) {
      fs.writeFileSync(path.join(this.dir, "Pulumi.yaml"), `name: bench-${o.name}\nruntime: nodejs\n`);
    }
    for (const d of ["backend", "home", "tmp"]) fs.mkdirSync(path.join(this.root, d), { recursive: true });
    const env = { ...process.env };
    for (const k of SCRUBBED_ENV) delete env[k];
    Object.assign(env, {
      PULUMI_BACKEND_URL: `file://${path.join(this.root, "backend")}`,
      PULUMI_HOME: path.join(this.root, "home"),
      PULUMI_CONFIG_PASSPHRASE: `bench-${randomBytes(12).toString("hex")}`,
      PULUMI_SKIP_UPDATE_CHECK: "1",
      PULUMI_SKIP_CONFIRMATIONS: "1",
      PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      TMPDIR: path.join(this.root, "tmp"),
      NO_COLOR: "1",
      ...(o.env ?? {}),
    });
    this.env = env;
  }

  /**
   * Runs `pulumi <args> --non-interactive` in the project directory.
   * @param {string[]} args
   * @param {{ input?: string, env?: Record<string, string | undefined>, check?: boolean, timeoutMs?: number,
   *   onSpawn?: (child: import("node:child_process").ChildProcess) => void }} [options]
   */
  async run(args, options = {}) {
    const env = { ...this.env, ...(options.env ?? {}) };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const started = performance.now();
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: this.dir, env });
    child.stdin.end(options.input ?? "");
    options.onSpawn?.(child);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d.toString()));
    child.stderr.on("data", (d) => (stderr += d.toString()));
    const timer = timers.setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 900_000);
    const [code, signal] = await new Promise((resolve) => child.on("close", (c, s) => resolve([c, s])));
    timers.clearTimeout(timer);
    const result = { args, code, signal, stdout, stderr, durationMs: performance.now() - started };
    if ((options.check ?? true) && code !== 0) {
      const err = new Error(
        `pulumi ${args.join(" ")} exited ${code ?? signal}\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`,
      );
      err.result = result;
      throw err;
    }
    return result;
  }

  async init() {
    await this.run(["stack", "init", this.stack]);
  }

  /** Sets config through stdin (secret values never reach a command line). */
  async setConfig(key, value, secret = false) {
    await this.run(["config", "set", key, secret ? "--secret" : "--plaintext"], { input: value });
  }

  writeFile(rel, content) {
    fs.writeFileSync(path.join(this.dir, rel), content);
  }

  async exportStack() {
    const r = await this.run(["stack", "export"]);
    return { text: r.stdout, deployment: JSON.parse(r.stdout).deployment };
  }

  cleanup() {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function tail(text, lines = 40) {
  const all = text.trimEnd().split("\n");
  return all.slice(-lines).join("\n");
}

/** `-p` default of `pulumi up`, as its help states (4 x CPUs in current releases). */
function defaultParallelism() {
  try {
    const help = execFileSync("pulumi", ["up", "--help"], { encoding: "utf8" });
    const m = /--parallel int32[^\n]*\(default (\d+)\)/.exec(help);
    if (m) return Number(m[1]);
  } catch {
    // fall through
  }
  return 4 * os.cpus().length;
}

function pulumiVersion() {
  try {
    return execFileSync("pulumi", ["version"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

module.exports = {
  REPO_ROOT,
  E2E_ROOT,
  ensureConsumer,
  Workspace,
  defaultParallelism,
  pulumiVersion,
  devVersion,
};
