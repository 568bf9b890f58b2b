/**
 * How a failure reads in the engine's output (issue 22, item 12): a refresh, a destroy and a
 * look-up that fail print the provider's message once, without a stack trace under the stack.
 */
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

/** What the engine printed, both streams. */
const text = (r: { stdout: string; stderr: string }) => `${r.stdout}\n${r.stderr}`;

/** How often `needle` occurs in `haystack`. */
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** A line of a Node stack trace (`    at fn (file.js:1:2)`). */
const STACK_LINE = /^\s+at .*(\.js|\.ts|node:internal)/m;

/**
 * The checks of one failed command: no stack trace anywhere, not the host's print of the error
 * (it starts with the error's class name), and the message once in the summary ("Diagnostics:",
 * under the resource; the progress lines above it are the engine's own).
 */
function expectPrintedOnce(out: string, message: string, className: string): void {
  expect(out).not.toMatch(STACK_LINE);
  expect(out).not.toContain(`${className}:`);
  const diagnostics = out.slice(out.indexOf("Diagnostics:"));
  expect(out.indexOf("Diagnostics:")).toBeGreaterThan(-1);
  expect(count(diagnostics, message)).toBe(1);
}

describe("a failing refresh and destroy print the message once, without a stack trace", () => {
  const f = useScenario({ name: "fail-msgs" }, async (f) => {
    await f.password("pw");
    f.spec({ desk: { username: "msg_desk", passwordKey: "pw" } });
    await f.ws.up();
  });

  test("refresh refused (HTTP 403)", async () => {
    f.sandbox.faults.add({ route: "list", status: 403, times: 10 });
    const r = await f.ws.refresh({ check: false });
    f.sandbox.faults.clear();
    expect(r.code).not.toBe(0);
    expectPrintedOnce(text(r), "Vobiz API list failed (GET /account/", "VobizPermissionError");
  });

  test("destroy refused (HTTP 409: in use)", async () => {
    const [live] = f.live();
    f.sandbox.credentials.setInUse(f.authId, live.id, true);
    const r = await f.ws.destroy({ check: false });
    f.sandbox.credentials.setInUse(f.authId, live.id, false);
    expect(r.code).not.toBe(0);
    expectPrintedOnce(text(r), "Vobiz API delete failed (DELETE /account/", "VobizConflictError");
  });
});

describe("a failing look-up prints its message once, without a stack trace", () => {
  const f = useScenario({
    name: "fail-lookup",
    files: {
      "index.ts":
        'import { getCredential } from "pulumi-vobiz";\n' +
        'export const trunk = getCredential({ username: "no_such_trunk" }).then((c) => c.id);\n',
    },
  });

  test("getCredential of a username the account does not have", async () => {
    const r = await f.ws.preview({ check: false });
    expect(r.code).not.toBe(0);
    const out = text(r);
    expect(out).not.toMatch(STACK_LINE);
    expect(out).not.toContain("unhandled exception");
    expect(count(out, "has no credential 'no_such_trunk'")).toBe(1);
  });
});
