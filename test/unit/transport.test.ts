/**
 * HttpTransport: what goes on the wire, how every kind of failure becomes a typed error, retries
 * on the fake clock, and that no error or log line ever holds the token or a password.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  VobizApiError,
  VobizAuthenticationError,
  VobizConflictError,
  VobizConnectionError,
  VobizRateLimitError,
  VobizResponseError,
  VobizServerError,
  VobizValidationError,
} from "../../provider/common/errors";
import type { RetryOptions } from "../../provider/http/retry";
import {
  HttpTransport,
  MAX_RESPONSE_BYTES,
  USER_AGENT,
  type TransportOptions,
} from "../../provider/http/transport";
import type { ApiRequest } from "../../provider/http/request";
import { fakeClock, type FakeClock } from "../helpers/fakeClock";
import {
  errorEnvelope,
  rejectionOf,
  UNIT_AUTH_ID,
  UNIT_AUTH_TOKEN,
  UNIT_BASE_URL,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { brokenBody, networkError, neverReply, useNock } from "../helpers/nock";
import { expectNoSecrets } from "../helpers/secrets";

const api = useNock();

const P = "/api/v1/account/MA_UNIT/credentials";
const ID = "00000000-0000-4000-8000-0000000000aa";
const ITEM = `${P}/${ID}`;

interface Made {
  transport: HttpTransport;
  clock: FakeClock;
  logs: string[];
}

function makeTransport(over: Partial<TransportOptions> & { retry?: Partial<RetryOptions> } = {}): Made {
  const clock = fakeClock({ random: 0.5 });
  const logs: string[] = [];
  const transport = new HttpTransport({
    baseUrl: UNIT_BASE_URL,
    authId: UNIT_AUTH_ID,
    authToken: UNIT_AUTH_TOKEN,
    timeoutMs: 2000,
    clock,
    debug: (l) => logs.push(l),
    ...over,
  });
  return { transport, clock, logs };
}

const get = (over: Partial<ApiRequest> = {}): ApiRequest => ({
  method: "GET",
  path: "/account/MA_UNIT/trunks/credentials",
  query: { limit: 100, offset: 0 },
  operation: "list",
  retry: "idempotent",
  ...over,
});
const put = (over: Partial<ApiRequest> = {}): ApiRequest => ({
  method: "PUT",
  path: `/account/MA_UNIT/credentials/${ID}`,
  body: { password: UNIT_PASSWORD },
  operation: "update",
  retry: "idempotent",
  ...over,
});
const del = (over: Partial<ApiRequest> = {}): ApiRequest => ({
  method: "DELETE",
  path: `/account/MA_UNIT/credentials/${ID}`,
  operation: "delete",
  retry: "idempotent",
  ...over,
});
const post = (over: Partial<ApiRequest> = {}): ApiRequest => ({
  method: "POST",
  path: "/account/MA_UNIT/credentials",
  body: { username: "desk_1", password: UNIT_PASSWORD },
  operation: "create",
  retry: "unsent-only",
  ...over,
});
const LIST = "/api/v1/account/MA_UNIT/trunks/credentials?limit=100&offset=0";
const SECRETS = [UNIT_AUTH_TOKEN, UNIT_PASSWORD];

async function failure(t: HttpTransport, req: ApiRequest): Promise<VobizApiError> {
  const err = await rejectionOf(t.send(req));
  expect(err).toBeInstanceOf(VobizApiError);
  expectNoSecrets(err, SECRETS);
  return err as VobizApiError;
}

describe("requests on the wire", () => {
  it("GET carries the auth headers, Accept, the package user agent and the query; no Content-Type", async () => {
    const scope = api
      .scope(UNIT_ORIGIN, {
        reqheaders: {
          "x-auth-id": "MA_UNIT",
          "x-auth-token": UNIT_AUTH_TOKEN,
          accept: "application/json",
          "user-agent": (v: string | null) => v === USER_AGENT,
        },
        badheaders: ["content-type"],
      })
      .get(LIST)
      .reply(200, { objects: [] });
    const res = await makeTransport().transport.send(get());
    expect(res).toEqual({ status: 200, data: { objects: [] }, requestId: undefined, attempts: 1 });
    expect(scope.isDone()).toBe(true);
  });

  it("the user agent is pulumi-vobiz/<package version> node/<node version>", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as {
      version: string;
    };
    expect(USER_AGENT).toBe(`pulumi-vobiz/${pkg.version} node/${process.versions.node}`);
    expect(USER_AGENT.startsWith("pulumi-vobiz/")).toBe(true);
  });

  it("a custom user agent replaces the default", async () => {
    const scope = api
      .scope(UNIT_ORIGIN, { reqheaders: { "user-agent": "my-tool/1.0" } })
      .delete(ITEM)
      .reply(204);
    await makeTransport({ userAgent: "my-tool/1.0" }).transport.send(del());
    expect(scope.isDone()).toBe(true);
  });

  it("a body is sent as exact JSON with Content-Type: application/json", async () => {
    let seen: unknown;
    const scope = api
      .scope(UNIT_ORIGIN, {
        reqheaders: { "content-type": "application/json", "x-auth-token": UNIT_AUTH_TOKEN },
      })
      .put(ITEM, (body) => {
        seen = body;
        return true;
      })
      .reply(200, { id: ID });
    await makeTransport().transport.send(put({ body: { enabled: false, description: "" } }));
    expect(seen).toEqual({ enabled: false, description: "" });
    expect(scope.isDone()).toBe(true);
  });

  it("a base URL with a trailing slash still yields single slashes", async () => {
    const scope = api.scope(UNIT_ORIGIN).get(LIST).reply(200, {});
    await makeTransport({ baseUrl: `${UNIT_BASE_URL}/` }).transport.send(get());
    expect(scope.isDone()).toBe(true);
  });
});

describe("successful responses", () => {
  it("an empty 2xx body gives data undefined (204 and 200)", async () => {
    api.scope(UNIT_ORIGIN).delete(ITEM).reply(204).delete(ITEM).reply(200, "");
    const { transport } = makeTransport();
    expect(await transport.send(del())).toEqual({
      status: 204,
      data: undefined,
      requestId: undefined,
      attempts: 1,
    });
    expect((await transport.send(del())).data).toBeUndefined();
  });

  it("takes the request id from X-Request-Id, else from the body", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(200, { objects: [], requestId: "req_body" }, { "X-Request-Id": "req_header" })
      .get(LIST)
      .reply(200, { objects: [], requestId: "req_body" })
      .get(LIST)
      .reply(200, { objects: [], api_id: "api_1" });
    const { transport } = makeTransport();
    expect((await transport.send(get())).requestId).toBe("req_header");
    expect((await transport.send(get())).requestId).toBe("req_body");
    expect((await transport.send(get())).requestId).toBe("api_1");
  });

  it("a 2xx body that is not JSON is a VobizResponseError that describes, never echoes, the body", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(200, "<html><body>Maintenance SECRET-PAGE</body></html>", { "Content-Type": "text/html" });
    const { transport } = makeTransport();
    const err = await failure(transport, get());
    expect(err).toBeInstanceOf(VobizResponseError);
    expect(err.status).toBe(200);
    expect(err.code).toBe("MALFORMED_RESPONSE");
    expect(err.message).toContain(
      "response body is not JSON (an HTML page, 49 bytes, content-type text/html)",
    );
    expect(err.message).not.toContain("SECRET-PAGE");
  });

  it("is not retried when the 2xx body is not JSON", async () => {
    const scope = api.scope(UNIT_ORIGIN).get(LIST).reply(200, "not json {");
    const { transport, clock } = makeTransport();
    const err = await failure(transport, get());
    expect(err.message).toContain("(text, 10 bytes)");
    expect(scope.isDone()).toBe(true);
    expect(api.traffic.count("GET")).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("a body larger than MAX_RESPONSE_BYTES is a VobizResponseError, not a crash", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(200, "x".repeat(MAX_RESPONSE_BYTES + 1));
    const err = await failure(makeTransport().transport, get());
    expect(err).toBeInstanceOf(VobizResponseError);
    expect(err.message).toContain(`larger than ${MAX_RESPONSE_BYTES} bytes`);
    expect(api.traffic.count("GET")).toBe(1);
  });
});

/**
 * Which class and next step each status gets is the factory's rule (errors.test.ts), and which
 * failures are retried is retryDecision's (retry.test.ts); here, that the transport hands the
 * factory every fact of the answer, and what its loop does with a decision.
 */
