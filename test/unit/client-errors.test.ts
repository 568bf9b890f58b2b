/**
 * VobizClient failures, operation by operation: each reaches the caller as the factory's typed
 * error naming the operation, carries the request id, and never holds the token or a password,
 * even when the server echoes them back.
 */
import {
  VobizApiError,
  VobizAuthenticationError,
  VobizConnectionError,
  VobizNotFoundError,
  VobizRateLimitError,
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
import { networkError, useNock } from "../helpers/nock";
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

/**
 * Which class and next step a status gets is the factory's rule (errors.test.ts), which failures
 * are retried retryDecision's (retry.test.ts), how an error body is read the transport's
 * (transport.test.ts). Here: that each operation's failure reaches the caller through them,
 * naming the operation, its method and path, with the token and the operation's password masked.
 */
describe("each operation's failure, as the caller gets it", () => {
  it.each([
    [
      "create",
      422,
      VobizValidationError,
      "Vobiz rejected the field 'password' (rule: min_length)",
      { field: "password", rule: "min_length", value: UNIT_PASSWORD },
    ],
    ["list", 401, VobizAuthenticationError, "VOBIZ_AUTH_TOKEN", undefined],
    ["update", 404, VobizNotFoundError, "`pulumi refresh`", { value: NEW_PASSWORD }],
    // 404 on delete stays an error here: the provider decides it means "already gone".
    ["delete", 404, VobizNotFoundError, "Check the base URL", undefined],
  ] as [Op, number, typeof VobizApiError, string, Record<string, unknown> | undefined][])(
    "%s answered %i -> %p naming the next step, request id kept, secrets masked, one request",
    async (op, status, Kind, nextStep, details) => {
      route(op).reply(
        status,
        errorEnvelope("SOME_CODE", `refused; token ${UNIT_AUTH_TOKEN}`, { details, requestId: `req_${op}` }),
      );
      const err = await fail(op);
      expect(err).toBeInstanceOf(Kind);
      expect(err.status).toBe(status);
      expect(err.message).toContain(nextStep);
      expect(err.requestId).toBe(`req_${op}`);
      expect(err.vobizMessage).toBe("refused; token ***");
      if (details) expect(Object.values(err.details as object)).toContain("***");
      expect(err.attempts).toBe(1);
      expect(api.traffic.seen).toHaveLength(1); // no retry, no look-up after a final status
    },
  );

  it("a failure the loop retries reports the attempts it took (the budget of the client's options)", async () => {
    route("list", 3).reply(429, errorEnvelope("RATE_LIMITED", "too many requests"), { "Retry-After": "1" });
    const err = await fail("list", { retry: { maxAttempts: 3 } });
    expect(err).toBeInstanceOf(VobizRateLimitError);
    expect(err.attempts).toBe(3);
    expect(err.message).toContain("Gave up after 3 attempts.");
    expect(api.traffic.count("GET")).toBe(3);
  });

  it("no response -> VobizConnectionError naming the base URL setting, after the budget", async () => {
    route("delete", 2).replyWithError(networkError("ECONNREFUSED"));
    const err = await fail("delete", { retry: { maxAttempts: 2 } });
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err.networkCode).toBe("ECONNREFUSED");
    expect(err.message).toContain("VOBIZ_BASE_URL");
    expect(err.attempts).toBe(2);
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
