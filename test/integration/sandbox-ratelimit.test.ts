/** The sandbox's rate limit over real HTTP: off by default, 429 with Retry-After per account, journaled, controllable. */
import { randomBytes } from "node:crypto";
import { startSandbox, type Sandbox, type SandboxAccount } from "../../provider/sandbox";
import { accountClient, expectError, obj, send, uniqueName } from "../helpers/sandboxHttp";

const A: SandboxAccount = { authId: "MA_RATEA", authToken: `rate-a-${randomBytes(8).toString("hex")}` };
const B: SandboxAccount = { authId: "MA_RATEB", authToken: `rate-b-${randomBytes(8).toString("hex")}` };

let sandbox: Sandbox;
let a: ReturnType<typeof accountClient>;
let b: ReturnType<typeof accountClient>;
const control = (method: string, path: string, body?: unknown) =>
  send(method, `${sandbox.url}/__sandbox${path}`, body === undefined ? {} : { body });

afterEach(() => sandbox?.stop());

async function start(options: Parameters<typeof startSandbox>[0] = {}) {
  sandbox = await startSandbox({ accounts: [A, B], ...options });
  a = accountClient(sandbox, A);
  b = accountClient(sandbox, B);
}

test("off by default: a burst of requests is answered in full", async () => {
  await start();
  expect(sandbox.rateLimit.get()).toBeNull();
  const statuses = await Promise.all(Array.from({ length: 25 }, () => a.list()));
  expect(statuses.map((r) => r.status)).toEqual(Array(25).fill(200));
  expect(obj(await control("GET", "/rate-limit"))).toEqual({ rateLimit: null });
});

test("past the burst an account gets 429 RATE_LIMITED with Retry-After and X-RateLimit-Reset; others are served", async () => {
  // A slow refill (one token per 100 s), so no token comes back while the test runs.
  await start({ rateLimit: { requestsPerSecond: 0.01, burst: 3 } });
  for (let i = 0; i < 3; i++) expect((await a.list()).status).toBe(200);
  const before = Date.now();
  const refused = await a.list();
  const error = expectError(refused, 429, "RATE_LIMITED");
  expect(error.details).toMatchObject({ requestsPerSecond: 0.01, burst: 3 });
  const retryAfter = Number(refused.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(90);
  expect(retryAfter).toBeLessThanOrEqual(100);
  const reset = Number(refused.headers.get("x-ratelimit-reset"));
  expect(reset).toBeGreaterThanOrEqual(Math.floor(before / 1000) + 90);
  expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 100);

  // Another account has its own bucket.
  expect((await b.list()).status).toBe(200);

  // A refused create writes nothing.
  const username = uniqueName("limited");
  expect((await a.create({ username, password: "limited-password" })).status).toBe(429);
  expect(sandbox.credentials.list(A.authId).map((c) => c.username)).not.toContain(username);
});

test("429s are journaled like other answers, marked rateLimited, and consume no fault rule", async () => {
  await start({ rateLimit: { requestsPerSecond: 0.1, burst: 1 } });
  sandbox.faults.add({ route: "list", authId: A.authId, status: 503, times: 1 });
  expect((await a.list()).status).toBe(503); // takes the only token, and the fault fires
  sandbox.faults.add({ route: "list", authId: A.authId, status: 500, times: 1 });
  expect((await a.list()).status).toBe(429);
  expect((await a.list()).status).toBe(429);
  expect(sandbox.faults.list()).toEqual([expect.objectContaining({ status: 500, hits: 0, remaining: 1 })]);

  const limited = sandbox.journal.entries({ status: 429 });
  expect(limited).toHaveLength(2);
  for (const entry of limited) {
    expect(entry).toMatchObject({
      route: "list",
      authId: A.authId,
      errorCode: "RATE_LIMITED",
      rateLimited: true,
    });
    expect(entry.fault).toEqual([]);
  }
  expect(sandbox.journal.entries({ status: 503 })[0].rateLimited).toBeUndefined();
});

test("requests without valid credentials count against the X-Auth-ID they name", async () => {
  await start({ rateLimit: { requestsPerSecond: 0.1, burst: 1 } });
  const wrong = accountClient(sandbox, { authId: A.authId, authToken: "wrong-token-000" });
  expect((await wrong.list()).status).toBe(401);
  expect((await a.list()).status).toBe(429);
});

test("a token comes back after Retry-After", async () => {
  await start({ rateLimit: { requestsPerSecond: 2, burst: 1 } });
  expect((await a.list()).status).toBe(200);
  const refused = await a.list();
  expect(refused.status).toBe(429);
  expect(refused.headers.get("retry-after")).toBe("1");
  await new Promise((r) => setTimeout(r, Number(refused.headers.get("retry-after")) * 1000));
  expect((await a.list()).status).toBe(200);
});

test("the control route sets, reads and removes the limit; bad limits are refused", async () => {
  await start();
  expect(obj(await control("PUT", "/rate-limit", { requestsPerSecond: 0.1 }))).toEqual({
    rateLimit: { requestsPerSecond: 0.1, burst: 1 },
  });
  expect(sandbox.rateLimit.get()).toEqual({ requestsPerSecond: 0.1, burst: 1 });
  expect(obj(await control("GET", "/health")).rateLimit).toEqual({ requestsPerSecond: 0.1, burst: 1 });
  expect((await a.list()).status).toBe(200);
  expect((await a.list()).status).toBe(429);

  // Setting a limit again refills every bucket.
  await control("PUT", "/rate-limit", { requestsPerSecond: 0.1, burst: 2 });
  expect((await a.list()).status).toBe(200);
  expect((await a.list()).status).toBe(200);
  expect((await a.list()).status).toBe(429);

  expect((await control("DELETE", "/rate-limit")).status).toBe(204);
  expect(obj(await control("GET", "/rate-limit"))).toEqual({ rateLimit: null });
  expect((await a.list()).status).toBe(200);

  expectError(await control("PUT", "/rate-limit", { requestsPerSecond: 0 }), 422, "VALIDATION_ERROR");
  expectError(
    await control("PUT", "/rate-limit", { requestsPerSecond: 1, burst: 1.5 }),
    422,
    "VALIDATION_ERROR",
  );
  expectError(await control("PUT", "/rate-limit", { requestsPerSecond: "2" }), 422, "VALIDATION_ERROR");
  expectError(await control("PUT", "/rate-limit", { requestsPerSecond: 1, per: "s" }), 400, "UNKNOWN_FIELD");
  expectError(await control("PUT", "/rate-limit", [1]), 400, "INVALID_BODY");
  expectError(await control("POST", "/rate-limit", {}), 405, "METHOD_NOT_ALLOWED");
  expect(sandbox.rateLimit.get()).toBeNull();
});

test("startSandbox refuses an invalid rate limit", async () => {
  await expect(startSandbox({ rateLimit: { requestsPerSecond: -1 } })).rejects.toMatchObject({
    status: 422,
    details: { field: "requestsPerSecond" },
  });
  await start(); // so afterEach has a sandbox to stop
});
