/**
 * createCredential is never retried blindly: an ambiguous failure (no response, reset, 5xx, a 2xx
 * with an unusable body, a 409 on a retry) is reconciled by a fresh look-up of the username, and
 * a second POST goes out only when the look-up proves the first one did not land. A credential
 * the look-up finds created since the first attempt is taken with one PUT of the password (so it
 * certainly has the declared password) and returned.
 */
import type { Credential } from "../../provider/contract/wire";
import {
  VobizConflictError,
  VobizConnectionError,
  VobizResponseError,
  VobizServerError,
} from "../../provider/common/errors";
import { FAKE_EPOCH_MS } from "../helpers/fakeClock";
import {
  credentialJson,
  errorEnvelope,
  fixtureId,
  listJson,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_AUTH_TOKEN,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { brokenBody, networkError, neverReply, useNock } from "../helpers/nock";
import { setHostTimeZone } from "../helpers/jestHost";
import { expectNoSecrets } from "../helpers/secrets";

const api = useNock();
const USERNAME = "desk_1";
const ID = fixtureId(903);
const INPUT = { username: USERNAME, password: UNIT_PASSWORD };
const iso = (offsetMs: number) => new Date(FAKE_EPOCH_MS + offsetMs).toISOString();

/** The credential as the list shows it after our create landed (created just after the attempt). */
const ours = (over: Record<string, unknown> = {}) =>
  credentialJson({ id: ID, username: USERNAME, created_at: iso(800), updated_at: iso(800), ...over });
const other = () => credentialJson({ username: "someone_else" });

type Failure = readonly [string, (i: ReturnType<ReturnType<typeof api.scope>["post"]>) => unknown];
const AMBIGUOUS: Failure[] = [
  // What axios reports for a timeout; one test below lets a real timeout happen.
  ["a timeout", (i) => i.replyWithError(networkError("ETIMEDOUT", "timeout of 30000ms exceeded"))],
  ["a connection reset", (i) => i.replyWithError(networkError("ECONNRESET"))],
  ["a reset mid-body", (i) => i.reply(201, brokenBody('{"id":'))],
  ["HTTP 500", (i) => i.reply(500, errorEnvelope("INTERNAL", "oops"))],
  ["HTTP 502", (i) => i.reply(502, "<html>bad gateway</html>")],
  ["HTTP 503", (i) => i.reply(503)],
  ["HTTP 504", (i) => i.reply(504)],
  ["HTTP 408", (i) => i.reply(408)],
];

const create = (over: Parameters<typeof makeClient>[0] = {}) => {
  const made = makeClient(over);
  return { ...made, result: made.client.createCredential(INPUT) };
};

async function createFails(over: Parameters<typeof makeClient>[0] = {}) {
  const { result, clock } = create(over);
  const err = await rejectionOf(result);
  expectNoSecrets(err, [UNIT_AUTH_TOKEN, UNIT_PASSWORD]);
  return { err, clock };
}

const methods = () => api.traffic.seen.map((r) => r.method);

/** The PUT that takes over a credential found by the look-up: exactly `{ password }`. */
const takeOver = (scope: ReturnType<typeof api.scope>, found: Record<string, unknown> = ours()) =>
  scope.put(PATHS.credential(found.id as string), { password: UNIT_PASSWORD }).reply(200, found);

describe("an ambiguous failure whose create did land", () => {
  it.each(AMBIGUOUS)(
    "%s: exactly one POST, one fresh list read, the credential taken over and returned",
    async (_, fail) => {
      const scope = api.scope(UNIT_ORIGIN);
      fail(scope.post(PATHS.credentials, INPUT));
      scope.get(PATHS.listPage(0)).reply(200, listJson([other(), ours()]));
      takeOver(scope);
      const { result, clock } = create();
      const created: Credential = await result;
      expect(created).toMatchObject({ id: ID, username: USERNAME, createdAt: iso(800) });
      expect(methods()).toEqual(["POST", "GET", "PUT"]);
      expect(scope.isDone()).toBe(true);
      expect(clock.sleeps).toEqual([]);
    },
  );

  it("a real timeout (no response within timeoutMs) is reconciled the same way", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(neverReply)
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours()]));
    takeOver(scope);
    // Long enough for the look-up and the PUT to answer on a loaded machine.
    expect((await create({ timeoutMs: 250 }).result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "GET", "PUT"]);
  });

  it("a 2xx with a malformed body is reconciled by the look-up, without a second POST", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(201, { id: ID, username: USERNAME, enabled: "yes" })
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours()]));
    takeOver(scope);
    expect((await create().result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "GET", "PUT"]);
    expect(scope.isDone()).toBe(true);
  });

  it("an empty 200 body is reconciled the same way", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(200, "")
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours()]));
    takeOver(scope);
    expect((await create().result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "GET", "PUT"]);
  });

  it("without Date headers, a credential created within clockSkewMs (5 s) before the attempt is ours", async () => {
    const found = ours({ created_at: iso(-5_000) });
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500)
      .get(PATHS.listPage(0))
      .reply(200, listJson([found]));
    takeOver(scope, found);
    expect((await create().result).id).toBe(ID);
  });

  it("the look-up never answers from a list read before the create", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson([other()]))
      .post(PATHS.credentials)
      .reply(503)
      .get(PATHS.listPage(0))
      .reply(200, listJson([other(), ours()]));
    takeOver(scope);
    const { client } = makeClient();
    expect(await client.findCredentialByUsername(USERNAME)).toBeUndefined();
    expect((await client.createCredential(INPUT)).id).toBe(ID);
    expect(methods()).toEqual(["GET", "POST", "GET", "PUT"]);
    expect(scope.isDone()).toBe(true);
  });
});

