/**
 * The `vobiz-sandbox` CLI, run as the package ships it: `node dist/sandbox/cli.js`. The build
 * (`tsc -p tsconfig.build.json`) runs first only when that output is missing or older than the
 * sandbox sources.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { accountClient, obj, send } from "../helpers/sandboxHttp";
import type { Sandbox } from "../../provider/sandbox";

const ROOT = resolve(__dirname, "../..");
const SOURCES = join(ROOT, "provider/sandbox");
const OUTPUT = join(ROOT, "dist/sandbox");
const CLI = join(OUTPUT, "cli.js");

/** The sandbox's sources and the one module outside provider/sandbox it loads (redaction). */
function sourcesAndOutputs(): [string, string][] {
  const pairs = readdirSync(SOURCES)
    .filter((f) => f.endsWith(".ts"))
    .map((f): [string, string] => [join(SOURCES, f), join(OUTPUT, f.replace(/\.ts$/, ".js"))]);
  return [...pairs, [join(ROOT, "provider/common/redact.ts"), join(ROOT, "dist/common/redact.js")]];
}

function buildIsStale(): boolean {
  for (const [source, out] of sourcesAndOutputs()) {
    if (!existsSync(out) || statSync(out).mtimeMs < statSync(source).mtimeMs) return true;
  }
  return false;
}

beforeAll(() => {
  if (!buildIsStale()) return;
  const tsc = require.resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  // Type errors elsewhere in the package do not stop tsc from emitting; the sandbox output must be fresh.
  if (buildIsStale()) throw new Error(`Build of the sandbox failed:\n${result.stdout}\n${result.stderr}`);
}, 180_000);

interface Running {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exit: Promise<number | null>;
}

/** Starts the CLI and waits until it printed `lineCount` lines. */
async function startCli(args: string[], lineCount: number): Promise<Running> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
  const exit = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  let out = "";
  let err = "";
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  const lines = await new Promise<string[]>((done, fail) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const complete = out.split("\n").slice(0, -1);
      if (complete.length >= lineCount) done(complete);
    });
    void exit.then((code) => fail(new Error(`CLI exited with ${code}: ${err}`)));
  });
  return { child, lines, exit };
}

/** Enough of a Sandbox handle for `accountClient`. */
function handle(baseUrl: string): Sandbox {
  return { baseUrl } as Sandbox;
}

test("--json prints url, baseUrl and accounts; the API answers; SIGTERM exits 0", async () => {
  const running = await startCli(
    ["--port", "0", "--json", "--account", "MA_CLI:cli-token-1", "--seed", "3"],
    1,
  );
  try {
    const info = JSON.parse(running.lines[0]) as {
      url: string;
      baseUrl: string;
      accounts: { authId: string; authToken: string }[];
    };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.baseUrl).toBe(`${info.url}/api/v1`);
    expect(info.accounts).toEqual([{ authId: "MA_CLI", authToken: "cli-token-1" }]);
    const client = accountClient(handle(info.baseUrl), info.accounts[0]);
    expect((await client.create({ username: "from_cli", password: "cli-password" })).status).toBe(201);
    expect((obj(await client.list()).objects as unknown[]).length).toBe(1);
    expect(obj(await send("GET", `${info.url}/__sandbox/health`)).status).toBe("ok");
  } finally {
    running.child.kill("SIGTERM");
  }
  expect(await running.exit).toBe(0);
});

