/** The sandbox's credentials API over real HTTP: routes, statuses, validation, auth, pagination. */
import { randomBytes } from "node:crypto";
import {
  DEFAULT_SWITCHES,
  DESCRIPTION_MAX_LENGTH,
  LIST_MAX_LIMIT,
  USERNAME_MAX_LENGTH,
  startSandbox,
  type Sandbox,
  type SandboxAccount,
} from "../../provider/sandbox";
import { ISO_UTC, UUID_V4, accountClient, expectError, obj, send, uniqueName } from "../helpers/sandboxHttp";

const A: SandboxAccount = { authId: "MA_TESTA", authToken: `token-a-${randomBytes(8).toString("hex")}` };
const B: SandboxAccount = { authId: "MA_TESTB", authToken: `token-b-${randomBytes(8).toString("hex")}` };

let sandbox: Sandbox;
let a: ReturnType<typeof accountClient>;
let b: ReturnType<typeof accountClient>;

beforeAll(async () => {
  sandbox = await startSandbox({ accounts: [A, B] });
  a = accountClient(sandbox, A);
  b = accountClient(sandbox, B);
});
afterAll(() => sandbox.stop());
afterEach(() => {
  sandbox.switches.set(DEFAULT_SWITCHES);
});

async function created(body: Record<string, unknown> = {}, client = a): Promise<Record<string, unknown>> {
  const reply = await client.create({ username: uniqueName(), password: "s3cret-pass", ...body });
  expect(reply.status).toBe(201);
  return obj(reply);
}

describe("create", () => {
  test("201 with the credential object; the password is never returned", async () => {
    const username = uniqueName("alice");
    const reply = await a.create({ username, password: "correct horse" });
    expect(reply.status).toBe(201);
    const body = obj(reply);
    expect(body).toEqual({
      id: expect.stringMatching(UUID_V4),
      username,
      enabled: true,
      account_id: A.authId,
      realm: "MA_TESTA.sip.vobiz.ai",
      password: "<redacted>",
      created_at: expect.stringMatching(ISO_UTC),
      updated_at: body.created_at,
    });
    expect(reply.text).not.toContain("correct horse");
    expect(reply.headers.get("x-request-id")).toMatch(/^req_[0-9a-f]+$/);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(sandbox.credentials.verifyPassword(A.authId, body.id as string, "correct horse")).toBe(true);
    expect(sandbox.credentials.verifyPassword(A.authId, body.id as string, "wrong horse")).toBe(false);
  });

  test("accepts enabled and description by default (older docs)", async () => {
    const body = await created({ enabled: false, description: "desk phone" });
    expect(body).toMatchObject({ enabled: false, description: "desk phone" });
  });

  test("createAcceptsExtraFields: false makes enabled and description unknown fields", async () => {
    sandbox.switches.set({ createAcceptsExtraFields: false });
    for (const extra of [{ enabled: false }, { description: "x" }]) {
      const reply = await a.create({ username: uniqueName(), password: "s3cret-pass", ...extra });
      expect(expectError(reply, 400, "UNKNOWN_FIELD").details.field).toBe(Object.keys(extra)[0]);
    }
    await created();
  });

  test("an unknown field is a 400", async () => {
    const reply = await a.create({ username: uniqueName(), password: "s3cret-pass", trunk_id: "t1" });
    expect(expectError(reply, 400, "UNKNOWN_FIELD").details.field).toBe("trunk_id");
  });

  test.each([
    ["malformed JSON", '{"username": "x", "password": "s3cret-pass"', "INVALID_JSON"],
    ["an empty body", "", "INVALID_JSON"],
    ["a JSON array", "[]", "INVALID_BODY"],
    ["a JSON string", '"text"', "INVALID_BODY"],
  ])("400 for %s", async (_what, raw, code) => {
    expectError(await a.call("POST", "/credentials", { raw }), 400, code);
  });

  const long = (n: number) => "u".repeat(n);
  test.each([
    ["username missing", { password: "s3cret-pass" }, { field: "username", rule: "required" }],
    ["username empty", { username: "", password: "s3cret-pass" }, { field: "username", rule: "required" }],
    ["username not a string", { username: 42, password: "s3cret-pass" }, { field: "username", rule: "type" }],
    [
      "username with a space",
      { username: "bad name", password: "s3cret-pass" },
      { field: "username", rule: "pattern" },
    ],
    [
      "username with a dot",
      { username: "bad.name", password: "s3cret-pass" },
      { field: "username", rule: "pattern" },
    ],
    [
      "username too long",
      { username: long(USERNAME_MAX_LENGTH + 1), password: "s3cret-pass" },
      { field: "username", rule: "max_length", max: USERNAME_MAX_LENGTH },
    ],
    ["password missing", { username: "pw_missing" }, { field: "password", rule: "required" }],
    [
      "password not a string",
      { username: "pw_type", password: 12345678 },
      { field: "password", rule: "type" },
    ],
    [
      "password of 7 characters",
      { username: "pw_short", password: "1234567" },
      { field: "password", rule: "min_length", min: 8 },
    ],
    [
      "enabled not a boolean",
      { username: "en_type", password: "s3cret-pass", enabled: "yes" },
      { field: "enabled", rule: "type" },
    ],
    [
      "description not a string",
      { username: "d_type", password: "s3cret-pass", description: 5 },
      { field: "description", rule: "type" },
    ],
    [
      "description too long",
      { username: "d_long", password: "s3cret-pass", description: "d".repeat(DESCRIPTION_MAX_LENGTH + 1) },
      { field: "description", rule: "max_length", max: DESCRIPTION_MAX_LENGTH },
    ],
  ])("422 VALIDATION_ERROR: %s", async (_what, body, details) => {
    const error = expectError(await a.create(body), 422, "VALIDATION_ERROR");
    expect(error.details).toMatchObject(details);
    expect(error.details.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: details.field })]),
    );
  });

  test("the limits themselves pass: 8-character password, long password, longest username and description", async () => {
    await created({ password: "12345678" });
    await created({ password: "p".repeat(500) });
    await created({ username: `${"U-_9".repeat(63)}abc`, description: "d".repeat(DESCRIPTION_MAX_LENGTH) });
  });

  test("409 DUPLICATE_USERNAME within an account; the same username on another account is fine", async () => {
    const username = uniqueName("dup");
    expect((await a.create({ username, password: "s3cret-pass" })).status).toBe(201);
    expectError(await a.create({ username, password: "other-pass" }), 409, "DUPLICATE_USERNAME");
    expect((await b.create({ username, password: "s3cret-pass" })).status).toBe(201);
  });
});