describe("an ambiguous failure whose create did not land", () => {
  it.each(AMBIGUOUS)("%s: list read, then exactly one more POST after a backoff", async (_, fail) => {
    const scope = api.scope(UNIT_ORIGIN);
    fail(scope.post(PATHS.credentials, INPUT));
    scope.get(PATHS.listPage(0)).reply(200, listJson([other()]));
    scope.post(PATHS.credentials, INPUT).reply(201, ours());
    const { result, clock } = create();
    expect((await result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "GET", "POST"]);
    expect(scope.isDone()).toBe(true);
    expect(clock.sleeps).toEqual([250]);
  });

  it("an empty 200 body with nothing found and no attempts left -> VobizResponseError naming the body", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(200, "")
      .get(PATHS.listPage(0))
      .reply(200, listJson([]));
    const { err } = await createFails({ retry: { maxAttempts: 1 } });
    expect(err).toBeInstanceOf(VobizResponseError);
    expect((err as Error).message).toContain("unexpected credential body: (body):");
    expect(methods()).toEqual(["POST", "GET"]);
  });

  it("a look-up that fails too reports the create's failure, not the list's, and sends no second POST", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(503, errorEnvelope("UNAVAILABLE", "down"))
      .get(PATHS.listPage(0))
      .reply(401, errorEnvelope("UNAUTHORIZED", "bad token"));
    const { err } = await createFails({ retry: { maxAttempts: 3 } });
    expect(err).toBeInstanceOf(VobizServerError);
    expect((err as Error).message).toMatch(/^Vobiz API create failed/);
    expect(methods()).toEqual(["POST", "GET"]);
  });

  it("stops after maxAttempts POSTs, each followed by a look-up, with the last error", async () => {
    const scope = api.scope(UNIT_ORIGIN);
    for (let i = 0; i < 3; i++) {
      scope.post(PATHS.credentials).reply(503, errorEnvelope("UNAVAILABLE", "down"));
      scope.get(PATHS.listPage(0)).reply(200, listJson([]));
    }
    const { err, clock } = await createFails({ retry: { maxAttempts: 3 } });
    expect(err).toBeInstanceOf(VobizServerError);
    expect(methods()).toEqual(["POST", "GET", "POST", "GET", "POST", "GET"]);
    expect(clock.sleeps).toEqual([250, 500]);
    expect(scope.isDone()).toBe(true);
  });

  it("stops when the next backoff would exceed maxElapsedMs", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .times(2)
      .reply(500)
      .get(PATHS.listPage(0))
      .times(2)
      .reply(200, listJson([]));
    const { err, clock } = await createFails({ retry: { maxElapsedMs: 600 } });
    expect(err).toBeInstanceOf(VobizServerError);
    expect(clock.sleeps).toEqual([250]); // the next one (500) would end at 750 > 600
    expect(methods()).toEqual(["POST", "GET", "POST", "GET"]);
  });
});

