/**
 * The `vobiz-onboard` command, run as the package ships it (`node dist/onboard/cli.js`) against
 * the sandbox over real HTTP: the fleet file it writes, its filter and summary, every bad input
 * ending with a clear message, a non-zero exit and nothing written, and the read-only
 * first-contact check under each of the sandbox's behaviour switches.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { useIntegrationSandbox } from "../helpers/integrationSandbox";
import type { SandboxSwitches } from "../../provider/sandbox";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "dist/onboard/cli.js");
const AUTH_ID = "MA_ONBOARD";
// No run of 4 characters a random hex request id could hold: the redaction masks any 4-character
// run of a secret wherever it appears (provider/common/redact.ts), so "0123456789" here masked
// parts of request ids in about 1 run in 200.
const AUTH_TOKEN = "tok_onboard_SECRET_vwxyzvwxyz";
const PASSWORD = "Live-Pw-SECRET-42";

function newestSource(dir: string): number {
  return Math.max(
    ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
      const p = path.join(dir, e.name);
      return e.isDirectory() ? newestSource(p) : e.name.endsWith(".ts") ? fs.statSync(p).mtimeMs : 0;
    }),
  );
}

beforeAll(() => {
  if (fs.existsSync(CLI) && fs.statSync(CLI).mtimeMs >= newestSource(path.join(ROOT, "provider"))) return;
  const tsc = require.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, encoding: "utf8" });
  if (!fs.existsSync(CLI)) throw new Error(`build failed:\n${r.stdout}\n${r.stderr}`);
}, 180_000);

const ctx = useIntegrationSandbox(AUTH_ID, AUTH_TOKEN);
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(tmpdir(), "vobiz-onboard-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built bin asynchronously (the sandbox answers from this process). */
function onboard(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const base = {
    PATH: process.env.PATH,
    VOBIZ_AUTH_ID: AUTH_ID,
    VOBIZ_AUTH_TOKEN: AUTH_TOKEN,
    VOBIZ_BASE_URL: ctx.sandbox.baseUrl,
  };
  const merged = Object.fromEntries(
    Object.entries({ ...base, ...env }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return new Promise((done) =>
    execFile(process.execPath, [CLI, ...args], { cwd: dir, env: merged }, (e, stdout, stderr) => {
      const run = { code: e ? Number(e.code) : 0, stdout, stderr };
      expect(`${stdout}${stderr}`).not.toContain(AUTH_TOKEN);
      done(run);
    }),
  );
}

function seed(): void {
  const s = ctx.sandbox.credentials;
  s.create(AUTH_ID, { username: "reception", password: PASSWORD, description: "Reception: desk #1" });
  s.create(AUTH_ID, { username: "sales_01", password: PASSWORD, enabled: false });
  s.create(AUTH_ID, { username: "sales_02", password: PASSWORD, description: 'quote " and \\ back' });
  s.create(AUTH_ID, { username: "true", password: PASSWORD, description: "yes" });
}

function methods(): string[] {
  return ctx.sandbox.journal.entries().map((e) => e.method);
}

describe("writing the fleet file", () => {
  test("one entry per credential, read back exactly, adopting with the password kept; GETs only", async () => {
    seed();
    const r = await onboard(["--out", "fleet.yaml"]);

    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(
      /Wrote 4 credential\(s\) of account MA_ONBOARD to .*fleet\.yaml: 3 enabled, 1 disabled, 3 with a description/,
    );
    const doc = parse(fs.readFileSync(path.join(dir, "fleet.yaml"), "utf8")) as { credentials: unknown[] };
    expect(doc.credentials).toEqual([
      {
        username: "reception",
        enabled: true,
        description: "Reception: desk #1",
        adoptExisting: "keepPassword",
      },
      { username: "sales_01", enabled: false, adoptExisting: "keepPassword" },
      {
        username: "sales_02",
        enabled: true,
        description: 'quote " and \\ back',
        adoptExisting: "keepPassword",
      },
      { username: "true", enabled: true, description: "yes", adoptExisting: "keepPassword" },
    ]);
    expect(new Set(methods())).toEqual(new Set(["GET"]));
  });

  test("--filter selects usernames and the summary counts the rest", async () => {
    seed();
    const r = await onboard(["--out", "sales.yaml", "--filter", "sales_*,true"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Wrote 3 credential\(s\).*\(1 filtered out\)/);
    const doc = parse(fs.readFileSync(path.join(dir, "sales.yaml"), "utf8")) as {
      credentials: { username: string }[];
    };
    expect(doc.credentials.map((c) => c.username)).toEqual(["sales_01", "sales_02", "true"]);
  });

  test("--force overwrites an existing file", async () => {
    seed();
    fs.writeFileSync(path.join(dir, "credentials.yaml"), "old\n");
    const r = await onboard(["--force"]);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "credentials.yaml"), "utf8")).toContain('username: "reception"');
  });
});

