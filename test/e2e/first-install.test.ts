/**
 * A user's first install, as the README's Install section tells it (issue 22, items 9 and 10):
 * the packed package.json carries no install script (npm 11 warns about every package that has
 * one), and a fresh project with the TypeScript the README names previews `examples/basic` with
 * its own tsconfig, type-checked (the rest of the suite transpiles only), against the sandbox.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { E2E_ROOT, packPackage } from "../helpers/installedPackage";
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

const PEER = (
  JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
    devDependencies: Record<string, string>;
  }
).devDependencies["@pulumi/pulumi"];

/** The lifecycle scripts npm runs when a package is installed (as a dependency or from a directory). */
const INSTALL_SCRIPTS = [
  "preinstall",
  "install",
  "postinstall",
  "prepublish",
  "preprepare",
  "prepare",
  "postprepare",
];

let tarball: string;
beforeAll(() => {
  tarball = packPackage();
});

test("the packed package.json has no install script, so installing it warns about none of pulumi-vobiz's", () => {
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
  ) as { scripts?: Record<string, string> };
  expect(Object.keys(manifest.scripts ?? {}).filter((s) => INSTALL_SCRIPTS.includes(s))).toEqual([]);
});

/**
 * A new project below the scratch root holding the tarball, @pulumi/pulumi and `typescript@<range>`,
 * installed the README's way. Returns the directory and what npm printed on stderr.
 */
function freshProject(name: string, typescript: string): { dir: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(E2E_ROOT, `first-${name}-`));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `first-${name}`, private: true }));
  const r = spawnSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      tarball,
      `@pulumi/pulumi@${PEER}`,
      "--save-dev",
      `typescript@${typescript}`,
    ],
    { cwd: dir, encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`npm install failed in ${dir}:\n${r.stderr}`);
  return { dir, stderr: r.stderr };
}

describe.each(["5", "6"])("a new project with typescript@%s (README: Install)", (typescript) => {
  let project: { dir: string; stderr: string };
  beforeAll(() => {
    project = freshProject(`ts${typescript}`, typescript);
  });
  const f = useScenario(() => ({
    name: `first-ts${typescript}`,
    copyFrom: "examples/basic",
    consumerDir: project.dir,
    // Type-check as a user's preview does (the suite's default is transpile-only).
    env: { PULUMI_NODEJS_TRANSPILE_ONLY: undefined },
  }));
  afterAll(() => {
    // After the scenario's close (a block's hooks run in the order they are declared).
    if (project) fs.rmSync(project.dir, { recursive: true, force: true });
  });

  test("npm warns about no install script of pulumi-vobiz; examples/basic previews type-checked", async () => {
    expect(project.stderr.split("\n").filter((l) => l.includes("pulumi-vobiz@"))).toEqual([]);
    const installed = JSON.parse(
      fs.readFileSync(path.join(project.dir, "node_modules", "typescript", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version.split(".")[0]).toBe(typescript);

    expect(fs.readFileSync(path.join(f.ws.dir, "tsconfig.json"), "utf8")).toContain('"node16"');
    await f.password("sipPassword");
    const preview = await f.ws.preview({ check: false });
    expect(`${preview.stdout}${preview.stderr}`).not.toMatch(/error TS\d+|TS\d{4}/);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toMatch(/\+ .*vobiz:Credential/);
  });
});
