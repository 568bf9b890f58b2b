/**
 * The benchmark's floor and ideal programs have VobizCredential's resource shape: the SDK makes an
 * Output (with its promises) for every declared output, so a floor with fewer of them than the
 * contract would flatter the floor and make ours look slower than it is. They declare what the
 * runner hands them (the contract's fields, read from the built package), never a list of their own.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
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

it("the package program is the same N credentials in Pulumi YAML, renames and rotation included", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { mainYaml, pulumiYaml } = require("../../bench/programs/package/program") as {
    mainYaml(spec: { n: number; renamed: number }): string;
    pulumiYaml(name: string, pluginDir: string): string;
  };
  const program = parse(mainYaml({ n: 3, renamed: 1 })) as {
    config: Record<string, { type: string; secret: boolean }>;
    resources: Record<string, { type: string; properties: Record<string, string> }>;
  };
  expect(program.config).toEqual({ benchPassword: { type: "string", secret: true } });
  expect(program.resources).toEqual({
    c0: {
      type: "vobiz:index:Credential",
      properties: { username: "bench_0_r", password: "${benchPassword}-0" },
    },
    c1: {
      type: "vobiz:index:Credential",
      properties: { username: "bench_1", password: "${benchPassword}-1" },
    },
    c2: {
      type: "vobiz:index:Credential",
      properties: { username: "bench_2", password: "${benchPassword}-2" },
    },
  });
  expect(parse(pulumiYaml("bench-package-3", "/x/node_modules/pulumi-vobiz/bin"))).toEqual({
    name: "bench-package-3",
    runtime: "yaml",
    plugins: { providers: [{ name: "vobiz", path: "/x/node_modules/pulumi-vobiz/bin" }] },
  });
});
