#!/usr/bin/env node
/**
 * `npm run bench:scale`: opt-in benchmark scenarios for large fleets (issue 16), kept out of the
 * default `npm run bench` for time. Each runs `VobizCredential` (the installed package, program
 * bench/programs/ours) through the real engine against the in-process sandbox. See bench/README.md.
 *
 *   --rate-limited        N creates under a sandbox rate limit, with the shared limiter and with
 *                         VOBIZ_RATE_LIMITER=off (each request retrying alone), alternating
 *   --rl-size 200         N of the rate-limited scenario
 *   --rl-rate 2           the sandbox's requests per second (burst: ceil(rate))
 *   --big-stack           create and destroy N, side by side: the default, PULUMI_SKIP_CHECKPOINTS=true
 *                         (with PULUMI_EXPERIMENTAL=true, which the engine requires for it),
 *                         a higher --parallel, and the fleet split into several stacks run at once
 *   --bs-size 500         N of the big-stack scenario
 *   --bs-parallel 32      --parallel of the big-stack scenario's "parallel" variant
 *   --bs-split 4          stacks of the "split" variant (N / stacks credentials each)
 *   --latency 50          latency the sandbox adds to every API request
 *   --out DIR             where scale.json and scale.md go (default bench/results)
 */
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { performance } = require("node:perf_hooks");
const { ProcSampler } = require("./lib/procsampler");
const w = require("./lib/workspace");

function parseArgs(argv) {
  const o = {
    rateLimited: false,
    rlSize: 200,
    rlRate: 2,
    bigStack: false,
    bsSize: 500,
    bsParallel: 32,
    bsSplit: 4,
    latency: 50,
    out: path.join(__dirname, "results"),
  };
  const num = { "--rl-size": "rlSize", "--rl-rate": "rlRate", "--bs-size": "bsSize" };
  Object.assign(num, { "--bs-parallel": "bsParallel", "--bs-split": "bsSplit", "--latency": "latency" });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--rate-limited") o.rateLimited = true;
    else if (a === "--big-stack") o.bigStack = true;
    else if (a === "--out") o.out = path.resolve(argv[++i]);
    else if (num[a]) {
      o[num[a]] = Number(argv[++i]);
      if (!(o[num[a]] > 0)) throw new Error(`${a} needs a positive number`);
    } else throw new Error(`unknown option ${a} (see the comment at the top of bench/scale.js)`);
  }
  if (!o.rateLimited && !o.bigStack) throw new Error("choose --rate-limited and/or --big-stack");
  return o;
}

