/**
 * The benchmark's floor and ideal programs have VobizCredential's resource shape: the SDK makes an
 * Output (with its promises) for every declared output, so a floor with fewer of them than the
 * contract would flatter the floor and make ours look slower than it is.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FIELD_NAMES } from "../../provider/contract/fields";

function declaredOutputs(program: string): string[] {
  const source = readFileSync(join(__dirname, "..", "..", "bench", "programs", program, "index.ts"), "utf8");
  const block = /const DECLARED_OUTPUTS = \{([^}]*)\}/.exec(source);
  if (!block) throw new Error(`bench/programs/${program}/index.ts declares no DECLARED_OUTPUTS`);
  return [...block[1].matchAll(/^\s*(\w+): undefined,/gm)].map((m) => m[1]);
}

it.each(["floor", "ideal"])("the %s program declares exactly the contract's outputs", (program) => {
  expect(declaredOutputs(program).sort()).toEqual([...FIELD_NAMES].sort());
});
