#!/usr/bin/env node
/**
 * `node bench/limiter-sim.js`: the account rate limiter (dist/http/limiter) against the sandbox's
 * own token bucket (dist/sandbox/ratelimit), in simulated time: no engine, no HTTP, no waiting.
 * A run of hundreds of requests takes well under a second, so the limiter can be tuned here before
 * the engine measurements (test/faults/10-shared-rate-limit.test.ts, `npm run bench:scale --
 * --rate-limited`) confirm it. Build first (`npm run build`). See bench/README.md.
 *
 *   --scenario NAME   one of the scenarios below (default: all of them)
 *   --trace           print every turn, answer and 429 of each run
 *   --module PATH     the limiter module to load (default dist/http/limiter/accountLimiter.js),
 *                     e.g. an older build kept for comparison
 *   --tuning JSON     overrides of the limiter's tuning, e.g. '{"margin":0.9}'
 *   --seeds N         run each scenario N times with the engine's step and the latency jittered
 *                     (each between half and one and a half times its value, seeds 1..N) and
 *                     report the median and the worst run (default 1: no jitter)
 *
 * Each worker (the engine's --parallel) sends one request after another, each through the
 * transport's loop as transport.ts runs it: take a turn, send, report the answer; on a 429 sleep
 * the `Retry-After` the sandbox named (whole seconds, at least 1), then take a turn again.
 */
const path = require("node:path");
const { setImmediate } = require("node:timers");

const SCENARIOS = {
  // The fault test 10a's runs: 100 writes, --parallel 8 (2 cores), 5 req/s, burst 2, no added
  // latency. The engine's own time per resource and worker (measured without a limit: `up` sent
  // its 100 creates in about 7 s, the rotation its 100 updates in about 14 s) is `stepMs`.
  "10a-up": { n: 100, workers: 8, rate: 5, burst: 2, latencyMs: 2, stepMs: 450 },
  "10a-rotate": { n: 100, workers: 8, rate: 5, burst: 2, latencyMs: 2, stepMs: 1000 },
  // `npm run bench:scale -- --rate-limited`: 200 creates, --parallel 8, 2 req/s, burst 2, 50 ms.
  "scale-rl": { n: 200, workers: 8, rate: 2, burst: 2, latencyMs: 50, stepMs: 450 },
  // A looser limit and more workers than the limit allows at once.
  "wide-10": { n: 300, workers: 32, rate: 10, burst: 10, latencyMs: 50, stepMs: 450 },
  // A limit under one request per second.
  "slow-0.5": { n: 40, workers: 8, rate: 0.5, burst: 1, latencyMs: 50, stepMs: 450 },
  // Requests in waves with idle gaps: 10 waves of 10 requests, 5 s apart, 5 req/s.
  "waves-5": {
    n: 100,
    workers: 10,
    rate: 5,
    burst: 2,
    latencyMs: 20,
    stepMs: 0,
    waves: { size: 10, gapMs: 5000 },
  },
  // No rate limit, but 8% of requests answered 429 (Retry-After 1) at random, as fault 01 does.
  "flaky-01": { n: 50, workers: 8, rate: 1000, burst: 1000, latencyMs: 25, stepMs: 450, flaky: 0.08 },
  // Long waves: 5 waves of 40 requests, 20 s apart (each takes about 8 s at 5 req/s), then idle.
  "waves-long": {
    n: 200,
    workers: 8,
    rate: 5,
    burst: 2,
    latencyMs: 20,
    stepMs: 450,
    waves: { size: 40, gapMs: 20000 },
  },
};

