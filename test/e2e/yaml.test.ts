/**
 * Pulumi YAML through the real engine, with the provider plugin (pulumi-resource-vobiz) installed
 * from the packed package and loaded through Pulumi.yaml's `plugins.providers` path, as a YAML
 * user installs it. The same protections as the TypeScript scenarios, asserted on the engine's
 * output and on the exact requests the sandbox saw: create, a no-change preview with no request
 * at all, rotate (one PUT with only the password), disable and describe (one PUT), drift that
 * refresh reports and up puts back, rename (create first, then delete), deletion out of band,
 * `fn::invoke` look-ups, two accounts through two explicit providers, destroy; every scenario
 * ends with its CheckDestroy and the secret scan (state, outputs, logs, journal). Bad
 * input gets the TypeScript path's message; a plugin that cannot start says what to install; and
 * examples/yaml runs as a user would run it.
 *
 * Each stack walks through several steps (engine runs are the cost); every test sets up what it
 * needs, so any one passes alone (`-t`) and in any order.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startSandbox, type Sandbox } from "../../provider/sandbox";
import { createCredentialProvider } from "../../provider/lifecycle/operations";
import { maskForEngine } from "../../provider/lifecycle/checkFailures";
import { E2E_ROOT, ensureConsumer, installedPluginDir } from "../helpers/installedPackage";
import { useScenario } from "../helpers/scenario";
import {
  calls,
  countByMethod,
  deleteOutOfBand,
  expectCleanPreview,
  randomToken,
  writes,
} from "../helpers/stackFixture";

jest.setTimeout(900_000);

/** A secret stack config value declared for the program (Pulumi YAML wants config declared). */
const secretConfig = (...keys: string[]) =>
  `config:\n${keys.map((k) => `  ${k}:\n    type: string\n    secret: true\n`).join("")}`;

describe("Pulumi YAML: one credential's life through the engine", () => {
  const f = useScenario({ name: "yaml-life", runtime: "yaml" }, undefined, { per: "test" });

  /** The program: the desk credential with these extra properties (YAML lines). */
  function desk(username: string, extra = ""): void {
    f.ws.writeFile(
      "Main.yaml",
      `${secretConfig("deskPassword")}resources:
  desk:
    type: vobiz:index:Credential
    properties:
      username: ${username}
      password: \${deskPassword}
${extra}outputs:
  id: \${desk.id}
  realm: \${desk.realm}
  enabled: \${desk.enabled}
  password: \${desk.password}
`,
    );
  }

  test("create, clean preview, rotate, disable and describe, drift, rename, deletion out of band, destroy", async () => {
    // Create: one POST with only username and password; outputs; the password a secret in state.
    await f.password("deskPassword");
    desk("office_desk-1");
    f.takeRequests();
    const up = await f.ws.up();
    expect(up.stdout).toMatch(/\+ vobiz:index:Credential: \(create\)\n.*::desk\]/);
    const sent = f.takeRequests();
    expect(countByMethod(writes(sent))).toEqual({ POST: 1 });
    expect(sent.find((e) => e.method === "POST")?.body).toEqual({
      username: "office_desk-1",
      password: "***",
    });
    const [live] = f.live();
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, f.secrets["password deskPassword"])).toBe(
      true,
    );
    expect(await f.ws.outputs()).toEqual({
      id: live.id,
      realm: live.realm,
      enabled: true,
      password: "[secret]",
    });
    const [state] = await f.ws.credentialsInState();
    expect(state).toMatchObject({ type: "vobiz:index:Credential", id: live.id });
    expect(JSON.stringify(state.outputs?.password)).toContain("4dabf18193072939515e22adb298388d"); // secret
    expect(JSON.stringify(state.inputs?.password)).toContain("4dabf18193072939515e22adb298388d");
    expect(JSON.stringify(state.outputs)).not.toContain("__provider"); // no provider code in state

    // A preview right after: no change, and no request at all.
    f.takeRequests();
    await f.ws.preview({ expectNoChanges: true });
    expect(calls(f.takeRequests())).toEqual([]);

    // Rotate: one PUT whose body holds only the password.
    const next = await f.password("deskPassword");
    const rotate = await f.ws.up();
    expect(rotate.stdout).toMatch(/~ vobiz:index:Credential: \(update\)/);
    let w = writes(f.takeRequests());
    expect(calls(w)).toEqual([`PUT /api/v1/account/${f.authId}/credentials/${live.id}`]);
    expect(w[0].body).toEqual({ password: "***" });
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, next)).toBe(true);
    await expectCleanPreview(f);

    // Disable and describe: one PUT with only the changed fields.
    desk("office_desk-1", "      enabled: false\n      description: Front desk\n");
    await f.ws.up();
    w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.body])).toEqual([
      ["PUT", { enabled: false, description: "Front desk" }],
    ]);
    expect(f.live()[0]).toMatchObject({ enabled: false, description: "Front desk" });

    // Drift: changed by hand; refresh reports it with one list read, up puts it back with one PUT.
    f.sandbox.credentials.update(f.authId, live.id, { enabled: true, description: "changed by hand" });
    f.takeRequests();
    const refresh = await f.ws.refresh();
    expect(countByMethod(f.takeRequests())).toEqual({ GET: 1 });
    expect(refresh.stdout).toMatch(/~ .*vobiz:index:Credential.*desk.*updated/);
    expect((await f.ws.credentialsInState())[0].outputs).toMatchObject({
      enabled: true,
      description: "changed by hand",
    });
    const drifted = await f.ws.preview();
    expect(drifted.stdout).toMatch(/~ enabled +: true => false/);
    await f.ws.up();
    w = writes(f.takeRequests());
    expect(w.map((e) => [e.method, e.body])).toEqual([
      ["PUT", { enabled: false, description: "Front desk" }],
    ]);
    await expectCleanPreview(f);

    // Rename: a replacement, the new credential created first, then the old one deleted.
    desk("office_desk-2", "      enabled: false\n      description: Front desk\n");
    const rename = await f.ws.up();
    expect(rename.stdout).toMatch(/\+-vobiz:index:Credential: \(replace\)/);
    w = writes(f.takeRequests());
    expect(w.map((e) => e.method)).toEqual(["POST", "PUT", "DELETE"]);
    expect(w[2].path).toBe(`/api/v1/account/${f.authId}/credentials/${live.id}`);
    expect(f.live().map((c) => c.username)).toEqual(["office_desk-2"]);

    // Deleted out of band: refresh drops it from state; the next up creates it again.
    deleteOutOfBand(f, "office_desk-2");
    const gone = await f.ws.refresh();
    expect(gone.stdout).toMatch(/- .*vobiz:index:Credential.*desk.*deleted/);
    expect(await f.ws.credentialsInState()).toHaveLength(0);
    f.takeRequests();
    await f.ws.up();
    expect(countByMethod(writes(f.takeRequests()))).toEqual({ POST: 1, PUT: 1 });
    expect(f.live().map((c) => [c.username, c.enabled])).toEqual([["office_desk-2", false]]);
    await expectCleanPreview(f);
    // The scenario's close: destroy, state and account empty, secret scan.
  });
});

