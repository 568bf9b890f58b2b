// Benchmark program for rotation: N VobizCredential resources with provider-generated passwords,
// rotated by a trigger map whose value is the stack config `rotation` (a counter: changing it
// rotates all N) and by age (`rotateAfter`, judged with the provider's clock, moved by the tests' clock preload).
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { VobizCredential } from "pulumi-vobiz";

const spec = JSON.parse(fs.readFileSync("bench.json", "utf8")) as { n: number };
const rotation = new pulumi.Config().get("rotation") ?? "0";

for (let i = 0; i < spec.n; i++) {
  new VobizCredential(`c${i}`, {
    username: `rot_${i}`,
    generatePassword: true,
    rotateAfter: "90d",
    rotationTriggers: { rotation },
  });
}
