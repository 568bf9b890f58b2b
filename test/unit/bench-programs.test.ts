/**
 * The benchmark's floor and ideal programs have VobizCredential's resource shape: the SDK makes an
 * Output (with its promises) for every declared output, so a floor with fewer of them than the
 * contract would flatter the floor and make ours look slower than it is. They declare what the
 * runner hands them (the contract's fields, read from the built package), never a list of their own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_NAMES } from "../../provider/contract/fields";

const bench = (...parts: string[]) => readFileSync(join(__dirname, "..", "..", "bench", ...parts), "utf8");

it.each(["floor", "ideal"])("the %s program declares the outputs the runner hands it", (program) => {
  const source = bench("programs", program, "index.ts");
  expect(source).toMatch(/const DECLARED_OUTPUTS[^=]*= Object\.fromEntries\(\s*spec\.outputs\.map/);
  expect(source).not.toMatch(/^\s*username: undefined,/m);
});

it("the runner hands every program the contract's fields, from the built package", () => {
  const run = bench("run.js");
  expect(run).toContain('const { FIELD_NAMES } = require("../dist/contract/fields");');
  expect(run).toMatch(/outputs: FIELD_NAMES/);
  expect(FIELD_NAMES.length).toBeGreaterThan(10);
});
