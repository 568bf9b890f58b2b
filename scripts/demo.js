#!/usr/bin/env node
/**
 * `npm run demo`: the basic example through the real Pulumi engine against the local Vobiz
 * sandbox: first `pulumi up`, a password rotation, a rename, and `destroy`, printing after each
 * step what the engine did and the API calls the sandbox saw.
 *
 * Everything lives in a scratch directory: a file:// state backend, passphrase-encrypted
 * secrets, the stack's config file and the sandbox's data file. Nothing is sent anywhere but
 * 127.0.0.1. Run through scripts/with-pulumi.sh (npm run demo does), which puts a Pulumi CLI on
 * PATH, building the pinned version from Go modules the first time.
 */
"use strict";
const { spawn } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { startSandbox } = require("../dist/sandbox");

const root = path.resolve(__dirname, "..");
// A scratch copy of examples/basic inside the checkout (git-ignored), so `pulumi-vobiz` resolves
// through node_modules to this build, and the stack's files never land in examples/.
const work = fs.mkdtempSync(path.join(root, ".demo-"));
const project = path.join(work, "basic");
fs.cpSync(path.join(root, "examples", "basic"), project, { recursive: true });
fs.mkdirSync(path.join(work, "state"));
const keep = process.argv.includes("--keep");

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);

/** Runs pulumi without blocking this process, which also serves the sandbox. */
async function pulumi(args, { input, quiet } = {}) {
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${path.join(work, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: `demo-${randomPassphrase}`,
    PULUMI_HOME: path.join(work, "pulumi-home"),
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
  for (const k of ["VOBIZ_AUTH_ID", "VOBIZ_AUTH_TOKEN", "VOBIZ_BASE_URL", "PULUMI_ACCESS_TOKEN"])
    delete env[k];
  const stackArgs = args[0] === "stack" && args[1] === "init" ? [] : ["--stack", "demo"];
  const r = await new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, ...stackArgs, "--non-interactive"], { cwd: project, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) =>
      reject(new Error(`could not run pulumi: ${e.message} (run through \`npm run demo\`)`)),
    );
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
  if (r.status !== 0) {
    process.stdout.write(r.stdout + r.stderr);
    throw new Error(`pulumi ${args[0]} failed`);
  }
  if (!quiet) printEngine(r.stdout);
  return r.stdout;
}

/** The engine's per-resource lines and its summary. */
function printEngine(out) {
  const lines = out
    .split("\n")
    .filter((l) =>
      /^\s*[+~-]|^\s*\+-|Resources:|^\s+\d+ (created|updated|deleted|replaced|unchanged)|Duration/.test(l),
    )
    .filter((l) => !/pulumi:pulumi:Stack/.test(l));
  console.log(dim("  engine:"));
  for (const l of lines) console.log(`    ${l.trimEnd()}`);
}

let seq = 0;
function printApiCalls(sandbox) {
  const entries = sandbox.journal.entries({ since: seq });
  for (const e of entries) seq = Math.max(seq, e.seq);
  console.log(dim("  API calls the sandbox saw:"));
  if (entries.length === 0) console.log("    (none)");
  for (const e of entries) {
    const query = Object.keys(e.query).length ? `?${new URLSearchParams(e.query)}` : "";
    const body = e.body ? ` ${JSON.stringify(e.body)}` : "";
    console.log(`    ${e.method} ${e.path}${query}${body} -> ${e.status}`);
  }
}

function step(title) {
  console.log(`\n${bold(title)}`);
}

const randomPassphrase = randomBytes(8).toString("hex");

async function main() {
  const authId = "MA_DEMO";
  const authToken = `demo_${randomBytes(16).toString("hex")}`;
  const sandbox = await startSandbox({
    accounts: [{ authId, authToken }],
    persistPath: path.join(work, "sandbox.json"),
  });
  try {
    step(`1. Local Vobiz sandbox on ${sandbox.baseUrl} (account ${authId})`);
    await pulumi(["stack", "init", "demo"], { quiet: true });
    await pulumi(["config", "set", "vobiz:authId", authId], { quiet: true });
    await pulumi(["config", "set", "--secret", "vobiz:authToken"], { input: authToken, quiet: true });
    await pulumi(["config", "set", "vobiz:baseUrl", sandbox.baseUrl], { quiet: true });
    await pulumi(["config", "set", "--secret", "sipPassword"], {
      input: `Desk-${randomBytes(6).toString("hex")}`,
      quiet: true,
    });
    console.log(
      `  stack "demo" configured: vobiz:authId, vobiz:authToken (secret), vobiz:baseUrl, sipPassword (secret)`,
    );

    step("2. pulumi up: create the credential");
    await pulumi(["up", "--yes", "--skip-preview"]);
    printApiCalls(sandbox);
    const outputs = JSON.parse(await pulumi(["stack", "output", "--json"], { quiet: true }));
    console.log(`  outputs: username=${outputs.username} realm=${outputs.realm}`);

    step("3. pulumi preview: nothing to do, no API write");
    await pulumi(["preview"]);
    printApiCalls(sandbox);

    step("4. Rotate the password: pulumi config set --secret sipPassword ...; pulumi up");
    await pulumi(["config", "set", "--secret", "sipPassword"], {
      input: `Desk-${randomBytes(6).toString("hex")}`,
      quiet: true,
    });
    await pulumi(["up", "--yes", "--skip-preview"]);
    printApiCalls(sandbox);

    step(
      "5. Rename: pulumi config set username office_desk_2; pulumi up (a replace: create first, then delete)",
    );
    await pulumi(["config", "set", "username", "office_desk_2"], { quiet: true });
    await pulumi(["up", "--yes", "--skip-preview"]);
    printApiCalls(sandbox);

    step("6. pulumi destroy");
    await pulumi(["destroy", "--yes", "--skip-preview"]);
    printApiCalls(sandbox);
    console.log(`  credentials left on the sandbox: ${sandbox.credentials.list(authId).length}`);

    const state = fs.readFileSync(
      path.join(work, "state", ".pulumi", "stacks", "vobiz-basic", "demo.json"),
      "utf8",
    );
    console.log(
      `\nThe password and the auth token never appear in plain text in state: ${
        state.includes(authToken) ? bold("FOUND (bug!)") : "checked"
      }.`,
    );
    console.log(
      "Point the same example at the real API: cd examples/basic && pulumi stack init prod && " +
        "pulumi config set vobiz:authId MA_... && pulumi config set --secret vobiz:authToken ... && " +
        "pulumi config set --secret sipPassword ... && pulumi up",
    );
  } finally {
    await sandbox.stop();
    if (keep) console.log(dim(`\n(kept ${work})`));
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`demo failed: ${e.message}`);
  process.exitCode = 1;
});
