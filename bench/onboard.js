#!/usr/bin/env node
/**
 * Benchmark row "onboard": an account with N existing credentials (seeded out of band, mixed
 * enabled and descriptions, known passwords) taken over through each format of
 * `vobiz-onboard --format`, every 20th entry edited to differ:
 *   - fleet: the fleet file, then one `pulumi up --skip-preview` of examples/fleet (TypeScript);
 *   - yaml-program: a Pulumi YAML program, then one `pulumi up --skip-preview` through the plugin;
 *   - import-file: an import file, `pulumi import --file --skip-preview` (the generated code goes
 *     into the YAML program, edited), then one `pulumi up --skip-preview`.
 * Each format gets its own account and stack. Records the time, the requests by method, and checks
 * 0 POSTs, D PUTs, unchanged passwords, at most ceil(N/100) + 2 list requests, and a clean
 * `preview --expect-no-changes`. The fleet row also has its time target against the floor (the
 * floor program creating N resources with no API call, plus the API floor of an adoption:
 * ceil(N/100) list pages one after another and ceil(D/P) rounds of PUTs for the D edited
 * entries); the package rows report their time beside it. Needs `npm run build` and the Pulumi
 * CLI with the YAML language host (`bash scripts/with-pulumi.sh node bench/onboard.js`).
 *
 *   --n 500          existing credentials (default 500)
 *   --latency 50     latency the sandbox adds to every API request, ms (default 50)
 *   --format LIST    formats to run, comma-separated (default fleet,yaml-program,import-file)
 *   --out DIR        where onboard.json and onboard.md go (default bench/results)
 */
"use strict";
const { execFile, execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { parse, stringify } = require("yaml");
const w = require("./lib/workspace");

/** The formats of `vobiz-onboard --format`, in the table's order. */
const FORMATS = ["fleet", "yaml-program", "import-file"];

function parseArgs(argv) {
  const o = { n: 500, latency: 50, out: path.join(__dirname, "results"), formats: FORMATS };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    if (argv[i] === "--n") o.n = Number(next());
    else if (argv[i] === "--latency") o.latency = Number(next());
    else if (argv[i] === "--out") o.out = path.resolve(next());
    else if (argv[i] === "--format") o.formats = String(next()).split(",");
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(o.n) || o.n < 1) throw new Error("--n must be a whole number >= 1");
  const unknown = o.formats.filter((f) => !FORMATS.includes(f));
  if (unknown.length > 0 || o.formats.length === 0) {
    throw new Error(`--format takes a comma-separated list of ${FORMATS.join(", ")}`);
  }
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

/** The directory holding the installed provider plugin (pulumi-resource-vobiz). */
const pluginDir = (consumerDir) => path.join(consumerDir, "node_modules", "pulumi-vobiz", "bin");

/** The Pulumi.yaml of a YAML project that loads the installed plugin. */
const yamlProject = (name, consumerDir) =>
  `name: ${name}\nruntime: yaml\nplugins:\n  providers:\n    - name: vobiz\n      path: ${JSON.stringify(pluginDir(consumerDir))}\n`;

/** Whether the entry of this username is one of the D edited to differ (every 20th). */
const edited = (username) => Number(username.slice("phone_".length)) % 20 === 0;

/** Flips `enabled` of every edited resource of a YAML program (by its username); returns D. */
function editProgram(file) {
  const program = parse(fs.readFileSync(file, "utf8"));
  let differ = 0;
  for (const r of Object.values(program.resources)) {
    if (!edited(r.properties.username)) continue;
    r.properties.enabled = !r.properties.enabled;
    differ++;
  }
  fs.writeFileSync(file, stringify(program));
  return differ;
}

/** Runs the installed `vobiz-onboard`; resolves with its time. */
function runOnboard(bin, args, cwd, account, baseUrl) {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(
      bin,
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH,
          VOBIZ_AUTH_ID: account.authId,
          VOBIZ_AUTH_TOKEN: account.authToken,
          VOBIZ_BASE_URL: baseUrl,
        },
      },
      (e, _stdout, stderr) =>
        e
          ? reject(new Error(`vobiz-onboard failed: ${stderr}`))
          : resolve(Math.round(performance.now() - started)),
    ),
  );
}

/**
 * One format, on its own account: N credentials made out of band, the command, D entries edited,
 * the adoption (`up`, or `import` then `up`), the preview after; the requests of each step.
 */
