/**
 * First contact that ends in a working setting: against an API that answers only on `/Account/`
 * (the generated SDKs' casing) and serves at most 40 credentials a page, the installed
 * `vobiz-onboard check` finds both; the settings it prints are applied exactly as printed (its
 * `pulumi config set` lines run as given for the stack, its `export` lines for the command), and
 * then `vobiz-onboard` writes the fleet file and one `pulumi up` of examples/fleet adopts every
 * credential with no POST and no password change. Without the printed settings, both fail with
 * HTTP 404 and advice that names `vobiz-onboard check`.
 */
import { useScenario } from "../helpers/scenario";
import { countByMethod, expectCleanPreview } from "../helpers/stackFixture";
import { runOnboard } from "../helpers/onboardCli";

jest.setTimeout(600_000);

const N = 90;

/** The lines under a heading of the check's report, up to the next unindented line. */
function linesAfter(report: string, heading: RegExp): string[] {
  const lines = report.split("\n");
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) throw new Error(`no ${heading} in:\n${report}`);
  const out: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith("  ")) break;
    out.push(l.trim());
  }
  return out;
}

describe("first contact with an API that speaks /Account/ and caps pages at 40", () => {
  let connection: Record<string, string>;
  const passwords = new Map<string, string>();

  const f = useScenario({ name: "first-contact", copyFrom: "examples/fleet" }, (f) => {
    f.sandbox.switches.set({ accountPathSegment: "Account", maxPageSize: 40 });
    for (let i = 0; i < N; i++) {
      const username = `desk_${String(i).padStart(3, "0")}`;
      const password = `Live-${i}-${f.authToken.slice(-6)}-pw`;
      passwords.set(username, password);
      f.secrets[`live password ${username}`] = password;
      f.sandbox.credentials.create(f.authId, { username, password, enabled: i % 4 !== 0 });
    }
    connection = {
      VOBIZ_AUTH_ID: f.authId,
      VOBIZ_AUTH_TOKEN: f.authToken,
      VOBIZ_BASE_URL: f.sandbox.baseUrl,
    };
  });

  test("without the settings: vobiz-onboard fails with HTTP 404 naming the check, nothing written", async () => {
    const r = await runOnboard(f, ["--out", "fleet.yaml"], connection);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 404/);
    expect(r.stderr).toMatch(/vobiz-onboard check/);
    expect(r.stderr).toMatch(/Nothing was written/);
  });

  test("the check's printed settings, applied as printed, make vobiz-onboard and pulumi up work", async () => {
    f.takeRequests();
    const check = await runOnboard(f, ["check"], connection);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/path segment: {6}Account\n/);
    expect(check.stdout).toMatch(/page-size cap: {5}40\n/);
    expect(f.takeRequests().every((e) => e.method === "GET")).toBe(true);

    // The stack: every printed `pulumi config set` line, run as printed (a secret one asks for its value).
    const configLines = linesAfter(check.stdout, /^Settings to use, in the stack/);
    expect(configLines).toContain("pulumi config set vobiz:accountPathSegment Account");
    expect(configLines).toContain("pulumi config set vobiz:listPageSize 40");
    for (const line of configLines) {
      const argv = line.split(" ");
      expect(argv.slice(0, 3)).toEqual(["pulumi", "config", "set"]);
      const secret = argv.includes("--secret");
      await f.ws.run(argv.slice(1), secret ? { input: f.authToken } : {});
    }

    // The command: every printed `export` line as its environment (the token's line is the user's own).
    const exportLines = linesAfter(check.stdout, /^or in the environment/);
    const env: Record<string, string> = { ...connection };
    for (const line of exportLines) {
      const m = /^export (VOBIZ_[A-Z_]+)=(\S+)/.exec(line);
      if (m && !line.includes("# your")) env[m[1]] = m[2];
    }
    expect(env.VOBIZ_ACCOUNT_PATH_SEGMENT).toBe("Account");
    const wrote = await runOnboard(f, ["--out", "fleet.yaml"], env);
    expect(wrote.stderr).toBe("");
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toContain(`Wrote ${N} credential(s)`);

    await f.ws.setConfig("credentialsFile", "fleet.yaml");
    f.takeRequests();
    await f.ws.run(["up", "--yes", "--diff"]);
    const sent = f.takeRequests();
    const byMethod = countByMethod(sent);
    expect(byMethod.POST).toBeUndefined();
    expect(byMethod.PUT).toBeUndefined(); // every declaration matches the live account
    expect(sent.every((e) => e.path.includes("/Account/"))).toBe(true);
    // Pages of at most 40: ceil(90 / 40) = 3 per scan, one scan in the preview and one in the update.
    expect(byMethod.GET).toBeLessThanOrEqual(2 * Math.ceil(N / 40));
    const changed = f
      .live()
      .filter((c) => !f.sandbox.credentials.verifyPassword(f.authId, c.id, passwords.get(c.username)!));
    expect(changed.map((c) => c.username)).toEqual([]);
    expect(await f.ws.credentialsInState()).toHaveLength(N);
    await expectCleanPreview(f); // the scenario's close destroys them: adopted credentials are managed ones
  });
});

describe("what the update decides from: the account as it is then, not as its preview saw it", () => {
  const f = useScenario({ name: "fresh-update", copyFrom: "examples/fleet" });

  test("a credential disabled in the console after the preview is enabled again by the update's adoption", async () => {
    const live = f.sandbox.credentials.create(f.authId, { username: "lobby", password: "Lobby-pw-0123" });
    f.secrets["live password lobby"] = "Lobby-pw-0123";
    f.ws.writeFile(
      "fleet.yaml",
      'credentials:\n  - username: "lobby"\n    enabled: true\n    adoptExisting: keepPassword\n',
    );
    await f.ws.setConfig("credentialsFile", "fleet.yaml");

    f.takeRequests();
    await f.ws.preview(); // the plan: adopt, nothing to write (the live credential matches)
    expect(countByMethod(f.takeRequests())).toEqual({ GET: 1 });
    f.sandbox.credentials.update(f.authId, live.id, { enabled: false }); // someone, meanwhile

    await f.ws.up(); // --skip-preview: the update reads the account itself
    const sent = f.takeRequests();
    expect(countByMethod(sent)).toEqual({ GET: 1, PUT: 1 });
    expect(sent.find((e) => e.method === "PUT")?.body).toEqual({ enabled: true });
    expect(f.live()[0].enabled).toBe(true);
    expect(f.sandbox.credentials.verifyPassword(f.authId, live.id, "Lobby-pw-0123")).toBe(true);
    await expectCleanPreview(f);
  });
});
