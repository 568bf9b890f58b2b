#!/usr/bin/env node
/**
 * Benchmark row "onboard": an account with N existing credentials (seeded out of band, mixed
 * enabled and descriptions, known passwords), `vobiz-onboard` writes the fleet file, a few
 * entries are edited to differ, and one `pulumi up --skip-preview` of examples/fleet adopts all
 * N. Records the time against the floor (the floor program creating N resources with no API
 * call, plus the API floor of an adoption: ceil(N/100) list pages one after another and
 * ceil(D/P) rounds of PUTs for the D edited entries), the requests by method, and checks 0 POSTs,
 * D PUTs, unchanged passwords, at most ceil(N/100) + 2 list requests, and a clean
 * `preview --expect-no-changes`. Needs `npm run build` and the Pulumi CLI
 * (`bash scripts/with-pulumi.sh node bench/onboard.js`).
 *
 *   --n 500          existing credentials (default 500)
 *   --latency 50     latency the sandbox adds to every API request, ms (default 50)
 *   --out DIR        where onboard.json and onboard.md go (default bench/results)
 */
"use strict";
const { execFile, execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const w = require("./lib/workspace");

function parseArgs(argv) {
  const o = { n: 500, latency: 50, out: path.join(__dirname, "results") };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    if (argv[i] === "--n") o.n = Number(next());
    else if (argv[i] === "--latency") o.latency = Number(next());
    else if (argv[i] === "--out") o.out = path.resolve(next());
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(o.n) || o.n < 1) throw new Error("--n must be a whole number >= 1");
  return o;
}

const log = (line) => process.stderr.write(`[bench onboard] ${line}\n`);

/** The consumer install of the other rows, plus `yaml` (which examples/fleet reads). */
function consumerWithYaml() {
  const dir = w.ensureConsumer();
  if (!fs.existsSync(path.join(dir, "node_modules", "yaml"))) {
    const version = JSON.parse(fs.readFileSync(path.join(w.REPO_ROOT, "package.json"), "utf8"))
      .devDependencies.yaml;
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `yaml@${version}`], {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
    });
  }
  return dir;
}

