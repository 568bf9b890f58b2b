/**
 * `pulumi import` of a live credential into a Pulumi YAML stack, through the real engine and the
 * installed provider plugin: the import reads the credential (one list request) and writes
 * nothing, its inputs validate (no "failed to validate" warning: the lifecycle describes an
 * import as an adoption keeping the live password), the code it generates (`--out`) holds no
 * password and, written into the program, previews with no change; a later `up` of that program
 * writes nothing, and a `password` added afterwards rotates with one PUT. The `import` resource
 * option in a YAML program takes the same path. (The dynamic resource cannot be imported at all:
 * drift-and-adopt.test.ts, scenario 8.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { useScenario } from "../helpers/scenario";
import { calls, countByMethod, expectCleanPreview, writes } from "../helpers/stackFixture";

jest.setTimeout(900_000);

const VALIDATION_WARNING = /failed to validate/;

describe("pulumi import into a Pulumi YAML stack", () => {
  // Before the scenario's close (a block's hooks run in the order they are declared): `pulumi
  // import` protects what it imports, a test that failed midway leaves it so, and a protected
  // resource would stop the closing destroy.
  afterEach(async () => {
    await f.ws.run(["state", "unprotect", "--all", "--yes"], { check: false });
  });
  const f = useScenario(
    { name: "yaml-import", runtime: "yaml", files: { "Main.yaml": "resources: {}\n" } },
    undefined,
    { per: "test" },
  );

  test("0 writes and 0 password changes; the generated code previews clean; a later password rotates with one PUT", async () => {
    const livePassword = "Live-desk-pw-0001";
    f.secrets["live password"] = livePassword;
    const desk = f.sandbox.credentials.create(f.authId, {
      username: "office_desk-1",
      password: livePassword,
      enabled: false,
      description: "Front desk",
    });

    f.takeRequests();
    const imp = await f.ws.run([
      "import",
      "vobiz:index:Credential",
      "desk",
      desk.id,
      "--yes",
      "--out",
      "imported.yaml",
    ]);
    const sent = f.takeRequests();
    expect(writes(sent)).toEqual([]);
    // One list page in each of the command's two passes (its preview, then the import).
    expect(calls(sent)).toEqual([
      `GET /api/v1/account/${f.authId}/trunks/credentials`,
      `GET /api/v1/account/${f.authId}/trunks/credentials`,
    ]);
    expect(`${imp.stdout}${imp.stderr}`).not.toMatch(VALIDATION_WARNING);
    expect(imp.stdout).toMatch(/= +1 imported/);
    expect(f.sandbox.credentials.verifyPassword(f.authId, desk.id, livePassword)).toBe(true);
    expect(f.live()[0]).toMatchObject({
      enabled: false,
      description: "Front desk",
      updated_at: desk.updated_at,
    });

    const [state] = await f.ws.credentialsInState();
    expect(state).toMatchObject({
      type: "vobiz:index:Credential",
      id: desk.id,
      inputs: {
        username: "office_desk-1",
        enabled: false,
        description: "Front desk",
        adoptExisting: "keepPassword",
      },
    });
    expect(state.inputs).not.toHaveProperty("password");
    expect(state.outputs).not.toHaveProperty("password");

    // The generated code: the adoption, no password, protected (pulumi import's default).
    const generated = fs.readFileSync(path.join(f.ws.dir, "imported.yaml"), "utf8");
    expect(generated).toMatch(/^ {2}desk:\n {4}type: vobiz:(index:)?Credential\n/m);
    expect(generated).toMatch(/adoptExisting: keepPassword/);
    expect(generated).toMatch(/username: office_desk-1/);
    expect(generated).toMatch(/enabled: false/);
    expect(generated).toMatch(/description: Front desk/);
    expect(generated).toMatch(/protect: true/);
    expect(generated).not.toMatch(/password:/i);

    // Written into the program: no change planned, nothing written; `up` is a no-op.
    f.ws.writeFile("Main.yaml", generated);
    const preview = await expectCleanPreview(f);
    expect(`${preview.stdout}${preview.stderr}`).not.toMatch(VALIDATION_WARNING);
    f.takeRequests();
    const up = await f.ws.up();
    expect(writes(f.takeRequests())).toEqual([]);
    expect(up.stdout).not.toMatch(/updated|created|deleted/);
    expect(f.sandbox.credentials.verifyPassword(f.authId, desk.id, livePassword)).toBe(true);

    // A password added later (and the protection lifted): one PUT holding only the password.
    const next = await f.password("deskPassword");
    f.ws.writeFile(
      "Main.yaml",
      "config:\n  deskPassword:\n    type: string\n    secret: true\n" +
        generated
          .replace(/^ {4}options:\n {6}protect: true\n/m, "")
          .replace(/^( {6}username: office_desk-1\n)/m, "$1      password: ${deskPassword}\n"),
    );
    const rotate = await f.ws.up();
    expect(rotate.stdout).toMatch(/~ vobiz:index:Credential: \(update\)/);
    const w = writes(f.takeRequests());
    expect(calls(w)).toEqual([`PUT /api/v1/account/${f.authId}/credentials/${desk.id}`]);
    expect(w[0].body).toEqual({ password: "***" });
    expect(f.sandbox.credentials.verifyPassword(f.authId, desk.id, next)).toBe(true);
    expect(f.live()[0]).toMatchObject({ enabled: false, description: "Front desk" });
    await expectCleanPreview(f);
  });

  test("the import resource option: adopting keeps the live password (0 writes); declaring one instead sets it with one PUT", async () => {
    const keptPassword = "Live-kept-pw-0002";
    const setPassword = await f.password("lobbyPassword");
    f.secrets["kept password"] = keptPassword;
    const phone = f.sandbox.credentials.create(f.authId, {
      username: "phone_1",
      password: keptPassword,
      description: "Desk phone",
    });
    const lobby = f.sandbox.credentials.create(f.authId, {
      username: "lobby_1",
      password: "Lobby-old-pw-03",
    });
    f.secrets["lobby's old password"] = "Lobby-old-pw-03";
    f.ws.writeFile(
      "Main.yaml",
      `config:
  lobbyPassword:
    type: string
    secret: true
resources:
  phone:
    type: vobiz:index:Credential
    properties:
      username: phone_1
      description: Desk phone
      adoptExisting: keepPassword
    options:
      import: ${phone.id}
  lobby:
    type: vobiz:index:Credential
    properties:
      username: lobby_1
      password: \${lobbyPassword}
    options:
      import: ${lobby.id}
`,
    );
    f.takeRequests();
    const up = await f.ws.up();
    expect(up.stdout).toMatch(/= +2 imported/);
    expect(`${up.stdout}${up.stderr}`).not.toMatch(VALIDATION_WARNING);
    const sent = f.takeRequests();
    expect(countByMethod(writes(sent))).toEqual({ PUT: 1 });
    const put = writes(sent)[0];
    expect([put.path, put.body]).toEqual([
      `/api/v1/account/${f.authId}/credentials/${lobby.id}`,
      { password: "***" },
    ]);
    expect(sent.filter((e) => e.method === "GET").length).toBeLessThanOrEqual(2); // the shared scan (+ a confirmation)
    expect(f.sandbox.credentials.verifyPassword(f.authId, phone.id, keptPassword)).toBe(true);
    expect(f.sandbox.credentials.verifyPassword(f.authId, lobby.id, setPassword)).toBe(true);
    expect((await f.ws.credentialsInState()).map((r) => r.id).sort()).toEqual([phone.id, lobby.id].sort());
    await expectCleanPreview(f);
  });
});