describe("get one", () => {
  test("200 with the object; 404 for an unknown id", async () => {
    const made = await created({ description: "lobby" });
    const reply = await a.get(made.id as string);
    expect(reply.status).toBe(200);
    expect(obj(reply)).toEqual(made);
    expectError(await a.get("00000000-0000-4000-8000-000000000000"), 404, "CREDENTIAL_NOT_FOUND");
  });

  test("singleGet: false answers 405, as if the undocumented endpoint were absent", async () => {
    const made = await created();
    sandbox.switches.set({ singleGet: false });
    const reply = await a.get(made.id as string);
    expectError(reply, 405, "METHOD_NOT_ALLOWED");
    expect(reply.headers.get("allow")).toBe("PUT, DELETE");
  });
});

describe("the switches for the path segment and the page size", () => {
  const list = (segment: string, limit = 100) =>
    send("GET", `${sandbox.baseUrl}/${segment}/${A.authId}/trunks/credentials?limit=${limit}&offset=0`, {
      headers: { "X-Auth-ID": A.authId, "X-Auth-Token": A.authToken },
    });

  test("accountPathSegment: either casing by default; one casing answers 404 on the other", async () => {
    expect((await list("account")).status).toBe(200);
    expect((await list("Account")).status).toBe(200);
    sandbox.switches.set({ accountPathSegment: "Account" });
    expect((await list("account")).status).toBe(404);
    expect((await list("Account")).status).toBe(200);
    sandbox.switches.set({ accountPathSegment: "account" });
    expect((await list("Account")).status).toBe(404);
    expect((await list("account")).status).toBe(200);
  });

  test("maxPageSize clamps a larger limit and says so in meta.limit", async () => {
    for (let i = 0; i < 3; i++) await created();
    sandbox.switches.set({ maxPageSize: 2 });
    const reply = await list("account");
    expect(reply.status).toBe(200);
    const body = obj(reply) as { meta: { limit: number }; objects: unknown[] };
    expect(body.meta.limit).toBe(2);
    expect(body.objects).toHaveLength(2);
    expect(() => sandbox.switches.set({ maxPageSize: 101 })).toThrow();
  });
});