describe("every bad input: a clear message, a non-zero exit, nothing written", () => {
  async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((r) => server.close(r));
    return port;
  }

  const cases: [string, () => Promise<Run>, RegExp][] = [
    [
      "no credentials configured",
      () => onboard(["--out", "x.yaml"], { VOBIZ_AUTH_ID: undefined, VOBIZ_AUTH_TOKEN: undefined }),
      /credentials are not configured: set the Auth ID .* and the Auth Token/,
    ],
    [
      "a wrong token",
      () => onboard(["--out", "x.yaml"], { VOBIZ_AUTH_TOKEN: "tok_wrong_vwxyz" }),
      /HTTP 401.*Check the Auth ID and Auth Token/,
    ],
    [
      "an unreachable URL",
      async () =>
        onboard(["--out", "x.yaml"], { VOBIZ_BASE_URL: `http://127.0.0.1:${await closedPort()}/api/v1` }),
      /no response \(ECONNREFUSED\)\. Check that the base URL/,
    ],
    [
      "a filter matching nothing",
      () => onboard(["--out", "x.yaml", "--filter", "nobody*"]),
      /no username of account MA_ONBOARD matches "nobody\*" \(4 credential\(s\) on the account\)/,
    ],
    [
      "a directory that does not exist",
      () => onboard(["--out", "no/such/x.yaml"]),
      /directory of .* does not exist/,
    ],
    ["an unknown subcommand", () => onboard(["import"]), /unknown command 'import'/],
  ];

  test.each(cases)("%s", async (_name, run, message) => {
    seed();
    const r = await run();
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test.each([
    [
      "an unknown subcommand",
      ["import"],
      "vobiz-onboard: unknown command 'import'; the only subcommand is 'check'",
    ],
    ["an unknown flag", ["--bogus"], "vobiz-onboard: Unknown option '--bogus'"],
    ["a flag check does not take", ["check", "--force"], "vobiz-onboard: 'check' writes nothing"],
  ])("usage error (%s): exit 2, one line and how to get help, no request", async (_name, args, first) => {
    const r = await onboard(args);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0].startsWith(first)).toBe(true);
    expect(lines[1]).toBe("Run `vobiz-onboard --help` for the usage.");
    expect(methods()).toEqual([]);
  });

  test("--help names the exit statuses; check exits 1 on a failure, 0 on success", async () => {
    const help = await onboard(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit status: 0 done .*, 1 the command failed .*\n2 a usage error/);
    const failed = await onboard(["check"], { VOBIZ_AUTH_TOKEN: "tok_wrong_0123" });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/HTTP 401/);
    const ok = await onboard(["check"]);
    expect(ok.code).toBe(0);
  });

  test("an existing output file: refused before any request, the file unchanged", async () => {
    seed();
    fs.writeFileSync(path.join(dir, "x.yaml"), "mine\n");
    const r = await onboard(["--out", "x.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x\.yaml already exists; pass --force to overwrite it\. Nothing was written\./);
    expect(fs.readdirSync(dir)).toEqual(["x.yaml"]);
    expect(fs.readFileSync(path.join(dir, "x.yaml"), "utf8")).toBe("mine\n");
    expect(methods()).toEqual([]);
  });

  test("an empty account", async () => {
    const r = await onboard(["--out", "x.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/account MA_ONBOARD has no credentials\. Nothing was written\./);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe("vobiz-onboard check: read-only first contact under each behaviour switch", () => {
  const variants: [string, Partial<SandboxSwitches>, RegExp[]][] = [
    [
      "the defaults",
      {},
      [/list total field: {2}total\n/, /single GET: {8}yes\n/, /Not settings: list totals/],
    ],
    [
      "listTotalField=total_count",
      { listTotalField: "total_count" },
      [/list total field: {2}total_count\n/, /credentials: {7}4\n/],
    ],
    [
      "listTotalField=none",
      { listTotalField: "none" },
      [/list total field: {2}none\n/, /credentials: {7}4\n/],
    ],
    ["singleGet=false", { singleGet: false }, [/single GET: {8}no\n/, /credentials\/[0-9a-f-]+ -> 405/]],
    ["returnDescription=false", { returnDescription: false }, [/single GET: {8}yes\n/]],
    ["redactedPassword=false", { redactedPassword: false }, [/list total field: {2}total\n/]],
    ["createAcceptsExtraFields=false", { createAcceptsExtraFields: false }, [/path segment: {6}account\n/]],
    ["deleteStatus=200", { deleteStatus: 200 }, [/path segment: {6}account\n/]],
    ["deleteInUse=disconnect", { deleteInUse: "disconnect" }, [/path segment: {6}account\n/]],
  ];

  test.each(variants)("%s", async (_name, switches, expected) => {
    seed();
    ctx.sandbox.switches.set(switches);
    const before = JSON.stringify(ctx.sandbox.credentials.list(AUTH_ID));

    const r = await onboard(["check"]);

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /GET \/api\/v1\/account\/MA_ONBOARD\/trunks\/credentials\?limit=1&offset=0 -> 200 \(request req_\w+\)/,
    );
    expect(r.stdout).toMatch(/path segment: {6}account\n/);
    expect(r.stdout).toMatch(/page-size cap: {5}none seen up to 100\n/);
    for (const m of expected) expect(r.stdout).toMatch(m);
    expect(new Set(methods())).toEqual(new Set(["GET"]));
    expect(JSON.stringify(ctx.sandbox.credentials.list(AUTH_ID))).toBe(before);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("an empty account: the single GET cannot be tried, and says so", async () => {
    const r = await onboard(["check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/single GET: {8}unknown \(no credential to read\)/);
  });

  test("a wrong token: exit 1 with the status and request id, never the token", async () => {
    const r = await onboard(["check"], { VOBIZ_AUTH_TOKEN: "tok_wrong_vwxyz" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/HTTP 401.*Request id: req_/);
  });
});
