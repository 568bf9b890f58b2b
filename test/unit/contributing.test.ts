/**
 * CONTRIBUTING.md's layout table is the source tree's map: it names every module under provider/
 * (a file by its path, or a folder row ending in `/`), and every path it names exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const text = readFileSync(join(ROOT, "CONTRIBUTING.md"), "utf8");
const layout = text.slice(text.indexOf("## Layout"), text.indexOf("\n## ", text.indexOf("## Layout") + 1));
const named = [...layout.matchAll(/`([a-z]+\/[^`\s]*)`/g)]
  .map((m) => m[1])
  .filter((p) => !p.startsWith("dist/"));

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? modules(p) : p.endsWith(".ts") ? [relative(ROOT, p)] : [];
  });
}

test("the layout table names every module under provider/", () => {
  const covered = (file: string) => named.some((n) => n === file || (n.endsWith("/") && file.startsWith(n)));
  expect(modules(join(ROOT, "provider")).filter((f) => !covered(f))).toEqual([]);
});

test("every path the layout table names exists", () => {
  expect(named.length).toBeGreaterThan(40);
  expect(named.filter((n) => !existsSync(join(ROOT, n)))).toEqual([]);
});