test("text output names the accounts and prints a generated token; SIGINT exits 0; --data persists", async () => {
  const dir = mkdtempSync(join(tmpdir(), "vobiz-sandbox-cli-"));
  try {
    const data = join(dir, "state.json");
    const running = await startCli(
      ["--data", data, "--latency", "0", "--switch", "listTotalField=total_count"],
      2,
    );
    let baseUrl: string;
    let token: string;
    try {
      const [first, second] = running.lines;
      const match = /^Vobiz sandbox listening on (http:\/\/127\.0\.0\.1:\d+) \(base URL (\S+)\)$/.exec(first);
      expect(match).not.toBeNull();
      baseUrl = (match as RegExpExecArray)[2];
      expect(baseUrl).toBe(`${(match as RegExpExecArray)[1]}/api/v1`);
      const tokenMatch = /^Accounts: MA_SANDBOX \(generated token: (\S+)\)$/.exec(second);
      expect(tokenMatch).not.toBeNull();
      token = (tokenMatch as RegExpExecArray)[1];
      const client = accountClient(handle(baseUrl), { authId: "MA_SANDBOX", authToken: token });
      expect((await client.create({ username: "kept", password: "kept-password" })).status).toBe(201);
      expect((obj(await client.list()).meta as Record<string, unknown>).total_count).toBe(1);
    } finally {
      running.child.kill("SIGINT");
    }
    expect(await running.exit).toBe(0);

    // Restarted on the same data file: the account is loaded, its token is not printed.
    const again = await startCli(["--data", data, "--account", "MA_OTHER:other-token"], 2);
    try {
      expect(again.lines[1]).toBe("Accounts: MA_OTHER, MA_SANDBOX");
      const url = /base URL (\S+)\)/.exec(again.lines[0]) as RegExpExecArray;
      const client = accountClient(handle(url[1]), { authId: "MA_SANDBOX", authToken: token });
      const objects = obj(await client.list()).objects as { username: string }[];
      expect(objects.map((o) => o.username)).toEqual(["kept"]);
    } finally {
      again.child.kill("SIGTERM");
    }
    expect(await again.exit).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("--rate-limit and --rate-burst: the limit is printed and enforced with 429 and Retry-After", async () => {
  const running = await startCli(
    ["--account", "MA_RATE:rate-token-1", "--rate-limit", "0.5", "--rate-burst", "2"],
    3,
  );
  try {
    expect(running.lines[2]).toBe("Rate limit: 0.5 requests per second per account, burst 2");
    const url = /^Vobiz sandbox listening on (\S+) \(base URL (\S+)\)$/.exec(
      running.lines[0],
    ) as RegExpExecArray;
    const client = accountClient(handle(url[2]), { authId: "MA_RATE", authToken: "rate-token-1" });
    // A burst of 2, refilled at one token every 2 s: the third request at once is refused.
    expect((await client.list()).status).toBe(200);
    expect((await client.list()).status).toBe(200);
    const refused = await client.list();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((obj(refused).error as Record<string, unknown>).code).toBe("RATE_LIMITED");
    expect(obj(await send("GET", `${url[1]}/__sandbox/rate-limit`))).toEqual({
      rateLimit: { requestsPerSecond: 0.5, burst: 2 },
    });
  } finally {
    running.child.kill("SIGTERM");
  }
  expect(await running.exit).toBe(0);
});

test("bad arguments exit 2 with one line and how to get help; --help names the exit statuses", () => {
  const bad = [
    ["--bogus"],
    ["--port", "abc"],
    ["--account", "no-colon"],
    ["--switch", "nope"],
    ["--rate-limit", "0"],
    ["--rate-limit", "fast"],
    ["--rate-burst", "3"],
    ["--rate-limit", "2", "--rate-burst", "0"],
  ];
  for (const args of bad) {
    const result = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8" });
    expect(result.status).toBe(2);
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^vobiz-sandbox: \S/);
    expect(lines[1]).toBe("Run `vobiz-sandbox --help` for the usage.");
  }
  const help = spawnSync(process.execPath, [CLI, "--help"], { encoding: "utf8" });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain("Usage: vobiz-sandbox");
  expect(help.stdout).toContain(
    "Exit status: 0 stopped by SIGINT or SIGTERM, 1 could not start (or stop), 2 a usage error.",
  );
  const invalidSwitch = spawnSync(process.execPath, [CLI, "--switch", "singleGet=perhaps"], {
    encoding: "utf8",
  });
  expect(invalidSwitch.status).toBe(1);
  expect(invalidSwitch.stderr).toContain("singleGet");
});
