/**
 * Moving a stack from the dynamic resource to the package without a password reset, as
 * docs/migrating-to-the-package.md tells it, through the real engine: a TypeScript stack manages
 * 20 `VobizCredential`s (the spec program); a Pulumi YAML stack imports them (`vobiz-onboard
 * --format import-file`, then `pulumi import --file`) and previews clean; the old stack releases
 * them with `pulumi state delete` and drops them from its program, ending with no credential in its
 * state. Across the whole move: 0 POST, 0 PUT, 0 DELETE, every password as before. Then a password
 * given to the YAML stack later through `passwordFrom` with a `vobiz:` config key rotates that one
 * credential with one PUT.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { JournalEntry } from "../../provider/sandbox";
import { openScenario, type Scenario } from "../helpers/scenario";
import { calls, countByMethod, expectCleanPreview, writes, type SpecEntry } from "../helpers/stackFixture";
import { runOnboard } from "../helpers/onboardCli";

jest.setTimeout(900_000);

const N = 20;
const usernameOf = (i: number) => `desk_${String(i + 1).padStart(2, "0")}`;

describe("moving a stack of 20 credentials from VobizCredential (TypeScript) to vobiz:index:Credential (YAML)", () => {
  let dyn: Scenario;
  let pkg: Scenario;
  // Two scenarios on one account of one sandbox: the old stack (the TypeScript spec program) and
  // the new one (a Pulumi YAML project loading the plugin), which shares the old one's sandbox and
  // so closes first.
  beforeAll(async () => {
    dyn = await openScenario({ name: "migrate-dynamic" });
    pkg = await openScenario({
      name: "migrate-yaml",
      runtime: "yaml",
      sharedSandbox: dyn.sandbox,
      account: { authId: dyn.authId, authToken: dyn.authToken },
      files: { "Main.yaml": "resources: {}\n" },
    });
  });
  afterAll(async () => {
    // The YAML stack first (its destroy empties the account), then the old one (its state is empty).
    try {
      // pulumi import protects what it imports; a protected resource would stop the closing destroy.
      await pkg?.ws.run(["state", "unprotect", "--all", "--yes"], { check: false });
      await pkg?.close();
    } finally {
      await dyn?.close();
    }
  });

  test("import into the YAML stack, release from the old one: 0 POST, 0 password writes, clean previews", async () => {
    // The old stack: 20 credentials from the TypeScript program, passwords from secret config.
    const keyPasswords = {
      deskPasswordA: await dyn.password("deskPasswordA"),
      deskPasswordB: await dyn.password("deskPasswordB"),
    };
    const spec: Record<string, SpecEntry> = {};
    const passwordOf = new Map<string, string>();
    for (let i = 0; i < N; i++) {
      const passwordKey = i % 2 === 0 ? "deskPasswordA" : "deskPasswordB";
      spec[`cred${i + 1}`] = {
        username: usernameOf(i),
        passwordKey,
        enabled: i % 5 !== 0,
        description: i % 3 === 0 ? `Desk ${i + 1}` : undefined,
      };
      passwordOf.set(usernameOf(i), keyPasswords[passwordKey]);
    }
    dyn.spec(spec);
    await dyn.ws.up();
    expect(await dyn.ws.credentialsInState()).toHaveLength(N);
    // A credential of the account the old stack does not manage: the filter leaves it alone.
    dyn.sandbox.credentials.create(dyn.authId, { username: "lobby", password: "Lobby-by-hand-01" });
    dyn.secrets["lobby's password"] = "Lobby-by-hand-01";
    const before = new Map(dyn.live().map((c) => [c.username, c]));

    // The new stack, on the same account. It closes first: it declares the hand-made credential
    // (and removes it at the end), and its scan looks for the old stack's secrets too.
    pkg.keepsOnAccount("lobby", "made by hand; neither stack manages it");
    for (const [label, value] of Object.entries(dyn.secrets)) pkg.secrets[label] ??= value;
    const journal: JournalEntry[] = [];
    dyn.takeRequests();

    // 1. The import file for the old stack's credentials, and the import (as the command prints it).
    const r = await runOnboard(pkg, ["--format", "import-file", "--filter", "desk_*"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain(`Wrote ${N} credential(s)`);
    const imp = await pkg.ws.run([
      "import",
      "--file",
      "vobiz-import.json",
      "--out",
      "imported.yaml",
      "--yes",
    ]);
    expect(imp.stdout).toMatch(new RegExp(`= +${N} imported`));
    expect(`${imp.stdout}${imp.stderr}`).not.toMatch(/failed to validate/);
    fs.copyFileSync(path.join(pkg.ws.dir, "imported.yaml"), path.join(pkg.ws.dir, "Main.yaml"));
    journal.push(...dyn.takeRequests());
    await expectCleanPreview(pkg);
    journal.push(...dyn.takeRequests());

    // 2. The old stack lets go: its credentials leave its state (no request), then its program.
    const urns = (await dyn.ws.credentialsInState()).map((s) => s.urn);
    expect(urns).toHaveLength(N);
    await dyn.ws.run(["state", "delete", ...urns, "--yes"]);
    journal.push(...dyn.takeRequests());
    dyn.spec({});
    await expectCleanPreview(dyn);
    const up = await dyn.ws.up();
    expect(up.stdout).toMatch(/Resources:\n +1 unchanged\n/); // the stack itself; its outputs go
    journal.push(...dyn.takeRequests());
    expect(await dyn.ws.credentialsInState()).toEqual([]);

    // The move sent no write at all: no POST, no PUT (so no password), no DELETE.
    expect(countByMethod(writes(journal))).toEqual({});
    expect(journal.every((e) => e.method === "GET")).toBe(true);
    // Every credential as it was, its password included; all 20 in the new stack's state.
    const after = new Map(dyn.live().map((c) => [c.username, c]));
    expect(after).toEqual(before);
    for (const [username, password] of passwordOf) {
      expect(dyn.sandbox.credentials.verifyPassword(dyn.authId, after.get(username)!.id, password)).toBe(
        true,
      );
    }
    const moved = await pkg.ws.credentialsInState();
    expect(moved.map((s) => s.id).sort()).toEqual(
      [...before.values()]
        .filter((c) => c.username !== "lobby")
        .map((c) => c.id)
        .sort(),
    );
    await expectCleanPreview(pkg);

    // Later: the YAML stack declares desk_01's password again through a vobiz: config key (the only
    // namespace a plugin receives): one PUT holding only the password.
    const next = await pkg.password("vobiz:desk01Password");
    const main = path.join(pkg.ws.dir, "Main.yaml");
    fs.writeFileSync(
      main,
      fs
        .readFileSync(main, "utf8")
        .replace(
          /^( {6}username: desk_01\n)/m,
          '$1      passwordFrom:\n        config: "vobiz:desk01Password"\n',
        ),
    );
    expect(fs.readFileSync(main, "utf8")).toContain('config: "vobiz:desk01Password"');
    dyn.takeRequests();
    await pkg.ws.up();
    const w = writes(dyn.takeRequests());
    const desk01 = after.get("desk_01")!;
    expect(calls(w)).toEqual([`PUT /api/v1/account/${dyn.authId}/credentials/${desk01.id}`]);
    expect(w[0].body).toEqual({ password: "***" });
    expect(dyn.sandbox.credentials.verifyPassword(dyn.authId, desk01.id, next)).toBe(true);
    await expectCleanPreview(pkg);
  });
});
