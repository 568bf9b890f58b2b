/**
 * Issue 15 item 3: the engine prints the value of a failing property next to the reason, and the
 * dynamic-provider host hands `check` plain values, so a secret given to a string input or to a
 * misspelt property must fail check without the engine echoing it. A JavaScript program (no type
 * checker) passes `config.requireSecret(...)` to `description` with a value check rejects, and to
 * misspelt properties; no plain value may appear in any output, file or state.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/installedPackage";
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

const PROGRAM = fs.readFileSync(path.join(REPO_ROOT, "test", "e2e", "programs", "echo", "index.js"), "utf8");

describe("3. a secret given to an input check rejects is never echoed", () => {
  const f = useScenario({ name: "secret-echo", files: { "index.js": PROGRAM } }, async (f) => {
    await f.password("pw");
    await f.password("desc");
  });

  test.each([
    [
      "description with a control character",
      "description",
      [/description must not contain control characters/],
    ],
    ["a misspelt property", "misspelt", [/descripton is not an input of a Vobiz credential/]],
    [
      "both at once",
      "both",
      [/description must not contain control characters/, /sipSecret is not an input of a Vobiz credential/],
    ],
  ] as const)(
    "%s: preview and up fail naming the property, with no value",
    async (_label, mode, messages) => {
      await f.ws.setConfig("mode", mode);
      f.takeRequests();
      for (const run of [() => f.ws.preview({ check: false }), () => f.ws.up({ check: false })]) {
        const r = await run();
        expect(r.code).not.toBe(0);
        for (const m of messages) expect(r.stdout + r.stderr).toMatch(m);
        expect(r.stdout + r.stderr).not.toMatch(/value \{/);
      }
      expect(f.takeRequests()).toHaveLength(0);
      expect(f.live()).toHaveLength(0);
      // No plain value in any output, file or state: the closing scan covers every case's runs.
    },
  );
});
