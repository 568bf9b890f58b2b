// Benchmark floor: the same N resources and inputs as the `ours` program, through a trivial
// dynamic provider that makes no API call. Its times are what the Pulumi engine, the Node.js
// language host and the dynamic-provider process cost on their own.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";

interface BenchSpec {
  n: number;
  renamed: number;
  /** VobizCredential's declared outputs (the contract's fields). */
  outputs: string[];
}

// The same resource shape as VobizCredential: the same declared outputs (the SDK makes an Output,
// with its promises, for every one, so their number is part of what the engine costs) and the same
// outputs after create, with constant values.
const spec = JSON.parse(fs.readFileSync("bench.json", "utf8")) as BenchSpec;
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

const floorProvider: pulumi.dynamic.ResourceProvider = {
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
    return {
      id: `floor-${inputs.username}-${Math.random().toString(36).slice(2)}`,
      outs: { ...inputs, ...SERVER_OUTPUTS },
    };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: { ...news, ...SERVER_OUTPUTS } };
  },
  async delete() {},
};

class FloorCredential extends pulumi.dynamic.Resource {
  constructor(name: string, args: { username: string; password: pulumi.Input<string> }) {
    super(
      floorProvider,
      name,
      { ...DECLARED_OUTPUTS, username: args.username, password: pulumi.secret(args.password) },
      { additionalSecretOutputs: ["password"] },
      "bench",
      "FloorCredential",
    );
  }
}

const base = new pulumi.Config().requireSecret("benchPassword");

for (let i = 0; i < spec.n; i++) {
  const username = i < spec.renamed ? `bench_${i}_r` : `bench_${i}`;
  new FloorCredential(`c${i}`, { username, password: base.apply((p) => `${p}-${i}`) });
}