async function runFormat(format, { opts, sandbox, consumerDir, workspaces }) {
  const account = {
    authId: `MA_${randomBytes(5).toString("hex").toUpperCase()}`,
    authToken: `tok_${randomBytes(18).toString("hex")}`,
  };
  sandbox.accounts.add(account);
  const { authId } = account;
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
  log(`${format}: ${opts.n} credentials seeded on ${authId}`);

  const yaml = format !== "fleet";
  const ws = new w.Workspace({
    name: `onboard-${format}-${opts.n}`,
    consumerDir,
    files: yaml
      ? { "Pulumi.yaml": yamlProject("bench-onboard", consumerDir), "Main.yaml": "resources: {}\n" }
      : {
          "index.ts": fs.readFileSync(path.join(w.REPO_ROOT, "examples", "fleet", "index.ts"), "utf8"),
          "Pulumi.yaml": "name: bench-onboard\nruntime: nodejs\n",
        },
  });
  workspaces.push(ws);
  await ws.init();
  await ws.setConfig("vobiz:authId", authId);
  await ws.setConfig("vobiz:authToken", account.authToken, true);
  await ws.setConfig("vobiz:baseUrl", sandbox.baseUrl);
  if (!yaml) await ws.setConfig("credentialsFile", "onboarded.yaml");

  const taken = () => {
    const entries = sandbox.journal.entries({ authId });
    sandbox.journal.clear();
    return entries;
  };
  const bin = path.join(consumerDir, "node_modules", ".bin", "vobiz-onboard");
  const file = { fleet: "onboarded.yaml", "yaml-program": "Main.yaml", "import-file": "vobiz-import.json" }[
    format
  ];
  sandbox.journal.clear();
  const commandMs = await runOnboard(
    bin,
    ["--format", format, "--out", file, "--force"],
    ws.dir,
    account,
    sandbox.baseUrl,
  );
  const commandRequests = countByMethod(taken());

  let differ;
  const steps = [];
  if (format === "fleet") {
    // The fleet file's entries: flip `enabled` of the edited ones in place.
    differ = 0;
    const target = path.join(ws.dir, file);
    const text = fs
      .readFileSync(target, "utf8")
      .replace(/(username: "(phone_\d{4})"\n {4}enabled: )(true|false)/g, (m, head, username, value) => {
        if (!edited(username)) return m;
        differ++;
        return `${head}${value === "true" ? "false" : "true"}`;
      });
    fs.writeFileSync(target, text);
  } else if (format === "yaml-program") {
    differ = editProgram(path.join(ws.dir, file));
  } else {
    const imp = await ws.run([
      "import",
      "--file",
      file,
      "--out",
      "imported.yaml",
      "--yes",
      "--skip-preview",
      "--protect=false",
    ]);
    steps.push({ step: "import", ms: imp.durationMs, entries: taken() });
    fs.copyFileSync(path.join(ws.dir, "imported.yaml"), path.join(ws.dir, "Main.yaml"));
    differ = editProgram(path.join(ws.dir, "Main.yaml"));
  }
  const up = await ws.run(["up", "--yes", "--skip-preview"]);
  steps.push({ step: "up", ms: up.durationMs, entries: taken() });

  const entries = steps.flatMap((s) => s.entries);
  const requests = countByMethod(entries);
  const listRequests = entries.filter((e) => e.route === "list").length;
  const changed = sandbox.credentials
    .list(authId)
    .filter((c) => !sandbox.credentials.verifyPassword(authId, c.id, passwords.get(c.username))).length;

  const preview = await ws.run(["preview", "--expect-no-changes"]);
  const previewRequests = countByMethod(taken());
  const budget = Math.ceil(opts.n / 100) + 2;
  log(`${format}: done (${steps.map((s) => `${s.step} ${(s.ms / 1000).toFixed(1)} s`).join(", ")})`);
  return {
    differing: differ,
    command: { ms: commandMs, requests: commandRequests },
    adopt: {
      ms: Math.round(steps.reduce((sum, s) => sum + s.ms, 0)),
      steps: steps.map((s) => ({ step: s.step, ms: Math.round(s.ms), requests: countByMethod(s.entries) })),
      requests,
      listRequests,
      listBudget: budget,
      passwordsChanged: changed,
    },
    preview: { ms: Math.round(preview.durationMs), requests: previewRequests },
    checks: {
      posts0: (requests.POST ?? 0) === 0,
      putsEqualDiffering: (requests.PUT ?? 0) === differ,
      passwordsUnchanged: changed === 0,
      listsWithinBudget: listRequests <= budget,
      cleanPreview:
        (previewRequests.PUT ?? 0) + (previewRequests.POST ?? 0) + (previewRequests.DELETE ?? 0) === 0,
    },
  };
}

