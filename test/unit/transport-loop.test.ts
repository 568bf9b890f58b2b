/**
 * HttpTransport's one retry loop: one budget for every request, the reconcile hook of a
 * non-idempotent request (run after an ambiguous attempt, before any further one), honest attempt
 * counts in every error, and the offset of Vobiz's clock measured from the `Date` headers.
 */
import {
  VobizApiError,
  VobizConflictError,
  VobizResponseError,
  VobizServerError,
} from "../../provider/common/errors";
import type { ApiRequest } from "../../provider/http/request";
import { HttpTransport } from "../../provider/http/transport";
import { FAKE_EPOCH_MS, fakeClock } from "../helpers/fakeClock";
import {
  errorEnvelope,
  rejectionOf,
  UNIT_AUTH_ID,
  UNIT_AUTH_TOKEN,
  UNIT_BASE_URL,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { networkError, useNock } from "../helpers/nock";
import { expectNoSecrets } from "../helpers/secrets";

const api = useNock();
const P = "/api/v1/account/MA_UNIT/credentials";
const LIST = "/api/v1/account/MA_UNIT/trunks/credentials?limit=100&offset=0";

function makeTransport(retry: Partial<HttpTransport["retry"]> = {}) {
  const clock = fakeClock({ random: 0.5 });
  const logs: string[] = [];
  const transport = new HttpTransport({
    baseUrl: UNIT_BASE_URL,
    authId: UNIT_AUTH_ID,
    authToken: UNIT_AUTH_TOKEN,
    timeoutMs: 2000,
    clock,
    retry,
    debug: (l) => logs.push(l),
  });
  return { transport, clock, logs };
}

const post: ApiRequest = {
  method: "POST",
  path: "/account/MA_UNIT/credentials",
  body: { username: "desk_1", password: UNIT_PASSWORD },
  operation: "create",
  retry: "unsent-only",
};
const list: ApiRequest = {
  method: "GET",
  path: "/account/MA_UNIT/trunks/credentials",
  query: { limit: 100, offset: 0 },
  operation: "list",
  retry: "idempotent",
};

/** A reconcile hook that records the failures it saw and answers from a script. */
function hook(answers: (object | undefined | Error)[]) {
  const seen: VobizApiError[] = [];
  const fn = async (failure: VobizApiError) => {
    seen.push(failure);
    const next = answers.shift();
    if (next instanceof Error) throw next;
    return next;
  };
  return { fn, seen };
}

async function failing(promise: Promise<unknown>): Promise<VobizApiError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(VobizApiError);
  expectNoSecrets(err, [UNIT_AUTH_TOKEN, UNIT_PASSWORD]);
  return err as VobizApiError;
}

