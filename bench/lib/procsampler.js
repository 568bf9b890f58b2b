/**
 * Samples the processes a Pulumi command starts in one project directory (every `intervalMs`,
 * from /proc): the provider process (the dynamic-provider process, command line containing
 * `dynamic-provider`, or the provider plugin, `dist/adapters/plugin/main.js`) and the program
 * process (`@pulumi/pulumi/cmd/run`; a Pulumi YAML program runs in the Go language host, not
 * sampled). Records each one's peak resident set (VmHWM, the
 * kernel's own high-water mark, so short peaks between samples still count) and CPU time
 * (utime + stime) as last seen before it exited.
 *
 * Processes are matched by their working directory (the engine starts plugins and the program
 * in the project directory), so other Pulumi runs on the machine are not counted.
 */
const fs = require("node:fs");
const timers = require("node:timers");

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux

function readText(file) {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** @param {string} cmdline NUL-separated argv */
function classify(cmdline) {
  const argv = cmdline.split("\0").filter(Boolean);
  if (argv.includes("-e")) return undefined; // the plugin wrapper's `node -e require.resolve(...)`
  if (argv.some((a) => /dynamic-provider(\/index\.js)?$/.test(a))) return "provider";
  if (argv.some((a) => /adapters\/plugin\/main\.js$/.test(a))) return "provider";
  if (argv.some((a) => /@pulumi\/pulumi\/cmd\/run(\/index\.js)?$/.test(a))) return "program";
  return undefined;
}

class ProcSampler {
  /** @param {string} cwd project directory; @param {number} intervalMs */
  constructor(cwd, intervalMs = 100) {
    this.cwd = cwd;
    this.intervalMs = intervalMs;
    /** pids whose cwd is elsewhere (never re-read) */
    this.ignored = new Set();
    /** @type {Map<number, { kind: string, hwmKb: number, rssKb: number, cpuTicks: number }>} */
    this.seen = new Map();
    this.samples = 0;
  }

  start() {
    this.sample();
    this.timer = timers.setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  sample() {
    this.samples++;
    let pids;
    try {
      pids = fs.readdirSync("/proc");
    } catch {
      return; // not Linux: no memory figures
    }
    for (const name of pids) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (this.ignored.has(pid)) continue;
      let cwd;
      try {
        cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
      } catch {
        continue;
      }
      if (cwd !== this.cwd) {
        this.ignored.add(pid);
        continue;
      }
      // Re-read each time: the plugin wrapper (bash) execs node under the same pid.
      const cmdline = readText(`/proc/${pid}/cmdline`);
      const kind = cmdline === undefined ? undefined : classify(cmdline);
      if (!kind) continue;
      const status = readText(`/proc/${pid}/status`);
      const stat = readText(`/proc/${pid}/stat`);
      if (status === undefined) continue;
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const rss = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      let cpuTicks = 0;
      if (stat) {
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        cpuTicks = Number(rest[11]) + Number(rest[12]);
      }
      const prev = this.seen.get(pid);
      this.seen.set(pid, {
        kind,
        hwmKb: Math.max(prev?.hwmKb ?? 0, hwm, rss),
        rssKb: rss,
        cpuTicks: Math.max(prev?.cpuTicks ?? 0, cpuTicks),
      });
    }
  }

  /** Stops sampling; peak RSS (MB) and CPU seconds of provider and program processes. */
  stop() {
    timers.clearInterval(this.timer);
    const out = {
      providerProcesses: 0,
      providerPeakMb: null,
      providerCpuS: null,
      programPeakMb: null,
      programCpuS: null,
      samples: this.samples,
    };
    for (const p of this.seen.values()) {
      const mb = Math.round((p.hwmKb / 1024) * 10) / 10;
      const cpu = p.cpuTicks / CLOCK_TICKS_PER_S;
      if (p.kind === "provider") {
        out.providerProcesses++;
        out.providerPeakMb = Math.max(out.providerPeakMb ?? 0, mb);
        out.providerCpuS = (out.providerCpuS ?? 0) + cpu;
      } else {
        out.programPeakMb = Math.max(out.programPeakMb ?? 0, mb);
        out.programCpuS = (out.programCpuS ?? 0) + cpu;
      }
    }
    return out;
  }
}

module.exports = { ProcSampler, classify };