describe("error statuses -> typed errors", () => {
  it("a final status: the factory's class with every fact of the answer, after one attempt, no wait", async () => {
    api
      .scope(UNIT_ORIGIN)
      .put(ITEM)
      .reply(409, errorEnvelope("SOME_CODE", "some message", { requestId: "req_9" }));
    const { transport, clock } = makeTransport();
    const err = await failure(transport, put());
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err).toMatchObject({
      status: 409,
      code: "SOME_CODE",
      vobizMessage: "some message",
      requestId: "req_9",
      method: "PUT",
      path: `/account/MA_UNIT/credentials/${ID}`,
      operation: "update",
      attempts: 1,
    });
    expect(err.message).toContain("HTTP 409 SOME_CODE: some message.");
    expect(err.message).toContain("Request id: req_9.");
    expect(api.traffic.count("PUT")).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("a retried status -> its class once the retries are spent, after the full backoff", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).times(5).reply(503, "upstream trouble");
    const { transport, clock } = makeTransport();
    const err = await failure(transport, get());
    expect(err).toBeInstanceOf(VobizServerError);
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(5);
    expect(err.message).toContain("Gave up after 5 attempts.");
    expect(err.message).toContain("safe to retry");
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000]);
    expect(api.traffic.count("GET")).toBe(5);
  });

  it("429 -> VobizRateLimitError once the retries are spent", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .times(3)
      .reply(429, errorEnvelope("RATE_LIMITED", "slow down"), { "Retry-After": "1" });
    const { transport, clock } = makeTransport({ retry: { maxAttempts: 3 } });
    const err = await failure(transport, get());
    expect(err).toBeInstanceOf(VobizRateLimitError);
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("Gave up after 3 attempts.");
    expect(err.message).toContain("rate limiting");
    expect(clock.sleeps).toEqual([1000, 1000]);
  });

  it("an undocumented status (a redirect: redirects are not followed) -> base VobizApiError", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(302, "", { Location: "https://elsewhere.test/" });
    const err = await failure(makeTransport().transport, get());
    expect(err.constructor).toBe(VobizApiError);
    expect(err.status).toBe(302);
  });
});

