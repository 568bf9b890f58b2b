/**
 * The package as a user gets it: `npm pack` output installed, with @pulumi/pulumi, into a
 * "consumer" directory. End-to-end projects live below that directory, so `require("pulumi-vobiz")`
 * in a program and in the dynamic-provider process resolves to the packed package, never to
 * the sources. One install per tarball content, reused across test files and runs.
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
 * A directory whose node_modules holds the packed pulumi-vobiz, @pulumi/pulumi, typescript and yaml,
 * installed by npm exactly as a user installs them.
 */
export function ensureConsumer(sourceDir = REPO_ROOT): string {
  ensureBuilt(sourceDir);
  const dir = path.join(E2E_ROOT, `consumer-${builtHash(sourceDir)}`);
  // Ready, and holding every package installInto installs (a directory of the same name made by
  // something else, such as an older benchmark, may lack one): else made anew.
  const complete = CONSUMER_PACKAGES.every((name) =>
    fs.existsSync(path.join(dir, "node_modules", name, "package.json")),
  );
  if (fs.existsSync(path.join(dir, ".ready")) && complete) return dir;
  const tarball = packPackage(sourceDir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "e2e-consumer", private: true }, null, 2),
  );
  installInto(dir, tarball);
  fs.writeFileSync(path.join(dir, ".ready"), new Date().toISOString());
  return dir;
}

/** The directory of the installed provider plugin (`pulumi-resource-vobiz`) in a consumer. */
export function installedPluginDir(consumerDir: string): string {
  return path.join(consumerDir, "node_modules", "pulumi-vobiz", "bin");
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