describe("Pulumi YAML: look-ups and two accounts through two explicit providers", () => {
  let sandbox: Sandbox;
  const accountA = { authId: "MA_YAMLA", authToken: randomToken("tok_a") };
  const accountB = { authId: "MA_YAMLB", authToken: randomToken("tok_b") };

  // The block's hooks run in the order they are declared: the sandbox of both accounts starts
  // before the scenario (on account A) opens, and stops after it closed.
  beforeEach(async () => {
    sandbox = await startSandbox({ accounts: [accountA, accountB] });
  });
  const f = useScenario(
    () => ({ name: "yaml-accounts", runtime: "yaml", sharedSandbox: sandbox, account: accountA }),
    undefined,
    { per: "test" },
  );
  afterEach(async () => {
    try {
      // The scenario's close checked account A; account B must hold only what was made there by hand.
      expect(sandbox.credentials.list(accountB.authId).map((c) => c.username)).toEqual(["lobby_b"]);
    } finally {
      await sandbox.stop();
    }
  });

  test("each explicit provider manages its own account; fn::invoke reads through the one it names", async () => {
    sandbox.credentials.create(accountA.authId, { username: "lobby_a1", password: "Lobby-pw-a1-0001" });
    sandbox.credentials.create(accountA.authId, { username: "lobby_a2", password: "Lobby-pw-a2-0002" });
    sandbox.credentials.create(accountB.authId, { username: "lobby_b", password: "Lobby-pw-b-00003" });
    f.keepsOnAccount("lobby_a1", "made by hand, for the look-ups");
    f.keepsOnAccount("lobby_a2", "made by hand, for the look-ups");
    f.secrets["account B token"] = accountB.authToken;
    await f.password("pwA");
    await f.ws.setConfig("authTokenA", accountA.authToken, { secret: true });
    await f.ws.setConfig("authIdB", accountB.authId);
    await f.ws.setConfig("authTokenB", accountB.authToken, { secret: true });
    await f.ws.setConfig("apiUrl", sandbox.baseUrl);
    f.ws.writeFile(
      "Main.yaml",
      `${secretConfig("pwA", "authTokenA", "authTokenB")}  authIdB:
    type: string
  apiUrl:
    type: string
resources:
  accountA:
    type: pulumi:providers:vobiz
    properties:
      authId: ${accountA.authId}
      authToken: \${authTokenA}
      baseUrl: \${apiUrl}
  accountB:
    type: pulumi:providers:vobiz
    properties:
      authId: \${authIdB}
      authToken: \${authTokenB}
      baseUrl: \${apiUrl}
  deskA:
    type: vobiz:index:Credential
    properties:
      username: desk_a
      password: \${pwA}
    options:
      provider: \${accountA}
  deskB:
    type: vobiz:index:Credential
    properties:
      username: desk_b
      generatePassword: true
    options:
      provider: \${accountB}
variables:
  lobbyB:
    fn::invoke:
      function: vobiz:index:getCredential
      arguments:
        username: lobby_b
      options:
        provider: \${accountB}
  lobbiesA:
    fn::invoke:
      function: vobiz:index:getCredentials
      arguments:
        filter: lobby_*
      options:
        provider: \${accountA}
      return: credentials
outputs:
  lobbyB: \${lobbyB}
  lobbiesA: \${lobbiesA}
  deskA: \${deskA.accountId}
  deskB: \${deskB.accountId}
  deskBPassword: \${deskB.password}
`,
    );
    const before = sandbox.journal.entries().length;
    await f.ws.up();
    const journal = sandbox.journal.entries().slice(before);
    const posts = journal
      .filter((e) => e.method === "POST")
      .map((e) => [e.authId, (e.body as { username: string }).username]);
    expect(posts.sort()).toEqual([
      [accountA.authId, "desk_a"],
      [accountB.authId, "desk_b"],
    ]);
    expect(
      sandbox.credentials
        .list(accountA.authId)
        .map((c) => c.username)
        .sort(),
    ).toEqual(["desk_a", "lobby_a1", "lobby_a2"]);
    expect(
      sandbox.credentials
        .list(accountB.authId)
        .map((c) => c.username)
        .sort(),
    ).toEqual(["desk_b", "lobby_b"]);

    const out = await f.ws.outputs();
    const lobbyB = sandbox.credentials.list(accountB.authId).find((c) => c.username === "lobby_b")!;
    expect(out.lobbyB).toEqual({
      id: lobbyB.id,
      username: "lobby_b",
      enabled: true,
      realm: lobbyB.realm,
      accountId: accountB.authId,
      createdAt: lobbyB.created_at,
      updatedAt: lobbyB.updated_at,
    });
    expect((out.lobbiesA as { username: string }[]).map((c) => c.username)).toEqual(["lobby_a1", "lobby_a2"]);
    expect([out.deskA, out.deskB, out.deskBPassword]).toEqual([accountA.authId, accountB.authId, "[secret]"]);
    const shown = await f.ws.outputs(true);
    f.secrets["generated password of desk_b"] = shown.deskBPassword as string;
    expect(
      sandbox.credentials.verifyPassword(
        accountB.authId,
        sandbox.credentials.list(accountB.authId).find((c) => c.username === "desk_b")!.id,
        shown.deskBPassword as string,
      ),
    ).toBe(true);

    // Each credential is bound to its own provider in state; the account token is a secret there.
    const { deployment } = await f.ws.exportStack();
    const byName = Object.fromEntries((deployment.resources ?? []).map((r) => [r.urn.split("::").pop(), r]));
    expect((byName.deskA as unknown as { provider: string }).provider).toMatch(
      /pulumi:providers:vobiz::accountA::/,
    );
    expect((byName.deskB as unknown as { provider: string }).provider).toMatch(
      /pulumi:providers:vobiz::accountB::/,
    );
    expect(JSON.stringify(byName.accountB.inputs?.authToken)).toContain("4dabf18193072939515e22adb298388d");

    // A preview after: no change and no write (the look-ups read, one list scan per account).
    const previewStart = sandbox.journal.entries().length;
    await f.ws.preview({ expectNoChanges: true });
    const previewed = sandbox.journal.entries().slice(previewStart);
    expect(writes(previewed)).toEqual([]);
    expect(previewed.map((e) => e.authId).sort()).toEqual([accountA.authId, accountB.authId]);
  });
});

