/**
 * VobizClient against the local sandbox over real HTTP (no nock): CRUD, pagination, error mapping,
 * retries and the create reconciliation under injected faults, the shared list snapshot, and the
 * sandbox switches where the public sources disagree. The sandbox journal is the witness of what
 * went over the wire.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { VobizClient } from "../../provider/api/client";
import type { VobizClientOptions } from "../../provider/api/options";
import { HttpTransport } from "../../provider/http/transport";
import {
  VobizApiError,
  VobizAuthenticationError,
  VobizConflictError,
  VobizConnectionError,
  VobizNotFoundError,
  VobizPermissionError,
  VobizRateLimitError,
  VobizServerError,
  VobizValidationError,
} from "../../provider/common/errors";
import { type JournalEntry, type JournalFilter, type Sandbox } from "../../provider/sandbox";
import { useIntegrationSandbox } from "../helpers/integrationSandbox";
import { nonHexSecret } from "../helpers/secrets";
import { closedPort } from "../helpers/processes";

const AUTH_ID = "MA_INTEG";
const TOKEN = nonHexSecret("tok_", 32);
const RETRY = { baseDelayMs: 5, maxDelayMs: 50 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const ctx = useIntegrationSandbox(AUTH_ID, TOKEN);
let sandbox: Sandbox;
beforeAll(() => {
  sandbox = ctx.sandbox;
});

/** Every secret of this file (checked after each test by useIntegrationSandbox). */
const secrets = ctx.secrets;
/** Errors the current test caught. */
const thrown = ctx.thrown;

/** A fresh random password, registered as a secret. */
function password(prefix = "Pw-"): string {
  const p = `${prefix}${randomBytes(9).toString("base64url")}`;
  secrets.add(p);
  return p;
}

let counter = 0;
function username(prefix = "integ"): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

/** A client of the sandbox account with tiny retry delays, isolated from VOBIZ_* of the environment. */
function client(extra: Partial<VobizClientOptions> = {}): VobizClient {
  return new VobizClient({
    baseUrl: sandbox.baseUrl,
    authId: AUTH_ID,
    authToken: TOKEN,
    env: {},
    retry: RETRY,
    // A limiter of each client's own: the process's shared one would carry one test's 429s
    // (a lowered pace) into the next test.
    rateLimiter: "own",
    ...extra,
  });
}

/** Awaits a promise that must reject; records and returns the error. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    thrown.push(err);
    return err as Error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** Credentials created on the control side (not journaled). */
function seed(n: number, prefix = "seed"): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(sandbox.credentials.create(AUTH_ID, { username: username(prefix), password: password() }).id);
  }
  return ids;
}

const journal = (filter: JournalFilter = {}): JournalEntry[] => sandbox.journal.entries(filter);
const listRequests = (): JournalEntry[] => journal({ route: "list" });
const live = () => sandbox.credentials.list(AUTH_ID);

/** Every text form of an error a user or a log could see. */

