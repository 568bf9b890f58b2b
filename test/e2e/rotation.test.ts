/**
 * Generated passwords and rotation schedules through the real engine against the sandbox: the
 * provider generates the password at create (one POST, both Vobiz rules, only encrypted in state),
 * and rotates it by a trigger map change, by age (the provider processes' clock moved by the tests' clock preload, test/helpers/testClockPreload.js) and
 * on demand (a stack config counter passed as a trigger): each planned by a preview with no
 * request, applied with exactly one PUT of a new value, and clean afterwards.
 */
import { testClockEnv } from "../helpers/testClock";
import { meetsVobizRules } from "../../provider/lifecycle/generatedPassword";
import { useScenario } from "../helpers/scenario";
import { calls, countByMethod, expectCleanPreview, type StackFixture } from "../helpers/stackFixture";

jest.setTimeout(600_000);

const DAY = 86_400_000;

/** The generated password of spec entry `name`, read with --show-secrets, registered with the scanner. */
async function generated(f: StackFixture, name: string, label: string): Promise<string> {
  const outputs = await f.ws.outputs(true);
  const value = (outputs.credentials as Record<string, unknown>)[`${name}Password`];
  if (typeof value !== "string") throw new Error(`no generated password output for ${name}`);
  f.secrets[label] = value;
  return value;
}

/** Preview shows one update and sends nothing; `up` then sends exactly one PUT holding only a password. */
async function expectOneRotation(f: StackFixture, env: Record<string, string> = {}): Promise<void> {
  f.takeRequests();
  const preview = await f.ws.preview({ env });
  expect(preview.stdout).toMatch(/~ .*vobiz:Credential: \(update\)/);
  expect(f.takeRequests()).toHaveLength(0);
  await f.ws.up({ env });
  const sent = f.takeRequests();
  expect(countByMethod(sent)).toEqual({ PUT: 1 });
  expect(sent[0].body).toEqual({ password: "***" }); // journaled masked; only the password changes
}

