/**
 * VobizClient failures, operation by operation: each HTTP status or network failure becomes the
 * right error class with the right next step, carries the request id, and never holds the token
 * or a password, even when the server echoes them back.
 */
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
import {
  errorEnvelope,
  fixtureId,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_AUTH_TOKEN,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { networkError, neverReply, useNock } from "../helpers/nock";
import { expectNoSecrets } from "../helpers/secrets";

const api = useNock();
const ID = fixtureId(902);
const NEW_PASSWORD = "rotated_PW_77665544";
const SECRETS = [UNIT_AUTH_TOKEN, UNIT_PASSWORD, NEW_PASSWORD];

type Op = "create" | "list" | "update" | "delete";

/** Intercepts the operation's request `times` times with the reply `reply` sets up. */
function route(op: Op, times = 1) {
  const s = api.scope(UNIT_ORIGIN);
  switch (op) {
    case "create":
      return s.post(PATHS.credentials).times(times);
    case "list":
      return s.get(PATHS.listPage(0)).times(times);
    case "update":
      return s.put(PATHS.credential(ID)).times(times);
    case "delete":
      return s.delete(PATHS.credential(ID)).times(times);
  }
}

const METHOD: Record<Op, string> = { create: "POST", list: "GET", update: "PUT", delete: "DELETE" };

/** Runs the operation with a fresh client and returns its (secret-free) error. */
async function fail(op: Op, overrides: Parameters<typeof makeClient>[0] = {}): Promise<VobizApiError> {
  const { client } = makeClient(overrides);
  const call: Record<Op, () => Promise<unknown>> = {
    create: () => client.createCredential({ username: "desk_1", password: UNIT_PASSWORD }),
    list: () => client.listAllCredentials(),
    update: () => client.updateCredential(ID, { password: NEW_PASSWORD, description: "x" }),
    delete: () => client.deleteCredential(ID),
  };
  const err = await rejectionOf(call[op]());
  expect(err).toBeInstanceOf(VobizApiError);
  expectNoSecrets(err, SECRETS);
  const e = err as VobizApiError;
  expect(e.operation).toBe(op);
  expect(e.method).toBe(METHOD[op]);
  expect(e.path).toContain("/account/MA_UNIT/");
  return e;
}

describe("client errors by status", () => {
  it.each(["create", "update"] as Op[])(
    "422 on %s -> VobizValidationError naming the field from details",
    async (op) => {
      route(op).reply(
        422,
        errorEnvelope("VALIDATION_ERROR", "Validation failed", {
          details: {
            field: "password",
            rule: "min_length",
            value: op === "create" ? UNIT_PASSWORD : NEW_PASSWORD,
          },
          requestId: "req_422",
        }),
      );
      const err = await fail(op);
      expect(err).toBeInstanceOf(VobizValidationError);
      expect(err.message).toContain("Vobiz rejected the field 'password' (rule: min_length)");
      expect(err.details).toEqual({ field: "password", rule: "min_length", value: "***" });
      expect(err.requestId).toBe("req_422");
      expect(api.traffic.count(METHOD[op])).toBe(1);
      expect(api.traffic.count("GET")).toBe(0); // no look-up after a 4xx
    },
  );

  it("400 on create with details of another shape quotes them, without calling their keys fields", async () => {
    route("create").reply(
      400,
      errorEnvelope("BAD_REQUEST", "invalid", { details: { username: ["has a space"] } }),
    );
    const err = await fail("create");
    expect(err).toBeInstanceOf(VobizValidationError);
    expect(err.message).toContain('Vobiz rejected the request (details: {"username":["has a space"]})');
    expect(err.message).not.toContain("field");
  });

  it.each([
    ["list", 501],
    ["update", 507],
    ["delete", 505],
  ] as [Op, number][])(
    "%s answered %i: not retried, and the message never says it is safe to retry",
    async (op, status) => {
      route(op).reply(status, errorEnvelope("ODD", "odd server trouble"));
      const err = await fail(op);
      expect(err).toBeInstanceOf(VobizServerError);
      expect(err.attempts).toBe(1);
      expect(err.message).not.toContain("safe to retry");
      expect(err.message).not.toContain("Gave up");
      expect(api.traffic.seen).toHaveLength(1);
    },
  );

  it.each(["create", "list", "update", "delete"] as Op[])(
    "401 on %s -> VobizAuthenticationError naming vobiz:authToken and VOBIZ_AUTH_TOKEN",
    async (op) => {
      route(op).reply(401, errorEnvelope("UNAUTHORIZED", `invalid token ${UNIT_AUTH_TOKEN}`));
      const err = await fail(op);
      expect(err).toBeInstanceOf(VobizAuthenticationError);
      expect(err.message).toContain("vobiz:authToken");
      expect(err.message).toContain("VOBIZ_AUTH_TOKEN");
      expect(err.vobizMessage).toBe("invalid token ***");
      expect(api.traffic.seen).toHaveLength(1);
    },
  );

  it.each(["list", "update"] as Op[])("403 on %s -> VobizPermissionError", async (op) => {
    route(op).reply(403, errorEnvelope("FORBIDDEN", "not your account"));
    const err = await fail(op);
    expect(err).toBeInstanceOf(VobizPermissionError);
    expect(err.message).toContain("vobiz:authId");
  });

  it("404 on update -> VobizNotFoundError suggesting pulumi refresh", async () => {
    route("update").reply(404, errorEnvelope("NOT_FOUND", "credential not found"), {
      "X-Request-Id": "req_404",
    });
    const err = await fail("update");
    expect(err).toBeInstanceOf(VobizNotFoundError);
    expect(err.message).toContain("`pulumi refresh`");
    expect(err.requestId).toBe("req_404");
    expect(api.traffic.count("PUT")).toBe(1);
  });

  it("404 on delete -> VobizNotFoundError (the provider decides it means 'already gone')", async () => {
    route("delete").reply(404, errorEnvelope("NOT_FOUND", "credential not found"));
    expect(await fail("delete")).toBeInstanceOf(VobizNotFoundError);
  });

  it("409 on create (first attempt) -> VobizConflictError suggesting adoptExisting, no look-up", async () => {
    route("create").reply(
      409,
      errorEnvelope("DUPLICATE_USERNAME", "username exists", { requestId: "req_dup" }),
    );
    const err = await fail("create");
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err.code).toBe("DUPLICATE_USERNAME");
    expect(err.message).toContain("adoptExisting: true");
    expect(err.message).toContain("Request id: req_dup.");
    expect(api.traffic.seen.map((r) => r.method)).toEqual(["POST"]);
  });

  it("409 on delete -> VobizConflictError: disable it, delete once its calls ended; not retried", async () => {
    route("delete").reply(409, { error: "credential in use by active calls" });
    const err = await fail("delete");
    expect(err).toBeInstanceOf(VobizConflictError);
    expect(err.message).toContain("enabled: false");
    expect(err.message).toContain("once its calls have ended");
    expect(err.attempts).toBe(1);
    expect(api.traffic.count("DELETE")).toBe(1);
  });

  it.each(["list", "update", "delete"] as Op[])(
    "429 on %s after the retry budget -> VobizRateLimitError",
    async (op) => {
      route(op, 3).reply(429, errorEnvelope("RATE_LIMITED", "too many requests"), { "Retry-After": "1" });
      const err = await fail(op, { retry: { maxAttempts: 3 } });
      expect(err).toBeInstanceOf(VobizRateLimitError);
      expect(err.attempts).toBe(3);
      expect(err.message).toContain("Gave up after 3 attempts.");
      expect(api.traffic.count(METHOD[op])).toBe(3);
    },
  );

  it.each([
    [500, "list"],
    [502, "list"],
    [503, "update"],
    [504, "delete"],
  ] as [number, Op][])("%i on %s after the retry budget -> VobizServerError", async (status, op) => {
    route(op, 5).reply(status, errorEnvelope("SERVER_ERROR", "oops", { requestId: `req_${status}` }));
    const err = await fail(op);
    expect(err).toBeInstanceOf(VobizServerError);
    expect(err.status).toBe(status);
    expect(err.attempts).toBe(5);
    expect(err.requestId).toBe(`req_${status}`);
    expect(api.traffic.count(METHOD[op])).toBe(5);
  });

  it.each(["list", "update", "delete"] as Op[])(
    "ECONNREFUSED on %s -> VobizConnectionError after the budget",
    async (op) => {
      route(op, 2).replyWithError(networkError("ECONNREFUSED"));
      const err = await fail(op, { retry: { maxAttempts: 2 } });
      expect(err).toBeInstanceOf(VobizConnectionError);
      expect(err.networkCode).toBe("ECONNREFUSED");
      expect(err.message).toContain("VOBIZ_BASE_URL");
      expect(err.attempts).toBe(2);
    },
  );

  it("a timeout on update -> VobizConnectionError ETIMEDOUT", async () => {
    route("update").reply(neverReply);
    const err = await fail("update", { timeoutMs: 40, retry: { maxAttempts: 1 } });
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err.networkCode).toBe("ETIMEDOUT");
  });

  it("a plain-text or HTML error body is described, not quoted", async () => {
    route("update").reply(400, `password ${NEW_PASSWORD} rejected`, { "Content-Type": "text/plain" });
    const err = await fail("update");
    expect(err.vobizMessage).toMatch(/^text, \d+ bytes, content-type text\/plain$/);
    route("list").reply(403, "<html><title>Forbidden</title></html>", { "Content-Type": "text/html" });
    expect((await fail("list")).vobizMessage).toMatch(/^an HTML page/);
  });
});

describe("secrets echoed back by the server", () => {
  it.each([400, 409, 422, 500])(
    "a %i on update echoing the new password in message and details",
    async (status) => {
      route("update", 5).reply(
        status,
        errorEnvelope("REJECTED", `password '${NEW_PASSWORD}' is not allowed`, {
          details: { password: NEW_PASSWORD, errors: [{ input: NEW_PASSWORD, token: UNIT_AUTH_TOKEN }] },
        }),
      );
      const err = await fail("update");
      expect(err.vobizMessage).toBe("password '***' is not allowed");
      expect(err.details).toEqual({ password: "***", errors: [{ input: "***", token: "***" }] });
    },
  );

  it("a 409 on create echoing the password", async () => {
    route("create").reply(
      409,
      errorEnvelope("DUPLICATE", `exists (${UNIT_PASSWORD})`, { details: [UNIT_PASSWORD] }),
    );
    const err = await fail("create");
    expect(err.vobizMessage).toBe("exists (***)");
    expect(err.details).toEqual(["***"]);
  });
});
