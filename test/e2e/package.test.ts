/**
 * The package exactly as a user gets it: `npm pack` ships only built JavaScript, declarations
 * and the docs; it installs into an empty project, imports, type-checks, and its bin runs.
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ensureConsumer, REPO_ROOT } from "../helpers/installedPackage";

jest.setTimeout(300_000);

describe("npm pack output", () => {
  test("ships only dist JavaScript, declarations, the plugin's shim, README, LICENSE, CHANGELOG and package.json", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]));
    expect(files).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/provider.js"]));
    // The provider plugin: its shim (executable) and its entry point.
    expect(files).toEqual(
      expect.arrayContaining(["bin/pulumi-resource-vobiz", "dist/adapters/plugin/main.js"]),
    );
    const unexpected = files.filter(
      (f) =>
        !/^dist\/.*\.(js|d\.ts)$/.test(f) &&
        !["package.json", "README.md", "LICENSE", "CHANGELOG.md", "bin/pulumi-resource-vobiz"].includes(f),
    );
    expect(unexpected).toEqual([]);
    expect(files.some((f) => f.endsWith(".map") || f.startsWith("test/") || f.startsWith("provider/"))).toBe(
      false,
    );
  });

  test("a program's import loads neither zod nor axios: the first validation loads zod", () => {
    const consumer = ensureConsumer();
    const dir = fs.mkdtempSync(path.join(consumer, "proj-lazy-"));
    try {
      fs.writeFileSync(
        path.join(dir, "lazy.js"),
        `const path = require("node:path");
const loaded = (name) =>
  Object.keys(require.cache).some((f) => f.includes(path.sep + "node_modules" + path.sep + name + path.sep));
const root = require("pulumi-vobiz");
const afterImport = { zod: loaded("zod"), axios: loaded("axios") };
root.createCredentialProvider({ env: {} }).check({}, { username: "desk", password: "x" }).then((result) => {
  const afterCheck = { zod: loaded("zod"), axios: loaded("axios") };
  console.log(JSON.stringify({ afterImport, afterCheck, failures: (result.failures || []).map((f) => f.property) }));
});`,
      );
      const out = execFileSync(process.execPath, ["lazy.js"], { cwd: dir, encoding: "utf8" });
      expect(JSON.parse(out)).toEqual({
        afterImport: { zod: false, axios: false },
        afterCheck: { zod: true, axios: false },
        failures: ["password"],
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("installs into an empty project, imports, type-checks and runs its bin", async () => {
    const consumer = ensureConsumer();
    const dir = fs.mkdtempSync(path.join(consumer, "proj-import-"));
    try {
      fs.writeFileSync(
        path.join(dir, "check.js"),
        `const root = require("pulumi-vobiz");
const provider = require("pulumi-vobiz/provider");
const sandbox = require("pulumi-vobiz/sandbox");
console.log(JSON.stringify({
  resource: typeof root.VobizCredential,
  factory: typeof root.createCredentialProvider,
  error: typeof root.VobizApiError,
  provider: typeof provider.vobizCredentialProvider.create,
  sandbox: typeof sandbox.startSandbox,
  version: require("pulumi-vobiz/package.json").version,
}));`,
      );
      const out = execFileSync(process.execPath, ["check.js"], { cwd: dir, encoding: "utf8" });
      expect(JSON.parse(out)).toEqual({
        resource: "function",
        factory: "function",
        error: "function",
        provider: "function",
        sandbox: "function",
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      });

      fs.writeFileSync(
        path.join(dir, "typed.ts"),
        `import { VobizCredential, VobizApiError, type VobizCredentialArgs } from "pulumi-vobiz";
import { startSandbox, type Sandbox } from "pulumi-vobiz/sandbox";
const args: VobizCredentialArgs = { username: "desk", password: "long-enough-1", enabled: false };
export const kinds: [typeof VobizCredential, typeof VobizApiError, typeof startSandbox] = [VobizCredential, VobizApiError, startSandbox];
export type S = Sandbox;
export default args;
`,
      );
      // Both the classic resolution of Pulumi's TypeScript template and Node16 resolution.
      const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
      for (const [module, resolution] of [
        ["commonjs", "node10"],
        ["node16", "node16"],
      ]) {
        const flags = [
          "--noEmit",
          "--strict",
          "--module",
          module,
          "--moduleResolution",
          resolution,
          "--target",
          "es2020",
        ];
        execFileSync(process.execPath, [tsc, ...flags, "--skipLibCheck", "typed.ts"], {
          cwd: dir,
          encoding: "utf8",
        });
      }

      const bin = path.join(consumer, "node_modules", ".bin", "vobiz-sandbox");
      const child = spawn(bin, ["--port", "0", "--json", "--account", "MA_PACK:pack-token-123"]);
      const line = await new Promise<string>((resolve, reject) => {
        let buf = "";
        child.stdout.on("data", (d: Buffer) => {
          buf += d.toString();
          if (buf.includes("\n")) resolve(buf.split("\n")[0]);
        });
        child.on("error", reject);
      });
      const { baseUrl } = JSON.parse(line) as { baseUrl: string };
      const res = await fetch(`${baseUrl}/account/MA_PACK/trunks/credentials`, {
        headers: { "X-Auth-ID": "MA_PACK", "X-Auth-Token": "pack-token-123" },
      });
      expect(res.status).toBe(200);
      const code = await new Promise<number | null>((resolve) => {
        child.on("close", resolve);
        child.kill("SIGTERM");
      });
      expect(code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