const log = (line) => process.stderr.write(`[scale +${Math.round(performance.now() / 1000)}s] ${line}\n`);
const program = fs.readFileSync(path.join(__dirname, "programs", "ours", "index.ts"), "utf8");

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { startSandbox } = require(path.join(w.REPO_ROOT, "dist", "sandbox"));
  const consumerDir = w.ensureConsumer();
  const sandbox = await startSandbox({ latencyMs: opts.latency, journalLimit: 1_000_000 });
  const workspaces = [];
  const results = { rateLimited: [], bigStack: [] };
  const meta = {
    startedAt: new Date().toISOString(),
    latencyMs: opts.latency,
    parallelism: w.defaultParallelism(),
    pulumiVersion: w.pulumiVersion(),
    cpus: `${os.cpus().length} x ${os.cpus()[0]?.model ?? "?"}`,
    load1AtStart: os.loadavg()[0],
  };

  /** A fresh stack of `n` credentials on its own sandbox account. */
  async function stack(name, n, env = {}) {
    const authId = `MA_${randomBytes(5).toString("hex").toUpperCase()}`;
    const authToken = `tok_${randomBytes(18).toString("hex")}`;
    sandbox.accounts.add({ authId, authToken });
    const ws = new w.Workspace({
      name,
      consumerDir,
      files: { "index.ts": program, "bench.json": JSON.stringify({ n, renamed: 0 }) },
      env,
    });
    workspaces.push(ws);
    await ws.init();
    await ws.setConfig("benchPassword", `Bench-${randomBytes(9).toString("base64url")}`, true);
    await ws.setConfig("vobiz:authId", authId);
    await ws.setConfig("vobiz:authToken", authToken, true);
    await ws.setConfig("vobiz:baseUrl", sandbox.baseUrl);
    return { ws, authId, n };
  }

  /** Runs pulumi commands of one or more stacks at once; wall time, journal and process numbers. */
  async function measure(stacks, args) {
    sandbox.journal.clear();
    const samplers = stacks.map((s) => new ProcSampler(s.ws.dir, 100).start());
    const load1 = os.loadavg()[0];
    const t0 = performance.now();
    const outcomes = await Promise.all(stacks.map((s) => s.ws.run(args, { check: false })));
    const ms = Math.round(performance.now() - t0);
    const procs = samplers.map((s) => s.stop());
    const entries = stacks.flatMap((s) => sandbox.journal.entries({ authId: s.authId }));
    const live = stacks.flatMap((s) => sandbox.credentials.list(s.authId));
    // When the answers came: served per 10 s and the 429s, seconds from the command's start.
    const startedAt = Date.now() - ms;
    const at = (e) => Math.round((Date.parse(e.time) - startedAt) / 100) / 10;
    const servedPer10s = [];
    for (const e of entries.filter((x) => x.status < 400)) {
      const k = Math.floor(at(e) / 10);
      while (servedPer10s.length <= k) servedPer10s.push(0);
      servedPer10s[k]++;
    }
    return {
      ms,
      timeline: {
        firstRequestS: entries.length ? Math.min(...entries.map(at)) : null,
        servedPer10s,
        rateLimitedAtS: entries.filter((e) => e.status === 429).map(at),
      },
      ok: outcomes.every((r) => r.code === 0),
      requests: entries.length,
      rateLimited: entries.filter((e) => e.status === 429).length,
      served: entries.filter((e) => e.status < 400).length,
      live: live.length,
      duplicates: live.length - new Set(live.map((c) => `${c.username}`)).size,
      providerPeakMb: Math.max(...procs.map((p) => p.providerPeakMb ?? 0)),
      providerCpuS: Math.round(procs.reduce((a, p) => a + (p.providerCpuS ?? 0), 0) * 10) / 10,
      load1: Math.round(load1 * 100) / 100,
      failedResources: outcomes.reduce((a, r) => a + (/(\d+) errored/.exec(r.stdout)?.[1] ?? 0) * 1, 0),
    };
  }

  async function stateBytes(s) {
    const { text, deployment } = await s.ws.exportStack();
    const credentials = (deployment.resources ?? []).filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic"),
    );
    return { bytes: Buffer.byteLength(text), resources: credentials.length };
  }

  try {
    // Untimed warm-up: the first command after an install reads everything from disk.
    const warm = await stack("warm-up", 1);
    await warm.ws.run(["preview"], { check: false });
    if (opts.rateLimited) {
      const limit = { requestsPerSecond: opts.rlRate, burst: Math.ceil(opts.rlRate) };
      const floorS = opts.rlSize / opts.rlRate;
      for (const variant of ["shared", "off"]) {
        const s = await stack(
          `rl-${variant}`,
          opts.rlSize,
          variant === "off" ? { VOBIZ_RATE_LIMITER: "off" } : {},
        );
        sandbox.rateLimit.set(limit);
        const r = await measure([s], ["up", "--yes", "--skip-preview"]);
        sandbox.rateLimit.set(null);
        const state = await stateBytes(s);
        results.rateLimited.push({
          variant,
          n: opts.rlSize,
          limit,
          rateFloorS: floorS,
          ...r,
          inState: state.resources,
        });
        log(
          `rate-limited ${variant}: ${(r.ms / 1000).toFixed(1)} s ok=${r.ok} ${r.rateLimited}/${r.requests} answered 429, ${r.live} live; ` +
            `first request at ${r.timeline.firstRequestS} s, served per 10 s ${r.timeline.servedPer10s.join(" ")}, ` +
            `429 at ${r.timeline.rateLimitedAtS.join(" ")} s`,
        );
        await s.ws.run(["destroy", "--yes", "--skip-preview"], { check: false });
      }
    }
    if (opts.bigStack) {
      const n = opts.bsSize;
      const variants = [
        { variant: "default", stacks: 1, env: {}, args: [] },
        {
          // The engine reads PULUMI_SKIP_CHECKPOINTS only with PULUMI_EXPERIMENTAL set.
          variant: "PULUMI_SKIP_CHECKPOINTS=true PULUMI_EXPERIMENTAL=true",
          stacks: 1,
          env: { PULUMI_SKIP_CHECKPOINTS: "true", PULUMI_EXPERIMENTAL: "true" },
          args: [],
        },
        {
          variant: `--parallel ${opts.bsParallel}`,
          stacks: 1,
          env: {},
          args: ["--parallel", String(opts.bsParallel)],
        },
        { variant: `${opts.bsSplit} stacks at once`, stacks: opts.bsSplit, env: {}, args: [] },
      ];
      for (const v of variants) {
        const size = Math.ceil(n / v.stacks);
        const stacks = [];
        for (let i = 0; i < v.stacks; i++)
          stacks.push(await stack(`bs-${results.bigStack.length}-${i}`, size, v.env));
        const create = await measure(stacks, ["up", "--yes", "--skip-preview", ...v.args]);
        const state = await stateBytes(stacks[0]);
        const destroy = await measure(stacks, ["destroy", "--yes", "--skip-preview", ...v.args]);
        results.bigStack.push({
          variant: v.variant,
          n,
          stacks: v.stacks,
          create,
          destroy,
          stateBytesPerStack: state.bytes,
        });
        log(
          `big-stack ${v.variant}: create ${(create.ms / 1000).toFixed(1)} s, destroy ${(destroy.ms / 1000).toFixed(1)} s`,
        );
      }
    }
  } finally {
    await sandbox.stop();
    for (const ws of workspaces) ws.cleanup();
  }
  fs.mkdirSync(opts.out, { recursive: true });
  const data = { meta, options: opts, ...results };
  const file = path.join(opts.out, "scale.json");
  const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : {};
  // Keep the other scenario's last numbers (and the conditions they were measured in) when only
  // one ran.
  data.metaByScenario = {};
  for (const k of ["rateLimited", "bigStack"]) {
    if (data[k].length > 0) data.metaByScenario[k] = meta;
    else if (previous[k]?.length) {
      data[k] = previous[k];
      data.metaByScenario[k] = previous.metaByScenario?.[k] ?? previous.meta;
    }
  }
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  const md = render(data);
  fs.writeFileSync(path.join(opts.out, "scale.md"), md);
  process.stdout.write(md);
}

