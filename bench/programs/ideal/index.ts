// Benchmark diagnostic ("ideal"): the floor program's trivial provider plus the API floor's
// waits, with no HTTP: create, update and delete each wait one API latency; `read` waits for the
// list scan of ceil(N/100) pages, once per process (every read shares the one scan): the first
// page, then the others 4 at a time, as the provider reads them.
// It is the best any provider could do through this engine at this latency, so
// ours − ideal is what our own code costs and ideal − floor what the engine makes of the latency.
// bench.json's `latencyMs` sets the wait (the runner copies the sandbox latency into it).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";

interface BenchSpec {
  n: number;
  renamed: number;
  /** VobizCredential's declared outputs (the contract's fields). */
  outputs: string[];
  latencyMs?: number;
}

const spec = JSON.parse(fs.readFileSync("bench.json", "utf8")) as BenchSpec;
const latencyMs = spec.latencyMs ?? 50;
const listPages = Math.max(1, Math.ceil(spec.n / 100));
const listRounds = 1 + Math.ceil((listPages - 1) / 4);
// Captured by value into the serialized provider; shared by its methods within one process.
const shared: { scan?: Promise<void> } = {};

function wait(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The same resource shape as VobizCredential: the same declared outputs (the SDK makes an Output,
// with its promises, for every one, so their number is part of what the engine costs) and the same
// outputs after create, with constant values.
// Every field of the contract, as the runner reads it from the built package (bench/run.js).
const DECLARED_OUTPUTS: Record<string, undefined> = Object.fromEntries(
  spec.outputs.map((name) => [name, undefined]),
);
const SERVER_OUTPUTS = {
  enabled: true,
  adoptExisting: false,
  realm: "MA_BENCH.sip.vobiz.ai",
  accountId: "MA_BENCH",
  createdAt: "2026-01-01T00:00:00Z",
  updatedAt: "2026-01-01T00:00:00Z",
};

const idealProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds, news) {
    return { inputs: news };
  },
  async diff(_id, olds, news) {
    const replaces = olds.username !== news.username ? ["username"] : [];
    return {
      changes: replaces.length > 0 || olds.password !== news.password,
      replaces,
      deleteBeforeReplace: false,
    };
  },
  async create(inputs) {
    await wait(latencyMs);
    return {
      id: `ideal-${inputs.username}-${Math.random().toString(36).slice(2)}`,
      outs: { ...inputs, ...SERVER_OUTPUTS },
    };
  },
  async read(id, props) {
    shared.scan ??= wait(latencyMs * listRounds);
    await shared.scan;
    return { id, props };
  },
  async update(_id, _olds, news) {
    await wait(latencyMs);
    return { outs: { ...news, ...SERVER_OUTPUTS } };
  },
  async delete() {
    await wait(latencyMs);
  },
};

class IdealCredential extends pulumi.dynamic.Resource {
  constructor(name: string, args: { username: string; password: pulumi.Input<string> }) {
    super(
      idealProvider,
      name,
      { ...DECLARED_OUTPUTS, username: args.username, password: pulumi.secret(args.password) },
      { additionalSecretOutputs: ["password"] },
      "bench",
      "IdealCredential",
    );
  }
}

const base = new pulumi.Config().requireSecret("benchPassword");

for (let i = 0; i < spec.n; i++) {
  const username = i < spec.renamed ? `bench_${i}_r` : `bench_${i}`;
  new IdealCredential(`c${i}`, { username, password: base.apply((p) => `${p}-${i}`) });
}