describe("CRUD", () => {
  test("create: one POST of username and password; the parsed credential carries what Vobiz sets", async () => {
    const name = username("alice");
    const pw = password();
    const c = await client().createCredential({ username: name, password: pw });
    expect(c).toEqual({
      id: expect.stringMatching(UUID),
      username: name,
      enabled: true,
      accountId: AUTH_ID,
      realm: "MA_INTEG.sip.vobiz.ai",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(live().map((x) => x.id)).toEqual([c.id]);
    expect(sandbox.credentials.verifyPassword(AUTH_ID, c.id, pw)).toBe(true);
    const entries = journal();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      method: "POST",
      path: `/api/v1/account/${AUTH_ID}/credentials`,
      route: "create",
      status: 201,
      authId: AUTH_ID,
      body: { username: name, password: "***" },
    });
    expect(entries[0].userAgent).toMatch(/^pulumi-vobiz\/\S+ node\//);
  });

  test("listCredentialsPage: one page with the given limit and offset, and the total", async () => {
    const ids = seed(5);
    const page = await client().listCredentialsPage({ limit: 2, offset: 2 });
    expect(page).toMatchObject({ limit: 2, offset: 2, total: 5 });
    expect(page.credentials.map((c) => c.id)).toEqual(ids.slice(2, 4));
    expect(listRequests().map((e) => e.query)).toEqual([{ limit: "2", offset: "2" }]);
  });

  test("listAllCredentials: 250 credentials take exactly 3 list requests of limit=100", async () => {
    const ids = seed(250);
    const all = await client().listAllCredentials();
    expect(all).toHaveLength(250);
    expect(new Set(all.map((c) => c.id))).toEqual(new Set(ids));
    expect(listRequests().map((e) => e.query)).toEqual([
      { limit: "100", offset: "0" },
      { limit: "100", offset: "100" },
      { limit: "100", offset: "200" },
    ]);
  });

  test("find by id and by username; unknown ones are undefined", async () => {
    const c = client();
    const name = username("bob");
    const created = await c.createCredential({ username: name, password: password() });
    seed(3);
    await expect(c.findCredentialById(created.id)).resolves.toMatchObject({ id: created.id, username: name });
    await expect(c.findCredentialByUsername(name)).resolves.toMatchObject({ id: created.id });
    await expect(c.findCredentialById(randomUUID())).resolves.toBeUndefined();
    await expect(c.findCredentialByUsername("nobody_here")).resolves.toBeUndefined();
  });

  test("update: the PUT body holds only the changed fields, and updated_at moves", async () => {
    const c = client();
    const created = await c.createCredential({ username: username(), password: password() });
    sandbox.journal.clear();

    const described = await c.updateCredential(created.id, { description: "front desk" });
    expect(described).toMatchObject({ id: created.id, enabled: true, description: "front desk" });
    expect(Date.parse(described.updatedAt!)).toBeGreaterThan(Date.parse(created.updatedAt!));

    const disabled = await c.updateCredential(created.id, { enabled: false });
    expect(disabled).toMatchObject({ enabled: false, description: "front desk" });
    expect(Date.parse(disabled.updatedAt!)).toBeGreaterThan(Date.parse(described.updatedAt!));

    const pw = password();
    await c.updateCredential(created.id, { password: pw });
    expect(sandbox.credentials.verifyPassword(AUTH_ID, created.id, pw)).toBe(true);

    const puts = journal({ method: "PUT" });
    expect(puts.map((e) => e.path)).toEqual(
      Array(3).fill(`/api/v1/account/${AUTH_ID}/credentials/${created.id}`),
    );
    expect(puts.map((e) => e.body)).toEqual([
      { description: "front desk" },
      { enabled: false },
      { password: "***" },
    ]);
    expect(puts.every((e) => e.status === 200)).toBe(true);
    await expect(c.updateCredential(created.id, {})).rejects.toThrow(TypeError);
  });

  test("delete: one DELETE, and the credential is gone", async () => {
    const c = client();
    const created = await c.createCredential({ username: username(), password: password() });
    await c.deleteCredential(created.id);
    expect(live()).toEqual([]);
    expect(journal({ method: "DELETE" })).toMatchObject([{ status: 204, route: "delete" }]);
    await expect(c.findCredentialById(created.id)).resolves.toBeUndefined();
  });

  test("delete also accepts the 200-with-body answer (deleteStatus switch)", async () => {
    sandbox.switches.set({ deleteStatus: 200 });
    const [id] = seed(1);
    await client().deleteCredential(id);
    expect(live()).toEqual([]);
  });

  test("404 on update and delete of an unknown id: VobizNotFoundError", async () => {
    const c = client();
    const id = randomUUID();
    const upd = await failure(c.updateCredential(id, { enabled: false }));
    expect(upd).toBeInstanceOf(VobizNotFoundError);
    expect(upd).toMatchObject({
      status: 404,
      code: "CREDENTIAL_NOT_FOUND",
      operation: "update",
      attempts: 1,
    });
    expect(upd.message).toContain(`PUT /account/${AUTH_ID}/credentials/${id}`);
    expect(upd.message).toMatch(/deleted outside Pulumi.*pulumi refresh/);

    const del = await failure(c.deleteCredential(id));
    expect(del).toBeInstanceOf(VobizNotFoundError);
    expect(del).toMatchObject({ status: 404, code: "CREDENTIAL_NOT_FOUND", operation: "delete" });
    expect(del.message).toContain("HTTP 404");
    expect(journal().map((e) => e.status)).toEqual([404, 404]);
  });
});

/**
 * Each failure the sandbox answers, as the caller gets it: the factory's class and next step
 * (their rules: test/unit/errors.test.ts), the sandbox's error code, and what went over the wire
 * (never a retry or a look-up after a final status).
 */
describe("errors", () => {
  type Row = [
    label: string,
    call: () => Promise<unknown>,
    Kind: typeof VobizApiError,
    facts: Record<string, unknown>,
    says: string[],
    wire: () => void,
  ];
  const rows: Row[] = [
    [
      "409 duplicate username on create: no look-up",
      () => {
        const name = username("dup");
        sandbox.credentials.create(AUTH_ID, { username: name, password: password() });
        return client().createCredential({ username: name, password: password() });
      },
      VobizConflictError,
      { status: 409, code: "DUPLICATE_USERNAME", operation: "create" },
      ["adoptExisting: true"],
      () => {
        expect(journal().map((e) => `${e.method} ${e.status}`)).toEqual(["POST 409"]);
        expect(live()).toHaveLength(1);
      },
    ],
    [
      "401 with a wrong token: not retried",
      () => client({ authToken: password("tok_") }).listAllCredentials(),
      VobizAuthenticationError,
      { status: 401, code: "INVALID_CREDENTIALS" },
      ["vobiz:authToken", "VOBIZ_AUTH_TOKEN"],
      () => expect(listRequests()).toHaveLength(1),
    ],
    [
      "a wrong Auth ID with the right token is a 401 (not the 404 of a wrong base URL)",
      () => client({ authId: "MA_NOBODY" }).listAllCredentials(),
      VobizAuthenticationError,
      { status: 401 },
      ["vobiz:authId"],
      () => expect(listRequests()).toHaveLength(1),
    ],
    [
      "403 on another account's path",
      () => {
        sandbox.accounts.add({ authId: "MA_OTHER", authToken: password("tok_") });
        // The client always puts its own Auth ID in the path (and its path segment setting accepts
        // only `account` or `Account`), so the transport under it is aimed at the other account's
        // list with MA_INTEG's headers, as a proxy rewriting paths would.
        const transport = new HttpTransport({
          baseUrl: sandbox.baseUrl,
          authId: AUTH_ID,
          authToken: TOKEN,
          timeoutMs: 5_000,
          retry: RETRY,
        });
        return transport.send({
          method: "GET",
          path: "/account/MA_OTHER/trunks/credentials",
          operation: "list",
          retry: "idempotent",
        });
      },
      VobizPermissionError,
      { status: 403, code: "FORBIDDEN" },
      ["vobiz:authId"],
      () =>
        expect(journal()).toMatchObject([
          { path: "/api/v1/account/MA_OTHER/trunks/credentials", authId: AUTH_ID },
        ]),
    ],
    [
      "422 on a short password, naming the field",
      () => {
        const short = password("").slice(0, 6);
        secrets.add(short);
        return client().createCredential({ username: username(), password: short });
      },
      VobizValidationError,
      {
        status: 422,
        code: "VALIDATION_ERROR",
        details: expect.objectContaining({ field: "password", rule: "min_length" }),
      },
      ["the field 'password'"],
      () => {
        expect(journal().map((e) => e.method)).toEqual(["POST"]);
        expect(live()).toEqual([]);
      },
    ],
    [
      "a base URL without /api/v1: 404 telling to check the base URL",
      () => client({ baseUrl: sandbox.url }).listAllCredentials(),
      VobizNotFoundError,
      { status: 404 },
      ["Check the base URL"],
      () => expect(journal()).toHaveLength(1),
    ],
  ];

  test.each(rows)("%s", async (_label, call, Kind, facts, says, wire) => {
    const err = await failure(call());
    expect(err).toBeInstanceOf(Kind);
    expect(err).toMatchObject({ attempts: 1, ...facts });
    for (const s of says) expect(err.message).toContain(s);
    wire();
  });

  test("a closed port fails fast with VobizConnectionError (list retried, create never reconciled)", async () => {
    const port = await closedPort();
    const c = client({ baseUrl: `http://127.0.0.1:${port}/api/v1` });
    const started = Date.now();
    const list = await failure(c.listAllCredentials());
    expect(list).toBeInstanceOf(VobizConnectionError);
    expect(list).toMatchObject({ status: undefined, networkCode: "ECONNREFUSED", attempts: 5 });
    expect(list.message).toContain("vobiz:baseUrl");
    const create = await failure(c.createCredential({ username: username(), password: password() }));
    expect(create).toBeInstanceOf(VobizConnectionError);
    expect(create).toMatchObject({ networkCode: "ECONNREFUSED" });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(journal()).toEqual([]);
  });
});

describe("retries", () => {
  test("429 twice on list (Retry-After: 0), then success: 3 list requests", async () => {
    const ids = seed(3);
    sandbox.faults.add({ route: "list", status: 429, retryAfter: 0, times: 2 });
    const all = await client().listAllCredentials();
    expect(all.map((c) => c.id)).toEqual(ids);
    expect(listRequests().map((e) => e.status)).toEqual([429, 429, 200]);
  });

  test("429 with Retry-After: 1 is honoured", async () => {
    seed(1);
    sandbox.faults.add({ route: "list", status: 429, retryAfter: 1, times: 1 });
    const started = Date.now();
    await expect(client().listAllCredentials()).resolves.toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(listRequests().map((e) => e.status)).toEqual([429, 200]);
  });

  test("a Retry-After beyond the call's time budget gives up at once, saying how long and how to allow it", async () => {
    sandbox.faults.add({ route: "list", status: 429, retryAfter: 30, times: 1 });
    const err = await failure(client({ retry: { ...RETRY, maxElapsedMs: 10_000 } }).listAllCredentials());
    expect(err).toBeInstanceOf(VobizRateLimitError);
    expect(err).toMatchObject({ attempts: 1 });
    expect(err.message).toContain("Gave up after 1 attempt: Vobiz asked to wait 30 s (Retry-After)");
    expect(err.message).toContain("VOBIZ_MAX_RETRY_WAIT=<seconds>");
    expect(listRequests()).toHaveLength(1);
  });

  test("a Retry-After as an HTTP date (read against the sandbox's Date header) is honoured", async () => {
    seed(1);
    sandbox.faults.add({ route: "list", status: 429, retryAfter: 1, retryAfterDate: true, times: 1 });
    await expect(client().listAllCredentials()).resolves.toHaveLength(1);
    expect(listRequests().map((e) => e.status)).toEqual([429, 200]);
  });

  test("500 twice then success on PUT and on DELETE", async () => {
    const [id] = seed(1);
    sandbox.faults.add({ route: "update", status: 500, times: 2 });
    const updated = await client().updateCredential(id, { description: "after 500s" });
    expect(updated.description).toBe("after 500s");
    expect(journal({ method: "PUT" }).map((e) => e.status)).toEqual([500, 500, 200]);
    expect(sandbox.credentials.get(AUTH_ID, id).description).toBe("after 500s");

    sandbox.faults.add({ route: "delete", status: 500, times: 2 });
    await client().deleteCredential(id);
    expect(journal({ method: "DELETE" }).map((e) => e.status)).toEqual([500, 500, 204]);
    expect(live()).toEqual([]);
  });

  test("a PUT whose connection drops after it was applied is sent again (idempotent)", async () => {
    const [id] = seed(1);
    sandbox.faults.add({ route: "update", applyThenFail: { drop: true }, times: 1 });
    const updated = await client().updateCredential(id, { enabled: false });
    expect(updated.enabled).toBe(false);
    expect(journal({ method: "PUT" })).toMatchObject([
      { status: 0, dropped: true, appliedStatus: 200 },
      { status: 200 },
    ]);
  });

  test("a POST answered 429 is retried (the request was not applied)", async () => {
    sandbox.faults.add({ route: "create", status: 429, retryAfter: 0, times: 1 });
    const name = username();
    const c = await client().createCredential({ username: name, password: password() });
    expect(live().map((x) => x.id)).toEqual([c.id]);
    expect(journal().map((e) => `${e.method} ${e.status}`)).toEqual(["POST 429", "POST 201"]);
  });

  test.each([
    ["the connection drops", { drop: true }, 0],
    ["the answer is a 500", { status: 500 }, 500],
  ])(
    "POST applied, then %s: no duplicate, one POST, the live credential is returned",
    async (_what, applyThenFail, status) => {
      const name = username("atf");
      const pw = password();
      sandbox.faults.add({ route: "create", applyThenFail, times: 1 });
      const c = await client().createCredential({ username: name, password: pw });
      const creds = live();
      expect(creds).toHaveLength(1);
      expect(c.id).toBe(creds[0].id);
      expect(c.username).toBe(name);
      expect(sandbox.credentials.verifyPassword(AUTH_ID, c.id, pw)).toBe(true);
      const posts = journal({ method: "POST" }).filter(
        (e) => (e.body as { username?: string }).username === name,
      );
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ status, appliedStatus: 201 });
      // Reconciled by a fresh look-up.
      expect(listRequests().length).toBeGreaterThanOrEqual(1);
    },
  );

  test("POST whose connection drops before it was applied: look-up finds nothing, the second POST creates it", async () => {
    const name = username("drop");
    sandbox.faults.add({ route: "create", drop: true, times: 1 });
    const c = await client().createCredential({ username: name, password: password() });
    expect(live().map((x) => x.id)).toEqual([c.id]);
    expect(journal().map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      "POST create 0",
      "GET list 200",
      "POST create 201",
    ]);
  });

  test("a list that keeps failing is not cached: the next read scans again", async () => {
    const ids = seed(2);
    sandbox.faults.add({ route: "list", status: 500, times: 5 });
    const c = client();
    const err = await failure(c.listAllCredentials());
    expect(err).toBeInstanceOf(VobizServerError);
    expect(err).toMatchObject({ status: 500, attempts: 5 });
    await expect(c.findCredentialById(ids[1])).resolves.toMatchObject({ id: ids[1] });
    expect(listRequests().map((e) => e.status)).toEqual([500, 500, 500, 500, 500, 200]);
  });

  test("POST answered 503 before it was applied: look-up finds nothing, the second POST creates it", async () => {
    const name = username("u503");
    sandbox.faults.add({ route: "create", status: 503, times: 1 });
    const c = await client().createCredential({ username: name, password: password() });
    expect(live().map((x) => x.id)).toEqual([c.id]);
    const entries = journal();
    expect(entries.map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      "POST create 503",
      "GET list 200",
      "POST create 201",
    ]);
    expect(entries[0].appliedStatus).toBeUndefined();
  });
});

