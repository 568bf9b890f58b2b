#!/usr/bin/env node
/**
 * `npm run bench`: times VobizCredential through the real Pulumi engine against the local Vobiz
 * sandbox (in-process, with a fixed latency per API request), next to a floor program (the same
 * resources through a dynamic provider that makes no API call), a naive provider written in
 * the style of Pulumi's dynamic-provider documentation, and the package path (the same
 * credentials as `vobiz:index:Credential` in Pulumi YAML, through the provider plugin). See
 * bench/README.md for the method.
 *
 * Options:
 *   --latency MS      latency the sandbox adds to every API request (default 50)
 *   --sizes 1,50,200  numbers of credentials
 *   --reps 3          repetitions of every scenario sequence per program and size
 *   --quick           sizes 1,50 and 1 repetition (smoke check)
 *   --programs ours,floor,naive,package   (add `ideal` for the diagnostic program: the floor plus
 *                     the API floor's waits, no HTTP; see bench/programs/ideal/index.ts)
 *   --scenarios LIST  a subset of create,preview,refresh,rotate,rename,destroy (create and
 *                     destroy always run: the others need the stack they make and leave), e.g.
 *                     `--scenarios preview,refresh` with `--cpu-prof` to profile those two at N = 1000
 *   --probe-reps 3    repetitions of the engine-free start-up probe
 *   --cpu-prof        write V8 CPU profiles of every Node process (program, dynamic provider;
 *                     through the preload bench/lib/cpuprof-preload.js)
 *                     to bench/results/raw/cpuprof/PROGRAM-N/SCENARIO-REP/ (slows them down; for analysis
 *                     only); summarise with `node bench/lib/profile-summary.js DIR`
 *   --out DIR         where latest.md, latest.json and chart.svg go (default bench/results)
 *   --keep            keep the scratch projects
 *   --render [FILE]   only rewrite latest.md and chart.svg from a results JSON (default
 *                     OUT/latest.json), e.g. after changing the report
 */
const { execFileSync } = require("node:child_process");
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { ProcSampler } = require("./lib/procsampler");
const { inclusiveCpuMs } = require("./lib/profile-summary");
const { renderMarkdown, renderSvg, summarise } = require("./lib/report");
const w = require("./lib/workspace");
const packageProgram = require("./programs/package/program");

const PROGRAMS = ["ours", "floor", "naive", "package"];
/** Programs that are Pulumi YAML (no index.ts; not in the Node.js start-up probe). */
const YAML_PROGRAMS = ["package"];
/** Opt-in diagnostic program (see bench/programs/ideal): `--programs ours,floor,naive,ideal`. */
const OPTIONAL_PROGRAMS = ["ideal"];
const SCENARIOS = ["create", "preview", "refresh", "rotate", "rename", "destroy"];