function parseArgs(argv) {
  const o = { scenario: undefined, trace: false, module: undefined, tuning: undefined, seeds: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--scenario") o.scenario = argv[++i];
    else if (a === "--trace") o.trace = true;
    else if (a === "--module") o.module = path.resolve(argv[++i]);
    else if (a === "--tuning") o.tuning = JSON.parse(argv[++i]);
    else if (a === "--seeds") o.seeds = Number(argv[++i]);
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/limiter-sim.js)`);
  }
  if (!(Number.isInteger(o.seeds) && o.seeds >= 1))
    throw new Error("--seeds needs a whole number of at least 1");
  if (o.scenario && !SCENARIOS[o.scenario]) {
    throw new Error(`unknown scenario ${o.scenario}; one of ${Object.keys(SCENARIOS).join(", ")}`);
  }
  return o;
}

/** Simulated time: `sleep` resolves when `run` reaches its moment; events in time order. */
function simulatedClock(start = Date.UTC(2030, 0, 1)) {
  let now = start;
  let seq = 0;
  const timers = [];
  const clock = {
    now: () => now,
    random: () => 0.5,
    sleep: (ms) =>
      new Promise((resolve) => timers.push({ at: now + Math.max(0, ms), seq: seq++, fn: resolve })),
    schedule: (ms, fn) => timers.push({ at: now + Math.max(0, ms), seq: seq++, fn }),
  };
  /** Runs events until `done` settles (every microtask between two events). */
  async function run(done) {
    let finished = false;
    done.then(
      () => (finished = true),
      () => (finished = true),
    );
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (finished) return;
      if (timers.length === 0) throw new Error("simulation stalled: nothing scheduled and not done");
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      now = Math.max(now, next.at);
      next.fn();
    }
  }
  return { clock, run, start };
}

async function simulate(name, s, modulePath, trace, tuning, seed) {
  // The sandbox's seeded PRNG (mulberry32): the same seed gives the same run.
  const { mulberry32: prng } = require(path.join(__dirname, "..", "dist", "sandbox", "faults.js"));
  // Seed 0: no jitter. Otherwise each step and latency is 0.5 to 1.5 times its value.
  const random = seed ? prng(seed) : prng(1_000_003);
  const jitter = seed ? (ms) => ms * (0.5 + random()) : (ms) => ms;
  const { AccountRateLimiter } = require(modulePath);
  const { TokenBucket } = require(path.join(__dirname, "..", "dist", "sandbox", "ratelimit.js"));
  const { clock, run, start } = simulatedClock();
  const lines = [];
  const limiter = new AccountRateLimiter({
    tuning,
    label: "MA_SIM",
    clock,
    schedule: clock.schedule,
    debug: (line) => lines.push(`${((clock.now() - start) / 1000).toFixed(2)} ${line}`),
  });
  const bucket = new TokenBucket({ requestsPerSecond: s.rate, burst: s.burst }, clock.now());
  const log = (line) =>
    trace && process.stdout.write(`  ${((clock.now() - start) / 1000).toFixed(3)} ${line}\n`);
  let next = 0;
  let limited = 0;
  let requests = 0;
  const servedAt = [];

  async function send(i) {
    for (let attempt = 1; ; attempt++) {
      const waited = await limiter.acquire();
      const sentAt = clock.now();
      const latency = jitter(s.latencyMs);
      await clock.sleep(latency / 2);
      const decision =
        s.flaky && random() < s.flaky ? { allowed: false, waitMs: 1000 } : bucket.take(clock.now());
      requests++;
      await clock.sleep(latency / 2);
      if (decision.allowed) {
        limiter.answered({ status: 201, sentAt, maxPauseMs: 120_000 });
        servedAt.push(clock.now());
        log(`#${i} served (waited ${Math.round(waited)} ms; pace ${fmt(limiter.state().rate)})`);
        return;
      }
      limited++;
      const retryAfterMs = Math.max(1, Math.ceil(decision.waitMs / 1000)) * 1000;
      limiter.answered({ status: 429, sentAt, serverWaitMs: retryAfterMs, maxPauseMs: 120_000 });
      log(`#${i} 429 (attempt ${attempt}); pace now ${fmt(limiter.state().rate)}`);
      await clock.sleep(retryAfterMs);
    }
  }

  async function worker() {
    for (let i = next++; i < s.n; i = next++) {
      if (s.waves) await waveGate(i);
      if (s.stepMs) await clock.sleep(jitter(s.stepMs));
      await send(i);
    }
  }
  const waveGate = async (i) => {
    const due = start + Math.floor(i / s.waves.size) * s.waves.gapMs;
    if (clock.now() < due) await clock.sleep(due - clock.now());
  };

  const done = Promise.all(Array.from({ length: s.workers }, () => worker()));
  await run(done);
  await done;
  const ms = clock.now() - start;
  // The least time the limit allows, or the engine's own (rounds of `workers` steps) if longer.
  const engineMs = Math.ceil(s.n / s.workers) * (s.stepMs + s.latencyMs);
  const limitMs = s.waves
    ? (Math.ceil(s.n / s.waves.size) - 1) * s.waves.gapMs + ((s.waves.size - s.burst) / s.rate) * 1000
    : (Math.max(0, s.n - s.burst) / s.rate) * 1000;
  const floorMs = Math.max(engineMs, limitMs);
  const per5s = [];
  for (const t of servedAt) {
    const k = Math.floor((t - start) / 5000);
    while (per5s.length <= k) per5s.push(0);
    per5s[k]++;
  }
  return { name, ms, floorMs, limited, requests, per5s, lines, finalRate: limiter.state().rate };
}