describe("the create's ownership window, on the sandbox's clock (its Date headers)", () => {
  /** A credential made on the control side `agoMs` before now, as a colleague in the console would. */
  function colleagues(name: string, agoMs: number): { id: string; pw: string } {
    const pw = password();
    const now = Date.now();
    const spy = jest.spyOn(Date, "now").mockReturnValue(now - agoMs);
    try {
      return { id: sandbox.credentials.create(AUTH_ID, { username: name, password: pw }).id, pw };
    } finally {
      spy.mockRestore();
    }
  }

  test("a colleague's credential made 10 s before an ambiguous create is not taken: 409 naming it", async () => {
    const name = username("colleague");
    const theirs = colleagues(name, 10_000);
    sandbox.faults.add({ route: "create", status: 503, times: 1 });
    const err = await failure(client().createCredential({ username: name, password: password() }));
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err.message).toContain(
      `a credential named '${name}' (id ${theirs.id}) already exists and is not this run's own`,
    );
    expect(err.message).toContain("on Vobiz's clock, measured from the Date headers of its answers");
    expect(err.message).toContain("adoptExisting: true");
    // Untouched: no PUT, its password is still the colleague's.
    expect(journal().map((e) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      "POST create 503",
      "GET list 200",
    ]);
    expect(sandbox.credentials.verifyPassword(AUTH_ID, theirs.id, theirs.pw)).toBe(true);
  });

  test("this machine's clock 10 minutes ahead: the create that landed is still recognised as ours", async () => {
    const name = username("ahead");
    const pw = password();
    const ahead = {
      now: () => Date.now() + 600_000,
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
      random: Math.random,
    };
    sandbox.faults.add({ route: "create", applyThenFail: { status: 500 }, times: 1 });
    const c = await client({ clock: ahead }).createCredential({ username: name, password: pw });
    expect(live().map((x) => x.id)).toEqual([c.id]);
    expect(sandbox.credentials.verifyPassword(AUTH_ID, c.id, pw)).toBe(true);
    expect(journal({ method: "POST" })).toHaveLength(1);
  });

  test("this machine's clock 10 minutes behind: a colleague's credential made 10 s before is still refused", async () => {
    const name = username("behind");
    const theirs = colleagues(name, 10_000);
    const behind = {
      now: () => Date.now() - 600_000,
      sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
      random: Math.random,
    };
    sandbox.faults.add({ route: "create", status: 500, times: 1 });
    const err = await failure(
      client({ clock: behind }).createCredential({ username: name, password: password() }),
    );
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err.message).toContain(`(id ${theirs.id})`);
    expect(sandbox.credentials.verifyPassword(AUTH_ID, theirs.id, theirs.pw)).toBe(true);
  });
});

