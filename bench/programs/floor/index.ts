// Benchmark floor: the same N resources and inputs as the `ours` program, through a trivial
// dynamic provider that makes no API call. Its times are what the Pulumi engine, the Node.js
// language host and the dynamic-provider process cost on their own.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";

interface BenchSpec {
  n: number;
  renamed: number;
}

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
    return { id: `floor-${inputs.username}-${Math.random().toString(36).slice(2)}`, outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
  async delete() {},
};

class FloorCredential extends pulumi.dynamic.Resource {
  constructor(name: string, args: { username: string; password: pulumi.Input<string> }) {
    super(
      floorProvider,
      name,
      { username: args.username, password: pulumi.secret(args.password), realm: undefined },
      { additionalSecretOutputs: ["password"] },
      "bench",
      "FloorCredential",
    );
  }
}

const spec = JSON.parse(fs.readFileSync("bench.json", "utf8")) as BenchSpec;
const base = new pulumi.Config().requireSecret("benchPassword");

for (let i = 0; i < spec.n; i++) {
  const username = i < spec.renamed ? `bench_${i}_r` : `bench_${i}`;
  new FloorCredential(`c${i}`, { username, password: base.apply((p) => `${p}-${i}`) });
}