function fmt(rate) {
  return Number.isFinite(rate) ? rate.toFixed(2) : "unpaced";
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const modulePath =
    opts.module ?? path.join(__dirname, "..", "dist", "http", "limiter", "accountLimiter.js");
  const names = opts.scenario ? [opts.scenario] : Object.keys(SCENARIOS);
  const rows = [];
  for (const name of names) {
    const runs = [];
    for (let seed = opts.seeds > 1 ? 1 : 0; seed <= (opts.seeds > 1 ? opts.seeds : 0); seed++) {
      if (opts.trace) process.stdout.write(`${name}${seed ? ` (seed ${seed})` : ""}:\n`);
      const r = await simulate(name, SCENARIOS[name], modulePath, opts.trace, opts.tuning, seed);
      if (opts.trace) for (const l of r.lines) process.stdout.write(`  ${l}\n`);
      runs.push(r);
    }
    runs.sort((a, b) => a.ms - b.ms);
    rows.push({ runs, median: runs[Math.floor((runs.length - 1) / 2)], worst: runs[runs.length - 1] });
  }
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const pct = (r) => `${((100 * r.limited) / r.requests).toFixed(1)}%`;
  const out = [`limiter: ${path.relative(process.cwd(), modulePath) || modulePath}`, ""];
  if (opts.seeds === 1) {
    out.push(
      "| scenario | n | limit | time | rate floor | ratio | 429 | 429 % | served per 5 s | final pace |",
      "|---|--:|---|--:|--:|--:|--:|--:|---|--:|",
      ...rows.map(({ median: r }) => {
        const sc = SCENARIOS[r.name];
        return `| ${r.name} | ${sc.n} | ${sc.rate}/s burst ${sc.burst}, ${sc.workers} at once | ${s(r.ms)} | ${s(r.floorMs)} | ${(r.ms / r.floorMs).toFixed(2)} | ${r.limited} | ${pct(r)} | ${r.per5s.join(" ")} | ${fmt(r.finalRate)} |`;
      }),
    );
  } else {
    out.push(
      `${opts.seeds} runs per scenario, the engine's step and the latency jittered:`,
      "",
      "| scenario | rate floor | median time | ratio | worst time | ratio | 429 median | 429 most | 429 % most |",
      "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
      ...rows.map(({ runs, median, worst }) => {
        const byLimited = [...runs].sort((a, b) => a.limited - b.limited);
        const most = byLimited[byLimited.length - 1];
        const mid = byLimited[Math.floor((byLimited.length - 1) / 2)];
        return `| ${median.name} | ${s(median.floorMs)} | ${s(median.ms)} | ${(median.ms / median.floorMs).toFixed(2)} | ${s(worst.ms)} | ${(worst.ms / worst.floorMs).toFixed(2)} | ${mid.limited} | ${most.limited} | ${pct(most)} |`;
      }),
    );
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e.stack ?? e}\n`);
    process.exit(1);
  });
}

module.exports = { SCENARIOS, simulate };
