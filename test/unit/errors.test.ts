/**
 * The typed errors: which class each failure becomes and the next step each message gives, each
 * as one table (the rule's one home), plus the message's frame and the error's fields.
 */
import {
  createApiError,
  createResponseError,
  inUseAdvice,
  VobizApiError,
  VobizAuthenticationError,
  VobizConfigError,
  VobizConflictError,
  VobizConnectionError,
  VobizError,
  VobizNotFoundError,
  VobizPermissionError,
  VobizRateLimitError,
  VobizResponseError,
  VobizServerError,
  VobizValidationError,
  type VobizApiErrorFacts,
  type VobizOperation,
  withAdvice,
} from "../../provider/common/errors";

const PATH = "/account/MA_UNIT/credentials";
const facts = (over: Partial<VobizApiErrorFacts> = {}): VobizApiErrorFacts => ({
  method: "POST",
  path: PATH,
  operation: "create",
  ...over,
});

describe("createApiError: the class, by status", () => {
  it.each([
    [400, VobizValidationError],
    [401, VobizAuthenticationError],
    [403, VobizPermissionError],
    [404, VobizNotFoundError],
    [409, VobizConflictError],
    [422, VobizValidationError],
    [429, VobizRateLimitError],
    [408, VobizServerError],
    [500, VobizServerError],
    [501, VobizServerError],
    [502, VobizServerError],
    [503, VobizServerError],
    [504, VobizServerError],
  ] as const)("HTTP %i -> %p", (status, Kind) => {
    const err = createApiError(facts({ status }));
    expect(err).toBeInstanceOf(Kind);
    expect(err).toBeInstanceOf(VobizApiError);
    expect(err).toBeInstanceOf(VobizError);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe(Kind.name);
    expect(err.status).toBe(status);
  });

  it("no status (no response) -> VobizConnectionError", () => {
    const err = createApiError(facts({ networkCode: "ECONNREFUSED" }));
    expect(err).toBeInstanceOf(VobizConnectionError);
    expect(err.status).toBeUndefined();
    expect(err.networkCode).toBe("ECONNREFUSED");
  });

  it.each([402, 301, 418])("an undocumented status %i -> the base VobizApiError", (status) => {
    const err = createApiError(facts({ status }));
    expect(err.constructor).toBe(VobizApiError);
    expect(err.name).toBe("VobizApiError");
  });
});

/**
 * The next step of every failure, as one table: the facts of the failure (status, operation,
 * network code, details), what the message must say, and what it must never say. This is the
 * rule's one home: the transport, client, provider and engine tests only check that a failure
 * reaches the user through this factory.
 */
