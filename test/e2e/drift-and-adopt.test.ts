/**
 * Reality changing behind Pulumi's back: drift that refresh reports and up puts back, a
 * credential deleted out of band, and taking over a credential that already exists (plus proof,
 * from the engine itself, that `pulumi import` and the `import` option cannot do that for
 * dynamic resources).
 *
 * Each test has its own scenario (stack and sandbox) and sets up what it needs, so any one of them passes
 * alone (`-t`) and in any order; closing the scenario destroys the stack, checks that the account
 * is empty and scans for secrets.
 */
import { useScenario } from "../helpers/scenario";
import {
  calls,
  countByMethod,
  deleteOutOfBand,
  expectCleanPreview,
  writes,
  type SpecEntry,
} from "../helpers/stackFixture";

jest.setTimeout(600_000);

describe("drift, out-of-band deletion and adoption", () => {
  const PHONE: SpecEntry = { username: "drift_phone", passwordKey: "pw", description: "Lobby phone" };
  const f = useScenario(
    { name: "drift" },
    async (f) => {
      await f.password("pw");
    },
    { per: "test" },
  );

  /** The starting point of most tests: the lobby phone, applied. */
  async function givenLobbyPhone(): Promise<void> {
    f.spec({ phone: PHONE });
    await f.ws.up();
  }

  test("6. drift: a credential disabled and re-described by hand is reported by refresh and put back by up", async () => {
    await givenLobbyPhone();
    const [live] = f.live();
    f.sandbox.credentials.update(f.authId, live.id, { enabled: false, description: "changed by hand" });
    f.takeRequests();
    const refresh = await f.ws.refresh();
    expect(countByMethod(f.takeRequests())).toEqual({ GET: 1 }); // one list page, no writes
    expect(refresh.stdout).toMatch(/~ .*vobiz:Credential.*phone.*updated/);
    const [state] = await f.ws.credentialsInState();
    expect(state.outputs).toMatchObject({ enabled: false, description: "changed by hand" });

    const preview = await f.ws.preview();
    expect(preview.stdout).toMatch(/~ enabled +: false => true/);
    expect(preview.stdout).toMatch(/~ description +: "changed by hand" => "Lobby phone"/);
    await f.ws.up();
    const w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.body])).toEqual([
      ["PUT", { enabled: true, description: "Lobby phone" }],
    ]);
    expect(f.live()[0]).toMatchObject({ enabled: true, description: "Lobby phone" });
    await expectCleanPreview(f);
  });

  test("7. deleted out of band: refresh drops it from state, the next up creates it again", async () => {
    await givenLobbyPhone();
    deleteOutOfBand(f, "drift_phone");
    const refresh = await f.ws.refresh();
    expect(refresh.stdout).toMatch(/- .*vobiz:Credential.*phone.*deleted/);
    expect(await f.ws.credentialsInState()).toHaveLength(0);
    f.takeRequests();
    await f.ws.up();
    expect(countByMethod(writes(f.takeRequests()))).toEqual({ POST: 1, PUT: 1 }); // create + description
    expect(f.live().map((c) => c.username)).toEqual(["drift_phone"]);
    const [state] = await f.ws.credentialsInState();
    expect(state.id).toBe(f.live()[0].id);
    await expectCleanPreview(f);
  });

  test("8. adopt: without adoptExisting up fails with the 409 explanation and changes nothing", async () => {
    await givenLobbyPhone();
    const existing = f.sandbox.credentials.create(f.authId, {
      username: "front_door",
      password: "Made-by-hand-1",
      description: "from the console",
    });
    const pw = await f.password("doorPw");
    f.spec({
      phone: PHONE,
      door: { username: "front_door", passwordKey: "doorPw" },
    });
    f.takeRequests();
    const failed = await f.ws.up({ check: false });
    expect(failed.code).not.toBe(0);
    const out = failed.stdout + failed.stderr;
    expect(out).toMatch(/HTTP 409/);
    expect(out).toMatch(/adoptExisting: true/);
    expect(countByMethod(writes(f.takeRequests()))).toEqual({ POST: 1 }); // the refused create only
    expect(f.sandbox.credentials.get(f.authId, existing.id)).toMatchObject({
      description: "from the console",
    });
    expect(f.sandbox.credentials.verifyPassword(f.authId, existing.id, "Made-by-hand-1")).toBe(true);

    f.spec({
      phone: PHONE,
      door: { username: "front_door", passwordKey: "doorPw", adoptExisting: true },
    });
    await f.ws.up();
    const w = writes(f.takeRequests());
    expect(calls(w)).toEqual([
      `POST /api/v1/account/${f.authId}/credentials`,
      `PUT /api/v1/account/${f.authId}/credentials/${existing.id}`,
    ]);
    expect(w[1].body).toEqual({ password: "***", description: "" }); // declared state: no description
    expect(f.sandbox.credentials.verifyPassword(f.authId, existing.id, pw)).toBe(true);
    const door = (await f.ws.credentialsInState()).find((r) => r.urn.endsWith("::door"));
    expect(door?.id).toBe(existing.id);
    await expectCleanPreview(f);
  });

  test("8. the engine cannot import a dynamic resource: `pulumi import` and the import option both fail", async () => {
    const other = f.sandbox.credentials.create(f.authId, { username: "import_me", password: "Imported-123" });
    f.secrets["hand-made password"] = "Imported-123";
    const cli = await f.ws.run(
      ["import", "pulumi-nodejs:dynamic/vobiz:Credential", "imp", other.id, "--yes"],
      {
        check: false,
      },
    );
    expect(cli.code).not.toBe(0);
    const cliOut = cli.stdout + cli.stderr;
    // The dynamic-provider host is asked to read without the serialized provider (pulumi#16175).
    // The engine's output (a whole stack trace) is kept by the workspace, asserted on here, and
    // never printed; the README's "Adopting" section quotes it.
    expect(cliOut).toMatch(/reading 'toJavaScript'/);
    expect(await f.ws.credentialsInState()).toHaveLength(0);

    await f.password("impPw");
    f.spec({ imp: { username: "import_me", passwordKey: "impPw", importId: other.id } });
    const opt = await f.ws.preview({ check: false });
    expect(opt.code).not.toBe(0);
    expect(opt.stdout + opt.stderr).toMatch(/reading 'toJavaScript'/);
    expect(f.sandbox.credentials.get(f.authId, other.id)).toMatchObject({ username: "import_me" });
    f.keepsOnAccount(
      "import_me",
      "made by hand; the engine could not import it, so the stack never managed it",
    );
  });
});