describe("a username that already existed", () => {
  it("created before the window (here 1 ms past clockSkewMs) -> VobizConflictError naming it, one POST", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .replyWithError(networkError("ETIMEDOUT"))
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours({ created_at: iso(-5_001) })]));
    const { err } = await createFails();
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err).toMatchObject({ status: 409, code: "DUPLICATE_USERNAME", operation: "create", attempts: 1 });
    expect((err as Error).message).toContain(
      `a credential named '${USERNAME}' (id ${ID}) already exists and is not this run's own: it was ` +
        `created at ${iso(-5_001)}, before ${iso(-5_000)}, the earliest moment this run's first attempt ` +
        "could have reached Vobiz on this machine's clock, allowing 5000 ms of skew (Vobiz sent no Date header)",
    );
    expect((err as Error).message).toContain("adoptExisting: true");
    expect(methods()).toEqual(["POST", "GET"]);
  });

  it("with no created_at it cannot be proven ours -> VobizConflictError", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500)
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours({ created_at: undefined })]));
    expect((await createFails()).err).toBeInstanceOf(VobizConflictError);
  });

  it("a custom clockSkewMs moves the boundary (used only without Date headers)", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500)
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours({ created_at: iso(-5_000) })]));
    expect((await createFails({ clockSkewMs: 1000 })).err).toBeInstanceOf(VobizConflictError);
  });

  it("409 on the FIRST attempt -> VobizConflictError at once, no look-up", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(409, errorEnvelope("DUPLICATE_USERNAME", "exists"));
    const { err } = await createFails();
    expect(err).toBeInstanceOf(VobizConflictError);
    expect((err as VobizConflictError).code).toBe("DUPLICATE_USERNAME");
    expect(methods()).toEqual(["POST"]);
    expect(scope.isDone()).toBe(true);
  });
});

describe("the ownership window on Vobiz's clock, measured from its Date headers", () => {
  /** An HTTP Date header for Vobiz's clock reading `offsetMs` from the fake clock's start. */
  const dated = (offsetMs: number) => ({ Date: new Date(FAKE_EPOCH_MS + offsetMs).toUTCString() });

  /** POST fails with 500, then the look-up lists `found`; both answers dated at `vobizOffsetMs`. */
  function ambiguousCreateFinding(found: Record<string, unknown>, vobizOffsetMs: number, isOurs: boolean) {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500, "", dated(vobizOffsetMs))
      .get(PATHS.listPage(0))
      .reply(200, listJson([found]), dated(vobizOffsetMs));
    if (isOurs) takeOver(scope, found);
    return create();
  }

  it("Vobiz's clock 10 minutes behind: a credential created just after the attempt (on that clock) is ours", async () => {
    const found = ours({ created_at: iso(-600_000 + 300) });
    const { result } = ambiguousCreateFinding(found, -600_000, true);
    expect((await result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "GET", "PUT"]);
  });

  it("the same clocks: created clockToleranceMs (1 s) before the attempt is ours", async () => {
    const found = ours({ created_at: iso(-1_000) });
    expect((await ambiguousCreateFinding(found, 0, true).result).id).toBe(ID);
  });

  it("the same clocks: created 1 ms earlier is not ours -> VobizConflictError naming it, suggesting adoptExisting", async () => {
    const found = ours({ created_at: iso(-1_001) });
    const err = await rejectionOf(ambiguousCreateFinding(found, 0, false).result);
    expect(err).toBeInstanceOf(VobizConflictError);
    expectNoSecrets(err, [UNIT_AUTH_TOKEN, UNIT_PASSWORD]);
    const message = (err as Error).message;
    expect(message).toContain(
      `a credential named '${USERNAME}' (id ${ID}) already exists and is not this run's own`,
    );
    expect(message).toContain("on Vobiz's clock, measured from the Date headers of its answers");
    expect(message).toContain("adoptExisting: true");
    expect(methods()).toEqual(["POST", "GET"]);
  });

  it("a colleague's credential made a minute before, with the old 120 s window, is no longer taken", async () => {
    const found = ours({ created_at: iso(-60_000) });
    expect(await rejectionOf(ambiguousCreateFinding(found, 0, false).result)).toBeInstanceOf(
      VobizConflictError,
    );
    expect(methods()).toEqual(["POST", "GET"]);
  });

  it.each([
    ["2029-12-31T23:59:59Z", true], // could be 23:59:59.999, within the 1 s tolerance
    ["2029-12-31T23:59:58Z", false], // at most 23:59:58.999: 1.001 s before the attempt
  ])(
    "a created_at in whole seconds (%s) counts as late as it could be -> ours: %p",
    async (createdAt, isOurs) => {
      const found = ours({ created_at: createdAt });
      const { result } = ambiguousCreateFinding(found, 0, isOurs);
      if (isOurs) expect((await result).id).toBe(ID);
      else expect(await rejectionOf(result)).toBeInstanceOf(VobizConflictError);
    },
  );

  it("the create's own answer is evidence too: only the POST's 500 is dated", async () => {
    const found = ours({ created_at: iso(-600_000 + 50) });
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(503, "", dated(-600_000))
      .get(PATHS.listPage(0))
      .reply(200, listJson([found]));
    takeOver(scope, found);
    expect((await create().result).id).toBe(ID);
  });

  it("a custom clockToleranceMs moves the boundary", async () => {
    const found = ours({ created_at: iso(-3_000) });
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500, "", dated(0))
      .get(PATHS.listPage(0))
      .reply(200, listJson([found]), dated(0));
    takeOver(scope, found);
    expect((await create({ clockToleranceMs: 3_000 }).result).id).toBe(ID);
  });
});

