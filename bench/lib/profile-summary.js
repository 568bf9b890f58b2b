#!/usr/bin/env node
/**
 * Summarises V8 CPU profiles written by `node bench/run.js --cpu-prof` (or any .cpuprofile):
 * which process each profile is (dynamic provider, program, other), its sampled time, and self
 * time by package and by function.
 *
 * Usage: node bench/lib/profile-summary.js [DIR or FILE ...] [--top 15]
 */
const fs = require("node:fs");
const path = require("node:path");

function packageOf(url) {
  if (!url) return "(native/idle/gc)";
  if (url.startsWith("node:")) return "node (core)";
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(url);
  if (m) {
    const pkg = m[1];
    if (pkg === "@pulumi/pulumi") {
      const sub = /@pulumi\/pulumi\/([^/]+)/.exec(url)?.[1] ?? "";
      return `@pulumi/pulumi/${sub}`;
    }
    return pkg;
  }
  if (url.includes("proj-bench-")) return "(program)";
  return url.replace(/^file:\/\//, "");
}

/** Packages whose time is charged to whoever called them (node core, GC, our libraries). */
const PASS_THROUGH = new Set([
  "node (core)",
  "(native/idle/gc)",
  "zod",
  "axios",
  "follow-redirects",
  "form-data",
  "proxy-from-env",
  "mime-types",
  "mime-db",
  "asynckit",
  "combined-stream",
  "delayed-stream",
]);

function ownerPackage(url) {
  const pkg = packageOf(url);
  return pkg.startsWith("@pulumi/pulumi/") ? "@pulumi/pulumi" : pkg;
}

/**
 * Busy time by owner: each sample is charged to the nearest frame on its stack whose package is
 * not pass-through, so zod, axios, node core and GC time count for the package that called them
 * (e.g. pulumi-vobiz's own cost includes its parsing and HTTP calls, not the SDK it calls into).
 */
function ownerTimes(prof) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const owner = new Map();
  const walk = (id, inherited) => {
    const n = byId.get(id);
    const pkg = ownerPackage(n.callFrame.url);
    const here = PASS_THROUGH.has(pkg) || (pkg === "(program)" && !n.callFrame.url) ? inherited : pkg;
    owner.set(id, here);
    for (const c of n.children ?? []) walk(c, here);
  };
  walk(prof.nodes[0].id, "(root: node core, native, GC)");
  const out = new Map();
  prof.samples.forEach((id, i) => {
    if (byId.get(id).callFrame.functionName === "(idle)") return;
    const o = owner.get(id);
    out.set(o, (out.get(o) ?? 0) + (prof.timeDeltas[i] ?? 0));
  });
  return out;
}

/** Code whose inclusive time the summary reports. */
const INCLUSIVE = [
  [
    "pulumi-vobiz (our package: module loading, provider, client, zod parsing, axios calls)",
    /node_modules\/pulumi-vobiz\//,
  ],
  ["zod", /node_modules\/zod\//],
  ["axios", /node_modules\/axios\//],
  ["@pulumi/pulumi/runtime/closure (closure serialization)", /@pulumi\/pulumi\/runtime\/closure\//],
  ["@pulumi/pulumi/cmd/dynamic-provider (the provider host)", /@pulumi\/pulumi\/cmd\/dynamic-provider\//],
];

function summarise(file, top) {
  const prof = JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
  const urls = prof.nodes.map((n) => n.callFrame.url).join("\n");
  const kind = /cmd\/dynamic-provider/.test(urls)
    ? "dynamic-provider"
    : /cmd\/run/.test(urls)
      ? "program"
      : "other";
  const totalUs = prof.endTime - prof.startTime;
  const byPkg = new Map();
  const byFn = new Map();
  let idle = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    const fn = n.callFrame.functionName || "(anonymous)";
    if (fn === "(idle)") {
      idle += us;
      continue;
    }
    const pkg = packageOf(n.callFrame.url);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    const key = `${fn} ${pkg}:${n.callFrame.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
  }
  const ms = (us) => (us / 1000).toFixed(0).padStart(7);
  const lines = [];
  lines.push(
    `${path.basename(file)}: ${kind}, ${ms(totalUs).trim()} ms profiled, ${ms(totalUs - idle).trim()} ms busy`,
  );
  const sorted = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [label, re] of INCLUSIVE) {
    const inc = inclusiveCpuMs(file, re, prof);
    if (inc.ms >= 1) lines.push(`  inclusive (callees included) in ${label}: ${inc.ms.toFixed(0)} ms`);
  }
  lines.push("  busy time by owner (library and core time charged to the nearest calling package):");
  for (const [k, v] of [...ownerTimes(prof).entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`   ${ms(v)} ms  ${k}`);
  }
  lines.push("  self time by package:");
  for (const [k, v] of sorted(byPkg)) lines.push(`   ${ms(v)} ms  ${k}`);
  lines.push("  self time by function:");
  for (const [k, v] of sorted(byFn)) lines.push(`   ${ms(v)} ms  ${k}`);
  return { kind, text: lines.join("\n") };
}

/**
 * CPU time (ms) a profile spent inside frames whose script URL matches `pattern`, callees
 * included (inclusive time), and the profile's busy time.
 */
function inclusiveCpuMs(file, pattern, parsed) {
  const prof = parsed ?? JSON.parse(fs.readFileSync(file, "utf8"));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const inside = new Map();
  const mark = (id, flag) => {
    const n = byId.get(id);
    const here = flag || pattern.test(n.callFrame.url ?? "");
    inside.set(id, here);
    for (const c of n.children ?? []) mark(c, here);
  };
  mark(prof.nodes[0].id, false);
  let us = 0;
  let busy = 0;
  prof.samples.forEach((id, i) => {
    const d = prof.timeDeltas[i] ?? 0;
    if (byId.get(id).callFrame.functionName !== "(idle)") busy += d;
    if (inside.get(id)) us += d;
  });
  return { ms: us / 1000, busyMs: busy / 1000 };
}

function main() {
  const args = process.argv.slice(2);
  let top = 15;
  const inputs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--top") top = Number(args[++i]);
    else inputs.push(args[i]);
  }
  if (inputs.length === 0) inputs.push(path.join(__dirname, "..", "results", "raw", "cpuprof"));
  const files = inputs.flatMap((p) =>
    fs.statSync(p).isDirectory()
      ? fs
          .readdirSync(p)
          .filter((f) => f.endsWith(".cpuprofile"))
          .map((f) => path.join(p, f))
      : [p],
  );
  for (const f of files.sort()) {
    const { kind, text } = summarise(f, top);
    if (kind !== "other") process.stdout.write(`${text}\n\n`);
  }
}

if (require.main === module) main();

module.exports = { inclusiveCpuMs, ownerTimes, summarise };
