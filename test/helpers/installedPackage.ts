/**
 * The package as a user gets it: `npm pack` output installed, with @pulumi/pulumi, into a
 * "consumer" directory. End-to-end projects live below that directory, so `require("pulumi-vobiz")`
 * in a program and in the dynamic-provider process resolves to the packed package, never to
 * the sources. One tarball and one install per build (the hash of package.json and dist/), reused
 * across test files, tiers and runs; made under a lock, so tiers and workers running at once
 * share them.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Root of all end-to-end scratch directories (override with PULUMI_VOBIZ_E2E_DIR). */
export const E2E_ROOT = process.env.PULUMI_VOBIZ_E2E_DIR ?? path.join(os.tmpdir(), "pulumi-vobiz-e2e");

function devVersion(name: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  };
  return pkg.devDependencies[name];
}

/** Builds dist/ when it is missing (the npm test scripts build before the e2e tier). */
function ensureBuilt(sourceDir: string): void {
  if (!fs.existsSync(path.join(sourceDir, "dist", "index.js"))) {
    execFileSync("npm", ["run", "build"], { cwd: sourceDir, stdio: "ignore" });
  }
}

/** A hash of what `npm pack` would ship: package.json and every file under dist/. */
function builtHash(sourceDir: string): string {
  const h = createHash("sha256");
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(sourceDir, p)).update(fs.readFileSync(p));
    }
  };
  h.update(fs.readFileSync(path.join(sourceDir, "package.json")));
  walk(path.join(sourceDir, "dist"));
  return h.digest("hex").slice(0, 16);
}

/** Runs `npm pack` of the built package; returns the tarball path. */
export function packPackage(sourceDir = REPO_ROOT, destination = path.join(E2E_ROOT, "tarballs")): string {
  fs.mkdirSync(destination, { recursive: true });
  ensureBuilt(sourceDir);
  const out = execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", destination], {
    cwd: sourceDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [{ filename }] = JSON.parse(out) as { filename: string }[];
  return path.join(destination, path.basename(filename));
}

/**
 * The tarball of the built package: `npm pack` runs once per build, later calls (in any test
 * file or run) reuse its output.
 */
export function packedTarball(sourceDir = REPO_ROOT): string {
  ensureBuilt(sourceDir);
  const dir = path.join(E2E_ROOT, "tarballs", builtHash(sourceDir));
  const record = path.join(dir, ".tarball");
  return withLock(`pack-${path.basename(dir)}`, () => {
    if (fs.existsSync(record)) {
      const tarball = fs.readFileSync(record, "utf8");
      if (fs.existsSync(tarball)) return tarball;
    }
    const tarball = packPackage(sourceDir, dir);
    fs.writeFileSync(record, tarball);
    return tarball;
  });
}

/**
 * A directory whose node_modules holds the packed pulumi-vobiz, @pulumi/pulumi, typescript and yaml,
 * installed by npm exactly as a user installs them.
 */
export function ensureConsumer(sourceDir = REPO_ROOT): string {
  ensureBuilt(sourceDir);
  const dir = path.join(E2E_ROOT, `consumer-${builtHash(sourceDir)}`);
  // Ready, and holding every package installInto installs (a directory of the same name made by
  // something else, such as an older benchmark, may lack one): else made anew.
  const ready = (): boolean =>
    fs.existsSync(path.join(dir, ".ready")) &&
    CONSUMER_PACKAGES.every((name) => fs.existsSync(path.join(dir, "node_modules", name, "package.json")));
  if (ready()) return dir;
  return withLock(path.basename(dir), () => {
    if (ready()) return dir; // made by another process while this one waited
    const tarball = packedTarball(sourceDir);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "e2e-consumer", private: true }, null, 2),
    );
    installInto(dir, tarball);
    fs.writeFileSync(path.join(dir, ".ready"), new Date().toISOString());
    return dir;
  });
}

/**
 * A private copy of the consumer install, for a test that changes what is installed (an
 * upgrade, an uninstall). The copy is the very result of ensureConsumer's `npm install` (symlinks
 * kept as they are), made in a second instead of a second install; the test's own npm commands
 * then run on it for real. Remove it when done.
 */
export function privateConsumer(name: string, sourceDir = REPO_ROOT): string {
  const shared = ensureConsumer(sourceDir);
  // Beside the shared one, so the relative `file:` path of the tarball in package.json holds.
  const dir = fs.mkdtempSync(path.join(E2E_ROOT, `${name}-consumer-`));
  for (const entry of fs.readdirSync(shared)) {
    if (entry.startsWith("proj-")) continue; // other tests' projects live here too
    fs.cpSync(path.join(shared, entry), path.join(dir, entry), { recursive: true, verbatimSymlinks: true });
  }
  return dir;
}

/** The directory of the installed provider plugin (`pulumi-resource-vobiz`) in a consumer. */
export function installedPluginDir(consumerDir: string): string {
  return path.join(consumerDir, "node_modules", "pulumi-vobiz", "bin");
}

/**
 * Runs `fn` holding a lock named `name` (a directory under E2E_ROOT/locks, made atomically), so
 * processes that need the same tarball or install at once make it once. A lock older than 10
 * minutes is taken to be left by a killed run.
 */
function withLock<T>(name: string, fn: () => T): T {
  const lock = path.join(E2E_ROOT, "locks", name);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited too long for the lock ${lock}`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The packages installInto puts into a consumer's node_modules. */
const CONSUMER_PACKAGES = ["pulumi-vobiz", "@pulumi/pulumi", "typescript", "yaml"];

/** `npm install` of the tarball plus the engine SDK into `dir` (prefers the local npm cache). */
export function installInto(dir: string, tarball: string): void {
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
      `yaml@${devVersion("yaml")}`, // used by examples/fleet
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
  );
}