function render(d) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const conditions = (m) =>
    `${m.startedAt}; ${m.cpus}; pulumi ${m.pulumiVersion}; default --parallel ${m.parallelism}; ` +
    `sandbox latency ${m.latencyMs} ms; 1-min load at start ${m.load1AtStart.toFixed(2)} (the machine is shared: times are noisy).`;
  const metaOf = (k) => d.metaByScenario?.[k] ?? d.meta;
  const lines = ["# Large-fleet scenarios (`npm run bench:scale`)", ""];
  if (d.rateLimited.length) {
    const r0 = d.rateLimited[0];
    lines.push(
      `## ${r0.n} creates under a sandbox limit of ${r0.limit.requestsPerSecond} req/s (burst ${r0.limit.burst})`,
      "",
      conditions(metaOf("rateLimited")),
      "",
      `Rate floor ${r0.rateFloorS} s; target: converges in one \`up\`, 0 failures, 0 duplicates, within ${(1.15 * r0.rateFloorS + 5).toFixed(0)} s, 429s at most 5% of requests.`,
      "",
      "| limiter | up | ok | requests | answered 429 | live | in state | duplicates | provider peak |",
      "|---|--:|:-:|--:|--:|--:|--:|--:|--:|",
      ...d.rateLimited.map(
        (r) =>
          `| ${r.variant === "off" ? "off (`VOBIZ_RATE_LIMITER=off`, each request alone)" : "shared (default)"} | ${s(r.ms)} | ${r.ok ? "yes" : "no"} | ${r.requests} | ${r.rateLimited} (${((100 * r.rateLimited) / Math.max(1, r.requests)).toFixed(1)}%) | ${r.live} | ${r.inState} | ${r.duplicates} | ${r.providerPeakMb} MB |`,
      ),
      "",
      ...d.rateLimited
        .filter((r) => r.timeline)
        .map(
          (r) =>
            `When the answers came (${r.variant}): first request ${r.timeline.firstRequestS} s after the command started (the engine's start-up); ` +
            `served per 10 s: ${r.timeline.servedPer10s.join(", ")}; 429 at ${r.timeline.rateLimitedAtS.join(", ")} s.`,
        )
        .flatMap((line) => [line, ""]),
    );
  }
  if (d.bigStack.length) {
    const n = d.bigStack[0].n;
    lines.push(
      `## ${n} credentials: the engine's big-stack options side by side`,
      "",
      conditions(metaOf("bigStack")),
      "",
      "| variant | create | destroy | requests (create) | provider peak | state file per stack |",
      "|---|--:|--:|--:|--:|--:|",
      ...d.bigStack.map(
        (b) =>
          `| ${b.variant} | ${s(b.create.ms)}${b.create.ok ? "" : " (failed)"} | ${s(b.destroy.ms)}${b.destroy.ok ? "" : " (failed)"} | ${b.create.requests} | ${b.create.providerPeakMb} MB | ${(b.stateBytesPerStack / 1e6).toFixed(2)} MB |`,
      ),
      "",
    );
  }
  return `${lines.join("\n")}\n`;
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}

module.exports = { render };