describe("error bodies", () => {
  it("reads code, message, details and requestId from the documented envelope", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(
        422,
        errorEnvelope("VALIDATION_FAILED", "username is invalid", {
          details: { field: "username", rule: "pattern" },
          requestId: "req_envelope",
        }),
      );
    const err = await failure(makeTransport().transport, post());
    expect(err).toBeInstanceOf(VobizValidationError);
    expect(err.details).toEqual({ field: "username", rule: "pattern" });
    expect(err.requestId).toBe("req_envelope");
    expect(err.message).toContain("Vobiz rejected the field 'username' (rule: pattern)");
  });

  it("prefers the X-Request-Id header over the envelope's requestId", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(400, errorEnvelope("BAD", "bad", { requestId: "req_body" }), { "X-Request-Id": "req_hdr" });
    expect((await failure(makeTransport().transport, post())).requestId).toBe("req_hdr");
  });

  it("takes request_id and api_id when requestId is absent", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(400, { error: "bad", request_id: "req_snake" })
      .post(P)
      .reply(400, { error: "bad", api_id: "api_legacy" });
    const { transport } = makeTransport();
    expect((await failure(transport, post())).requestId).toBe("req_snake");
    expect((await failure(transport, post())).requestId).toBe("api_legacy");
  });

  it("accepts an envelope whose error is a string", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(409, { error: "username already exists" });
    const err = await failure(makeTransport().transport, post());
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err.code).toBeUndefined();
    expect(err.vobizMessage).toBe("username already exists");
    expect(err.message).toContain("HTTP 409 username already exists.");
  });

  it("falls back to a top-level message", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(400, { message: "top-level message" })
      .post(P)
      .reply(400, { error: { code: "X", message: null }, message: "fallback message" });
    const { transport } = makeTransport();
    expect((await failure(transport, post())).vobizMessage).toBe("top-level message");
    const second = await failure(transport, post());
    expect(second.code).toBe("X");
    expect(second.vobizMessage).toBe("fallback message");
  });

  it("describes a plain-text error body by kind and size, without its content", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(400, "Bad Request: nope", { "Content-Type": "text/plain" });
    const err = await failure(makeTransport().transport, post());
    expect(err).toBeInstanceOf(VobizValidationError);
    expect(err.vobizMessage).toBe("text, 17 bytes, content-type text/plain");
    expect(err.message).not.toContain("nope");
  });

  it("describes an HTML error page (a proxy's 502) as an HTML page", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(502, "<!DOCTYPE html><html><h1>502 Bad Gateway</h1></html>", { "Content-Type": "text/html" });
    const err = await failure(makeTransport({ retry: { maxAttempts: 1 } }).transport, get());
    expect(err).toBeInstanceOf(VobizServerError);
    expect(err.vobizMessage).toMatch(/^an HTML page, \d+ bytes, content-type text\/html$/);
  });

  it("a JSON error body that is not the envelope, or an empty one, leaves only the status", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .reply(400, ["unexpected", "array"])
      .post(P)
      .reply(400, { error: 42 })
      .post(P)
      .reply(401);
    const { transport } = makeTransport();
    for (const Kind of [VobizValidationError, VobizValidationError, VobizAuthenticationError]) {
      const err = await failure(transport, post());
      expect(err).toBeInstanceOf(Kind);
      expect(err.code).toBeUndefined();
      expect(err.vobizMessage).toBeUndefined();
      expect(err.message).toMatch(/: HTTP 40[01]\. /);
    }
  });
});