describe("reads through the shared snapshot", () => {
  test("20 concurrent findCredentialById share one scan", async () => {
    const ids = seed(20);
    const c = client();
    const found = await Promise.all(ids.map((id) => c.findCredentialById(id)));
    expect(found.map((f) => f?.id)).toEqual(ids);
    expect(listRequests()).toHaveLength(1);
  });

  test("misses in an older snapshot share one confirmation scan", async () => {
    seed(2);
    const c = client();
    await c.listAllCredentials();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = seed(3, "later");
    const unknown = [randomUUID(), randomUUID()];
    const found = await Promise.all([...later, ...unknown].map((id) => c.findCredentialById(id)));
    expect(found.map((f) => f?.id)).toEqual([...later, undefined, undefined]);
    expect(listRequests()).toHaveLength(2);
  });

  test.each([
    ["total", 2],
    ["total_count", 2],
    ["none", 3],
  ] as const)(
    "listTotalField %s: pages correctly (%i requests for 20 credentials of page size 10)",
    async (field, requests) => {
      sandbox.switches.set({ listTotalField: field });
      const ids = seed(20);
      const all = await client({ listPageSize: 10 }).listAllCredentials();
      expect(all.map((c) => c.id)).toEqual(ids);
      expect(listRequests().map((e) => e.query.offset)).toEqual(["0", "10", "20"].slice(0, requests));
    },
  );

  test("listTotalField none with a short last page stops there", async () => {
    sandbox.switches.set({ listTotalField: "none" });
    const ids = seed(25);
    const all = await client({ listPageSize: 10 }).listAllCredentials();
    expect(all.map((c) => c.id)).toEqual(ids);
    expect(listRequests()).toHaveLength(3);
  });
});

test('accountPathSegment "Account" works against the sandbox', async () => {
  const c = client({ accountPathSegment: "Account" });
  const pw = password();
  const created = await c.createCredential({ username: username("caps"), password: pw });
  await c.updateCredential(created.id, { enabled: false });
  await expect(c.findCredentialById(created.id)).resolves.toMatchObject({ enabled: false });
  await c.deleteCredential(created.id);
  expect(live()).toEqual([]);
  const entries = journal();
  expect(entries.map((e) => `${e.method} ${e.status}`)).toEqual([
    "POST 201",
    "PUT 200",
    "GET 200",
    "DELETE 204",
  ]);
  for (const e of entries) expect(e.path.startsWith(`/api/v1/Account/${AUTH_ID}/`)).toBe(true);
});
