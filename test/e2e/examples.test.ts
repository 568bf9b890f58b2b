/**
 * The examples under examples/ are real Pulumi projects; this suite runs each through the engine
 * against the sandbox, installed from the packed package as a user installs it, so none can rot.
 * Closing each scenario destroys its stack, checks the account is empty and scans for secrets.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { useScenario } from "../helpers/scenario";
import { countByMethod, expectCleanPreview, writes } from "../helpers/stackFixture";

jest.setTimeout(600_000);

describe("examples/basic", () => {
  const f = useScenario({ name: "ex-basic", copyFrom: "examples/basic" });

  test("creates one credential and outputs its realm and username", async () => {
    await f.password("sipPassword");
    await f.ws.up();
    const out = await f.ws.outputs();
    const [live] = f.live();
    expect(out).toMatchObject({
      username: "office_desk",
      realm: live.realm,
      credentialId: live.id,
      enabled: true,
    });
    expect(live.description).toBe("Front desk phone");
    await expectCleanPreview(f);
  });
});

describe("examples/rotation", () => {
  const gate = ["Gate-Pw-first-111", "Gate-Pw-second-222"];
  const f = useScenario({ name: "ex-rotation", copyFrom: "examples/rotation" }, (f) => {
    f.secrets["gate password 1"] = gate[0];
    f.secrets["gate password 2"] = gate[1];
  });

  const byName = () => Object.fromEntries(f.live().map((c) => [c.username, c]));

  test("rotates the stored password by config and the write-only one by version", async () => {
    await f.password("deskPassword");
    await f.ws.up({ env: { GATE_SIP_PASSWORD: gate[0] } });
    expect(f.sandbox.credentials.verifyPassword(f.authId, byName().rotation_gate.id, gate[0])).toBe(true);

    const desk = await f.password("deskPassword");
    f.takeRequests();
    await f.ws.up({ env: { GATE_SIP_PASSWORD: gate[0] } });
    let w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.path, e.body])).toEqual([
      ["PUT", `/api/v1/account/${f.authId}/credentials/${byName().rotation_desk.id}`, { password: "***" }],
    ]);
    expect(f.sandbox.credentials.verifyPassword(f.authId, byName().rotation_desk.id, desk)).toBe(true);

    await f.ws.setConfig("passwordVersion", "2");
    await f.ws.up({ env: { GATE_SIP_PASSWORD: gate[1] } });
    w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.path, e.body])).toEqual([
      ["PUT", `/api/v1/account/${f.authId}/credentials/${byName().rotation_gate.id}`, { password: "***" }],
    ]);
    expect(f.sandbox.credentials.verifyPassword(f.authId, byName().rotation_gate.id, gate[1])).toBe(true);
    const shown = await f.ws.exportStack(true);
    expect(shown.text).not.toContain(gate[0]);
    expect(shown.text).not.toContain(gate[1]);
  });
});

describe("examples/fleet (GitOps: credentials.yaml)", () => {
  const f = useScenario({ name: "ex-fleet", copyFrom: "examples/fleet" });

  test("creates what the file lists; an edit of the file is a reviewed, minimal change", async () => {
    for (const k of ["receptionPassword", "salesPassword", "warehousePassword"]) await f.password(k);
    f.takeRequests();
    await f.ws.up();
    expect(countByMethod(writes(f.takeRequests()))).toEqual({ POST: 4, PUT: 4 }); // each has a description
    const live = Object.fromEntries(f.live().map((c) => [c.username, c]));
    expect(Object.keys(live).sort()).toEqual(["reception", "sales_01", "sales_02", "warehouse"]);
    expect(live.warehouse.enabled).toBe(false);
    await expectCleanPreview(f);

    // A pull request: enable the warehouse, drop sales_02, add a lobby phone.
    const file = path.join(f.ws.dir, "credentials.yaml");
    const yaml = fs
      .readFileSync(file, "utf8")
      .replace(/ {2}- username: sales_02\n( {4}.*\n)+?(?= {2}- )/, "")
      .replace("    enabled: false\n", "")
      .concat("  - username: lobby\n    passwordKey: salesPassword\n");
    fs.writeFileSync(file, yaml);
    const preview = await f.ws.preview();
    expect(preview.stdout).toMatch(/\+ 1 to create/);
    expect(preview.stdout).toMatch(/~ 1 to update/);
    expect(preview.stdout).toMatch(/- 1 to delete/);
    f.takeRequests();
    await f.ws.up();
    expect(countByMethod(writes(f.takeRequests()))).toEqual({ POST: 1, PUT: 1, DELETE: 1 });
    expect(
      f
        .live()
        .map((c) => c.username)
        .sort(),
    ).toEqual(["lobby", "reception", "sales_01", "warehouse"]);
  });
});

describe("the repository's root Pulumi.yaml (the fleet, run in place from a checkout)", () => {
  // In place: `pulumi-vobiz` resolves through node_modules/pulumi-vobiz (scripts/link-self.js)
  // to this checkout's build, as the README's "from a checkout" instructions say.
  const f = useScenario(() => ({
    name: "root",
    inPlace: path.resolve(__dirname, "..", ".."),
    stack: `e2e-root-${process.pid}`,
  }));

  test("pulumi up creates the file's credentials (closing the scenario destroys them)", async () => {
    for (const k of ["receptionPassword", "salesPassword", "warehousePassword"]) await f.password(k);
    await f.ws.up();
    expect(
      f
        .live()
        .map((c) => c.username)
        .sort(),
    ).toEqual(["reception", "sales_01", "sales_02", "warehouse"]);
    await expectCleanPreview(f);
  });
});