describe("secrets never reach an error", () => {
  const echoing = () =>
    errorEnvelope(`CODE_${UNIT_PASSWORD}`, `bad password '${UNIT_PASSWORD}' for token ${UNIT_AUTH_TOKEN}`, {
      details: {
        password: UNIT_PASSWORD,
        field: "password",
        value: UNIT_PASSWORD,
        nested: [{ received: `x${UNIT_PASSWORD}x` }, { header: UNIT_AUTH_TOKEN }],
        authToken: UNIT_AUTH_TOKEN,
      },
      requestId: `req_${UNIT_AUTH_TOKEN}`,
    });

  it.each([400, 401, 403, 404, 409, 422, 429, 500])(
    "a %i whose envelope echoes the password and token is redacted everywhere",
    async (status) => {
      api.scope(UNIT_ORIGIN).post(P).reply(status, echoing());
      const err = await failure(makeTransport({ retry: { maxAttempts: 1 } }).transport, post());
      expect(err.status).toBe(status);
      expect(err.vobizMessage).toBe("bad password '***' for token ***");
      expect(err.details).toEqual({
        password: "***",
        field: "password",
        value: "***",
        nested: [{ received: "x***x" }, { header: "***" }],
        authToken: "***",
      });
    },
  );

  it("an update's password echoed back in a string error or a top-level message is redacted", async () => {
    api
      .scope(UNIT_ORIGIN)
      .put(ITEM)
      .reply(400, { error: `password ${UNIT_PASSWORD} too weak` })
      .put(ITEM)
      .reply(422, { message: `token ${UNIT_AUTH_TOKEN} password ${UNIT_PASSWORD}` });
    const { transport } = makeTransport();
    expect((await failure(transport, put())).vobizMessage).toBe("password *** too weak");
    expect((await failure(transport, put())).vobizMessage).toBe("token *** password ***");
  });

  it("a body echoed as plain text or HTML never reaches the error", async () => {
    api
      .scope(UNIT_ORIGIN)
      .put(ITEM)
      .reply(400, `you sent ${UNIT_PASSWORD}`, { "Content-Type": "text/plain" })
      .put(ITEM)
      .reply(200, `<html>${UNIT_AUTH_TOKEN}</html>`);
    const { transport } = makeTransport();
    await failure(transport, put());
    await failure(transport, put());
  });

  it.each(["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EPIPE"])(
    "a network error (%s) keeps none of the request (headers, body)",
    async (code) => {
      api
        .scope(UNIT_ORIGIN)
        .put(ITEM)
        .times(5)
        .replyWithError(networkError(code, `${code} while sending ${UNIT_PASSWORD}`));
      const err = await failure(makeTransport().transport, put());
      expect(err).toBeInstanceOf(VobizConnectionError);
      expect(err.networkCode).toBe(code);
    },
  );
});