describe("Pulumi YAML: the plugin's errors and schema", () => {
  const f = useScenario({ name: "yaml-errors", runtime: "yaml" });

  test("bad input is refused at preview with the TypeScript path's message, and no request", async () => {
    await f.password("shortPassword", "Short-7");
    f.ws.writeFile(
      "Main.yaml",
      `${secretConfig("shortPassword")}resources:
  desk:
    type: vobiz:index:Credential
    properties:
      username: bad user!
      password: \${shortPassword}
`,
    );
    // What the TypeScript path reports for the same input: the lifecycle's check, as its adapter masks it.
    const news = { username: "bad user!", password: "Short-7" };
    const expected = maskForEngine(
      (await createCredentialProvider({ env: {} }).check({}, news)).failures ?? [],
      news,
    ).map((failure) => failure.reason);
    expect(expected).toEqual([
      expect.stringMatching(/^username may contain only letters/),
      expect.stringMatching(/^password must be at least 8 characters long/),
    ]);
    f.takeRequests();
    const r = await f.ws.preview({ check: false });
    expect(r.code).not.toBe(0);
    for (const reason of expected) {
      expect(`${r.stdout}\n${r.stderr}`).toContain(
        `vobiz:index:Credential resource 'desk' has a problem: ${reason}`,
      );
    }
    expect(f.takeRequests()).toEqual([]);
  });

  test("the schema the installed plugin serves passes the engine's own schema check", async () => {
    const plugin = path.join(installedPluginDir(ensureConsumer()), "pulumi-resource-vobiz");
    const served = await f.ws.run(["package", "get-schema", plugin]);
    const schema = JSON.parse(served.stdout) as { resources: object; functions: object };
    expect(Object.keys(schema.resources)).toEqual(["vobiz:index:Credential"]);
    expect(Object.keys(schema.functions).sort()).toEqual([
      "vobiz:index:getCredential",
      "vobiz:index:getCredentials",
    ]);
    const file = path.join(f.ws.root, "tmp", "schema.json");
    fs.writeFileSync(file, served.stdout);
    const check = await f.ws.run(["schema", "check", file], { check: false });
    expect([check.code, `${check.stdout}${check.stderr}`.trim()]).toEqual([0, ""]);
  });

  test("a plugin that cannot start (Node.js too old) says what to install", async () => {
    const fakeNode = fs.mkdtempSync(path.join(E2E_ROOT, "old-node-"));
    try {
      fs.writeFileSync(
        path.join(fakeNode, "node"),
        '#!/bin/sh\nif [ "$1" = "-p" ]; then echo 18; else echo v18.19.0; fi\n',
        { mode: 0o755 },
      );
      f.ws.writeFile(
        "Main.yaml",
        "resources:\n  desk:\n    type: vobiz:index:Credential\n    properties:\n      username: desk\n      generatePassword: true\n",
      );
      const r = await f.ws.preview({
        check: false,
        env: { PATH: `${fakeNode}${path.delimiter}${process.env.PATH}` },
      });
      expect(r.code).not.toBe(0);
      expect(`${r.stdout}\n${r.stderr}`).toContain(
        "pulumi-resource-vobiz (the Vobiz provider plugin) needs Node.js 20 or later; 'node' on PATH is v18.19.0. " +
          "Install Node.js 20 or later",
      );
    } finally {
      fs.rmSync(fakeNode, { recursive: true, force: true });
      f.ws.writeFile("Main.yaml", "resources: {}\n");
    }
  });
});

