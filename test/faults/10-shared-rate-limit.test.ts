/**
 * A fleet under a tight rate limit: 100 credentials against a sandbox that allows 5 requests per
 * second (burst 2) for the account. The provider's shared limiter must pace every resource's
 * requests so that `up`, a rotation of every password and `destroy` each converge in one run,
 * with no duplicate, no orphan, and few 429s; throttling shows in VOBIZ_DEBUG output as a line
 * when it starts (not one per request).
 */
import { expectConverged } from "../helpers/convergence";
import { measuredColumns } from "../helpers/faultsResults";
import { FAULTS_SEED, manyEntries, useScenario } from "../helpers/scenario";

jest.setTimeout(900_000);

const N = 100;
const LIMIT = { requestsPerSecond: 5, burst: 2 };
/** 429s allowed per run: the first burst meets the bucket before any rate is known. */
const MAX_RATE_LIMITED = 15;

describe("a fleet under a tight rate limit", () => {
  const f = useScenario(
    {
      name: "faults-rate-limit",
      sandbox: { seed: FAULTS_SEED, rateLimit: LIMIT },
      env: { VOBIZ_DEBUG: "1" },
    },
    async (f) => {
      await f.password("fleetA");
    },
  );

  test(`${N} credentials at ${LIMIT.requestsPerSecond} req/s: up, rotate-all and destroy each converge in one run`, async () => {
    const spec = manyEntries("limited", N, ["fleetA"]);
    const usernames = Object.values(spec).map((e) => String(e.username));
    f.spec(spec);
    const journal = f.window();
    const runs: { name: string; ms: number; limited: number; requests: number; throttlingLines: number }[] =
      [];
    const run = async (
      name: string,
      command: () => Promise<{ durationMs: number; stdout: string; stderr: string }>,
    ) => {
      journal.reset();
      const r = await command();
      const limited = journal.entries().filter((e) => e.status === 429).length;
      const text = r.stdout + r.stderr;
      runs.push({
        name,
        ms: r.durationMs,
        limited,
        requests: journal.entries().length,
        throttlingLines: (text.match(/throttling requests to/g) ?? []).length,
      });
      return journal.appliedWrites();
    };

    const created = await run("up", () => f.ws.up());
    expect(created).toEqual({ created: N, updated: 0, deleted: 0 });
    expectConverged(await f.convergence(), usernames);

    await f.password("fleetA"); // a new value: every password rotates
    const rotated = await run("rotate", () => f.ws.up());
    expect(rotated).toEqual({ created: 0, updated: N, deleted: 0 });
    expectConverged(await f.convergence(), usernames);

    journal.reset();
    const destroyed = await run("destroy", () => f.ws.destroy());
    expect(destroyed).toEqual({ created: 0, updated: 0, deleted: N });
    const c = await f.convergence();
    expectConverged(c, []);

    const limited = runs.reduce((a, r) => a + r.limited, 0);
    const requests = runs.reduce((a, r) => a + r.requests, 0);
    f.record({
      id: "10a",
      scenario: `${N} credentials under a rate limit of ${LIMIT.requestsPerSecond} req/s (burst ${LIMIT.burst})`,
      faults: `sandbox rate limit ${JSON.stringify(LIMIT)} on the account, no injected fault`,
      operations: runs.map((r) => `${r.name} (ok, ${Math.round(r.ms / 100) / 10} s)`).join("; "),
      ...measuredColumns({ created: N, updated: N, deleted: N }, c, journal),
      requests,
      durationMs: runs.reduce((a, r) => a + r.ms, 0),
      outcome:
        `each run converged once; 429 answers per run: ${runs.map((r) => `${r.name} ${r.limited}/${r.requests}`).join(", ")} ` +
        `(${limited} of ${requests} requests in all); throttling start lines in the output: ${runs.map((r) => r.throttlingLines).join(", ")}`,
    });

    for (const r of runs) expect(r.limited).toBeLessThanOrEqual(MAX_RATE_LIMITED);
    // Every write of a run went out once: exactly N requests that were served per run.
    for (const r of runs) expect(r.requests - r.limited).toBe(N);
  });
});