describe("no response", () => {
  it("ECONNREFUSED -> VobizConnectionError naming the code and the base URL settings", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).replyWithError(networkError("ECONNREFUSED"));
    const err = await failure(makeTransport({ retry: { maxAttempts: 1 } }).transport, get());
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err).toMatchObject({ status: undefined, networkCode: "ECONNREFUSED", attempts: 1 });
    expect(err.message).toContain("no response (ECONNREFUSED).");
    expect(err.message).toContain("vobiz:baseUrl / VOBIZ_BASE_URL");
  });

  it("a real timeout (no response within timeoutMs) -> VobizConnectionError ETIMEDOUT", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(neverReply);
    const err = await failure(makeTransport({ timeoutMs: 40, retry: { maxAttempts: 1 } }).transport, get());
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err.networkCode).toBe("ETIMEDOUT");
  });

  it("a GET that times out is retried", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(neverReply).get(LIST).reply(200, { objects: [] });
    const { transport, clock } = makeTransport({ timeoutMs: 150 });
    const res = await transport.send(get());
    expect(res.attempts).toBe(2);
    expect(clock.sleeps).toEqual([250]);
  });

  it("a body that stalls past the timeout is a connection failure and is retried, not 'too large'", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .delay(1000)
      .reply(200, { objects: [] })
      .get(LIST)
      .reply(200, { objects: [] });
    const { transport } = makeTransport({ timeoutMs: 150 });
    const res = await transport.send(get());
    expect(res.attempts).toBe(2);
  });

  it("a connection reset mid-body is a connection failure, retried for GET, not 'too large'", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(200, brokenBody()).get(LIST).reply(200, { objects: [] });
    const { transport, clock, logs } = makeTransport();
    const res = await transport.send(get());
    expect(res.attempts).toBe(2);
    expect(clock.sleeps).toEqual([250]);
    expect(logs[0]).toMatch(/-> ERR_RESPONSE_ABORTED after/);
  });

  it("a connection reset mid-body on POST is not retried and is no 'malformed response'", async () => {
    api.scope(UNIT_ORIGIN).post(P).reply(201, brokenBody('{"id":'));
    const err = await failure(makeTransport().transport, post());
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err.networkCode).toBe("ERR_RESPONSE_ABORTED");
    expect(err.message).not.toContain("larger than");
    expect(api.traffic.count("POST")).toBe(1);
  });

  it("a POST whose body stalls is not retried (the server may have applied it)", async () => {
    api.scope(UNIT_ORIGIN).post(P).delay(1000).reply(201, { id: ID });
    const err = await failure(makeTransport({ timeoutMs: 40 }).transport, post());
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err.message).not.toContain("larger than");
    expect(api.traffic.count("POST")).toBe(1);
  });
});

