/**
 * Issue 15 item 2: `check` reads the `passwordFrom` source only when the plan sends the password
 * (a create or a rotation), so a preview job without the production secret (a pull request's CI)
 * works when nothing is created or rotated, and fails with the clear message when it is.
 */
import { randomBytes } from "node:crypto";
import { useScenario } from "../helpers/scenario";
import type { SpecEntry } from "../helpers/stackFixture";

jest.setTimeout(600_000);

const ENV = "SIP_PW_PREVIEW";
const UNSET =
  /passwordFrom environment variable SIP_PW_PREVIEW \(of the process running `pulumi`\) is not set; export SIP_PW_PREVIEW/;

describe("2. a preview without the password source", () => {
  const secret = `Env-${randomBytes(9).toString("base64url")}`;
  const f = useScenario({ name: "preview-nosecret" }, (f) => {
    f.secrets["password from env"] = secret;
  });

  test("succeeds when nothing is created or rotated; fails naming the source when something is", async () => {
    const a = { username: "preview_a", passwordFrom: { env: ENV } };
    f.spec({ a });
    await f.ws.up({ env: { [ENV]: secret } });
    expect(f.live()).toHaveLength(1);

    // No change, and an in-place change that sends no password: the source is not read.
    await f.ws.preview({ expectNoChanges: true });
    f.spec({ a: { ...a, description: "Desk" } });
    const update = await f.ws.preview();
    expect(update.stdout).toMatch(/~ 1 to update/);

    // A create, a rotation, a replacement: the source is read, and its absence is reported.
    const planned: Record<string, SpecEntry>[] = [
      { a, b: { username: "preview_b", passwordFrom: { env: ENV } } },
      { a: { ...a, passwordVersion: 1 } },
      { a: { ...a, username: "preview_a2" } },
    ];
    for (const spec of planned) {
      f.spec(spec);
      const r = await f.ws.preview({ check: false });
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(UNSET);
    }

    // With the source set, the rotation goes through.
    f.spec({ a: { ...a, passwordVersion: 1 } });
    f.takeRequests();
    await f.ws.up({ env: { [ENV]: secret } });
    expect(f.takeRequests().filter((e) => e.method === "PUT")).toHaveLength(1);
  });
});
