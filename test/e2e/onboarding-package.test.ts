/**
 * Onboarding an existing account onto the package path through the real engine, once per format
 * of `vobiz-onboard --format` (the installed bin): the sandbox is seeded out of band (mixed
 * enabled and descriptions, a username that is not a plain name, known passwords), the command
 * writes a Pulumi YAML program or an import file, and the stack takes every credential over with
 * the onboarding budgets: no POST, no password change, a PUT only for the declarations edited to
 * differ, at most ceil(N/100) + 2 list requests, and a clean `preview --expect-no-changes` after.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import type { JournalEntry } from "../../provider/sandbox";
import { useScenario } from "../helpers/scenario";
import { countByMethod, expectCleanPreview, writes, type StackFixture } from "../helpers/stackFixture";
import { runOnboard } from "../helpers/onboardCli";

jest.setTimeout(900_000);

const N = 30;
const LIST_PATH = /\/trunks\/credentials$/;
const LIST_BUDGET = Math.ceil(N / 100) + 2;

interface Program {
  resources: Record<string, { type: string; properties: Record<string, unknown>; options?: object }>;
}

/** N credentials made out of band, each with its own password (registered with the scanner). */
function seed(f: StackFixture): Map<string, string> {
  const passwords = new Map<string, string>();
  for (let i = 0; i < N; i++) {
    const username = i === 7 ? "2nd-floor" : `phone_${String(i).padStart(3, "0")}`;
    const password = `Live-${i}-${f.authToken.slice(-6)}-pw`;
    passwords.set(username, password);
    f.secrets[`live password ${username}`] = password;
    f.sandbox.credentials.create(f.authId, {
      username,
      password,
      enabled: i % 3 !== 0,
      description: i === 2 ? 'Desk 2: "lobby" #2' : i % 2 === 0 ? `Desk ${i}` : undefined,
    });
  }
  return passwords;
}

function changedPasswords(f: StackFixture, passwords: Map<string, string>): string[] {
  return f
    .live()
    .filter((c) => !f.sandbox.credentials.verifyPassword(f.authId, c.id, passwords.get(c.username)!))
    .map((c) => c.username);
}

/** Three declarations edited to differ from the live account: the only writes expected. */
function editThree(program: Program, nameOf: (username: string) => string): void {
  program.resources[nameOf("phone_001")].properties.enabled = false;
  program.resources[nameOf("phone_004")].properties.description = "Desk 4, moved to the lobby";
  program.resources[nameOf("2nd-floor")].properties.description = "Spare";
}

/** The adoption's requests: no POST, a PUT without a password for each edit, list pages within budget. */
function expectAdoptionBudget(sent: JournalEntry[], puts: number): void {
  expect(countByMethod(writes(sent))).toEqual(puts > 0 ? { PUT: puts } : {});
  for (const e of writes(sent)) expect(JSON.stringify(e.body ?? {})).not.toContain("password");
  const gets = sent.filter((e) => e.method === "GET");
  expect(gets.every((e) => LIST_PATH.test(e.path))).toBe(true); // list pages only, no single GETs
  expect(gets.length).toBeLessThanOrEqual(LIST_BUDGET);
}

/**
 * After the up of the three edited entries: the adoption's requests within budget (3 PUTs, no
 * password), no live password changed, the edits live. Returns the live credentials by username.
 */
function expectEditsApplied(
  f: StackFixture,
  passwords: Map<string, string>,
): Record<string, ReturnType<StackFixture["live"]>[number]> {
  expectAdoptionBudget(f.takeRequests(), 3);
  expect(changedPasswords(f, passwords)).toEqual([]);
  const live = Object.fromEntries(f.live().map((c) => [c.username, c]));
  expect([live.phone_001.enabled, live.phone_004.description, live["2nd-floor"].description]).toEqual([
    false,
    "Desk 4, moved to the lobby",
    "Spare",
  ]);
  return live;
}