describe("update", () => {
  test("changes only the given fields and moves updated_at strictly forward", async () => {
    const made = await created({ description: "before" });
    const id = made.id as string;
    const r1 = await a.update(id, { password: "new-password-1" });
    expect(r1.status).toBe(200);
    const v1 = obj(r1);
    expect(v1).toMatchObject({ id, username: made.username, enabled: true, description: "before" });
    expect(v1.created_at).toBe(made.created_at);
    expect(Date.parse(v1.updated_at as string)).toBeGreaterThan(Date.parse(made.updated_at as string));
    expect(sandbox.credentials.verifyPassword(A.authId, id, "new-password-1")).toBe(true);
    expect(sandbox.credentials.verifyPassword(A.authId, id, "s3cret-pass")).toBe(false);
    expect(r1.text).not.toContain("new-password-1");

    const v2 = obj(await a.update(id, { enabled: false }));
    expect(v2).toMatchObject({ enabled: false, description: "before" });
    expect(Date.parse(v2.updated_at as string)).toBeGreaterThan(Date.parse(v1.updated_at as string));

    const v3 = obj(await a.update(id, { description: "after", enabled: true }));
    expect(v3).toMatchObject({ enabled: true, description: "after" });
    expect(sandbox.credentials.verifyPassword(A.authId, id, "new-password-1")).toBe(true);
  });

  test("updated_at moves even for updates within the same millisecond", async () => {
    const made = await created();
    const stamps = [made.updated_at as string];
    for (let i = 0; i < 5; i++) {
      stamps.push(
        sandbox.credentials.update(A.authId, made.id as string, { enabled: i % 2 === 0 }).updated_at,
      );
    }
    const times = stamps.map((s) => Date.parse(s));
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]);
  });

  test("a description set by update appears; returnDescription: false always omits it", async () => {
    const made = await created();
    expect(made).not.toHaveProperty("description");
    const v = obj(await a.update(made.id as string, { description: "set later" }));
    expect(v.description).toBe("set later");
    sandbox.switches.set({ returnDescription: false });
    expect(obj(await a.get(made.id as string))).not.toHaveProperty("description");
  });

  test("400 for username (immutable), unknown fields and malformed JSON; 422 for rule failures", async () => {
    const id = (await created()).id as string;
    expect(
      expectError(await a.update(id, { username: "renamed" }), 400, "IMMUTABLE_FIELD").details.field,
    ).toBe("username");
    expect(expectError(await a.update(id, { realm: "x" }), 400, "UNKNOWN_FIELD").details.field).toBe("realm");
    expectError(await a.call("PUT", `/credentials/${id}`, { raw: "{nope" }), 400, "INVALID_JSON");
    expect(expectError(await a.update(id, {}), 422, "VALIDATION_ERROR").details.rule).toBe("at_least_one_of");
    expect(
      expectError(await a.update(id, { password: "short" }), 422, "VALIDATION_ERROR").details,
    ).toMatchObject({
      field: "password",
      rule: "min_length",
      min: 8,
    });
    expect(expectError(await a.update(id, { enabled: "no" }), 422, "VALIDATION_ERROR").details.field).toBe(
      "enabled",
    );
    expect(
      expectError(await a.update(id, { description: null }), 422, "VALIDATION_ERROR").details.field,
    ).toBe("description");
  });

  test("404 for an unknown id", async () => {
    expectError(
      await a.update("00000000-0000-4000-8000-000000000000", { enabled: false }),
      404,
      "CREDENTIAL_NOT_FOUND",
    );
  });
});

describe("delete", () => {
  test("204 with no body, then 404", async () => {
    const id = (await created()).id as string;
    const reply = await a.remove(id);
    expect(reply.status).toBe(204);
    expect(reply.text).toBe("");
    expect(reply.headers.get("x-request-id")).toMatch(/^req_/);
    expectError(await a.get(id), 404, "CREDENTIAL_NOT_FOUND");
    expectError(await a.remove(id), 404, "CREDENTIAL_NOT_FOUND");
  });

  test("409 CREDENTIAL_IN_USE while in use; the credential stays; 204 once released", async () => {
    const id = (await created()).id as string;
    sandbox.credentials.setInUse(A.authId, id, true);
    expectError(await a.remove(id), 409, "CREDENTIAL_IN_USE");
    expect((await a.get(id)).status).toBe(200);
    sandbox.credentials.setInUse(A.authId, id, false);
    expect((await a.remove(id)).status).toBe(204);
  });

  test("deleteInUse: disconnect deletes a credential in use; deleteStatus: 200 answers with a body", async () => {
    const id = (await created()).id as string;
    sandbox.credentials.setInUse(A.authId, id, true);
    sandbox.switches.set({ deleteInUse: "disconnect", deleteStatus: 200 });
    const reply = await a.remove(id);
    expect(reply.status).toBe(200);
    expect(obj(reply)).toMatchObject({ id });
    expect((await a.get(id)).status).toBe(404);
  });
});

