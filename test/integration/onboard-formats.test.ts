/**
 * `vobiz-onboard --format` against the sandbox over real HTTP (the command's `main`, in process):
 * the Pulumi YAML program and the import file it writes for the package path (default file
 * names, GETs only, the next step printed), and a wrong format or a format with `check` refused
 * with one line, the usage, exit 2 and nothing written or requested.
 */
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { main } from "../../provider/onboard/cli";
import { useIntegrationSandbox } from "../helpers/integrationSandbox";

const AUTH_ID = "MA_FORMATS";
const AUTH_TOKEN = "tok_formats_SECRET_0123456789";
const PASSWORD = "Live-Pw-SECRET-43";

const ctx = useIntegrationSandbox(AUTH_ID, AUTH_TOKEN);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), "vobiz-onboard-formats-"));
  ctx.secrets.add(PASSWORD);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function onboard(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    env: { VOBIZ_AUTH_ID: AUTH_ID, VOBIZ_AUTH_TOKEN: AUTH_TOKEN, VOBIZ_BASE_URL: ctx.sandbox.baseUrl },
    cwd: dir,
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
  });
  expect(`${stdout}${stderr}`).not.toContain(AUTH_TOKEN);
  return { code, stdout, stderr };
}

function seed(): Record<string, string> {
  const s = ctx.sandbox.credentials;
  return {
    reception: s.create(AUTH_ID, { username: "reception", password: PASSWORD, description: "Desk #1" }).id,
    "2nd-floor": s.create(AUTH_ID, { username: "2nd-floor", password: PASSWORD, enabled: false }).id,
  };
}

const methods = () => new Set(ctx.sandbox.journal.entries().map((e) => e.method));

test("--format yaml-program writes Main.yaml: one adopting resource per credential, GETs only", async () => {
  seed();
  const r = await onboard(["--format", "yaml-program"]);
  expect(r).toMatchObject({ code: 0, stderr: "" });
  expect(r.stdout).toMatch(
    /^Wrote 2 credential\(s\) of account MA_FORMATS as a Pulumi YAML program to .*Main\.yaml: 1 enabled, 1 disabled, 1 with a description\.\n/,
  );
  expect(r.stdout).toMatch(/runtime: yaml.*\n.*vobiz:authToken/s);
  const program = parse(fs.readFileSync(path.join(dir, "Main.yaml"), "utf8")) as { resources: unknown };
  expect(program.resources).toEqual({
    "c_2nd-floor": {
      type: "vobiz:index:Credential",
      properties: { username: "2nd-floor", enabled: false, adoptExisting: "keepPassword" },
    },
    reception: {
      type: "vobiz:index:Credential",
      properties: {
        username: "reception",
        enabled: true,
        description: "Desk #1",
        adoptExisting: "keepPassword",
      },
    },
  });
  expect(methods()).toEqual(new Set(["GET"]));
});

test("--format import-file writes vobiz-import.json for pulumi import --file, and says how to run it", async () => {
  const ids = seed();
  const r = await onboard(["--format", "import-file", "--filter", "2nd-*"]);
  expect(r).toMatchObject({ code: 0, stderr: "" });
  expect(r.stdout).toMatch(
    /Wrote 1 credential\(s\) of account MA_FORMATS as an import file to .*vobiz-import\.json/,
  );
  expect(r.stdout).toContain("  pulumi import --file vobiz-import.json --out imported.yaml\n");
  expect(JSON.parse(fs.readFileSync(path.join(dir, "vobiz-import.json"), "utf8"))).toEqual({
    resources: [{ type: "vobiz:index:Credential", name: "c_2nd-floor", id: ids["2nd-floor"] }],
  });
  expect(methods()).toEqual(new Set(["GET"]));
});

test.each([
  [["--format", "yaml"], /^vobiz-onboard: --format must be fleet, yaml-program, import-file; got "yaml"\n/],
  [["check", "--format", "import-file"], /^vobiz-onboard: 'check' writes nothing: --out, --format, --filter/],
])("%j: one line and where the usage is, exit 2, nothing written or requested", async (args, message) => {
  seed();
  ctx.sandbox.journal.clear();
  const r = await onboard(args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(message);
  expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(2);
  expect(r.stderr).toContain("Run `vobiz-onboard --help` for the usage.");
  expect(fs.readdirSync(dir)).toEqual([]);
  expect(ctx.sandbox.journal.entries()).toEqual([]);
});