function parseArgs(argv) {
  const o = {
    latency: 50,
    sizes: [1, 50, 200],
    reps: 3,
    programs: PROGRAMS,
    scenarios: SCENARIOS,
    probeReps: 3,
    cpuProf: false,
    out: path.join(__dirname, "results"),
    keep: false,
    quick: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--latency") o.latency = Number(next());
    else if (a === "--sizes") o.sizes = next().split(",").map(Number);
    else if (a === "--reps") o.reps = Number(next());
    else if (a === "--programs") o.programs = next().split(",");
    else if (a === "--scenarios") {
      const wanted = new Set(["create", "destroy", ...next().split(",")]);
      const unknown = [...wanted].filter((x) => !SCENARIOS.includes(x));
      if (unknown.length > 0)
        throw new Error(`--scenarios: unknown ${unknown.join(", ")} (of ${SCENARIOS.join(",")})`);
      o.scenarios = SCENARIOS.filter((x) => wanted.has(x));
    } else if (a === "--probe-reps") o.probeReps = Number(next());
    else if (a === "--cpu-prof") o.cpuProf = true;
    else if (a === "--out") o.out = path.resolve(next());
    else if (a === "--keep") o.keep = true;
    else if (a === "--render") {
      o.render = argv[i + 1] && !argv[i + 1].startsWith("--") ? path.resolve(argv[++i]) : true;
    } else if (a === "--quick") {
      o.quick = true;
      o.sizes = [1, 50];
      o.reps = 1;
      o.probeReps = 1;
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(`${fs.readFileSync(path.join(__dirname, "run.js"), "utf8").split("*/")[0]}*/\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isFinite(o.latency) || o.latency < 0) throw new Error("--latency must be a number >= 0");
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error("--sizes must be whole numbers >= 1");
  if (!Number.isInteger(o.reps) || o.reps < 1) throw new Error("--reps must be a whole number >= 1");
  for (const p of o.programs) {
    if (!PROGRAMS.includes(p) && !OPTIONAL_PROGRAMS.includes(p)) throw new Error(`unknown program ${p}`);
  }
  return o;
}

const log = (line) => process.stderr.write(`[bench +${Math.round(performance.now() / 1000)}s] ${line}\n`);

/** The minimum requests a scenario needs, and how long they take at `p` requests in flight. */
function apiFloor(scenario, n, latencyMs, p) {
  const rounds = (k) => Math.ceil(k / p);
  const renamed = Math.ceil(n / 10);
  switch (scenario) {
    case "create":
      return { requests: { POST: n }, ms: rounds(n) * latencyMs };
    case "preview":
      return { requests: {}, ms: 0 };
    case "refresh": {
      // The first page says the total, so the remaining pages can then all be read at once
      // (at most p in flight): one round, then ceil((pages - 1) / p).
      const pages = Math.ceil(n / 100);
      return { requests: { GET: pages }, ms: (1 + rounds(pages - 1)) * latencyMs };
    }
    case "rotate":
      return { requests: { PUT: n }, ms: rounds(n) * latencyMs };
    case "rename":
      // Create-before-delete: every replacement is created, then the old ones are deleted.
      return { requests: { POST: renamed, DELETE: renamed }, ms: 2 * rounds(renamed) * latencyMs };
    case "destroy":
      return { requests: { DELETE: n }, ms: rounds(n) * latencyMs };
    default:
      throw new Error(scenario);
  }
}

/** The API floor of every scenario and size of a run (see apiFloor). */
function apiFloors(scenarios, meta) {
  const floors = {};
  for (const s of scenarios)
    for (const n of meta.sizes) floors[`${s}/${n}`] = apiFloor(s, n, meta.latencyMs, meta.parallelism);
  return floors;
}

/** "Resources: + 3 created, ~ 1 updated ..." summary of a pulumi command. */
function changeSummary(stdout) {
  const m = /\nResources:\n([\s\S]*?)\n\n/.exec(`${stdout}\n\n`);
  if (!m) return "";
  return m[1]
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join(", ");
}

/** Most API requests in flight at once, and first arrival to last answer, from the journal. */
function concurrency(entries) {
  const events = [];
  for (const e of entries) {
    const start = Date.parse(e.time);
    events.push([start, 1], [start + e.durationMs, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (now += d));
  const span = events.length ? events[events.length - 1][0] - events[0][0] : 0;
  return { maxInFlight: max, apiSpanMs: Math.round(span) };
}

function countByMethod(entries) {
  const out = {};
  for (const e of entries) out[e.method] = (out[e.method] ?? 0) + 1;
  return out;
}

/** Writes latest.md and chart.svg for `data` into `out`; returns the Markdown. */
function writeReport(data, out) {
  const scenarios = data.meta.scenarios ?? SCENARIOS;
  // Recomputed, so `--render` of an older run applies the current definition.
  data.apiFloors = apiFloors(scenarios, data.meta);
  data.summary = summarise(data, scenarios);
  const md = renderMarkdown(data);
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "latest.md"), md);
  fs.writeFileSync(path.join(out, "chart.svg"), renderSvg(data, scenarios));
  return md;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.render) {
    const file = opts.render === true ? path.join(opts.out, "latest.json") : opts.render;
    process.stdout.write(writeReport(JSON.parse(fs.readFileSync(file, "utf8")), opts.out));
    return;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const { startSandbox } = require(path.join(w.REPO_ROOT, "dist", "sandbox"));
  const consumerDir = w.ensureConsumer();
  const parallelism = w.defaultParallelism();
  const pulumiVersion = w.pulumiVersion();
  log(`consumer ${consumerDir}; pulumi ${pulumiVersion}; default parallelism ${parallelism}`);
  const rawDir = path.join(opts.out, "raw");
  fs.mkdirSync(rawDir, { recursive: true });
  const cpuProfDir = path.join(rawDir, "cpuprof");
  if (opts.cpuProf) fs.mkdirSync(cpuProfDir, { recursive: true });

  const sandbox = await startSandbox({ latencyMs: opts.latency, journalLimit: 1_000_000 });
  const runs = [];
  const stateSizes = [];
  const failures = [];
  // The floor and ideal programs declare VobizCredential's outputs, the contract's fields, read
  // from the built package: the SDK makes an Output for each, so fewer would flatter the floor.
  const { FIELD_NAMES } = require("../dist/contract/fields");
  const specJson = (n, renamed) =>
    JSON.stringify({ n, renamed, latencyMs: opts.latency, outputs: FIELD_NAMES });
  const programSource = (p) => fs.readFileSync(path.join(__dirname, "programs", p, "index.ts"), "utf8");
  /** The project files of a program at size n (the package program is YAML, written per size). */
  const programFiles = (program, n) =>
    program === "package"
      ? {
          "Pulumi.yaml": packageProgram.pulumiYaml(
            `bench-package-${n}`,
            path.join(consumerDir, "node_modules", "pulumi-vobiz", "bin"),
          ),
          "Main.yaml": packageProgram.mainYaml({ n, renamed: 0 }),
        }
      : { "index.ts": programSource(program), "bench.json": specJson(n, 0) };
  /** Points a stack's program at n credentials, the first `renamed` of them renamed. */
  const writeProgram = (ctx, renamed) =>
    ctx.program === "package"
      ? ctx.ws.writeFile("Main.yaml", packageProgram.mainYaml({ n: ctx.n, renamed }))
      : ctx.ws.writeFile("bench.json", specJson(ctx.n, renamed));

  /** A fresh stack for one program and size, on its own sandbox account. */
  async function makeWorkspace(program, n) {
    const authId = `MA_${randomBytes(5).toString("hex").toUpperCase()}`;
    const authToken = `tok_${randomBytes(18).toString("hex")}`;
    sandbox.accounts.add({ authId, authToken });
    const env = {};
    if (program === "naive") {
      Object.assign(env, {
        VOBIZ_AUTH_ID: authId,
        VOBIZ_AUTH_TOKEN: authToken,
        VOBIZ_BASE_URL: sandbox.baseUrl,
      });
    }
    const ws = new w.Workspace({
      name: `${program}-${n}`,
      consumerDir,
      files: programFiles(program, n),
      env,
    });
    await ws.init();
    await ws.setConfig("benchPassword", `Bench-${randomBytes(9).toString("base64url")}`, true);
    if (program === "ours" || program === "package") {
      await ws.setConfig("vobiz:authId", authId);
      await ws.setConfig("vobiz:authToken", authToken, true);
      await ws.setConfig("vobiz:baseUrl", sandbox.baseUrl);
    }
    return { ws, authId, program, n };
  }

  /** Runs one timed pulumi command and what it cost. */
  async function measure(ctx, rep, scenario, args) {
    sandbox.journal.clear();
    const sampler = new ProcSampler(ctx.ws.dir, 100).start();
    const load = os.loadavg()[0];
    let result;
    let error;
    const env = {};
    if (opts.cpuProf) {
      const dir = path.join(cpuProfDir, `${ctx.program}-${ctx.n}`, `${scenario}-${rep}`);
      fs.mkdirSync(dir, { recursive: true });
      // Node refuses --cpu-prof in NODE_OPTIONS: a preload starts the profiler instead.
      env.NODE_OPTIONS = `--require ${path.join(__dirname, "lib", "cpuprof-preload.js")}`;
      env.BENCH_CPUPROF_DIR = dir;
    }
    try {
      result = await ctx.ws.run(args, { env });
    } catch (e) {
      error = e;
      result = e.result;
    }
    const proc = sampler.stop();
    const entries = sandbox.journal.entries({ authId: ctx.authId });
    const run = {
      program: ctx.program,
      n: ctx.n,
      rep,
      scenario,
      ms: Math.round(result?.durationMs ?? NaN),
      ok: !error,
      requests: countByMethod(entries),
      listRequests: entries.filter((e) => e.route === "list").length,
      errorResponses: entries.filter((e) => e.status >= 400).length,
      ...concurrency(entries),
      changes: result ? changeSummary(result.stdout) : "",
      load1: Math.round(load * 100) / 100,
      ...proc,
    };
    runs.push(run);
    const tag = `${ctx.program} n=${ctx.n} rep=${rep} ${scenario}`;
    log(
      `${tag}: ${(run.ms / 1000).toFixed(2)}s ${JSON.stringify(run.requests)} in-flight<=${run.maxInFlight} api-span ${run.apiSpanMs}ms provider ${run.providerPeakMb ?? "-"}MB` +
        `${error ? " FAILED" : ""}`,
    );
    if (error) {
      failures.push({ tag, message: String(error.message).slice(0, 4000) });
      fs.writeFileSync(
        path.join(rawDir, `failed-${ctx.program}-${ctx.n}-${rep}-${scenario}.log`),
        String(error.message),
      );
      throw error;
    }
    return result;
  }

  /**
   * State bytes per resource (each credential's entry in `pulumi stack export`, as compact JSON),
   * __provider bytes per resource (dynamic programs) and the whole export's size.
   */
  async function recordStateSize(ctx) {
    const { text, deployment } = await ctx.ws.exportStack();
    const credentials = (deployment.resources ?? []).filter(
      (r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"),
    );
    const mean = (xs) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
    const sizes = credentials.map((r) =>
      Buffer.byteLength(String(r.inputs?.__provider ?? r.outputs?.__provider ?? "")),
    );
    const entries = credentials.map((r) => Buffer.byteLength(JSON.stringify(r)));
    stateSizes.push({
      program: ctx.program,
      n: ctx.n,
      resources: credentials.length,
      providerBytesMax: Math.max(0, ...sizes),
      providerBytesMean: mean(sizes),
      resourceBytesMax: Math.max(0, ...entries),
      resourceBytesMean: mean(entries),
      stateBytes: Buffer.byteLength(text),
    });
  }

  /** create, preview, refresh, rotate, rename, destroy (those chosen by --scenarios): one sequence. */
  async function sequence(ctx, rep) {
    const { ws, n } = ctx;
    const chosen = new Set(opts.scenarios);
    writeProgram(ctx, 0);
    await measure(ctx, rep, "create", ["up", "--yes", "--skip-preview"]);
    if (rep === 0) await recordStateSize(ctx);
    if (chosen.has("preview")) await measure(ctx, rep, "preview", ["preview", "--expect-no-changes"]);
    if (chosen.has("refresh")) await measure(ctx, rep, "refresh", ["refresh", "--yes", "--skip-preview"]);
    if (chosen.has("rotate")) {
      await ws.setConfig("benchPassword", `Bench-${randomBytes(9).toString("base64url")}`, true);
      await measure(ctx, rep, "rotate", ["up", "--yes", "--skip-preview"]);
    }
    if (chosen.has("rename")) {
      writeProgram(ctx, Math.ceil(n / 10));
      await measure(ctx, rep, "rename", ["up", "--yes", "--skip-preview"]);
    }
    await measure(ctx, rep, "destroy", ["destroy", "--yes", "--skip-preview"]);
  }

  const workspaces = [];
  try {
    for (const n of opts.sizes) {
      const ctxs = {};
      for (const p of opts.programs) {
        ctxs[p] = await makeWorkspace(p, n);
        workspaces.push(ctxs[p]);
        // Untimed warm-up: the first command after an install reads everything from disk.
        if (n === opts.sizes[0]) await ctxs[p].ws.run(["preview"]);
      }
      for (let rep = 0; rep < opts.reps; rep++) {
        // Alternate the order between repetitions so no program always runs first.
        const order = opts.programs.map((_, i) => opts.programs[(i + rep) % opts.programs.length]);
        for (const p of order) {
          try {
            await sequence(ctxs[p], rep);
          } catch {
            // Recorded by measure(); start the next repetition from a clean stack and account.
            try {
              await ctxs[p].ws.run(["destroy", "--yes", "--skip-preview"]);
            } catch {
              if (!opts.keep) ctxs[p].ws.cleanup();
              ctxs[p] = await makeWorkspace(p, n);
              workspaces.push(ctxs[p]);
            }
          }
        }
      }
    }

    // Engine-free start-up probe: process start -> all resources registered (see README).
    const probe = [];
    const probeSizes = [...new Set([1, Math.max(...opts.sizes)])];
    const probeDir = fs.mkdtempSync(path.join(consumerDir, "proj-bench-probe-"));
    try {
      for (let rep = 0; rep < opts.probeReps; rep++) {
        for (const n of probeSizes) {
          for (const p of opts.programs.filter((x) => !YAML_PROGRAMS.includes(x))) {
            const dir = path.join(probeDir, p);
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, "index.ts"), programSource(p));
            fs.writeFileSync(path.join(dir, "bench.json"), specJson(n, 0));
            const profDir = path.join(dir, "cpuprof");
            fs.rmSync(profDir, { recursive: true, force: true });
            const out = execFileSync(
              process.execPath,
              [
                "--cpu-prof",
                `--cpu-prof-dir=${profDir}`,
                path.join(__dirname, "lib", "startup-probe.js"),
                "index.ts",
                `bench-${p}`,
                String(n),
              ],
              {
                cwd: dir,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
                env: { ...process.env, NODE_OPTIONS: "" },
              },
            );
            const r = JSON.parse(out.trim().split("\n").pop());
            // CPU spent in the SDK's closure serializer (runtime/closure/*), callees included.
            const [prof] = fs.readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
            const cpu = prof
              ? inclusiveCpuMs(path.join(profDir, prof), /@pulumi\/pulumi\/runtime\/closure\//)
              : null;
            r.closureCpuMs = cpu ? Math.round(cpu.ms) : null;
            r.busyCpuMs = cpu ? Math.round(cpu.busyMs) : null;
            probe.push({ program: p, rep, ...r });
            log(
              `probe ${p} n=${n}: all registered at ${Math.round(r.allRegisteredMs)}ms, closure serializer ${r.closureCpuMs}ms CPU`,
            );
          }
        }
      }
    } finally {
      fs.rmSync(probeDir, { recursive: true, force: true });
    }

    const totalMs = performance.now() - t0;
    const meta = {
      startedAt: startedAt.toISOString(),
      totalMs: Math.round(totalMs),
      latencyMs: opts.latency,
      sizes: opts.sizes,
      reps: opts.reps,
      quick: opts.quick,
      programs: opts.programs,
      scenarios: opts.scenarios,
      parallelism,
      pulumiVersion,
      pulumiSdk: w.devVersion("@pulumi/pulumi"),
      node: process.version,
      cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}`,
      memMb: Math.round(os.totalmem() / 2 ** 20),
      cpuProf: opts.cpuProf,
    };
    const data = { meta, runs, stateSizes, probe, apiFloors: apiFloors(opts.scenarios, meta), failures };
    const md = writeReport(data, opts.out);
    fs.writeFileSync(path.join(opts.out, "latest.json"), `${JSON.stringify(data, null, 2)}\n`);
    process.stdout.write(md);
    log(
      `done in ${(totalMs / 60000).toFixed(1)} min; wrote ${path.relative(process.cwd(), opts.out)}/latest.{md,json}, chart.svg`,
    );
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    await sandbox.stop();
    if (!opts.keep) for (const c of workspaces) c.ws.cleanup();
  }
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}

module.exports = { apiFloor };
