/** Fault injection over real HTTP: statuses and headers, drops, applyThenFail, latency, seeded randomness. */
import { randomBytes } from "node:crypto";
import {
  SandboxError,
  startSandbox,
  type FaultRule,
  type Sandbox,
  type SandboxAccount,
} from "../../provider/sandbox";
import { accountClient, expectError, obj, uniqueName } from "../helpers/sandboxHttp";

const A: SandboxAccount = {
  authId: "MA_FAULTA",
  authToken: `token-fault-a-${randomBytes(8).toString("hex")}`,
};
const B: SandboxAccount = {
  authId: "MA_FAULTB",
  authToken: `token-fault-b-${randomBytes(8).toString("hex")}`,
};

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
  sandbox.faults.clear();
  sandbox.journal.clear();
});

/** Statuses of `n` list requests of account A against a sandbox. */
async function listStatuses(target: Sandbox, account: SandboxAccount, n: number): Promise<number[]> {
  const client = accountClient(target, account);
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push((await client.list()).status);
  return statuses;
}

describe("status faults", () => {
  test("503 with Retry-After in seconds and X-RateLimit-Reset, once (times: 1), then the rule expires", async () => {
    const id = sandbox.faults.add({
      route: "list",
      status: 503,
      retryAfter: 2,
      rateLimitReset: 1_900_000_000,
      times: 1,
    });
    expect(id).toMatch(/^fault_\d+$/);
    const reply = await a.list();
    expectError(reply, 503, "SERVICE_UNAVAILABLE");
    expect(reply.headers.get("retry-after")).toBe("2");
    expect(reply.headers.get("x-ratelimit-reset")).toBe("1900000000");
    expect((await a.list()).status).toBe(200);
    expect(sandbox.faults.list()).toEqual([]);
    const [faulted, clean] = sandbox.journal.entries();
    expect(faulted).toMatchObject({
      status: 503,
      errorCode: "SERVICE_UNAVAILABLE",
      fault: [{ id, kind: "status" }],
    });
    expect(clean).toMatchObject({ status: 200, fault: [] });
  });

  test("429 with Retry-After as an HTTP date", async () => {
    sandbox.faults.add({ status: 429, retryAfter: 30, retryAfterDate: true, times: 1 });
    const before = Date.now();
    const reply = await a.list();
    expectError(reply, 429, "RATE_LIMITED");
    const header = reply.headers.get("retry-after") ?? "";
    expect(header).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    const when = Date.parse(header);
    expect(when).toBeGreaterThanOrEqual(before + 28_000);
    expect(when).toBeLessThanOrEqual(Date.now() + 31_000);
  });

  test("times: N fails exactly the next N matching requests", async () => {
    sandbox.faults.add({ route: "list", status: 500, times: 3 });
    expect(await listStatuses(sandbox, A, 5)).toEqual([500, 500, 500, 200, 200]);
  });

  test("502 and 504 get their codes; status faults answer before authentication", async () => {
    sandbox.faults.add({ status: 502, times: 1 });
    sandbox.faults.add({ status: 504, times: 1 });
    expectError(await a.list(), 502, "BAD_GATEWAY");
    expectError(
      await a.call("GET", "/trunks/credentials", { headers: { "X-Auth-Token": "wrong" } }),
      504,
      "GATEWAY_TIMEOUT",
    );
  });

  test("rules match by route, method, authId and pathPattern", async () => {
    sandbox.faults.add({ route: "create", status: 500 });
    sandbox.faults.add({ authId: B.authId, status: 503 });
    expect((await a.list()).status).toBe(200);
    expect((await a.create({ username: uniqueName(), password: "s3cret-pass" })).status).toBe(500);
    expect((await b.list()).status).toBe(503);
    sandbox.faults.clear();

    sandbox.faults.add({ method: "delete", status: 502 });
    sandbox.faults.add({ pathPattern: "/trunks/", status: 504 });
    expect((await a.remove("some-id")).status).toBe(502);
    expect((await a.list()).status).toBe(504);
    expect((await a.get("some-id")).status).toBe(404);
  });

  test("invalid rules are rejected", () => {
    const bad: unknown[] = [
      {},
      { status: 200 },
      { status: 500, drop: true },
      { probability: 2, status: 500 },
      { times: 0, status: 500 },
      { pathPattern: "(", status: 500 },
      { route: "patch", status: 500 },
      { status: 500, colour: "red" },
      { applyThenFail: { status: 500, drop: true } },
    ];
    for (const rule of bad) expect(() => sandbox.faults.add(rule as FaultRule)).toThrow(SandboxError);
  });
});

describe("probability", () => {
  test("the same seed gives the same sequence; another seed another one", async () => {
    const rule: FaultRule = { route: "list", probability: 0.5, status: 500 };
    const run = async (seed: number) => {
      const s = await startSandbox({ accounts: [A], seed });
      try {
        s.faults.add(rule);
        return await listStatuses(s, A, 24);
      } finally {
        await s.stop();
      }
    };
    const first = await run(42);
    const second = await run(42);
    const other = await run(7);
    expect(second).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(other).not.toEqual(first);
  });

  test("a rule's own seed fixes its sequence regardless of the sandbox seed; probability 0 never fires", async () => {
    sandbox.faults.add({ route: "list", probability: 0.3, seed: 99, status: 503 });
    const here = await listStatuses(sandbox, A, 20);
    const elsewhere = await startSandbox({ accounts: [A], seed: 12345 });
    try {
      elsewhere.faults.add({ route: "list", probability: 0.3, seed: 99, status: 503 });
      expect(await listStatuses(elsewhere, A, 20)).toEqual(here);
    } finally {
      await elsewhere.stop();
    }
    sandbox.faults.clear();
    sandbox.faults.add({ probability: 0, status: 500 });
    expect(await listStatuses(sandbox, A, 5)).toEqual([200, 200, 200, 200, 200]);
  });
});

