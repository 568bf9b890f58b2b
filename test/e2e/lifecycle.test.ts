/**
 * The life of a credential through the real engine: create and the idempotent preview after it,
 * rotate, disable and describe, rename (replace, create before delete), destroy. Each step
 * asserts on the engine's output and on the exact requests the sandbox saw.
 *
 * Each test has its own scenario (stack and sandbox) and sets up what it needs, so any one of
 * them passes alone (`-t`) and in any order; closing the scenario destroys the stack, checks that
 * the account is empty and scans everything the runs produced for the token and every password
 * (the rotated one included).
 */
import { useScenario } from "../helpers/scenario";
import { calls, countByMethod, expectCleanPreview, writes, type SpecEntry } from "../helpers/stackFixture";

jest.setTimeout(600_000);

describe("VobizCredential lifecycle through the Pulumi engine", () => {
  const f = useScenario({ name: "lifecycle" }, undefined, { per: "test" });

  /** The starting point of most tests: the desk credential, applied; returns its id. */
  async function givenDesk(extra: Partial<SpecEntry> = {}): Promise<string> {
    await f.password("deskPassword");
    f.spec({ desk: { username: "office_desk-1", passwordKey: "deskPassword", ...extra } });
    await f.ws.up();
    const [live] = f.live();
    return live.id;
  }

  test("1. up creates the credential; outputs carry realm and createdAt; password shows as [secret]; the next preview is empty", async () => {
    await f.password("deskPassword");
    f.spec({ desk: { username: "office_desk-1", passwordKey: "deskPassword" } });
    f.takeRequests();
    const up = await f.ws.up();
    expect(up.stdout).toMatch(/\+ pulumi-nodejs:dynamic\/vobiz:Credential: \(create\)\n.*::desk\]/);
    const sent = f.takeRequests();
    expect(countByMethod(writes(sent))).toEqual({ POST: 1 }); // defaults: no follow-up PUT
    const post = sent.find((e) => e.method === "POST")!;
    expect(post.path).toBe(`/api/v1/account/${f.authId}/credentials`);
    expect(post.body).toEqual({ username: "office_desk-1", password: "***" });
    expect(post.userAgent).toMatch(/^pulumi-vobiz\/\d+\.\d+\.\d+/);

    const live = f.live();
    expect(live).toHaveLength(1);
    expect(live[0].username).toBe("office_desk-1");
    expect(
      f.sandbox.credentials.verifyPassword(f.authId, live[0].id, f.secrets["password deskPassword"]),
    ).toBe(true);
    const createdId = live[0].id;

    const outputs = await f.ws.outputs();
    const creds = outputs.credentials as Record<string, unknown>;
    expect(creds.desk).toMatchObject({
      id: createdId,
      username: "office_desk-1",
      realm: live[0].realm,
      enabled: true,
      createdAt: live[0].created_at,
    });
    expect(creds.deskPassword).toBe("[secret]");

    const [res] = await f.ws.credentialsInState();
    expect(res.id).toBe(createdId);
    expect(JSON.stringify(res.outputs?.password)).toContain("4dabf18193072939515e22adb298388d"); // secret sig
    expect(JSON.stringify(res.inputs?.password)).toContain("4dabf18193072939515e22adb298388d");

    // (2.) A preview right after up reports no changes and sends no write.
    const r = await expectCleanPreview(f);
    expect(r.stdout).not.toMatch(/to update|to create|to replace|to delete/);
  });

  test("3. rotating the password is one in-place PUT whose body holds only the password", async () => {
    const createdId = await givenDesk();
    const next = await f.password("deskPassword");
    f.takeRequests();
    const up = await f.ws.up();
    expect(up.stdout).toMatch(/~ pulumi-nodejs:dynamic\/vobiz:Credential: \(update\)\n.*\n.*::desk\]/);
    expect(up.stdout).toMatch(/password +: \[secret\]/);
    const w = writes(f.takeRequests());
    expect(calls(w)).toEqual([`PUT /api/v1/account/${f.authId}/credentials/${createdId}`]);
    expect(w[0].body).toEqual({ password: "***" });
    expect(f.sandbox.credentials.verifyPassword(f.authId, createdId, next)).toBe(true);
    await expectCleanPreview(f);
  });

  test("4. disabling and describing is one PUT with only the changed fields", async () => {
    await givenDesk();
    f.spec({ desk: { username: "office_desk-1", passwordKey: "deskPassword", enabled: false } });
    f.takeRequests();
    await f.ws.up();
    let w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.body])).toEqual([["PUT", { enabled: false }]]);
    expect(f.live()[0].enabled).toBe(false);

    f.spec({
      desk: {
        username: "office_desk-1",
        passwordKey: "deskPassword",
        enabled: true,
        description: "Front desk",
      },
    });
    await f.ws.up();
    w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.body])).toEqual([["PUT", { enabled: true, description: "Front desk" }]]);
    expect(f.live()[0]).toMatchObject({ enabled: true, description: "Front desk" });
    await expectCleanPreview(f);
  });

  test("5. a new username is a replace: POST of the new one before DELETE of the old one", async () => {
    const createdId = await givenDesk({ enabled: true, description: "Front desk" });
    f.spec({
      desk: {
        username: "office_desk-2",
        passwordKey: "deskPassword",
        enabled: true,
        description: "Front desk",
      },
    });
    const preview = await f.ws.preview();
    expect(preview.stdout).toMatch(/\+-pulumi-nodejs:dynamic\/vobiz:Credential: \(replace\)/);
    expect(preview.stdout).toMatch(/~ username +: "office_desk-1" => "office_desk-2"/);
    f.takeRequests();
    await f.ws.up();
    const w = writes(f.takeRequests());
    expect(w.map((e) => e.method)).toEqual(["POST", "PUT", "DELETE"]); // create (+description), then delete old
    expect(w[2].path).toBe(`/api/v1/account/${f.authId}/credentials/${createdId}`);
    const live = f.live();
    expect(live.map((c) => c.username)).toEqual(["office_desk-2"]);
    expect(live[0]).toMatchObject({ enabled: true, description: "Front desk" });
    await expectCleanPreview(f);
  });

  test("9. destroy deletes every credential the stack made and touches no other", async () => {
    await givenDesk();
    const bystander = f.sandbox.credentials.create(f.authId, {
      username: "not_managed",
      password: "Bystander-123",
    });
    f.keepsOnAccount("not_managed", "made by hand as a bystander: destroy must leave it alone");
    f.takeRequests();
    await f.ws.destroy();
    const w = writes(f.takeRequests());
    expect(countByMethod(w)).toEqual({ DELETE: 1 });
    expect(f.live().map((c) => c.id)).toEqual([bystander.id]);
    expect(await f.ws.credentialsInState()).toHaveLength(0);
  });
});
