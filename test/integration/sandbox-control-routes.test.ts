/**
 * docs/sandbox.md's table of control routes matches what the server answers: every documented row
 * succeeds with its example body, every documented path answers exactly the documented methods, and
 * paths the docs do not list (such as `/__sandbox/journal`) are 404.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startSandbox, type Sandbox, type SandboxAccount } from "../../provider/sandbox";
import { expectError, obj, send } from "../helpers/sandboxHttp";

interface DocumentedRoute {
  method: string;
  path: string;
  body?: unknown;
}

/** The rows of the table under "## Control routes" in docs/sandbox.md. */
function documentedRoutes(): DocumentedRoute[] {
  const doc = readFileSync(resolve(__dirname, "../../docs/sandbox.md"), "utf8");
  const section = doc.split(/^## /m).find((s) => s.startsWith("Control routes"));
  if (!section) throw new Error("docs/sandbox.md has no '## Control routes' section");
  const routes: DocumentedRoute[] = [];
  for (const line of section.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const method = /^`([A-Z]+)`$/.exec(cells[1] ?? "");
    const path = /^`(\/__sandbox\/[^`]*)`$/.exec(cells[2] ?? "");
    if (!method || !path) continue;
    const example = /^`(.*)`$/.exec(cells[4] ?? "");
    routes.push({ method: method[1], path: path[1], ...(example ? { body: JSON.parse(example[1]) } : {}) });
  }
  return routes;
}

const ROUTES = documentedRoutes();
const A: SandboxAccount = { authId: "MA_DOCS", authToken: `docs-token-${randomBytes(8).toString("hex")}` };
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [A] });
});
afterAll(() => sandbox.stop());

let counter = 0;
/** Fills `{authId}`, `{id}` and `{faultId}` with a fresh account credential and fault rule. */
function concrete(path: string): string {
  counter += 1;
  const credential = sandbox.credentials.create(A.authId, {
    username: `docs_${counter}`,
    password: "docs-password-1",
  });
  const faultId = sandbox.faults.add({ route: "delete", status: 500, times: 1 });
  return path.replace("{authId}", A.authId).replace("{id}", credential.id).replace("{faultId}", faultId);
}

test("the table lists every route family of the control API", () => {
  const paths = new Set(ROUTES.map((r) => r.path));
  expect(paths).toEqual(
    new Set([
      "/__sandbox/health",
      "/__sandbox/requests",
      "/__sandbox/faults",
      "/__sandbox/faults/{faultId}",
      "/__sandbox/switches",
      "/__sandbox/rate-limit",
      "/__sandbox/accounts",
      "/__sandbox/accounts/{authId}/credentials",
      "/__sandbox/accounts/{authId}/credentials/{id}",
      "/__sandbox/accounts/{authId}/credentials/{id}/verify-password",
    ]),
  );
  // Every row with a body-taking method shows an example body.
  for (const r of ROUTES) if (["POST", "PUT", "PATCH"].includes(r.method)) expect(r.body).toBeDefined();
});

test.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r] as const))("%s succeeds", async (_name, route) => {
  const reply = await send(
    route.method,
    `${sandbox.url}${concrete(route.path)}`,
    route.body === undefined ? {} : { body: route.body },
  );
  const outcome = reply.status >= 200 && reply.status < 300 ? "2xx" : `${reply.status} ${reply.text}`;
  expect(outcome).toBe("2xx");
  if (reply.status !== 204) expect(typeof obj(reply)).toBe("object");
});

test("each documented path answers exactly the documented methods, and 405 with Allow for the others", async () => {
  const byPath = new Map<string, string[]>();
  for (const r of ROUTES) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
  for (const [path, documented] of byPath) {
    const url = `${sandbox.url}${concrete(path)}`;
    const probe = await send("OPTIONS", url);
    expectError(probe, 405, "METHOD_NOT_ALLOWED");
    const allow = (probe.headers.get("allow") ?? "").split(", ").sort();
    expect({ path, allow }).toEqual({ path, allow: [...documented].sort() });
    for (const method of METHODS.filter((m) => !documented.includes(m))) {
      expect({
        path,
        method,
        status: (await send(method, url, method === "GET" ? {} : { body: {} })).status,
      }).toEqual({
        path,
        method,
        status: 405,
      });
    }
  }
});

test("paths the docs do not list answer 404 NOT_FOUND, /__sandbox/journal among them", async () => {
  for (const path of [
    "/__sandbox/journal",
    "/__sandbox",
    "/__sandbox/",
    "/__sandbox/ratelimit",
    "/__sandbox/nope",
  ]) {
    expectError(await send("GET", `${sandbox.url}${path}`), 404, "NOT_FOUND");
  }
});