describe("14. generated passwords, rotated by a trigger map and by age", () => {
  const entry = (rotation: string) => ({
    gen: {
      username: "generated_rotating",
      extra: { generatePassword: true, rotationTriggers: { rotation }, rotateAfter: "30d" },
    },
  });
  const f = useScenario({ name: "rotation" });

  test("create: one POST whose password meets both rules, only encrypted in state, shown with --show-secrets", async () => {
    f.spec(entry("1"));
    f.takeRequests();
    await f.ws.preview();
    expect(f.takeRequests()).toHaveLength(0);
    await f.ws.up();
    expect(calls(f.takeRequests())).toEqual([`POST /api/v1/account/${f.authId}/credentials`]);

    const pw = await generated(f, "gen", "generated password 1");
    expect(meetsVobizRules(pw)).toBe(true);
    const [live] = f.live();
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, pw)).toBe(true);
    // (Compared parsed: the engine's JSON writes `&` as `\u0026`.)
    const plain = await f.ws.exportStack(false);
    expect(JSON.stringify(plain.deployment)).not.toContain(pw);
    const [state] = await f.ws.credentialsInState();
    expect(state.additionalSecretOutputs).toContain("password");
    expect(JSON.stringify(state.outputs?.password)).toContain("4dabf18193072939515e22adb298388d"); // the secret sig
    const shown = await f.ws.exportStack(true);
    const shownState = (shown.deployment.resources ?? []).find((r) => r.urn === state.urn);
    const shownPassword = shownState?.outputs?.password as { plaintext?: string } | undefined;
    expect(JSON.parse(shownPassword?.plaintext ?? "null")).toBe(pw);
    expect(Date.parse(String(state.outputs?.passwordSetAt))).not.toBeNaN();
    await expectCleanPreview(f);
  });

  test("a trigger map change: preview with no request, one PUT of a new value, clean after", async () => {
    const before = await generated(f, "gen", "generated password 1");
    f.spec(entry("2"));
    await expectOneRotation(f);
    const after = await generated(f, "gen", "generated password 2");
    expect(after).not.toBe(before);
    expect(meetsVobizRules(after)).toBe(true);
    const [live] = f.live();
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, after)).toBe(true);
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, before)).toBe(false);
    await expectCleanPreview(f);
  });

  test("age: with the provider's clock 31 days on, preview shows the rotation; one PUT; clean after", async () => {
    const before = await generated(f, "gen", "generated password 2");
    const [state] = await f.ws.credentialsInState();
    const setAt = Date.parse(String(state.outputs?.passwordSetAt));
    const later = new Date(setAt + 31 * DAY).toISOString();

    // Not yet due at 29 days: nothing planned.
    f.takeRequests();
    await f.ws.preview({
      env: testClockEnv(new Date(setAt + 29 * DAY).toISOString()),
      expectNoChanges: true,
    });
    expect(f.takeRequests()).toHaveLength(0);

    await expectOneRotation(f, testClockEnv(later));
    const after = await generated(f, "gen", "generated password 3");
    expect(after).not.toBe(before);
    const [live] = f.live();
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, after)).toBe(true);
    const [rotated] = await f.ws.credentialsInState();
    // The test clock starts at `later` and runs on: set within the minutes the run took.
    const rotatedAt = Date.parse(String(rotated.outputs?.passwordSetAt));
    expect(rotatedAt).toBeGreaterThanOrEqual(Date.parse(later));
    expect(rotatedAt - Date.parse(later)).toBeLessThan(10 * 60_000);
    f.takeRequests();
    await f.ws.preview({ env: testClockEnv(later), expectNoChanges: true });
    expect(f.takeRequests()).toHaveLength(0);
    await expectCleanPreview(f);
  });

  test("adopting an existing username with a generated password: one PUT sets it", async () => {
    const existing = f.sandbox.credentials.create(f.authId, {
      username: "console_made_gen",
      password: "Console-Made-Pw-1",
    });
    f.secrets["console password"] = "Console-Made-Pw-1";
    f.spec({
      ...entry("2"),
      adopted: { username: "console_made_gen", extra: { generatePassword: true, adoptExisting: true } },
    });
    f.takeRequests();
    await f.ws.up();
    const sent = f.takeRequests();
    expect(sent.map((e) => `${e.method} ${e.status}`)).toEqual(["POST 409", "GET 200", "PUT 200"]);
    const adopted = await generated(f, "adopted", "adopted generated password");
    expect(meetsVobizRules(adopted)).toBe(true);
    expect(f.sandbox.credentials.verifyPassword(f.authId, existing.id, adopted)).toBe(true);
    expect(f.sandbox.credentials.verifyPassword(f.authId, existing.id, "Console-Made-Pw-1")).toBe(false);
    await expectCleanPreview(f);
    f.spec(entry("2"));
    await f.ws.up();
    expect(countByMethod(f.takeRequests())).toEqual({ DELETE: 1 });
  });

  test("switching generated -> declared -> generated: one PUT each", async () => {
    await f.password("sipPassword", "Declared-Pw-0123456789");
    f.spec({ gen: { username: "generated_rotating", passwordKey: "sipPassword" } });
    await f.ws.up();
    expect(countByMethod(f.takeRequests())).toEqual({ PUT: 1 });
    const [live] = f.live();
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, "Declared-Pw-0123456789")).toBe(true);
    f.spec(entry("2"));
    await f.ws.up();
    expect(countByMethod(f.takeRequests())).toEqual({ PUT: 1 });
    const back = await generated(f, "gen", "generated password 4");
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, back)).toBe(true);
    await expectCleanPreview(f);
  });
});

/** The README's on-demand recipe: a stack config counter passed as a rotation trigger. */
const ON_DEMAND_PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { VobizCredential } from "pulumi-vobiz";

const config = new pulumi.Config();
const desk = new VobizCredential("desk", {
  username: "desk_on_demand",
  generatePassword: true,
  rotateAfter: "90d",
  rotationTriggers: { onDemand: config.get("rotation") ?? "0" },
});
export const password = desk.password;
`;

describe("14b. rotation on demand: a config counter, no program edit", () => {
  const f = useScenario({ name: "rotation-on-demand", files: { "index.ts": ON_DEMAND_PROGRAM } });

  test("`pulumi config set rotation 1` then `pulumi up`: one PUT of a new value", async () => {
    await f.ws.up();
    expect(countByMethod(f.takeRequests())).toEqual({ POST: 1 });
    const first = (await f.ws.outputs(true)).password as string;
    f.secrets["on-demand password 1"] = first;
    await expectCleanPreview(f);

    await f.ws.setConfig("rotation", "1");
    await expectOneRotation(f);
    const second = (await f.ws.outputs(true)).password as string;
    f.secrets["on-demand password 2"] = second;
    expect(second).not.toBe(first);
    const [live] = f.live();
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, second)).toBe(true);
    await expectCleanPreview(f);
  });
});