describe("retries of idempotent requests", () => {
  it.each([
    ["GET", get, (s: ReturnType<typeof api.scope>) => s.get(LIST)],
    ["PUT", put, (s: ReturnType<typeof api.scope>) => s.put(ITEM)],
    ["DELETE", del, (s: ReturnType<typeof api.scope>) => s.delete(ITEM)],
  ] as const)(
    "%s: 503 twice then 200 succeeds on attempt 3 after full-jitter backoff",
    async (method, req, route) => {
      const scope = api.scope(UNIT_ORIGIN);
      route(scope).twice().reply(503, errorEnvelope("UNAVAILABLE", "try again"));
      route(scope).reply(200, { id: ID, username: "u", enabled: true });
      const { transport, clock, logs } = makeTransport();
      const res = await transport.send(req());
      expect(res.status).toBe(200);
      expect(res.attempts).toBe(3);
      expect(clock.sleeps).toEqual([250, 500]); // random 0.5 x ceilings 500, 1000
      expect(api.traffic.count(method)).toBe(3);
      expect(scope.isDone()).toBe(true);
      expect(logs.filter((l) => l.includes("retrying"))).toHaveLength(2);
    },
  );

  it("429 with Retry-After: 2 waits exactly 2000 ms, then succeeds", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, errorEnvelope("RATE_LIMITED", "slow"), { "Retry-After": "2" })
      .get(LIST)
      .reply(200, { objects: [] });
    const { transport, clock } = makeTransport();
    const res = await transport.send(get());
    expect(res.attempts).toBe(2);
    expect(clock.sleeps).toEqual([2000]);
  });

  it("429 with Retry-After as an HTTP date waits until that date", async () => {
    const { transport, clock } = makeTransport();
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, "", { "Retry-After": new Date(clock.now() + 5000).toUTCString() })
      .get(LIST)
      .reply(200, { objects: [] });
    await transport.send(get());
    expect(clock.sleeps).toEqual([5000]);
  });

  it("429 with X-RateLimit-Reset (epoch seconds) waits until the reset", async () => {
    const { transport, clock } = makeTransport();
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, "", { "X-RateLimit-Reset": String(clock.now() / 1000 + 3) })
      .get(LIST)
      .reply(200, { objects: [] });
    await transport.send(get());
    expect(clock.sleeps).toEqual([3000]);
  });

  it("a Retry-After on a 503 is honoured too", async () => {
    api.scope(UNIT_ORIGIN).delete(ITEM).reply(503, "", { "Retry-After": "4" }).delete(ITEM).reply(204);
    const { transport, clock } = makeTransport();
    await transport.send(del());
    expect(clock.sleeps).toEqual([4000]);
  });

  it("a Retry-After longer than maxDelayMs is honoured (maxDelayMs caps only the backoff)", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, errorEnvelope("RATE_LIMITED", "later"), { "Retry-After": "30" })
      .get(LIST)
      .reply(200, { objects: [] });
    const { transport, clock } = makeTransport();
    expect((await transport.send(get())).attempts).toBe(2);
    expect(clock.sleeps).toEqual([30_000]);
  });

  it("a Retry-After beyond the time budget gives up at once, saying how long and how to raise the limit", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, errorEnvelope("RATE_LIMITED", "later"), { "Retry-After": "121" });
    const { transport, clock } = makeTransport();
    const err = await failure(transport, get());
    expect(err).toBeInstanceOf(VobizRateLimitError);
    expect(err.attempts).toBe(1);
    expect(err.gaveUpBecause).toContain("Vobiz asked to wait 121 s (Retry-After)");
    expect(err.message).toContain(
      "Gave up after 1 attempt: Vobiz asked to wait 121 s (Retry-After), longer than what is left of " +
        "the 120 s one call may spend retrying; raise the limit with VOBIZ_MAX_RETRY_WAIT=<seconds> " +
        "(client option retry.maxElapsedMs), or wait and run the command again.",
    );
    expect(clock.sleeps).toEqual([]);
    expect(api.traffic.count("GET")).toBe(1);
  });

  it("a raised maxElapsedMs lets a long Retry-After be waited out", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(LIST)
      .reply(429, "", { "Retry-After": "300" })
      .get(LIST)
      .reply(200, { objects: [] });
    const { transport, clock } = makeTransport({ retry: { maxElapsedMs: 301_000 } });
    expect((await transport.send(get())).attempts).toBe(2);
    expect(clock.sleeps).toEqual([300_000]);
  });

  it("stops at maxAttempts and reports the number of attempts", async () => {
    api.scope(UNIT_ORIGIN).put(ITEM).times(3).reply(500);
    const { transport, clock } = makeTransport({ retry: { maxAttempts: 3 } });
    const err = await failure(transport, put());
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("Gave up after 3 attempts.");
    expect(clock.sleeps).toHaveLength(2);
    expect(api.traffic.count("PUT")).toBe(3);
  });

  it("stops early when the next wait would exceed the total time budget (maxElapsedMs)", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).times(2).reply(503);
    const { transport, clock } = makeTransport({ retry: { maxElapsedMs: 1000 } });
    clock.setRandom(0.99); // waits 495, then 990: 495 + 990 > 1000
    const err = await failure(transport, get());
    expect(err.attempts).toBe(2);
    expect(clock.sleeps).toEqual([495]);
    expect(api.traffic.count("GET")).toBe(2);
    expect(err.message).toContain(
      "Gave up after 2 attempts: the next wait would pass the 1 s one call may spend retrying",
    );
  });

  it("the budget counts server-requested waits too", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).times(2).reply(429, "", { "Retry-After": "10" });
    const { transport, clock } = makeTransport({ retry: { maxElapsedMs: 15_000 } });
    const err = await failure(transport, get());
    expect(err.attempts).toBe(2);
    expect(clock.sleeps).toEqual([10_000]);
    expect(err.message).toContain(
      "Gave up after 2 attempts: Vobiz asked to wait 10 s (Retry-After), longer than what is left of " +
        "the 15 s one call may spend retrying (10 s spent)",
    );
  });

  it("a final status is not retried, even when it carries a Retry-After", async () => {
    api.scope(UNIT_ORIGIN).delete(ITEM).reply(409, "", { "Retry-After": "1" });
    const { transport, clock } = makeTransport();
    const err = await failure(transport, del());
    expect(err.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);
    expect(api.traffic.count("DELETE")).toBe(1);
  });

  it("only the configured retryableStatuses are retried", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(502).get(LIST).reply(503);
    const { transport } = makeTransport({ retry: { retryableStatuses: [502] } });
    const err = await failure(transport, get());
    expect(err.status).toBe(503);
    expect(err.attempts).toBe(2);
  });

  it("a network error on GET is retried after a backoff", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).replyWithError(networkError("ECONNRESET")).get(LIST).reply(200, {});
    const { transport, clock } = makeTransport();
    expect((await transport.send(get())).attempts).toBe(2);
    expect(clock.sleeps).toEqual([250]);
  });
});

