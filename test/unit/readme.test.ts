/**
 * The README's reference must not drift from the code: its VobizCredential tables are the ones
 * rendered from the contract (`npm run docs:reference`), every config key and environment variable
 * the package defines is documented, and the quick start's two commands are the ones CI runs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_KEYS, ENV_VARS } from "../../provider/settings/settings";
import { FIELD_NAMES, INPUT_NAMES } from "../../provider/contract/fields";
import { END_MARKER, referenceTables, START_MARKER, withReference } from "../../scripts/readme-reference";

const root = path.resolve(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
const reference = readme.slice(readme.indexOf("## Reference"));

/** The rows of the markdown table whose header row starts with `| first |`, as cell arrays. */
function tableRows(text: string, first: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const l of lines.slice(start + 2)) {
    if (!l.startsWith("|")) break;
    rows.push(
      l
        .split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

describe("README reference", () => {
  test("its VobizCredential tables are the ones rendered from the contract (run `npm run docs:reference`)", () => {
    expect(readme).toContain(START_MARKER);
    expect(readme).toContain(END_MARKER);
    expect(withReference(readme)).toBe(readme);
  });

  test("the input table has one row per input of the contract, in its order", () => {
    const rows = tableRows(referenceTables(), "input");
    expect(rows.map((r) => r[0])).toEqual(INPUT_NAMES.map((n) => `\`${n}\``));
    expect(rows.every((r) => r.length === 6)).toBe(true);
    expect(rows.find((r) => r[0] === "`username`")?.[4]).toMatch(/replace/);
    expect(rows.find((r) => r[0] === "`password`")?.[5]).toBe("**yes**");
  });

  test.each([...INPUT_NAMES])("documents the input %s", (name) => {
    expect(reference).toMatch(new RegExp(`\\| \`${name}\` \\|`));
  });

  test("documents every output the resource declares", () => {
    const outputs = FIELD_NAMES;
    expect(outputs.length).toBeGreaterThan(8);
    for (const name of outputs) expect(reference).toContain(`\`${name}\``);
  });

  test.each([...Object.values(CONFIG_KEYS), ...Object.values(ENV_VARS), "VOBIZ_DEBUG"])(
    "documents %s",
    (key) => {
      expect(reference).toContain(`\`${key}\``);
    },
  );

  test("the quick start's two commands run the demo and the tests, and CI runs the same test command", () => {
    expect(readme).toContain("npm ci && npm run demo\nnpm ci && npm test\n");
    const ci = fs.readFileSync(path.join(root, ".ci", "run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
  });

  test("every npm script the README names exists", () => {
    const scripts = Object.keys(
      (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: object }).scripts,
    );
    for (const [, name] of readme.matchAll(/npm run ([\w:-]+)/g)) expect(scripts).toContain(name);
  });
});
