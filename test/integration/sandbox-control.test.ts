/** The control side: the HTTP control API under /__sandbox/, the programmatic handle, accounts. */
import { randomBytes } from "node:crypto";
import { SandboxError, startSandbox, type Sandbox, type SandboxAccount } from "../../provider/sandbox";
import { accountClient, expectError, obj, send, type Reply } from "../helpers/sandboxHttp";

const A: SandboxAccount = {
  authId: "MA_CONTROL",
  authToken: `control-token-${randomBytes(8).toString("hex")}`,
};

let sandbox: Sandbox;
let a: ReturnType<typeof accountClient>;
const control = (method: string, path: string, body?: unknown): Promise<Reply> =>
  send(method, `${sandbox.url}/__sandbox${path}`, { body });

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [A] });
  a = accountClient(sandbox, A);
});
afterAll(() => sandbox.stop());

describe("HTTP control API", () => {
  test("GET /health", async () => {
    const reply = await control("GET", "/health");
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-request-id")).toMatch(/^req_/);
    expect(obj(reply)).toMatchObject({
      status: "ok",
      url: sandbox.url,
      baseUrl: sandbox.baseUrl,
      accounts: expect.any(Number),
      credentials: expect.any(Number),
      switches: expect.objectContaining({ singleGet: true }),
    });
  });

  test("accounts: add with a given or a generated token, list, reject invalid ids", async () => {
    const given = await control("POST", "/accounts", { authId: "MA_HTTP1", authToken: "http-token-1" });
    expect(given.status).toBe(201);
    expect(obj(given)).toEqual({ authId: "MA_HTTP1", authToken: "http-token-1" });
    const generated = obj(await control("POST", "/accounts", { authId: "MA_HTTP2" }));
    expect(generated.authToken).toEqual(expect.any(String));
    const client = accountClient(sandbox, generated as unknown as SandboxAccount);
    expect((await client.list()).status).toBe(200);
    const list = obj(await control("GET", "/accounts")).accounts as { authId: string }[];
    expect(list.map((x) => x.authId)).toEqual(expect.arrayContaining([A.authId, "MA_HTTP1", "MA_HTTP2"]));
    expectError(await control("POST", "/accounts", { authId: "bad/id" }), 422, "VALIDATION_ERROR");
    expectError(await control("POST", "/accounts", { authId: "MA_X", role: "admin" }), 400, "UNKNOWN_FIELD");
  });

  test("out-of-band credential changes: create, list, get, patch (incl. inUse), verify, delete", async () => {
    const base = `/accounts/${A.authId}/credentials`;
    const made = await control("POST", base, {
      username: "console_made",
      password: "console-pass-1",
      enabled: false,
    });
    expect(made.status).toBe(201);
    const cred = obj(made);
    expect(cred).toMatchObject({
      username: "console_made",
      enabled: false,
      in_use: false,
      password: "<redacted>",
    });
    const id = cred.id as string;

    const listed = obj(await control("GET", base)).objects as { id: string }[];
    expect(listed.map((c) => c.id)).toContain(id);
    expect(obj(await control("GET", `${base}/${id}`)).id).toBe(id);
    // The API sees the console's credential.
    expect(obj(await a.get(id))).toMatchObject({ id, enabled: false });

    const patched = obj(await control("PATCH", `${base}/${id}`, { inUse: true, description: "front desk" }));
    expect(patched).toMatchObject({ in_use: true, description: "front desk" });
    expectError(await a.remove(id), 409, "CREDENTIAL_IN_USE");
    expect(obj(await control("PATCH", `${base}/${id}`, { in_use: false })).in_use).toBe(false);

    await control("PATCH", `${base}/${id}`, { password: "console-pass-2" });
    expect(
      obj(await control("POST", `${base}/${id}/verify-password`, { password: "console-pass-2" })),
    ).toEqual({
      match: true,
    });
    expect(
      obj(await control("POST", `${base}/${id}/verify-password`, { password: "console-pass-1" })),
    ).toEqual({
      match: false,
    });

    expectError(await control("PATCH", `${base}/${id}`, { username: "renamed" }), 400, "IMMUTABLE_FIELD");
    expectError(await control("PATCH", `${base}/${id}`, { inUse: "yes" }), 422, "VALIDATION_ERROR");
    expectError(
      await control("POST", base, { username: "console_made", password: "console-pass-1" }),
      409,
      "DUPLICATE_USERNAME",
    );

    await control("PATCH", `${base}/${id}`, { inUse: true });
    // The console deletes even a credential in use.
    expect((await control("DELETE", `${base}/${id}`)).status).toBe(204);
    expectError(await control("GET", `${base}/${id}`), 404, "CREDENTIAL_NOT_FOUND");
    expectError(await control("GET", "/accounts/MA_NOBODY/credentials"), 404, "ACCOUNT_NOT_FOUND");
  });

  test("requests: list with since, clear; control requests are not journaled", async () => {
    await control("DELETE", "/requests");
    await a.list();
    await a.list("?limit=2");
    const page = obj(await control("GET", "/requests"));
    const entries = page.entries as { seq: number; route: string }[];
    expect(entries.map((e) => e.route)).toEqual(["list", "list"]);
    expect(page.lastSeq).toBe(entries[1].seq);
    const since = obj(await control("GET", `/requests?since=${entries[0].seq}`)).entries as { seq: number }[];
    expect(since.map((e) => e.seq)).toEqual([entries[1].seq]);
    expect(obj(await control("GET", "/requests?route=list&status=200")).entries).toHaveLength(2);
    expectError(await control("GET", "/requests?since=abc"), 400, "INVALID_QUERY");
    expect((await control("DELETE", "/requests")).status).toBe(204);
    expect(obj(await control("GET", "/requests")).entries).toEqual([]);
  });

  test("faults: add, list, remove one, clear", async () => {
    const added = await control("POST", "/faults", { route: "list", status: 503, retryAfter: 1 });
    expect(added.status).toBe(201);
    const id = obj(added).id as string;
    const other = obj(await control("POST", "/faults", { route: "get", status: 500 })).id as string;
    expect((obj(await control("GET", "/faults")).rules as { id: string }[]).map((r) => r.id)).toEqual([
      id,
      other,
    ]);
    expect((await a.list()).status).toBe(503);
    expect((await control("DELETE", `/faults/${id}`)).status).toBe(204);
    expectError(await control("DELETE", `/faults/${id}`), 404, "NOT_FOUND");
    expect((await a.list()).status).toBe(200);
    expect((await control("DELETE", "/faults")).status).toBe(204);
    expect(obj(await control("GET", "/faults")).rules).toEqual([]);
    expectError(await control("POST", "/faults", { status: 200 }), 422, "VALIDATION_ERROR");
    expectError(await control("POST", "/faults", { status: 500, when: "now" }), 400, "UNKNOWN_FIELD");
  });

  test("switches: get and patch", async () => {
    expect(obj(await control("GET", "/switches"))).toMatchObject({
      listTotalField: "total",
      singleGet: true,
    });
    const patched = obj(
      await control("PATCH", "/switches", { listTotalField: "total_count", singleGet: false }),
    );
    expect(patched).toMatchObject({ listTotalField: "total_count", singleGet: false });
    expect((obj(await a.list()).meta as Record<string, unknown>).total_count).toEqual(expect.any(Number));
    expectError(await control("PATCH", "/switches", { singleGet: "maybe" }), 422, "VALIDATION_ERROR");
    expectError(await control("PATCH", "/switches", { colour: "red" }), 400, "UNKNOWN_FIELD");
    await control("PATCH", "/switches", { listTotalField: "total", singleGet: true });
  });

  test("unknown control routes are 404; wrong methods 405; malformed JSON 400", async () => {
    expectError(await control("GET", "/nothing"), 404, "NOT_FOUND");
    expectError(await control("PUT", "/health"), 405, "METHOD_NOT_ALLOWED");
    const reply = await send("POST", `${sandbox.url}/__sandbox/faults`, { raw: "{" });
    expectError(reply, 400, "INVALID_JSON");
  });
});

