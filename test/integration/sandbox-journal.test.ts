/** The request journal: what each entry records, masking of secrets, filters. */
import { randomBytes } from "node:crypto";
import { startSandbox, type Sandbox, type SandboxAccount } from "../../provider/sandbox";
import { accountClient, obj, send, uniqueName } from "../helpers/sandboxHttp";

const A: SandboxAccount = {
  authId: "MA_JOURNAL",
  authToken: `journal-token-secret-${randomBytes(8).toString("hex")}`,
};
const PASSWORDS = [
  "first-Pa55word!",
  "second-Pa55word!",
  "third-Pa55word!",
  "fourth-Pa55word!",
  "fifth-Pa55word!",
];

let sandbox: Sandbox;
let a: ReturnType<typeof accountClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [A] });
  a = accountClient(sandbox, A, "journal-tests/2.0");
});
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.journal.clear());

test("an entry records the request, the outcome and the request id, not the token", async () => {
  const username = uniqueName("j");
  const reply = await a.call("POST", "/credentials?trace=1", { body: { username, password: PASSWORDS[0] } });
  expect(reply.status).toBe(201);
  const [entry] = sandbox.journal.entries();
  expect(entry).toEqual({
    seq: expect.any(Number),
    time: expect.stringMatching(/Z$/),
    method: "POST",
    path: `/api/v1/account/${A.authId}/credentials`,
    query: { trace: "1" },
    route: "create",
    status: 201,
    dropped: false,
    authId: A.authId,
    body: { username, password: "***" },
    userAgent: "journal-tests/2.0",
    requestId: reply.headers.get("x-request-id"),
    durationMs: expect.any(Number),
    fault: [],
  });
  expect(JSON.stringify(entry)).not.toContain(A.authToken);
});

test("no password or token appears anywhere in the journal, whatever the body looked like", async () => {
  const made = obj(await a.create({ username: uniqueName("m"), password: PASSWORDS[0] }));
  const id = made.id as string;
  await a.update(id, { password: PASSWORDS[1] });
  await a.call("POST", "/credentials", { raw: `{"username": "broken", "password": "${PASSWORDS[2]}"` });
  await a.call("POST", "/credentials", {
    raw: `username=formish&password=${PASSWORDS[3]}`,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  await a.call("GET", `/trunks/credentials?password=${PASSWORDS[4]}&limit=5`);
  await a.create({
    username: uniqueName("nested"),
    password: PASSWORDS[4],
    description: "x",
    extra: { password: "y" },
  });
  await send("GET", `${a.base}/trunks/credentials`, {
    headers: { "X-Auth-ID": A.authId, "X-Auth-Token": "bad-token-secret-0815" },
  });

  const entries = sandbox.journal.entries();
  expect(entries).toHaveLength(7);
  const text = JSON.stringify(entries);
  for (const secret of [...PASSWORDS, A.authToken, "bad-token-secret-0815"])
    expect(text).not.toContain(secret);
  expect(entries[1].body).toEqual({ password: "***" });
  expect(entries[2].body).toEqual(expect.stringContaining('"password": ***'));
  expect(entries[3].body).toBe("username=formish&password=***");
  expect(entries[4].query).toEqual({ password: "***", limit: "5" });
  expect(entries[6]).toMatchObject({ status: 401, errorCode: "INVALID_CREDENTIALS" });
});

test("a long raw body is truncated", async () => {
  await a.call("POST", "/credentials", { raw: "x".repeat(5000), headers: { "Content-Type": "text/plain" } });
  const [entry] = sandbox.journal.entries();
  expect(entry.status).toBe(400);
  expect(typeof entry.body).toBe("string");
  expect((entry.body as string).length).toBeLessThan(600);
});

test("filters, since, clear; sequence numbers keep increasing; control requests are not journaled", async () => {
  await a.list();
  await a.get("00000000-0000-4000-8000-000000000000");
  await fetch(`${sandbox.url}/__sandbox/health`);
  await a.list("?limit=1");
  const all = sandbox.journal.entries();
  expect(all.map((e) => e.route)).toEqual(["list", "get", "list"]);
  expect(all.map((e) => e.seq)).toEqual([all[0].seq, all[0].seq + 1, all[0].seq + 2]);
  expect(sandbox.journal.entries({ route: "list" })).toHaveLength(2);
  expect(sandbox.journal.entries({ status: 404 })).toHaveLength(1);
  expect(sandbox.journal.entries({ method: "get", authId: A.authId })).toHaveLength(3);
  expect(sandbox.journal.entries({ since: all[1].seq })).toEqual([all[2]]);
  expect(sandbox.journal.entries({ faulted: true })).toEqual([]);

  const last = all[2].seq;
  sandbox.journal.clear();
  expect(sandbox.journal.entries()).toEqual([]);
  await a.list();
  expect(sandbox.journal.entries()[0].seq).toBe(last + 1);
});

test("entries are copies: changing one does not change the journal", async () => {
  await a.list();
  const [entry] = sandbox.journal.entries();
  entry.status = 999;
  expect(sandbox.journal.entries()[0].status).toBe(200);
});