function countByMethod(entries) {
  const out = {};
  for (const e of entries) out[e.method] = (out[e.method] ?? 0) + 1;
  return out;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { startSandbox } = require(path.join(w.REPO_ROOT, "dist", "sandbox"));
  const consumerDir = consumerWithYaml();
  const parallelism = w.defaultParallelism();
  const sandbox = await startSandbox({ latencyMs: opts.latency, journalLimit: 1_000_000 });
  const authId = `MA_${randomBytes(5).toString("hex").toUpperCase()}`;
  const authToken = `tok_${randomBytes(18).toString("hex")}`;
  sandbox.accounts.add({ authId, authToken });
  const workspaces = [];
  try {
    // The account as a team has it: N credentials made out of band, each with its own password.
    const passwords = new Map();
    for (let i = 0; i < opts.n; i++) {
      const username = `phone_${String(i).padStart(4, "0")}`;
      const password = `Live-${randomBytes(9).toString("base64url")}`;
      passwords.set(username, password);
      sandbox.credentials.create(authId, {
        username,
        password,
        enabled: i % 3 !== 0,
        description: i % 2 === 0 ? `Desk ${i}` : undefined,
      });
    }

    const fleet = new w.Workspace({
      name: `onboard-${opts.n}`,
      consumerDir,
      files: {
        "index.ts": fs.readFileSync(path.join(w.REPO_ROOT, "examples", "fleet", "index.ts"), "utf8"),
        "Pulumi.yaml": "name: bench-onboard\nruntime: nodejs\n",
      },
    });
    workspaces.push(fleet);
    await fleet.init();
    await fleet.setConfig("vobiz:authId", authId);
    await fleet.setConfig("vobiz:authToken", authToken, true);
    await fleet.setConfig("vobiz:baseUrl", sandbox.baseUrl);
    await fleet.setConfig("credentialsFile", "onboarded.yaml");

    sandbox.journal.clear();
    const bin = path.join(consumerDir, "node_modules", ".bin", "vobiz-onboard");
    const started = performance.now();
    await new Promise((resolve, reject) =>
      execFile(
        bin,
        ["--out", "onboarded.yaml"],
        {
          cwd: fleet.dir,
          env: {
            PATH: process.env.PATH,
            VOBIZ_AUTH_ID: authId,
            VOBIZ_AUTH_TOKEN: authToken,
            VOBIZ_BASE_URL: sandbox.baseUrl,
          },
        },
        (e, stdout, stderr) => (e ? reject(new Error(`vobiz-onboard failed: ${stderr}`)) : resolve(stdout)),
      ),
    );
    const commandMs = Math.round(performance.now() - started);
    const commandRequests = countByMethod(sandbox.journal.entries({ authId }));

    // D = ceil(N/20) entries edited to differ (every 20th flips `enabled`): the only writes expected.
    const file = path.join(fleet.dir, "onboarded.yaml");
    let differ = 0;
    const edited = fs
      .readFileSync(file, "utf8")
      .replace(/(username: "phone_(\d{4})"\n {4}enabled: )(true|false)/g, (m, head, num, value) => {
        if (Number(num) % 20 !== 0) return m;
        differ++;
        return `${head}${value === "true" ? "false" : "true"}`;
      });
    fs.writeFileSync(file, edited);

    sandbox.journal.clear();
    const up = await fleet.run(["up", "--yes", "--skip-preview"]);
    const entries = sandbox.journal.entries({ authId });
    const requests = countByMethod(entries);
    const listRequests = entries.filter((e) => e.route === "list").length;
    const changed = sandbox.credentials
      .list(authId)
      .filter((c) => !sandbox.credentials.verifyPassword(authId, c.id, passwords.get(c.username))).length;

    sandbox.journal.clear();
    const preview = await fleet.run(["preview", "--expect-no-changes"]);
    const previewRequests = countByMethod(sandbox.journal.entries({ authId }));

    // The floor: the same N resources through the trivial provider, created with no API call.
    const floor = new w.Workspace({
      name: `onboard-floor-${opts.n}`,
      consumerDir,
      files: {
        "index.ts": fs.readFileSync(path.join(__dirname, "programs", "floor", "index.ts"), "utf8"),
        "bench.json": JSON.stringify({
          n: opts.n,
          renamed: 0,
          latencyMs: opts.latency,
          outputs: require("../dist/contract/fields").FIELD_NAMES,
        }),
      },
    });
    workspaces.push(floor);
    await floor.init();
    await floor.setConfig("benchPassword", `Bench-${randomBytes(9).toString("base64url")}`, true);
    const floorUp = await floor.run(["up", "--yes", "--skip-preview"]);

    const apiFloorMs = (Math.ceil(opts.n / 100) + Math.ceil(differ / parallelism)) * opts.latency;
    const targetMs = Math.round(1.25 * (floorUp.durationMs + apiFloorMs));
    const checks = {
      posts0: (requests.POST ?? 0) === 0,
      putsEqualDiffering: (requests.PUT ?? 0) === differ,
      passwordsUnchanged: changed === 0,
      listsWithinBudget: listRequests <= Math.ceil(opts.n / 100) + 2,
      cleanPreview:
        (previewRequests.PUT ?? 0) + (previewRequests.POST ?? 0) + (previewRequests.DELETE ?? 0) === 0,
      timeWithinTarget: up.durationMs <= targetMs,
    };
    const result = {
      at: new Date().toISOString(),
      n: opts.n,
      latencyMs: opts.latency,
      parallelism,
      load1: require("node:os").loadavg()[0],
      command: { ms: commandMs, requests: commandRequests },
      up: {
        ms: Math.round(up.durationMs),
        requests,
        listRequests,
        differing: differ,
        passwordsChanged: changed,
      },
      preview: { ms: Math.round(preview.durationMs), requests: previewRequests },
      floorCreateMs: Math.round(floorUp.durationMs),
      apiFloorMs,
      targetMs,
      checks,
    };
    fs.mkdirSync(opts.out, { recursive: true });
    fs.writeFileSync(path.join(opts.out, "onboard.json"), `${JSON.stringify(result, null, 2)}\n`);
    const md =
      "| row | N | time | floor + API floor | target (1.25x) | requests | lists (budget) | checks |\n" +
      "|---|---|---|---|---|---|---|---|\n" +
      `| onboard: \`up\` adopting all | ${opts.n} | ${(up.durationMs / 1000).toFixed(2)} s | ` +
      `${(floorUp.durationMs / 1000).toFixed(2)} s + ${(apiFloorMs / 1000).toFixed(2)} s | ${(targetMs / 1000).toFixed(2)} s | ` +
      `${JSON.stringify(requests)} | ${listRequests} (${Math.ceil(opts.n / 100) + 2}) | ` +
      `${Object.entries(checks)
        .map(([k, v]) => `${k} ${v ? "ok" : "FAILED"}`)
        .join(", ")} |\n` +
      `| onboard: \`vobiz-onboard\` | ${opts.n} | ${(commandMs / 1000).toFixed(2)} s | | | ${JSON.stringify(commandRequests)} | | |\n` +
      `| onboard: \`preview --expect-no-changes\` after | ${opts.n} | ${(preview.durationMs / 1000).toFixed(2)} s | | | ${JSON.stringify(previewRequests)} | | |\n`;
    fs.writeFileSync(
      path.join(opts.out, "onboard.md"),
      `# Benchmark row: onboarding an existing account\n\n` +
        `${result.at}, latency ${opts.latency} ms, parallelism ${parallelism}, load ${result.load1.toFixed(2)}; ` +
        `${differ} of ${opts.n} entries edited to differ. Command: \`node bench/onboard.js --n ${opts.n}\`.\n\n${md}`,
    );
    process.stdout.write(md);
    if (!Object.values(checks).every(Boolean)) process.exitCode = 1;
  } finally {
    await sandbox.stop();
    for (const ws of workspaces) ws.cleanup();
  }
}

main().catch((e) => {
  log(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