describe("auth", () => {
  const routes = [
    ["POST", "/credentials", { username: "auth_x", password: "s3cret-pass" }],
    ["GET", "/trunks/credentials", undefined],
    ["GET", "/credentials/00000000-0000-4000-8000-000000000000", undefined],
    ["PUT", "/credentials/00000000-0000-4000-8000-000000000000", { enabled: false }],
    ["DELETE", "/credentials/00000000-0000-4000-8000-000000000000", undefined],
  ] as const;

  test.each(routes)(
    "%s %s: 401 without headers, with a wrong token or an unknown account; 403 for another account",
    async (method, path, body) => {
      const url = `${sandbox.baseUrl}/account/${A.authId}${path}`;
      expectError(await send(method, url, { body }), 401, "UNAUTHORIZED");
      expectError(await send(method, url, { body, headers: { "X-Auth-ID": A.authId } }), 401, "UNAUTHORIZED");
      expectError(
        await send(method, url, { body, headers: { "X-Auth-Token": A.authToken } }),
        401,
        "UNAUTHORIZED",
      );
      const wrong = { "X-Auth-ID": A.authId, "X-Auth-Token": "not-the-token" };
      expectError(await send(method, url, { body, headers: wrong }), 401, "INVALID_CREDENTIALS");
      const unknown = { "X-Auth-ID": "MA_NOBODY", "X-Auth-Token": A.authToken };
      expectError(await send(method, url, { body, headers: unknown }), 401, "INVALID_CREDENTIALS");
      const other = { "X-Auth-ID": B.authId, "X-Auth-Token": B.authToken };
      expectError(await send(method, url, { body, headers: other }), 403, "FORBIDDEN");
    },
  );

  test("an error message never echoes the token", async () => {
    const reply = await send("GET", `${a.base}/trunks/credentials`, {
      headers: { "X-Auth-ID": A.authId, "X-Auth-Token": "leaky-token-value" },
    });
    expect(reply.text).not.toContain("leaky-token-value");
  });
});

describe("routing", () => {
  test("unknown routes are 404 with the envelope; a wrong method is 405 with Allow", async () => {
    expectError(await send("GET", `${sandbox.url}/nothing`), 404, "NOT_FOUND");
    expectError(await send("GET", `${sandbox.baseUrl}/account/${A.authId}/calls`), 404, "NOT_FOUND");
    expectError(
      await send("GET", `${sandbox.url}/api/v2/account/${A.authId}/trunks/credentials`),
      404,
      "NOT_FOUND",
    );
    const reply = await a.call("PATCH", "/credentials/some-id", { body: { enabled: false } });
    expectError(reply, 405, "METHOD_NOT_ALLOWED");
    expect(reply.headers.get("allow")).toBe("GET, PUT, DELETE");
    expect((await a.call("GET", "/credentials")).headers.get("allow")).toBe("POST");
  });

  test("the account segment matches case-insensitively; other segments do not", async () => {
    const headers = { "X-Auth-ID": A.authId, "X-Auth-Token": A.authToken };
    for (const segment of ["Account", "ACCOUNT"]) {
      const base = `${sandbox.baseUrl}/${segment}/${A.authId}`;
      const made = await send("POST", `${base}/credentials`, {
        headers,
        body: { username: uniqueName(segment), password: "s3cret-pass" },
      });
      expect(made.status).toBe(201);
      expect((await send("GET", `${base}/credentials/${obj(made).id as string}`, { headers })).status).toBe(
        200,
      );
      expect((await send("GET", `${base}/trunks/credentials`, { headers })).status).toBe(200);
    }
    expectError(
      await send("GET", `${sandbox.baseUrl}/account/${A.authId}/Trunks/Credentials`, { headers }),
      404,
      "NOT_FOUND",
    );
  });

  test("a trailing slash is accepted", async () => {
    expect((await a.list("/")).status).toBe(200);
  });
});

