#!/usr/bin/env node
/**
 * `npm run bench:rotation`: what rotating provider-generated passwords costs, through the real
 * Pulumi engine against the local sandbox (in-process, a fixed latency per API request). For each
 * N, one stack of N credentials (bench/programs/rotation) runs: create, preview (no changes),
 * preview of a rotation by trigger (the stack config counter changed), the rotation by trigger,
 * preview after it, the rotation by age (the provider's clock moved past `rotateAfter` with
 * the tests' clock preload), destroy. Each row: wall time, the sandbox's requests by method, the API floor
 * (fewest requests), and the engine's change summary. Writes bench/results/rotation.md and
 * rotation.json. Separate from `npm run bench` (bench/run.js), whose scenario table it leaves alone.
 *
 * Options: --sizes 1,10 (default), --latency MS (default 50), --out DIR (default bench/results).
 */
const { randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const w = require("./lib/workspace");

/**
 * The environment that starts the program's and provider's clocks at `iso` (the tests' clock
 * preload, test/helpers/testClockPreload.js: the shipped provider reads no clock variable).
 */
function agedClock(iso) {
  const preload = `--require ${path.join(__dirname, "..", "test", "helpers", "testClockPreload.js")}`;
  return {
    NODE_OPTIONS: [process.env.NODE_OPTIONS, preload].filter(Boolean).join(" "),
    PULUMI_VOBIZ_TEST_NOW: iso,
  };
}

function parseArgs(argv) {
  const o = { sizes: [1, 10], latency: 50, out: path.join(__dirname, "results") };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === "--sizes") o.sizes = next().split(",").map(Number);
    else if (a === "--latency") o.latency = Number(next());
    else if (a === "--out") o.out = path.resolve(next());
    else throw new Error(`unknown option ${a} (see the comment at the top of bench/rotation.js)`);
  }
  if (!o.sizes.every((n) => Number.isInteger(n) && n >= 1))
    throw new Error("--sizes must be whole numbers >= 1");
  if (!Number.isFinite(o.latency) || o.latency < 0) throw new Error("--latency must be a number >= 0");
  return o;
}

function countByMethod(entries) {
  const out = {};
  for (const e of entries) out[e.method] = (out[e.method] ?? 0) + 1;
  return out;
}

function changeSummary(stdout) {
  const m = /\nResources:\n([\s\S]*?)\n\n/.exec(`${stdout}\n\n`);
  return m
    ? m[1]
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .join(", ")
    : "";
}

const DAY = 86_400_000;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const { startSandbox } = require(path.join(w.REPO_ROOT, "dist", "sandbox"));
  const consumerDir = w.ensureConsumer();
  const sandbox = await startSandbox({ latencyMs: opts.latency, journalLimit: 1_000_000 });
  const program = fs.readFileSync(path.join(__dirname, "programs", "rotation", "index.ts"), "utf8");
  const rows = [];
  try {
    for (const n of opts.sizes) {
      const authId = `MA_${randomBytes(5).toString("hex").toUpperCase()}`;
      const authToken = `tok_${randomBytes(18).toString("hex")}`;
      sandbox.accounts.add({ authId, authToken });
      const ws = new w.Workspace({
        name: `rotation-${n}`,
        consumerDir,
        files: { "index.ts": program, "bench.json": JSON.stringify({ n }) },
      });
      try {
        await ws.init();
        await ws.setConfig("vobiz:authId", authId);
        await ws.setConfig("vobiz:authToken", authToken, true);
        await ws.setConfig("vobiz:baseUrl", sandbox.baseUrl);
        await ws.run(["preview"]); // untimed warm-up
        const agedAt = new Date(Date.now() + 91 * DAY).toISOString();
        const steps = [
          ["create", ["up", "--yes", "--skip-preview"], {}, `${n} POST`],
          ["preview, nothing due", ["preview", "--expect-no-changes"], {}, "0"],
          ["preview, trigger changed", ["preview"], {}, "0", () => ws.setConfig("rotation", "1")],
          ["rotate by trigger", ["up", "--yes", "--skip-preview"], {}, `${n} PUT`],
          ["preview after", ["preview", "--expect-no-changes"], {}, "0"],
          ["rotate by age (+91 d)", ["up", "--yes", "--skip-preview"], agedClock(agedAt), `${n} PUT`],
          ["destroy", ["destroy", "--yes", "--skip-preview"], {}, `${n} DELETE`],
        ];
        for (const [scenario, args, env, floor, before] of steps) {
          if (before) await before();
          sandbox.journal.clear();
          const r = await ws.run(args, { env });
          const entries = sandbox.journal.entries({ authId });
          const row = { n, scenario, ms: Math.round(r.durationMs), requests: countByMethod(entries), floor };
          row.changes = changeSummary(r.stdout);
          rows.push(row);
          console.error(
            `[bench:rotation] n=${n} ${scenario}: ${(row.ms / 1000).toFixed(2)}s ${JSON.stringify(row.requests)}`,
          );
        }
      } finally {
        ws.cleanup();
      }
    }
  } finally {
    await sandbox.stop();
  }
  const fmt = (req) =>
    Object.entries(req)
      .map(([m, c]) => `${c} ${m}`)
      .join(", ") || "0";
  const md = [
    "# Rotation benchmark (`npm run bench:rotation`)",
    "",
    `Measured ${new Date().toISOString()}, sandbox latency ${opts.latency} ms per request, sizes ${opts.sizes.join(", ")}.`,
    "Generated passwords (`generatePassword: true`), rotated by a config counter passed in",
    '`rotationTriggers`, then by age (`rotateAfter: "90d"`, the provider clock 91 days on). One run each,',
    "on a shared 2-core machine: compare requests with the floor; read the times as rough.",
    "",
    "| N | scenario | time | requests | API floor | engine summary |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.n} | ${r.scenario} | ${(r.ms / 1000).toFixed(1)} s | ${fmt(r.requests)} | ${r.floor} | ${r.changes} |`,
    ),
    "",
  ].join("\n");
  fs.mkdirSync(opts.out, { recursive: true });
  fs.writeFileSync(path.join(opts.out, "rotation.md"), md);
  fs.writeFileSync(
    path.join(opts.out, "rotation.json"),
    JSON.stringify({ latencyMs: opts.latency, rows }, null, 2),
  );
  process.stdout.write(md);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