describe("createApiError: the next step, by status and operation", () => {
  type Row = [label: string, over: Partial<VobizApiErrorFacts>, says: (string | RegExp)[], never: string[]];
  const ALL_BUT_CREATE: VobizOperation[] = ["list", "update", "delete"];
  const rows: Row[] = [
    // No response.
    [
      "no response, with its code",
      { networkCode: "ECONNREFUSED", operation: "list" },
      ["no response (ECONNREFUSED).", "vobiz:baseUrl / VOBIZ_BASE_URL"],
      [],
    ],
    ["no response, no code", { operation: "list" }, ["no response."], []],
    [
      "a timeout names the base URL settings",
      { networkCode: "ETIMEDOUT", operation: "update" },
      ["vobiz:baseUrl / VOBIZ_BASE_URL"],
      ["may have been created"],
    ],
    [
      "a network failure names the base URL it tried",
      { networkCode: "ECONNREFUSED", baseUrl: "http://127.0.0.1:9/api/v1", operation: "list" },
      ["the base URL (http://127.0.0.1:9/api/v1), set by vobiz:baseUrl / VOBIZ_BASE_URL"],
      [],
    ],
    [
      "a create that may have landed (timeout)",
      { networkCode: "ETIMEDOUT" },
      ["may have been created anyway", "adoptExisting: true"],
      ["safe to retry"],
    ],
    ["a create refused before it was sent", { networkCode: "ECONNREFUSED" }, [], ["may have been created"]],
    // 401 and 403.
    [
      "401 names both credentials' config keys and variables",
      { status: 401, operation: "list", method: "GET" },
      ["vobiz:authId", "vobiz:authToken", "VOBIZ_AUTH_ID", "VOBIZ_AUTH_TOKEN", "--secret", "--run-program"],
      [],
    ],
    [
      "403 points at the Auth ID / account match and the path casing",
      { status: 403 },
      ["vobiz:authId", /account vs Account/],
      [],
    ],
    // 404.
    [
      "404 on update: deleted outside Pulumi",
      { status: 404, operation: "update" },
      [/deleted outside Pulumi.*`pulumi refresh`/],
      [],
    ],
    ...(["create", "list", "delete"] as VobizOperation[]).map((op): Row => [
      `404 on ${op} points at the base URL (a wrong Auth ID is a 401)`,
      { status: 404, operation: op },
      [
        "Check the base URL: the API path was not found",
        "must end in /api/v1",
        "vobiz:accountPathSegment: `vobiz-onboard check` tells which",
        "--run-program",
      ],
      ["Auth ID", "pulumi refresh"],
    ]),
    // 409.
    [
      "409 on create: adoptExisting or another username",
      { status: 409, code: "DUPLICATE_USERNAME" },
      ["adoptExisting: true", "another username"],
      [],
    ],
    [
      "409 on delete: in use; disable it, then delete again once its calls have ended",
      { status: 409, operation: "delete", method: "DELETE" },
      ["Set `enabled: false` on it and run `pulumi up`", "once its calls have ended"],
      [],
    ],
    ["409 on update: refresh", { status: 409, operation: "update" }, ["`pulumi refresh`"], []],
    // 400 and 422.
    [
      "422 names the field and rule from details",
      { status: 422, details: { field: "password", rule: "min_length" } },
      ["Vobiz rejected the field 'password' (rule: min_length); fix the value"],
      [],
    ],
    [
      "400 names the field without a rule",
      { status: 400, details: { field: "username" } },
      ["Vobiz rejected the field 'username';"],
      [],
    ],
    [
      "422 quotes details of any other shape instead of calling their keys fields",
      { status: 422, details: { username: ["taken"], enabled: ["not a boolean"] } },
      [
        'Vobiz rejected the request (details: {"username":["taken"],"enabled":["not a boolean"]}); fix the value',
      ],
      ["field"],
    ],
    [
      "400 quotes long details cut at 200 characters",
      { status: 400, details: { hint: "x".repeat(300) } },
      [`"hint":"${"x".repeat(190)}`, "…); fix the value"],
      [],
    ],
    ...([undefined, null, "bad", {}, []] as unknown[]).map((details): Row => [
      `400 without usable details (${JSON.stringify(details)}) says 'the request'`,
      { status: 400, details },
      ["Vobiz rejected the request; fix the value"],
      [],
    ]),
    // 402, 429, 501.
    ["402 points at billing", { status: 402 }, ["billing problem"], []],
    ["429 points at rate limiting", { status: 429 }, ["rate limiting"], []],
    ...(["create", "list", "update", "delete"] as VobizOperation[]).map((operation): Row => [
      `501 on ${operation}: running it again will not help`,
      { status: 501, operation },
      ["Vobiz does not implement this request", "running the command again will not help"],
      ["safe to retry"],
    ]),
    // 5xx and 408: retried by default (safe to retry but for a create) or not.
    ...[500, 502, 503, 504, 408].flatMap((status): Row[] => [
      ...ALL_BUT_CREATE.map((operation): Row => [
        `${status} on ${operation}: safe to retry`,
        { status, operation },
        ["It is safe to retry"],
        [],
      ]),
      [
        `${status} on create: it may have landed, how to adopt it`,
        { status },
        ["may have been created anyway", "adoptExisting: true"],
        ["safe to retry"],
      ],
    ]),
    ...[505, 507, 511, 599].flatMap((status): Row[] => [
      ...ALL_BUT_CREATE.map((operation): Row => [
        `${status} on ${operation}: not retried`,
        { status, operation },
        ["a server error that is not retried"],
        ["safe to retry"],
      ]),
      [`${status} on create: not retried, may have landed`, { status }, ["may have been created anyway"], []],
    ]),
  ];

  it.each(rows)("%s", (_label, over, says, never) => {
    const m = createApiError(facts(over)).message;
    for (const s of says) {
      if (typeof s === "string") expect(m).toContain(s);
      else expect(m).toMatch(s);
    }
    for (const s of never) expect(m).not.toContain(s);
  });
});