describe("list", () => {
  const P: SandboxAccount = {
    authId: "MA_PAGES",
    authToken: `token-pages-${randomBytes(8).toString("hex")}`,
  };
  let p: ReturnType<typeof accountClient>;
  let expected: string[];

  beforeAll(() => {
    sandbox.accounts.add(P);
    p = accountClient(sandbox, P);
    for (let i = 0; i < 45; i++) {
      sandbox.credentials.create(P.authId, {
        username: `page_${String(i).padStart(2, "0")}`,
        password: "s3cret-pass",
      });
    }
    expected = sandbox.credentials
      .list(P.authId)
      .sort((x, y) => x.created_at.localeCompare(y.created_at) || x.id.localeCompare(y.id))
      .map((c) => c.id);
  });

  test("pages of the default limit 20, a short last page, meta with total, next and previous", async () => {
    const seen: string[] = [];
    const first = obj(await p.list());
    expect(first.meta).toEqual({
      limit: 20,
      offset: 0,
      total: 45,
      next: `/api/v1/account/${P.authId}/trunks/credentials?limit=20&offset=20`,
      previous: null,
    });
    let page = first;
    for (;;) {
      const objects = page.objects as { id: string; password: string }[];
      seen.push(...objects.map((o) => o.id));
      for (const o of objects) expect(o.password).toBe("<redacted>");
      const meta = page.meta as { next: string | null; offset: number };
      if (meta.next === null) {
        expect(objects).toHaveLength(5);
        expect(meta.offset).toBe(40);
        break;
      }
      page = obj(
        await send("GET", `${sandbox.url}${meta.next}`, {
          headers: { "X-Auth-ID": P.authId, "X-Auth-Token": P.authToken },
        }),
      );
    }
    expect(seen).toEqual(expected);
    expect((page.meta as { previous: string }).previous).toBe(
      `/api/v1/account/${P.authId}/trunks/credentials?limit=20&offset=20`,
    );
  });

  test("limit and offset; a limit above the maximum is clamped to it", async () => {
    const page = obj(await p.list("?limit=7&offset=10"));
    expect((page.objects as { id: string }[]).map((o) => o.id)).toEqual(expected.slice(10, 17));
    const clamped = obj(await p.list("?limit=500"));
    expect(clamped.meta).toMatchObject({ limit: LIST_MAX_LIMIT, total: 45, next: null });
    expect(clamped.objects).toHaveLength(45);
    const beyond = obj(await p.list("?offset=100"));
    expect(beyond.objects).toEqual([]);
    expect(beyond.meta).toMatchObject({ total: 45, next: null });
  });

  test.each(["?limit=abc", "?limit=0", "?limit=-1", "?offset=-3", "?offset=1.5"])(
    "400 INVALID_QUERY for %s",
    async (q) => {
      expectError(await p.list(q), 400, "INVALID_QUERY");
    },
  );

  test("listTotalField switch: total_count, or no total at all", async () => {
    sandbox.switches.set({ listTotalField: "total_count" });
    const meta = obj(await p.list("?limit=5")).meta as Record<string, unknown>;
    expect(meta.total_count).toBe(45);
    expect(meta).not.toHaveProperty("total");
    sandbox.switches.set({ listTotalField: "none" });
    const none = obj(await p.list("?limit=5")).meta as Record<string, unknown>;
    expect(none).not.toHaveProperty("total");
    expect(none).not.toHaveProperty("total_count");
  });

  test("each account sees only its own credentials", async () => {
    const mine = await created({}, b);
    const listB = obj(await b.list("?limit=100")).objects as { id: string; account_id: string }[];
    expect(listB.map((o) => o.id)).toContain(mine.id);
    expect(listB.every((o) => o.account_id === B.authId)).toBe(true);
    const listP = obj(await p.list("?limit=100")).objects as { id: string }[];
    expect(listP.map((o) => o.id)).not.toContain(mine.id);
    // Another account's credential id is simply not found on this account.
    expectError(await p.get(mine.id as string), 404, "CREDENTIAL_NOT_FOUND");
    expectError(await p.remove(mine.id as string), 404, "CREDENTIAL_NOT_FOUND");
    expect((await b.get(mine.id as string)).status).toBe(200);
  });
});