describe("409 on a retried create", () => {
  it("500, nothing found, second POST 409, look-up finds it created after the first attempt -> returned, no third POST", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500)
      .get(PATHS.listPage(0))
      .reply(200, listJson([]))
      .post(PATHS.credentials)
      .reply(409, errorEnvelope("DUPLICATE_USERNAME", "exists"))
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours({ created_at: iso(100) })]));
    takeOver(scope);
    const { result } = create();
    expect((await result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "GET", "POST", "GET", "PUT"]);
    expect(scope.isDone()).toBe(true);
  });

  it("500, nothing found, second POST 409, look-up finds an old one -> VobizConflictError", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(500)
      .get(PATHS.listPage(0))
      .reply(200, listJson([]))
      .post(PATHS.credentials)
      .reply(409)
      .get(PATHS.listPage(0))
      .reply(200, listJson([ours({ created_at: iso(-3_600_000) })]));
    const { err } = await createFails();
    expect(err).toBeInstanceOf(VobizConflictError);
    expect((err as VobizConflictError).attempts).toBe(2);
    expect(methods()).toEqual(["POST", "GET", "POST", "GET"]);
  });
});

describe("failures that are retried without a look-up", () => {
  it("ECONNREFUSED on POST: retried directly (the request never left)", async () => {
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials, INPUT)
      .replyWithError(networkError("ECONNREFUSED"))
      .post(PATHS.credentials, INPUT)
      .reply(201, ours());
    const { result, clock } = create();
    expect((await result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "POST"]);
    expect(clock.sleeps).toEqual([250]);
    expect(scope.isDone()).toBe(true);
  });

  it("ECONNREFUSED every time: a VobizConnectionError and no look-up", async () => {
    api.scope(UNIT_ORIGIN).post(PATHS.credentials).times(2).replyWithError(networkError("ECONNREFUSED"));
    const { err } = await createFails({ retry: { maxAttempts: 2 } });
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(methods()).toEqual(["POST", "POST"]);
  });

  it("429 on POST: retried after Retry-After", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(429, errorEnvelope("RATE_LIMITED", "slow down"), { "Retry-After": "2" })
      .post(PATHS.credentials)
      .reply(201, ours());
    const { result, clock } = create();
    expect((await result).id).toBe(ID);
    expect(methods()).toEqual(["POST", "POST"]);
    expect(clock.sleeps).toEqual([2000]);
  });

  it("429 then 409: the 409 is genuine (the 429 proved nothing was created)", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(429, "", { "Retry-After": "1" })
      .post(PATHS.credentials)
      .reply(409, errorEnvelope("DUPLICATE_USERNAME", "exists"));
    expect((await createFails()).err).toBeInstanceOf(VobizConflictError);
    expect(methods()).toEqual(["POST", "POST"]);
  });
});

describe("created_at without a time-zone designator is UTC, whatever the local zone", () => {
  it.each([
    ["Asia/Kolkata", "2030-01-01T00:00:01", true],
    ["Asia/Kolkata", "2030-01-01 00:00:01.123456", true],
    ["America/New_York", "2029-12-31T22:00:00", false],
    ["America/New_York", "2029-12-31 22:00:00", false],
  ])("TZ=%s, created_at %s -> ours: %p", async (tz, createdAt, isOurs) => {
    const restore = setHostTimeZone(tz);
    try {
      const found = ours({ created_at: createdAt });
      const scope = api
        .scope(UNIT_ORIGIN)
        .post(PATHS.credentials)
        .reply(500)
        .get(PATHS.listPage(0))
        .reply(200, listJson([found]));
      if (isOurs) takeOver(scope, found);
      const { result } = create();
      if (isOurs) expect((await result).id).toBe(ID);
      else expect(await rejectionOf(result)).toBeInstanceOf(VobizConflictError);
    } finally {
      restore();
    }
  });
});
