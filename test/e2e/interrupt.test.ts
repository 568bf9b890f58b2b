/**
 * The provider process and SIGINT, as Pulumi's dynamic-provider host runs it: a Ctrl-C while a
 * create is in flight must not kill it (Vobiz may already have applied the create), and a SIGINT
 * when idle (the engine's own at shutdown) must end it at once, as by default.
 *
 * Both tests run a child script that loads the built package and creates a credential against a
 * server that answers only when the test says so (the guard installs itself on the first call
 * into the engine adapter, as the host's `configure` makes it). No timing is asserted: each waits
 * for what it observes. Through the real engine, the guard is proven by the faults tier's Ctrl-C
 * scenario (test/faults/04-interrupted.test.ts, row 04c): SIGINT to the whole process group,
 * the real dynamic-provider process included, while creates are in flight; it fails when one of
 * them is lost.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/installedPackage";

jest.setTimeout(120_000);

const CHILD = `
const { engineCredentialProvider: p } = require(${JSON.stringify(path.join(REPO_ROOT, "dist", "provider.js"))});
const config = { "vobiz:authId": "MA_SIG", "vobiz:authToken": "tok_sigint_123456", "vobiz:baseUrl": process.argv[2] };
(async () => {
  await p.configure({ config: { get: (k) => config[k], require: (k) => config[k] } });
  console.log("ready");
  if (process.argv[3] === "create") {
    const r = await p.create({ username: "sig_user", password: "Sigint-Pw-1", enabled: true, adoptExisting: false });
    console.log("created " + r.id);
  }
  setInterval(() => undefined, 1000); // stay alive like the host's gRPC server
})();
`;

/** A server whose POST is answered only when `release()` is called. */
async function heldServer(): Promise<{
  url: string;
  posted: Promise<void>;
  release: () => void;
  close: () => void;
}> {
  let onPost!: () => void;
  const posted = new Promise<void>((r) => (onPost = r));
  let answer!: () => void;
  const released = new Promise<void>((r) => (answer = r));
  const server = http.createServer((req, res) => {
    req.resume();
    onPost();
    void released.then(() => {
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(
        JSON.stringify({
          id: "sig-1",
          username: "sig_user",
          enabled: true,
          created_at: new Date().toISOString(),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/api/v1`, posted, release: answer, close: () => server.close() };
}

function start(args: string[]): {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  next: (line: RegExp) => Promise<string>;
  exited: Promise<[number | null, NodeJS.Signals | null]>;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sigint-"));
  const script = path.join(dir, "cmd", "dynamic-provider", "index.js");
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, CHILD);
  const child = spawn(process.execPath, [script, ...args]);
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (l: string) => void }[] = [];
  let buf = "";
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.re.test(line))) w.resolve(line);
    }
  });
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    child.on("exit", (c, s) => r([c, s])),
  );
  const next = (re: RegExp) =>
    new Promise<string>((resolve) => {
      const hit = lines.find((l) => re.test(l));
      if (hit) resolve(hit);
      else waiters.push({ re, resolve });
    });
  return { child, lines, next, exited };
}

describe("SIGINT in the dynamic-provider process", () => {
  test("while a create is in flight it is ignored: the create completes; once idle, SIGINT ends the process", async () => {
    const server = await heldServer();
    const p = start([server.url, "create"]);
    try {
      await server.posted; // the POST reached Vobiz
      p.child.kill("SIGINT"); // Ctrl-C
      server.release();
      expect(await p.next(/^created /)).toBe("created sig-1"); // survived, and recorded the result
      p.child.kill("SIGINT"); // the engine's shutdown signal, now idle
      expect(await p.exited).toEqual([null, "SIGINT"]);
    } finally {
      p.child.kill("SIGKILL");
      server.close();
    }
  });

  test("when idle it ends the process at once, as by default", async () => {
    const server = await heldServer();
    const p = start([server.url, "idle"]);
    try {
      await p.next(/^ready$/);
      p.child.kill("SIGINT");
      expect(await p.exited).toEqual([null, "SIGINT"]);
    } finally {
      p.child.kill("SIGKILL");
      server.close();
    }
  });
});