describe("createApiError: the message's frame", () => {
  const msg = (over: Partial<VobizApiErrorFacts>) => createApiError(facts(over)).message;

  it("names the operation, method, path and status, then Vobiz's code and message", () => {
    expect(msg({ status: 500, code: "INTERNAL", vobizMessage: "boom" })).toMatch(
      /^Vobiz API create failed \(POST \/account\/MA_UNIT\/credentials\): HTTP 500 INTERNAL: boom\. /,
    );
    expect(msg({ status: 500 })).toMatch(/: HTTP 500\. Vobiz had a server-side problem/);
    expect(msg({ status: 500, vobizMessage: "only a message" })).toContain("HTTP 500 only a message.");
  });

  it("an unknown status has no next step", () => {
    expect(msg({ status: 418 })).toBe(
      "Vobiz API create failed (POST /account/MA_UNIT/credentials): HTTP 418.",
    );
  });

  it("reports the attempts only when there was more than one", () => {
    expect(msg({ status: 503, attempts: 3 })).toContain("Gave up after 3 attempts.");
    expect(msg({ status: 503, attempts: 1 })).not.toContain("Gave up");
    expect(msg({ status: 503 })).not.toContain("Gave up");
  });

  it("says why the retries stopped when the transport tells, even after one attempt", () => {
    expect(msg({ status: 429, attempts: 1, gaveUpBecause: "Vobiz asked to wait 300 s" })).toContain(
      "Gave up after 1 attempt: Vobiz asked to wait 300 s.",
    );
    expect(msg({ status: 429, attempts: 3, gaveUpBecause: "the budget is spent" })).toContain(
      "Gave up after 3 attempts: the budget is spent.",
    );
  });

  it("ends with the request id when there is one", () => {
    expect(msg({ status: 500, requestId: "req_42" })).toMatch(/Request id: req_42\.$/);
    expect(msg({ status: 500 })).not.toContain("Request id");
  });
});

describe("VobizApiError fields and toJSON", () => {
  it("copies every fact and serialises exactly the vetted fields", () => {
    const all: VobizApiErrorFacts = {
      status: 409,
      code: "DUPLICATE_USERNAME",
      vobizMessage: "taken",
      details: { field: "username" },
      requestId: "req_1",
      method: "POST",
      path: PATH,
      operation: "create",
      networkCode: undefined,
      attempts: 2,
      gaveUpBecause: "the budget is spent",
    };
    const err = createApiError(all);
    expect(err).toMatchObject({ ...all, name: "VobizConflictError" });
    expect(err.toJSON()).toEqual({ name: "VobizConflictError", message: err.message, ...all });
    expect(JSON.parse(JSON.stringify(err))).toEqual(
      JSON.parse(JSON.stringify({ name: "VobizConflictError", message: err.message, ...all })),
    );
  });
});

describe("createResponseError", () => {
  it("is a VobizResponseError with code MALFORMED_RESPONSE, the problem and a next step", () => {
    const err = createResponseError(
      {
        status: 200,
        method: "GET",
        path: "/account/MA_UNIT/trunks/credentials",
        operation: "list",
        requestId: "r",
      },
      "objects.0.enabled: expected boolean",
    );
    expect(err).toBeInstanceOf(VobizResponseError);
    expect(err.code).toBe("MALFORMED_RESPONSE");
    expect(err.vobizMessage).toBe("objects.0.enabled: expected boolean");
    expect(err.message).toContain("HTTP 200 MALFORMED_RESPONSE: objects.0.enabled: expected boolean.");
    expect(err.message).toContain("(…/api/v1)");
    expect(err.message).toContain("Request id: r.");
  });
});

describe("VobizConfigError", () => {
  it("is a VobizError named after its class", () => {
    const err = new VobizConfigError("nope");
    expect(err).toBeInstanceOf(VobizError);
    expect(err.name).toBe("VobizConfigError");
    expect(err.message).toBe("nope");
  });
});

test("the in-use advice says each step once, and no disabling for a credential already disabled", () => {
  const vobiz = "Credential is in use by active calls; disable it first or retry later";
  for (const enabled of [true, undefined]) {
    const advice = inUseAdvice(enabled);
    expect(advice.match(/enabled: false/g)).toHaveLength(1);
    expect(advice).not.toMatch(/disable it first/i);
  }
  const disabled = inUseAdvice(false);
  expect(disabled).toMatch(/^It is already disabled/);
  expect(disabled).not.toContain("enabled: false");
  // Another advice keeps the error's class and facts.
  const e = createApiError({
    status: 409,
    operation: "delete",
    method: "DELETE",
    path: "/account/MA_X/credentials/1",
    code: "CREDENTIAL_IN_USE",
    vobizMessage: vobiz,
    requestId: "req_1",
  });
  const advised = withAdvice(e, disabled);
  expect(advised).toBeInstanceOf(VobizConflictError);
  expect(advised).toMatchObject({ status: 409, code: "CREDENTIAL_IN_USE", requestId: "req_1" });
  expect(advised.message).toBe(
    `Vobiz API delete failed (DELETE /account/MA_X/credentials/1): HTTP 409 CREDENTIAL_IN_USE: ${vobiz}. ${disabled} Request id: req_1.`,
  );
});
