/**
 * Onboarding an existing account through the real engine: the sandbox is seeded out of band
 * (mixed enabled and descriptions, known passwords), `vobiz-onboard` (the installed bin) writes
 * the fleet file, and one `pulumi up` of examples/fleet adopts every credential with no POST, no
 * password change, a write only for the declarations edited to differ, and a bounded number of
 * list requests; the plan afterwards is empty. Then: a later rotation, a username that does not
 * exist failing at preview, and the release path (retainOnDelete, then the entry removed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { useScenario } from "../helpers/scenario";
import { calls, countByMethod, expectCleanPreview } from "../helpers/stackFixture";
import { runOnboard } from "../helpers/onboardCli";

jest.setTimeout(900_000);

const N = 40;
const LIST_PATH = /\/trunks\/credentials$/;

describe("onboarding an existing account (examples/fleet + vobiz-onboard)", () => {
  const passwords = new Map<string, string>();
  const f = useScenario({ name: "onboard", copyFrom: "examples/fleet" }, (f) => {
    for (let i = 0; i < N; i++) {
      const username = `phone_${String(i).padStart(3, "0")}`;
      const password = `Live-${i}-${f.authToken.slice(-6)}-pw`;
      passwords.set(username, password);
      f.secrets[`live password ${username}`] = password;
      f.sandbox.credentials.create(f.authId, {
        username,
        password,
        enabled: i % 3 !== 0,
        description: i % 2 === 0 ? `Desk ${i}` : undefined,
      });
    }
  });

  function passwordsUnchanged(): string[] {
    return f
      .live()
      .filter(
        (c) =>
          passwords.has(c.username) &&
          !f.sandbox.credentials.verifyPassword(f.authId, c.id, passwords.get(c.username)!),
      )
      .map((c) => c.username);
  }

  test("the command writes the file; one up adopts all with 0 POSTs, 0 password changes, writes only what differs", async () => {
    f.takeRequests();
    const r = await runOnboard(f, ["--out", "onboarded.yaml"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Wrote ${N} credential(s)`);
    expect(f.takeRequests().every((e) => e.method === "GET")).toBe(true);

    // Three declarations edited to differ from the live account: the only writes expected.
    const file = path.join(f.ws.dir, "onboarded.yaml");
    const yaml = fs
      .readFileSync(file, "utf8")
      .replace(/(username: "phone_001"\n {4}enabled: )true/, "$1false")
      .replace('description: "Desk 2"', 'description: "Desk 2, moved to the lobby"')
      .replace(/(username: "phone_003"\n {4}enabled: false\n)/, '$1    description: "Spare"\n');
    fs.writeFileSync(file, yaml);
    await f.ws.setConfig("credentialsFile", "onboarded.yaml");

    f.takeRequests();
    const up = await f.ws.up();
    const sent = f.takeRequests();
    expect(up.stdout).toMatch(new RegExp(`\\+ ${N + 1} created`)); // and the stack
    expect(countByMethod(sent)).toEqual({ GET: expect.any(Number), PUT: 3 });
    const lists = sent.filter((e) => e.method === "GET" && LIST_PATH.test(e.path)).length;
    expect(lists).toBeLessThanOrEqual(Math.ceil(N / 100) + 2);
    expect(sent.filter((e) => e.method === "GET").length).toBe(lists); // no single GETs either
    expect(calls(sent.filter((e) => e.method === "PUT")).length).toBe(3);
    for (const e of sent.filter((x) => x.method === "PUT"))
      expect(JSON.stringify(e.body ?? {})).not.toContain("password");

    expect(passwordsUnchanged()).toEqual([]);
    const live = Object.fromEntries(f.live().map((c) => [c.username, c]));
    expect(Object.keys(live)).toHaveLength(N);
    expect(live.phone_001.enabled).toBe(false);
    expect(live.phone_002.description).toBe("Desk 2, moved to the lobby");
    expect(live.phone_003.description).toBe("Spare");
    await expectCleanPreview(f);
  });

  test("a later passwordKey rotates that one credential with one PUT; the others keep theirs", async () => {
    const newPassword = await f.password("phone004Password");
    const file = path.join(f.ws.dir, "onboarded.yaml");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace(/(username: "phone_004"\n)/, "$1    passwordKey: phone004Password\n"),
    );
    f.takeRequests();
    await f.ws.up();
    const sent = f.takeRequests();
    expect(countByMethod(sent)).toEqual({ PUT: 1 });
    const c = f.live().find((x) => x.username === "phone_004")!;
    expect(f.sandbox.credentials.verifyPassword(f.authId, c.id, newPassword)).toBe(true);
    passwords.set("phone_004", newPassword);
    expect(passwordsUnchanged()).toEqual([]);
    await expectCleanPreview(f);
  });

  test("a username that does not exist fails at preview, naming it, and nothing is written", async () => {
    const file = path.join(f.ws.dir, "onboarded.yaml");
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${before}  - username: "not_there"\n    adoptExisting: keepPassword\n`);
    f.takeRequests();
    const r = await f.ws.preview({ check: false });
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(
      /has no credential 'not_there'.*A new credential needs a password/s,
    );
    expect(f.takeRequests().every((e) => e.method === "GET")).toBe(true);
    fs.writeFileSync(file, before);
  });

  test("handing one back: with retainOnDelete, removing the entry leaves it live and unchanged", async () => {
    const file = path.join(f.ws.dir, "onboarded.yaml");
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace(/(username: "phone_005"\n)/, "$1    retainOnDelete: true\n"),
    );
    f.takeRequests();
    await f.ws.up();
    expect(countByMethod(f.takeRequests())).toEqual({}); // a resource option: no request
    const before = f.live().find((c) => c.username === "phone_005")!;

    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace(/ {2}- username: "phone_005"\n( {4}.*\n)+?(?= {2}- )/, ""),
    );
    const up = await f.ws.up();
    expect(up.stdout).toMatch(/- 1 deleted/);
    expect(countByMethod(f.takeRequests())).toEqual({}); // the engine forgets it; Vobiz is not asked
    const after = f.live().find((c) => c.username === "phone_005");
    expect(after).toEqual(before);
    expect(f.sandbox.credentials.verifyPassword(f.authId, before.id, passwords.get("phone_005")!)).toBe(true);
    await expectCleanPreview(f);
    // Closing the scenario destroys what the stack manages and expects exactly this one left.
    f.keepsOnAccount("phone_005", "released with retainOnDelete: no longer the stack's");
  });
});