/** The floor: the same N resources through the trivial provider, created with no API call. */
async function floorCreate(opts, consumerDir, workspaces) {
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
  return (await floor.run(["up", "--yes", "--skip-preview"])).durationMs;
}

const ADOPTION = {
  fleet: "fleet: `up` of examples/fleet",
  "yaml-program": "yaml-program: `up` of the YAML program",
  "import-file": "import-file: `import --file` + `up`",
};

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const checkList = (checks) =>
  Object.entries(checks)
    .map(([k, v]) => `${k} ${v ? "ok" : "FAILED"}`)
    .join(", ");

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { startSandbox } = require(path.join(w.REPO_ROOT, "dist", "sandbox"));
  const consumerDir = consumerWithYaml();
  const parallelism = w.defaultParallelism();
  const sandbox = await startSandbox({ latencyMs: opts.latency, journalLimit: 1_000_000 });
  const workspaces = [];
  try {
    const rows = {};
    for (const format of FORMATS.filter((f) => opts.formats.includes(f))) {
      rows[format] = await runFormat(format, { opts, sandbox, consumerDir, workspaces });
    }
    const result = {
      at: new Date().toISOString(),
      n: opts.n,
      latencyMs: opts.latency,
      parallelism,
      load1: require("node:os").loadavg()[0],
      formats: rows,
    };
    if (rows.fleet) {
      const floorCreateMs = Math.round(await floorCreate(opts, consumerDir, workspaces));
      const apiFloorMs =
        (Math.ceil(opts.n / 100) + Math.ceil(rows.fleet.differing / parallelism)) * opts.latency;
      const targetMs = Math.round(1.25 * (floorCreateMs + apiFloorMs));
      Object.assign(result, { floorCreateMs, apiFloorMs, targetMs });
      rows.fleet.checks.timeWithinTarget = rows.fleet.adopt.ms <= targetMs;
    }
    result.load1After = require("node:os").loadavg()[0];
    fs.mkdirSync(opts.out, { recursive: true });
    fs.writeFileSync(path.join(opts.out, "onboard.json"), `${JSON.stringify(result, null, 2)}\n`);

    let md =
      "| row | N | time | floor + API floor | target (1.25x) | requests | lists (budget) | checks |\n" +
      "|---|---|---|---|---|---|---|---|\n";
    for (const [format, r] of Object.entries(rows)) {
      const steps =
        r.adopt.steps.length > 1
          ? ` (${r.adopt.steps.map((s) => `${s.step} ${seconds(s.ms)}`).join(" + ")})`
          : "";
      const floor =
        format === "fleet"
          ? `${seconds(result.floorCreateMs)} + ${seconds(result.apiFloorMs)} | ${seconds(result.targetMs)}`
          : " | ";
      md +=
        `| onboard ${ADOPTION[format]} | ${opts.n} | ${seconds(r.adopt.ms)}${steps} | ${floor} | ` +
        `${JSON.stringify(r.adopt.requests)} | ${r.adopt.listRequests} (${r.adopt.listBudget}) | ${checkList(r.checks)} |\n` +
        `| onboard ${format}: \`vobiz-onboard --format ${format}\` | ${opts.n} | ${seconds(r.command.ms)} | | | ${JSON.stringify(r.command.requests)} | | |\n` +
        `| onboard ${format}: \`preview --expect-no-changes\` after | ${opts.n} | ${seconds(r.preview.ms)} | | | ${JSON.stringify(r.preview.requests)} | | |\n`;
    }
    const differing = Object.values(rows)[0].differing;
    fs.writeFileSync(
      path.join(opts.out, "onboard.md"),
      `# Benchmark row: onboarding an existing account\n\n` +
        `${result.at}, latency ${opts.latency} ms, parallelism ${parallelism}, load ${result.load1.toFixed(2)} ` +
        `(${result.load1After.toFixed(2)} at the end); ${differing} of ${opts.n} entries edited to differ; ` +
        `each format on its own account and stack. Command: ` +
        `\`npm run bench:onboard -- --n ${opts.n} --format ${Object.keys(rows).join(",")}\`.\n\n${md}`,
    );
    process.stdout.write(md);
    if (!Object.values(rows).every((r) => Object.values(r.checks).every(Boolean))) process.exitCode = 1;
  } finally {
    await sandbox.stop();
    for (const ws of workspaces) ws.cleanup();
  }
}

main().catch((e) => {
  log(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