describe("latency", () => {
  test("a fixed latency delays the request and is journaled", async () => {
    sandbox.faults.add({ route: "list", latencyMs: 120, times: 1 });
    const started = Date.now();
    expect((await a.list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    const [entry] = sandbox.journal.entries();
    expect(entry.fault).toEqual([{ id: expect.any(String), kind: "latency", latencyMs: 120 }]);
    expect(entry.durationMs).toBeGreaterThanOrEqual(110);
  });

  test("jitter stays within 0..N and follows the seed", async () => {
    // A rule's PRNG is seeded from the sandbox seed and the rule's number, so compare fresh sandboxes.
    const jitters = async (seed: number) => {
      const target = await startSandbox({ accounts: [A], seed });
      try {
        target.faults.add({ route: "list", latencyJitterMs: 8 });
        await listStatuses(target, A, 12);
        return target.journal.entries().map((e) => e.fault[0].latencyMs);
      } finally {
        await target.stop();
      }
    };
    const first = await jitters(5);
    expect(first.every((ms) => ms >= 0 && ms <= 8)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await jitters(5)).toEqual(first);
  });

  test("the global latencyMs option delays every API request but not the control API", async () => {
    const slow = await startSandbox({ accounts: [A], latencyMs: 100 });
    try {
      let started = Date.now();
      expect((await accountClient(slow, A).list()).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(90);
      started = Date.now();
      expect((await fetch(`${slow.url}/__sandbox/health`)).status).toBe(200);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await slow.stop();
    }
  });
});

describe("drop and applyThenFail", () => {
  test("drop destroys the connection without a response and without handling the request", async () => {
    sandbox.faults.add({ route: "create", drop: true, times: 1 });
    const username = uniqueName("dropped");
    await expect(a.create({ username, password: "s3cret-pass" })).rejects.toThrow();
    expect(sandbox.credentials.list(A.authId).map((c) => c.username)).not.toContain(username);
    const [entry] = sandbox.journal.entries();
    expect(entry).toMatchObject({ status: 0, dropped: true, route: "create", fault: [{ kind: "drop" }] });
    expect(entry).not.toHaveProperty("appliedStatus");
    // The next request works on a fresh connection.
    expect((await a.create({ username, password: "s3cret-pass" })).status).toBe(201);
  });

  test("applyThenFail with a status: the create happened, the client got a 500", async () => {
    sandbox.faults.add({ route: "create", applyThenFail: { status: 500 }, times: 1 });
    const username = uniqueName("applied");
    expectError(await a.create({ username, password: "s3cret-pass" }), 500, "INTERNAL_ERROR");
    expect(sandbox.credentials.list(A.authId).map((c) => c.username)).toContain(username);
    expect(sandbox.journal.entries()[0]).toMatchObject({
      status: 500,
      appliedStatus: 201,
      fault: [{ kind: "applyThenFail" }],
    });
    // A retry of the same create now meets the duplicate.
    expectError(await a.create({ username, password: "s3cret-pass" }), 409, "DUPLICATE_USERNAME");
  });

  test("applyThenFail with a drop: the create and the update happened, the client learnt nothing", async () => {
    sandbox.faults.add({ route: "create", applyThenFail: { drop: true }, times: 1 });
    const username = uniqueName("applied_drop");
    await expect(a.create({ username, password: "s3cret-pass" })).rejects.toThrow();
    const made = sandbox.credentials.list(A.authId).find((c) => c.username === username);
    expect(made).toBeDefined();
    const id = (made as { id: string }).id;

    sandbox.faults.add({ route: "update", applyThenFail: { drop: true }, times: 1 });
    await expect(a.update(id, { password: "changed-pass", enabled: false })).rejects.toThrow();
    expect(sandbox.credentials.verifyPassword(A.authId, id, "changed-pass")).toBe(true);
    expect(obj(await a.get(id))).toMatchObject({ id, enabled: false });
    expect(sandbox.journal.entries({ faulted: true })).toEqual([
      expect.objectContaining({ route: "create", status: 0, dropped: true, appliedStatus: 201 }),
      expect.objectContaining({ route: "update", status: 0, dropped: true, appliedStatus: 200 }),
    ]);
  });

  test("applyThenFail on delete with Retry-After: deleted, yet the client saw a 503", async () => {
    const id = sandbox.credentials.create(A.authId, {
      username: uniqueName("del"),
      password: "s3cret-pass",
    }).id;
    sandbox.faults.add({ route: "delete", applyThenFail: { status: 503 }, retryAfter: 1, times: 1 });
    const reply = await a.remove(id);
    expectError(reply, 503, "SERVICE_UNAVAILABLE");
    expect(reply.headers.get("retry-after")).toBe("1");
    expectError(await a.get(id), 404, "CREDENTIAL_NOT_FOUND");
  });

  test("latency and a terminal rule combine; only the first terminal rule applies", async () => {
    const slow = sandbox.faults.add({ route: "list", latencyMs: 20, times: 1 });
    const first = sandbox.faults.add({ route: "list", status: 503, times: 1 });
    const second = sandbox.faults.add({ route: "list", status: 500, times: 1 });
    expect((await a.list()).status).toBe(503);
    expect(sandbox.journal.entries()[0].fault.map((f) => f.id)).toEqual([slow, first]);
    expect(sandbox.faults.list().map((r) => r.id)).toEqual([second]);
    expect((await a.list()).status).toBe(500);
  });
});
