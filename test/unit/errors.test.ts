/** The typed errors: which class each failure becomes, the next step each message gives. */
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

describe("createApiError: class by status", () => {
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

describe("createApiError: message and next step", () => {
  const msg = (over: Partial<VobizApiErrorFacts>) => createApiError(facts(over)).message;

  it("names the operation, method, path and status, then Vobiz's code and message", () => {
    expect(msg({ status: 500, code: "INTERNAL", vobizMessage: "boom" })).toMatch(
      /^Vobiz API create failed \(POST \/account\/MA_UNIT\/credentials\): HTTP 500 INTERNAL: boom\. /,
    );
    expect(msg({ status: 500 })).toMatch(/: HTTP 500\. Vobiz had a server-side problem/);
    expect(msg({ status: 500, vobizMessage: "only a message" })).toContain("HTTP 500 only a message.");
  });

  it("says 'no response' and the network code when nothing came back", () => {
    expect(msg({ networkCode: "ECONNREFUSED" })).toContain("no response (ECONNREFUSED).");
    expect(msg({})).toContain("no response.");
    expect(msg({ networkCode: "ETIMEDOUT" })).toContain("vobiz:baseUrl / VOBIZ_BASE_URL");
  });

  it("401 names the config keys and environment variables of both credentials", () => {
    const m = msg({ status: 401, operation: "list", method: "GET" });
    for (const s of ["vobiz:authId", "vobiz:authToken", "VOBIZ_AUTH_ID", "VOBIZ_AUTH_TOKEN", "--secret"]) {
      expect(m).toContain(s);
    }
  });

  it("403 points at the Auth ID / account match and the path casing", () => {
    const m = msg({ status: 403 });
    expect(m).toContain("vobiz:authId");
    expect(m).toMatch(/account vs Account/);
  });

  it("404 on update says the credential was deleted: pulumi refresh", () => {
    expect(msg({ status: 404, operation: "update" })).toMatch(/deleted outside Pulumi.*`pulumi refresh`/);
  });

  it.each(["create", "list", "delete"] as VobizOperation[])(
    "404 on %s points at the base URL (a wrong Auth ID is a 401, not a 404)",
    (op) => {
      const m = msg({ status: 404, operation: op });
      expect(m).toContain("Check the base URL: the API path was not found");
      expect(m).toContain("must end in /api/v1");
      expect(m).not.toContain("Auth ID");
      expect(m).not.toContain("pulumi refresh");
    },
  );

  it("409 on create suggests adoptExisting or another username", () => {
    const m = msg({ status: 409, code: "DUPLICATE_USERNAME" });
    expect(m).toContain("adoptExisting: true");
    expect(m).toContain("another username");
  });

  it("409 on delete says the credential is in use: disable it, then delete again once its calls ended", () => {
    const m = msg({ status: 409, operation: "delete", method: "DELETE" });
    expect(m).toContain("Set `enabled: false` on it and run `pulumi up`");
    expect(m).toContain("once its calls have ended");
  });

  it("the in-use advice says each step once, and no disabling for a credential already disabled", () => {
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

  it("409 on update suggests refresh", () => {
    expect(msg({ status: 409, operation: "update" })).toContain("`pulumi refresh`");
  });

  it("400/422 name the field and rule from details", () => {
    expect(msg({ status: 422, details: { field: "password", rule: "min_length" } })).toContain(
      "Vobiz rejected the field 'password' (rule: min_length); fix the value",
    );
    expect(msg({ status: 400, details: { field: "username" } })).toContain(
      "Vobiz rejected the field 'username';",
    );
  });

  it("400/422 quote details of any other shape instead of presenting their keys as fields", () => {
    const m = msg({ status: 422, details: { username: ["taken"], enabled: ["not a boolean"] } });
    expect(m).toContain(
      'Vobiz rejected the request (details: {"username":["taken"],"enabled":["not a boolean"]}); fix the value',
    );
    expect(m).not.toContain("field");
    expect(msg({ status: 400, details: { hint: "x".repeat(300) } })).toContain(`"hint":"${"x".repeat(190)}`);
    expect(msg({ status: 400, details: { hint: "x".repeat(300) } })).toContain("…); fix the value");
  });

  it("400/422 fall back to 'the request' without usable details", () => {
    for (const details of [undefined, null, "bad", {}, []]) {
      expect(msg({ status: 400, details })).toContain("Vobiz rejected the request; fix the value");
    }
  });

  it("402 points at billing, 429 at rate limiting, 5xx and 408 say it is safe to retry", () => {
    expect(msg({ status: 402 })).toContain("billing problem");
    expect(msg({ status: 429 })).toContain("rate limiting");
    expect(msg({ status: 408, operation: "update" })).toContain("safe to retry");
    expect(msg({ status: 504, operation: "delete" })).toContain("safe to retry");
  });

  it.each([500, 502, 503, 504, 408])(
    "%i (retried by default) says it is safe to retry, for every operation but create",
    (status) => {
      for (const operation of ["list", "update", "delete"] as VobizOperation[]) {
        expect(msg({ status, operation })).toContain("It is safe to retry");
      }
      expect(msg({ status, operation: "create" })).not.toContain("safe to retry");
    },
  );

  it("501 (not retried) says running it again will not help, and never that it is safe to retry", () => {
    for (const operation of ["create", "list", "update", "delete"] as VobizOperation[]) {
      const m = msg({ status: 501, operation });
      expect(m).toContain("Vobiz does not implement this request");
      expect(m).toContain("running the command again will not help");
      expect(m).not.toContain("safe to retry");
    }
  });

  it.each([505, 507, 511, 599])("%i (not retried) says so, and never that it is safe to retry", (status) => {
    for (const operation of ["list", "update", "delete"] as VobizOperation[]) {
      const m = msg({ status, operation });
      expect(m).toContain("a server error that is not retried");
      expect(m).not.toContain("safe to retry");
    }
    expect(msg({ status, operation: "create" })).toContain("may have been created anyway");
  });

  it("a 5xx, 408 or network failure of a create says it may have landed and how to adopt it", () => {
    for (const over of [{ status: 500 }, { status: 408 }, { status: undefined, networkCode: "ETIMEDOUT" }]) {
      const m = msg({ ...over, operation: "create" });
      expect(m).toContain("may have been created anyway");
      expect(m).toContain("adoptExisting: true");
      expect(m).not.toContain("safe to retry");
    }
  });

  it("a create refused before it was sent does not suggest it may have landed", () => {
    const m = msg({ status: undefined, networkCode: "ECONNREFUSED", operation: "create" });
    expect(m).not.toContain("may have been created");
  });

  it("a network failure names the base URL it tried", () => {
    const m = msg({ status: undefined, networkCode: "ECONNREFUSED", baseUrl: "http://127.0.0.1:9/api/v1" });
    expect(m).toContain("the base URL (http://127.0.0.1:9/api/v1), set by vobiz:baseUrl / VOBIZ_BASE_URL");
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