describe("vobiz-onboard --format yaml-program: a Pulumi YAML program adopting the account", () => {
  const f = useScenario({ name: "onboard-yaml", runtime: "yaml" });

  test("one up adopts all: 0 POSTs, 0 password changes, a PUT only for each edit; clean preview after", async () => {
    const passwords = seed(f);

    f.takeRequests();
    const r = await runOnboard(f, ["--format", "yaml-program"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    expect(r.stdout).toContain(`Wrote ${N} credential(s) of account ${f.authId} as a Pulumi YAML program`);
    expect(writes(f.takeRequests())).toEqual([]);

    const file = path.join(f.ws.dir, "Main.yaml");
    const program = parse(fs.readFileSync(file, "utf8")) as Program;
    expect(Object.keys(program.resources)).toHaveLength(N);
    editThree(program, (u) => (u === "2nd-floor" ? "c_2nd-floor" : u));
    fs.writeFileSync(file, stringify(program));

    f.takeRequests();
    const up = await f.ws.up();
    expect(up.stdout).toMatch(new RegExp(`\\+ ${N + 1} created`)); // and the stack
    const live = expectEditsApplied(f, passwords);
    expect(live.phone_002.description).toBe('Desk 2: "lobby" #2');
    const state = await f.ws.credentialsInState();
    expect(state).toHaveLength(N);
    expect(state.every((s) => s.outputs?.password === undefined)).toBe(true);
    await expectCleanPreview(f);
  });
});

describe("vobiz-onboard --format import-file: pulumi import --file into a Pulumi YAML stack", () => {
  // Before the scenario's close (a block's hooks run in the order they are declared): pulumi
  // import protects what it imports, and a protected resource would stop the closing destroy.
  afterAll(async () => {
    await f.ws.run(["state", "unprotect", "--all", "--yes"], { check: false });
  });
  const f = useScenario({
    name: "onboard-import",
    runtime: "yaml",
    files: { "Main.yaml": "resources: {}\n" },
  });

  test("the import writes nothing; the generated program, edited, writes only the edits; clean preview after", async () => {
    const passwords = seed(f);

    const r = await runOnboard(f, ["--format", "import-file"]);
    expect([r.code, r.stderr]).toEqual([0, ""]);
    const printed = /^ {2}(pulumi import --file vobiz-import\.json --out imported\.yaml)$/m.exec(r.stdout);
    expect(printed).not.toBeNull();

    // The command as printed (plus --yes: no terminal here).
    f.takeRequests();
    const imp = await f.ws.run([...printed![1].split(" ").slice(1), "--yes"]);
    expect(imp.stdout).toMatch(new RegExp(`= +${N} imported`));
    expect(`${imp.stdout}${imp.stderr}`).not.toMatch(/failed to validate/);
    const sent = f.takeRequests();
    expect(writes(sent)).toEqual([]);
    // Its preview and its import each read the list once: still within the onboarding budget here.
    expect(sent.length).toBeLessThanOrEqual(2 * Math.ceil(N / 100));
    expectAdoptionBudget(sent, 0);
    expect(changedPasswords(f, passwords)).toEqual([]);
    const state = await f.ws.credentialsInState();
    expect(state).toHaveLength(N);
    for (const s of state) {
      expect(s.inputs).toMatchObject({ adoptExisting: "keepPassword" });
      expect(s.inputs).not.toHaveProperty("password");
    }

    // The generated code is the program (it was empty), with three declarations edited to differ.
    const program = parse(fs.readFileSync(path.join(f.ws.dir, "imported.yaml"), "utf8")) as Program;
    expect(Object.keys(program.resources)).toHaveLength(N);
    const names = Object.fromEntries(
      Object.entries(program.resources).map(([name, res]) => [res.properties.username as string, name]),
    );
    expect(names["2nd-floor"]).toBe("c_2nd-floor");
    fs.writeFileSync(path.join(f.ws.dir, "Main.yaml"), stringify(program));
    await expectCleanPreview(f);
    editThree(program, (u) => names[u]);
    fs.writeFileSync(path.join(f.ws.dir, "Main.yaml"), stringify(program));

    f.takeRequests();
    await f.ws.up();
    expectEditsApplied(f, passwords);
    await expectCleanPreview(f);
  });
});
