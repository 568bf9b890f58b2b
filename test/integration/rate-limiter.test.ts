/**
 * The provider's shared rate limiter against the sandbox's rate limit over real HTTP: many
 * creates of one account at once converge with no failure, no duplicate and few 429s, where the
 * same burst with the limiter off (each request retrying alone) is refused far more often.
 */
import { randomBytes } from "node:crypto";
import { VobizClient } from "../../provider/api/client";
import { resetSharedLimiters } from "../../provider/http/limiter/registry";
import { startSandbox, type Sandbox, type SandboxAccount } from "../../provider/sandbox";

const ACCOUNT: SandboxAccount = {
  authId: "MA_LIMITED",
  authToken: `limited-${randomBytes(8).toString("hex")}`,
};
const N = 40;
const PARALLEL = 8;
const LIMIT = { requestsPerSecond: 10, burst: 2 };

jest.setTimeout(60_000);
let sandbox: Sandbox;
beforeEach(async () => {
  resetSharedLimiters();
  sandbox = await startSandbox({ accounts: [ACCOUNT], rateLimit: LIMIT });
});
afterEach(() => sandbox.stop());

function client(rateLimiter: "shared" | "off", debug?: (line: string) => void) {
  return new VobizClient({
    baseUrl: `${sandbox.url}/api/v1`,
    authId: ACCOUNT.authId,
    authToken: ACCOUNT.authToken,
    env: {},
    rateLimiter,
    retry: { maxAttempts: 10 },
    debug,
  });
}

/**
 * Creates N credentials, at most PARALLEL at once (as the engine does), each through its own
 * client of the account (as resources do).
 */
async function createAll(make: () => VobizClient) {
  const names = Array.from({ length: N }, (_, i) => `fleet_${i}`);
  const results: PromiseSettledResult<unknown>[] = [];
  const queue = [...names];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let username = queue.shift(); username; username = queue.shift()) {
        const made = make().createCredential({ username, password: `pw-${username}-long` });
        results.push(
          await made.then(
            (value) => ({ status: "fulfilled" as const, value }),
            (reason: unknown) => ({ status: "rejected" as const, reason }),
          ),
        );
      }
    }),
  );
  const live = sandbox.credentials.list(ACCOUNT.authId).map((c) => c.username);
  return {
    failures: results.filter((r) => r.status === "rejected").length,
    live,
    limited: sandbox.journal.entries({ status: 429 }).length,
    requests: sandbox.journal.entries().length,
  };
}

test(`${N} creates at once under ${LIMIT.requestsPerSecond} req/s: all land once, 429s stay rare, throttling logged once`, async () => {
  const lines: string[] = [];
  const debug = (line: string) => lines.push(line);
  const shared = await createAll(() => client("shared", debug));
  expect(shared.failures).toBe(0);
  expect([...shared.live].sort()).toEqual(Array.from({ length: N }, (_, i) => `fleet_${i}`).sort());
  // The first burst meets the bucket before any rate is known; after it, the pace holds.
  expect(shared.limited).toBeLessThanOrEqual(10);
  expect(shared.requests).toBe(N + shared.limited);
  const throttling = lines.filter((l) => /throttling/.test(l));
  expect(throttling[0]).toMatch(/^\[pulumi-vobiz\] throttling requests to MA_LIMITED \(Vobiz answered 429\)/);
  expect(throttling.filter((l) => /throttling requests to/.test(l))).toHaveLength(1);
});

test("the same burst with the limiter off: every request retries alone, and far more are refused", async () => {
  const alone = await createAll(() => client("off"));
  const sharedLimitedCeiling = 10;
  expect(alone.limited).toBeGreaterThan(sharedLimitedCeiling);
  expect(alone.live.length).toBeLessThanOrEqual(N);
  expect(new Set(alone.live).size).toBe(alone.live.length); // never a duplicate, limiter or not
});

test("a ceiling paces requests below the sandbox's limit: no 429 at all", async () => {
  const c = new VobizClient({
    baseUrl: `${sandbox.url}/api/v1`,
    authId: ACCOUNT.authId,
    authToken: ACCOUNT.authToken,
    env: { VOBIZ_MAX_REQUESTS_PER_SECOND: "8" },
    rateLimiter: "own",
  });
  await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      c.createCredential({ username: `paced_${i}`, password: "paced-password" }),
    ),
  );
  expect(sandbox.journal.entries({ status: 429 })).toEqual([]);
  expect(sandbox.credentials.list(ACCOUNT.authId)).toHaveLength(12);
});
