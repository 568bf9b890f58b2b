/**
 * Preloaded (NODE_OPTIONS=--require) into every Node process of a profiled benchmark command,
 * because Node refuses --cpu-prof in NODE_OPTIONS. Starts the V8 CPU profiler at once and
 * writes `<pid>-<script>.cpuprofile` into BENCH_CPUPROF_DIR when the process exits or is told to
 * stop (the engine ends plugin processes with a signal).
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPUPROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The in-thread inspector session answers synchronously, so this works in an exit handler.
    session.post("Profiler.stop", (err, res) => {
      if (err || !res) return;
      const script = path.basename(path.dirname(process.argv[1] ?? "node"));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${process.pid}-${script}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => {
      write();
      process.exit(130);
    });
  }
}