describe("programmatic handle", () => {
  test("a sandbox without accounts generates one with a random token", async () => {
    const other = await startSandbox();
    try {
      expect(other.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(other.baseUrl).toBe(`${other.url}/api/v1`);
      const [account] = other.startupAccounts;
      expect(account).toEqual({ authId: "MA_SANDBOX", authToken: expect.any(String), generated: true });
      expect((account.authToken as string).length).toBeGreaterThanOrEqual(24);
      const reply = await accountClient(other, account as SandboxAccount).list();
      expect(reply.status).toBe(200);
      expect(other.accounts.list()).toEqual([{ authId: "MA_SANDBOX" }]);
    } finally {
      await other.stop();
    }
  });

  test("two accounts are isolated, and out-of-band changes are not journaled", async () => {
    const B: SandboxAccount = {
      authId: "MA_PROGB",
      authToken: `prog-b-token-${randomBytes(8).toString("hex")}`,
    };
    sandbox.accounts.add(B);
    sandbox.journal.clear();
    const mine = sandbox.credentials.create(A.authId, { username: "shared_name", password: "a-password-1" });
    const theirs = sandbox.credentials.create(B.authId, {
      username: "shared_name",
      password: "b-password-1",
    });
    expect(mine.account_id).toBe(A.authId);
    expect(theirs.realm).toBe("MA_PROGB.sip.vobiz.ai");
    expect(sandbox.credentials.list(B.authId).map((c) => c.id)).toEqual([theirs.id]);
    expect(() => sandbox.credentials.get(B.authId, mine.id)).toThrow(SandboxError);
    sandbox.credentials.update(A.authId, mine.id, { description: "updated out of band" });
    sandbox.credentials.delete(B.authId, theirs.id);
    expect(sandbox.journal.entries()).toEqual([]);
    expect(sandbox.credentials.verifyPassword(A.authId, mine.id, "a-password-1")).toBe(true);
  });

  test("the handle validates like the API", () => {
    const attempt = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      throw new Error("expected a SandboxError");
    };
    const short = attempt(() =>
      sandbox.credentials.create(A.authId, { username: "short_pw", password: "1234" }),
    );
    expect(short).toBeInstanceOf(SandboxError);
    expect(short).toMatchObject({ status: 422, code: "VALIDATION_ERROR", details: { field: "password" } });
    expect(attempt(() => sandbox.credentials.list("MA_NOBODY"))).toMatchObject({
      status: 404,
      code: "ACCOUNT_NOT_FOUND",
    });
    expect(attempt(() => sandbox.accounts.add({ authId: "", authToken: "x" }))).toMatchObject({
      status: 422,
    });
    expect(attempt(() => sandbox.switches.set({ listTotalField: "count" as "total" }))).toMatchObject({
      status: 422,
    });
  });

  test("stop() is prompt with open keep-alive connections and pending latency, and idempotent", async () => {
    const other = await startSandbox({ accounts: [A] });
    const client = accountClient(other, A);
    expect((await client.list()).status).toBe(200); // leaves a keep-alive connection open
    other.faults.add({ latencyMs: 60_000 });
    const pending = client.list().then(
      () => "answered",
      () => "failed",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await Promise.all([other.stop(), other.stop()]);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await pending).toBe("failed");
    await expect(fetch(`${other.url}/__sandbox/health`)).rejects.toThrow();
  });
});