describe("the reconcile hook of a POST", () => {
  it("runs after an ambiguous attempt; undefined sends the POST again after a backoff", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(503).post(P).reply(201, { id: "c1" });
    const { transport, clock } = makeTransport();
    const h = hook([undefined]);
    const res = await transport.send(post, h.fn);
    expect(res).toMatchObject({ status: 201, data: { id: "c1" }, attempts: 2 });
    expect(h.seen.map((f) => [f.status, f.attempts])).toEqual([[503, 1]]);
    expect(h.seen[0]).toBeInstanceOf(VobizServerError);
    expect(clock.sleeps).toEqual([250]);
  });

  it("a value ends the call with it and the attempts so far, sending nothing more", async () => {
    api.scope(UNIT_ORIGIN).post(P).replyWithError(networkError("ECONNRESET"));
    const { transport } = makeTransport();
    const res = await transport.send(post, hook([{ found: "c1" }]).fn);
    expect(res).toEqual({ reconciled: { found: "c1" }, attempts: 1 });
    expect(api.traffic.count("POST")).toBe(1);
  });

  it("a throw fails the call with what it threw", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(500);
    const conflict = new VobizConflictError(
      { status: 409, method: "POST", path: post.path, operation: "create", attempts: 1 },
      "",
    );
    const err = await failing(makeTransport().transport.send(post, hook([conflict]).fn));
    expect(err).toBe(conflict);
    expect(api.traffic.count("POST")).toBe(1);
  });

  it("runs after the last attempt too, then the call fails with every attempt counted", async () => {
    api.scope(UNIT_ORIGIN).post(P).times(3).reply(502);
    const { transport, clock } = makeTransport({ maxAttempts: 3 });
    const h = hook([undefined, undefined, undefined]);
    const err = await failing(transport.send(post, h.fn));
    expect(err).toBeInstanceOf(VobizServerError);
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("Gave up after 3 attempts.");
    expect(h.seen.map((f) => f.attempts)).toEqual([1, 2, 3]);
    expect(clock.sleeps).toEqual([250, 500]);
  });

  it("one budget across direct retries and reconciled ones: at most maxAttempts POSTs in all", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(429, "", { "Retry-After": "1" })
      .post(P)
      .replyWithError(networkError("ECONNREFUSED"))
      .post(P)
      .reply(500)
      .post(P)
      .reply(429, "", { "Retry-After": "1" })
      .post(P)
      .reply(503);
    const h = hook([undefined, undefined]);
    const err = await failing(makeTransport().transport.send(post, h.fn));
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(5);
    expect(api.traffic.count("POST")).toBe(5);
    expect(h.seen.map((f) => f.attempts)).toEqual([3, 5]);
  });

  it("a 429 or a refused connection is retried without the hook (nothing was applied)", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(429, "", { "Retry-After": "0" })
      .post(P)
      .replyWithError(networkError("ECONNREFUSED"))
      .post(P)
      .reply(201, { id: "c1" });
    const h = hook([]);
    expect(await makeTransport().transport.send(post, h.fn)).toMatchObject({ attempts: 3 });
    expect(h.seen).toEqual([]);
  });

  it("a 409 after an ambiguous attempt is reconciled; a 409 after a 429 is final", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(500).post(P).reply(409, errorEnvelope("DUPLICATE_USERNAME", "x"));
    const h = hook([undefined, { found: "c1" }]);
    expect(await makeTransport().transport.send(post, h.fn)).toEqual({
      reconciled: { found: "c1" },
      attempts: 2,
    });
    expect(h.seen.map((f) => f.status)).toEqual([500, 409]);

    api.scope(UNIT_ORIGIN).post(P).reply(429, "", { "Retry-After": "0" }).post(P).reply(409);
    const h2 = hook([]);
    const err = await failing(makeTransport().transport.send(post, h2.fn));
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err.attempts).toBe(2);
    expect(h2.seen).toEqual([]);
  });

  it("a final status on the first attempt (which ones: retry.test.ts) ends the call, the hook not run", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(422);
    const h = hook([]);
    const err = await failing(makeTransport().transport.send(post, h.fn));
    expect(err.attempts).toBe(1);
    expect(h.seen).toEqual([]);
  });

  it("a 2xx whose body `validate` rejects is reconciled as a VobizResponseError naming the problem", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(201, { nope: true });
    const h = hook([{ found: "c1" }]);
    const req = { ...post, validate: (d: unknown) => (d && "id" in (d as object) ? undefined : "no id") };
    expect(await makeTransport().transport.send(req, h.fn)).toMatchObject({ reconciled: { found: "c1" } });
    expect(h.seen[0]).toBeInstanceOf(VobizResponseError);
    expect(h.seen[0].message).toContain("no id");
    expect(h.seen[0].status).toBe(201);
  });

  it("without a hook an ambiguous POST fails at once", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(500);
    const err = await failing(makeTransport().transport.send(post));
    expect(err.attempts).toBe(1);
  });

  it("writes one debug line for the reconciliation", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(500).post(P).reply(201, {});
    const { transport, logs } = makeTransport();
    await transport.send(post, hook([undefined]).fn);
    expect(logs).toEqual([
      "[pulumi-vobiz] POST /account/MA_UNIT/credentials -> 500 in 0 ms (attempt 1)",
      "[pulumi-vobiz] POST /account/MA_UNIT/credentials: outcome unknown, looking it up before any retry",
      "[pulumi-vobiz] retrying POST /account/MA_UNIT/credentials in 250 ms (attempt 2)",
      "[pulumi-vobiz] POST /account/MA_UNIT/credentials -> 201 in 0 ms (attempt 2)",
    ]);
  });
});

describe("waits Vobiz asks for are read on Vobiz's clock when it sends one", () => {
  const TEN_MINUTES = 600_000;
  const vobizNow = FAKE_EPOCH_MS - TEN_MINUTES; // Vobiz's clock 10 minutes behind ours

  it("Retry-After as an HTTP date counts from the answer's Date header", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, "", {
        Date: new Date(vobizNow).toUTCString(),
        "Retry-After": new Date(vobizNow + 30_000).toUTCString(),
      })
      .get(LIST)
      .reply(200, {});
    const { transport, clock } = makeTransport();
    await transport.send(list);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("X-RateLimit-Reset (epoch seconds) counts from the answer's Date header", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, "", {
        Date: new Date(vobizNow).toUTCString(),
        "X-RateLimit-Reset": String((vobizNow + 7_000) / 1000),
      })
      .get(LIST)
      .reply(200, {});
    const { transport, clock } = makeTransport();
    await transport.send(list);
    expect(clock.sleeps).toEqual([7_000]);
  });

  it("an X-RateLimit-Reset beyond the budget fails at once and names the header", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, "", { "X-RateLimit-Reset": String(FAKE_EPOCH_MS / 1000 + 600) });
    const err = await failing(makeTransport().transport.send(list));
    expect(err.attempts).toBe(1);
    expect(err.message).toContain("Gave up after 1 attempt: Vobiz asked to wait 600 s (X-RateLimit-Reset)");
  });
});

describe("serverClockOffset", () => {
  it("is undefined until an answer carries a Date header", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(200, {});
    const { transport } = makeTransport();
    await transport.send(list);
    expect(transport.serverClockOffset()).toBeUndefined();
  });

  it("bounds Vobiz's clock minus ours from every answer, error answers included", async () => {
    const { transport, clock } = makeTransport();
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(503, "", { Date: new Date(FAKE_EPOCH_MS - 60_000).toUTCString() })
      .get(LIST)
      .reply(200, {}, { Date: new Date(FAKE_EPOCH_MS + 250 - 60_000).toUTCString() });
    await transport.send(list);
    expect(clock.sleeps).toEqual([250]);
    // First answer: [-60 000, -59 000]; the second (at +250 ms local, Date still that second): [-60 250, -59 250].
    expect(transport.serverClockOffset()).toEqual({ lowMs: -60_000, highMs: -59_250 });
  });
});