describe("examples/yaml", () => {
  const f = useScenario({ name: "ex-yaml", copyFrom: "examples/yaml" }, (f) => {
    // As after `npm install pulumi-vobiz` in the project: Pulumi.yaml points into ./node_modules.
    fs.symlinkSync(path.join(ensureConsumer(), "node_modules"), path.join(f.ws.dir, "node_modules"));
  });

  test("creates its credentials, reads the trunk credentials it does not manage, and previews clean", async () => {
    const trunk = f.sandbox.credentials.create(f.authId, {
      username: "pbx_trunk",
      password: "Trunk-pw-by-hand-1",
    });
    f.keepsOnAccount("pbx_trunk", "made by hand, read by the example's look-up");
    f.secrets["trunk password (by hand)"] = "Trunk-pw-by-hand-1";
    await f.password("deskPassword");
    await f.ws.up();
    const live = Object.fromEntries(f.live().map((c) => [c.username, c]));
    expect(Object.keys(live).sort()).toEqual(["pbx_trunk", "yaml_desk", "yaml_gate"]);
    expect(live.yaml_desk.description).toBe("Front desk phone");
    expect(
      f.sandbox.credentials.verifyPassword(f.authId, live.yaml_desk.id, f.secrets["password deskPassword"]),
    ).toBe(true);
    const out = await f.ws.outputs();
    expect(out).toMatchObject({ deskRealm: live.yaml_desk.realm, gatePassword: "[secret]" });
    expect(out.trunks).toEqual([
      expect.objectContaining({ id: trunk.id, username: "pbx_trunk", enabled: true }),
    ]);
    await expectCleanPreview(f);
  });
});
