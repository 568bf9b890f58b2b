/**
 * The serialized provider (provider/serializedProvider.ts), as the engine stores and runs it: its
 * text, serialized by Pulumi's closure serializer, loaded in a directory where `pulumi-vobiz`
 * cannot be resolved (the package was uninstalled while the stack still holds credentials). Every
 * method then fails with a message that says what happened and what to do, not a bare
 * `Cannot find module`; any other loading error is passed on as it is.
 */
import * as fs from "node:fs";
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { serializedCredentialProvider } from "../../provider/adapters/dynamic/serialized";

jest.setTimeout(60_000);

const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

/**
 * Serializes the provider as `pulumi.dynamic.Resource` does, writes the text into a bare
 * directory (no node_modules on its path holds pulumi-vobiz) and calls every method there with
 * plain Node, as the dynamic-provider host would; returns each method's error message.
 */
async function runDetached(): Promise<{ text: string; messages: Record<string, string> }> {
  const provider = serializedCredentialProvider;
  const serialized = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "detached-provider-"));
  try {
    fs.writeFileSync(path.join(dir, "provider.js"), serialized.text);
    fs.writeFileSync(
      path.join(dir, "run.js"),
      `const p = require("./provider.js").${serialized.exportName}();
const args = { configure: [{ config: {} }], check: [{}, {}], diff: ["id-1", {}, {}], create: [{}],
  read: ["id-1", {}], update: ["id-1", {}, {}], delete: ["id-1", {}] };
(async () => {
  const out = {};
  for (const m of ${JSON.stringify(METHODS)}) {
    try { await p[m](...args[m]); out[m] = "(no error)"; } catch (e) { out[m] = String(e && e.message); }
  }
  process.stdout.write(JSON.stringify(out));
})();`,
    );
    const stdout = execFileSync(process.execPath, [path.join(dir, "run.js")], { cwd: dir, encoding: "utf8" });
    return { text: serialized.text, messages: JSON.parse(stdout) as Record<string, string> };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let detached: Awaited<ReturnType<typeof runDetached>>;
beforeAll(async () => {
  detached = await runDetached();
});

test.each(METHODS)("%s after the package is uninstalled: says what happened and what to do", (method) => {
  const message = detached.messages[method];
  expect(message).toMatch(/The pulumi-vobiz package is not installed where this Pulumi program runs/);
  expect(message).toContain("Cannot find module 'pulumi-vobiz/provider'");
  // Both ways a user may have installed it: the packed tarball (the only one before it is published) or a registry.
  expect(message).toMatch(
    /Install it again the way it was installed \(the packed tarball: `npm install <path>\/pulumi-vobiz-<version>\.tgz`; or `npm install pulumi-vobiz` from a registry that has it\), then run `pulumi up` or `pulumi destroy`/,
  );
  expect(message).toMatch(/remove the VobizCredential resources first.*uninstall the package after/);
});

test("the serialized text stays small and loads the package by name at call time", () => {
  const { text } = detached;
  // Every resource's state holds this text: the loading code is there once, shared by the seven
  // methods (about 3.2 KB in all; seven inlined copies made it about 7 KB).
  expect(Buffer.byteLength(text)).toBeLessThan(4 * 1024);
  expect(text.split('require("pulumi-vobiz/provider")')).toHaveLength(2);
});