describe("debug lines", () => {
  it("one per attempt and one per retry, with method, path, status and request id; no secrets", async () => {
    api
      .scope(UNIT_ORIGIN)
      .put(ITEM)
      .reply(503, "", { "X-Request-Id": "req_a" })
      .put(ITEM)
      .reply(200, { echo: UNIT_PASSWORD });
    const { transport, logs } = makeTransport();
    await transport.send(put());
    expect(logs).toEqual([
      `[pulumi-vobiz] PUT /account/MA_UNIT/credentials/${ID} -> 503 in 0 ms (attempt 1, request req_a)`,
      `[pulumi-vobiz] retrying PUT /account/MA_UNIT/credentials/${ID} in 250 ms (attempt 2)`,
      `[pulumi-vobiz] PUT /account/MA_UNIT/credentials/${ID} -> 200 in 0 ms (attempt 2)`,
    ]);
    for (const line of logs) for (const s of SECRETS) expect(line).not.toContain(s);
  });

  it("a network failure is logged by code", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(P)
      .replyWithError(networkError("ECONNRESET", `reset ${UNIT_PASSWORD}`));
    const { transport, logs } = makeTransport();
    await failure(transport, post());
    expect(logs).toEqual([
      "[pulumi-vobiz] POST /account/MA_UNIT/credentials -> ECONNRESET after 0 ms (attempt 1)",
    ]);
  });

  it("no debug sink, no lines (and no crash)", async () => {
    api.scope(UNIT_ORIGIN).get(LIST).reply(200, {});
    const { transport } = makeTransport({ debug: undefined });
    await expect(transport.send(get())).resolves.toMatchObject({ status: 200 });
  });
});
