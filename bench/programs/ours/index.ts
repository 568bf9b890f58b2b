// Benchmark program: N VobizCredential resources of the installed pulumi-vobiz package.
// bench.json holds { n, renamed }: the first `renamed` credentials get a new username (a
// replace). Every password derives from the secret config `benchPassword`, so changing that one
// value rotates all N passwords.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { VobizCredential } from "pulumi-vobiz";

interface BenchSpec {
  n: number;
  renamed: number;
}

const spec = JSON.parse(fs.readFileSync("bench.json", "utf8")) as BenchSpec;
const base = new pulumi.Config().requireSecret("benchPassword");

for (let i = 0; i < spec.n; i++) {
  const username = i < spec.renamed ? `bench_${i}_r` : `bench_${i}`;
  new VobizCredential(`c${i}`, { username, password: base.apply((p) => `${p}-${i}`) });
}
