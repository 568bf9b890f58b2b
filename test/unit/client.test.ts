/**
 * VobizClient requests and responses: exact paths, headers and bodies of each operation, and
 * tolerant-but-strict parsing of every documented (and some undocumented) response shape.
 */
import fc from "fast-check";
import { VobizApiError, VobizConfigError, VobizResponseError } from "../../provider/common/errors";
import {
  apiPaths,
  credentialJson,
  fixtureId,
  legacyCredentialJson,
  listJson,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_AUTH_TOKEN,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { useNock } from "../helpers/nock";
import { expectNoSecrets } from "../helpers/secrets";

const api = useNock();
const ID = fixtureId(901);

/** Request headers every call must carry. */
const AUTH_HEADERS = {
  "x-auth-id": "MA_UNIT",
  "x-auth-token": UNIT_AUTH_TOKEN,
  "user-agent": (v: string | null) => !!v?.startsWith("pulumi-vobiz/"),
};

async function responseError(promise: Promise<unknown>): Promise<VobizResponseError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(VobizResponseError);
  expectNoSecrets(err, [UNIT_AUTH_TOKEN, UNIT_PASSWORD]);
  return err as VobizResponseError;
}

describe("create", () => {
  it("POSTs exactly {username, password} as JSON to /account/{authId}/credentials", async () => {
    const bodies: unknown[] = [];
    const scope = api
      .scope(UNIT_ORIGIN, { reqheaders: { ...AUTH_HEADERS, "content-type": "application/json" } })
      .post(PATHS.credentials, (b) => bodies.push(b) > 0)
      .reply(201, credentialJson({ id: ID, username: "desk_1" }));
    const { client } = makeClient();
    const input = { username: "desk_1", password: UNIT_PASSWORD, enabled: false, description: "not sent" };
    const created = await client.createCredential(input);
    expect(bodies).toEqual([{ username: "desk_1", password: UNIT_PASSWORD }]);
    expect(created.id).toBe(ID);
    expect(scope.isDone()).toBe(true);
    expect(api.traffic.seen).toEqual([{ method: "POST", path: PATHS.credentials, matched: true }]);
  });

  it("accepts any 2xx (200 as well as 201)", async () => {
    api
      .scope(UNIT_ORIGIN)
      .post(PATHS.credentials)
      .reply(200, credentialJson({ id: ID }));
    expect((await makeClient().client.createCredential({ username: "u1", password: UNIT_PASSWORD })).id).toBe(
      ID,
    );
  });
});

describe("list", () => {
  it("GETs /account/{authId}/trunks/credentials?limit=&offset= with auth headers and no Content-Type", async () => {
    const scope = api
      .scope(UNIT_ORIGIN, { reqheaders: AUTH_HEADERS, badheaders: ["content-type"] })
      .get("/api/v1/account/MA_UNIT/trunks/credentials?limit=100&offset=0")
      .reply(200, listJson([]));
    const page = await makeClient().client.listCredentialsPage();
    expect(page).toEqual({ credentials: [], limit: 100, offset: 0, total: 0 });
    expect(scope.isDone()).toBe(true);
  });

  it("passes an explicit page's limit and offset", async () => {
    const scope = api.scope(UNIT_ORIGIN).get(PATHS.listPage(40, 20)).reply(200, listJson([]));
    await makeClient().client.listCredentialsPage({ limit: 20, offset: 40 });
    expect(scope.isDone()).toBe(true);
  });

  it("uses the configured page size", async () => {
    const scope = api.scope(UNIT_ORIGIN).get(PATHS.listPage(0, 7)).reply(200, listJson([]));
    await makeClient({ listPageSize: 7 }).client.listAllCredentials();
    expect(scope.isDone()).toBe(true);
  });

  it.each([0, 101, 2.5, Number.NaN])("refuses a page size of %p at construction", (listPageSize) => {
    expect(() => makeClient({ listPageSize })).toThrow(VobizConfigError);
    expect(() => makeClient({ listPageSize })).toThrow("listPageSize must be a whole number from 1 to 100");
  });
});

describe("update", () => {
  it.each([
    [{ password: UNIT_PASSWORD }, { password: UNIT_PASSWORD }],
    [{ enabled: false }, { enabled: false }],
    [{ enabled: true }, { enabled: true }],
    [{ description: "" }, { description: "" }],
    [
      { description: "front desk", enabled: false },
      { enabled: false, description: "front desk" },
    ],
    [
      { password: UNIT_PASSWORD, enabled: true, description: "d" },
      { password: UNIT_PASSWORD, enabled: true, description: "d" },
    ],
    [{ password: undefined, enabled: false, description: undefined }, { enabled: false }],
  ])("PUTs only the given fields: %j", async (patch, expected) => {
    const bodies: unknown[] = [];
    const scope = api
      .scope(UNIT_ORIGIN, { reqheaders: { ...AUTH_HEADERS, "content-type": "application/json" } })
      .put(PATHS.credential(ID), (b) => bodies.push(b) > 0)
      .reply(200, credentialJson({ id: ID }));
    await makeClient().client.updateCredential(ID, patch);
    expect(bodies).toEqual([expected]);
    expect(scope.isDone()).toBe(true);
  });

  it("refuses an empty patch without sending anything", async () => {
    const { client } = makeClient();
    await expect(client.updateCredential(ID, {})).rejects.toThrow(TypeError);
    await expect(client.updateCredential(ID, { description: undefined })).rejects.toThrow(
      "updateCredential needs at least one field to change",
    );
    expect(api.traffic.seen).toEqual([]);
  });

  it("returns the updated credential", async () => {
    api
      .scope(UNIT_ORIGIN)
      .put(PATHS.credential(ID))
      .reply(
        200,
        credentialJson({ id: ID, username: "desk", enabled: false, updated_at: "2030-01-01T00:00:05Z" }),
      );
    const updated = await makeClient().client.updateCredential(ID, { enabled: false });
    expect(updated).toMatchObject({
      id: ID,
      username: "desk",
      enabled: false,
      updatedAt: "2030-01-01T00:00:05Z",
    });
  });
});

describe("delete", () => {
  it("DELETEs /account/{authId}/credentials/{id} without a body", async () => {
    const scope = api
      .scope(UNIT_ORIGIN, { reqheaders: AUTH_HEADERS, badheaders: ["content-type"] })
      .delete(PATHS.credential(ID), (body) => body === "" || body === undefined)
      .reply(204);
    await expect(makeClient().client.deleteCredential(ID)).resolves.toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it("accepts 200 with a body (some docs show it)", async () => {
    api.scope(UNIT_ORIGIN).delete(PATHS.credential(ID)).reply(200, { message: "deleted", api_id: "a1" });
    await expect(makeClient().client.deleteCredential(ID)).resolves.toBeUndefined();
  });
});

describe("ids and path segments", () => {
  it("percent-encodes the credential id and the Auth ID in the path", async () => {
    const odd = "a/b?c";
    const paths = apiPaths("MA%2FX");
    const scope = api.scope(UNIT_ORIGIN).delete(paths.credential(odd)).reply(204);
    await makeClient({ authId: "MA/X" }).client.deleteCredential(odd);
    expect(scope.isDone()).toBe(true);
    expect(api.traffic.seen[0].path).toBe("/api/v1/account/MA%2FX/credentials/a%2Fb%3Fc");
  });

  it("refuses an empty id before any request", async () => {
    const { client } = makeClient();
    await expect(client.deleteCredential("")).rejects.toThrow(
      new TypeError("credential id must not be empty"),
    );
    await expect(client.updateCredential("", { enabled: true })).rejects.toThrow(TypeError);
    expect(api.traffic.seen).toEqual([]);
  });

  it("accountPathSegment 'Account' switches every operation's path", async () => {
    const paths = apiPaths("MA_UNIT", "Account");
    const c = credentialJson({ id: ID, username: "desk_A" });
    const scope = api
      .scope(UNIT_ORIGIN)
      .post(paths.credentials)
      .reply(201, c)
      .get(paths.listPage(0))
      .reply(200, listJson([c]))
      .put(paths.credential(ID))
      .reply(200, c)
      .delete(paths.credential(ID))
      .reply(204);
    const { client } = makeClient({ accountPathSegment: "Account" });
    await client.createCredential({ username: "desk_A", password: UNIT_PASSWORD });
    expect(await client.findCredentialById(ID)).toMatchObject({ id: ID });
    await client.updateCredential(ID, { enabled: false });
    await client.deleteCredential(ID);
    expect(scope.isDone()).toBe(true);
    expect(api.traffic.seen.map((r) => r.path.split("/")[3])).toEqual([
      "Account",
      "Account",
      "Account",
      "Account",
    ]);
  });
});

describe("response shapes", () => {
  const put = (body: unknown, status = 200) => {
    api
      .scope(UNIT_ORIGIN)
      .put(PATHS.credential(ID))
      .reply(status, body as Record<string, unknown>);
    return makeClient().client.updateCredential(ID, { enabled: true });
  };

  it("the newer object: account_id and realm mapped, the redacted password dropped", async () => {
    const c = await put(
      credentialJson({
        id: ID,
        username: "desk",
        created_at: "2030-01-01T00:00:00Z",
        updated_at: "2030-01-01T00:00:01.123456Z",
      }),
    );
    expect(c).toEqual({
      id: ID,
      username: "desk",
      enabled: true,
      accountId: "MA_UNIT",
      realm: "MA_UNIT.sip.vobiz.ai",
      createdAt: "2030-01-01T00:00:00Z",
      updatedAt: "2030-01-01T00:00:01.123456Z",
    });
    expect(c).not.toHaveProperty("password");
  });

  it("the older object: description kept, trunk_id dropped, no realm", async () => {
    const c = await put(legacyCredentialJson({ id: ID, username: "old", description: "lobby" }));
    expect(c).toEqual({
      id: ID,
      username: "old",
      enabled: true,
      description: "lobby",
      createdAt: "2029-12-31T00:00:00Z",
      updatedAt: "2029-12-31T00:00:00Z",
    });
  });

  it("keeps an empty description (it is a value), drops a null one", async () => {
    expect((await put(credentialJson({ id: ID, description: "" }))).description).toBe("");
    expect(await put(credentialJson({ id: ID, description: null }))).not.toHaveProperty("description");
  });

  it("ignores unknown extra fields", async () => {
    const c = await put(credentialJson({ id: ID, sip_uri: "sip:x@y", flags: { a: 1 }, tags: [1, 2] }));
    expect(Object.keys(c).sort()).toEqual([
      "accountId",
      "createdAt",
      "enabled",
      "id",
      "realm",
      "updatedAt",
      "username",
    ]);
  });

  it("accepts the minimum: id, username, enabled", async () => {
    const minimal = { id: ID, username: "min", enabled: false };
    expect(await put(minimal)).toEqual(minimal);
    expect(
      await put(
        credentialJson({
          id: ID,
          username: "min",
          enabled: false,
          account_id: null,
          realm: undefined,
          password: undefined,
          created_at: undefined,
          updated_at: null,
        }),
      ),
    ).toEqual(minimal);
  });

  it.each(["object", "data", "credential"])("unwraps { %s: {...} }", async (key) => {
    expect(await put({ [key]: credentialJson({ id: ID, username: "wrapped" }), api_id: "x" })).toMatchObject({
      id: ID,
      username: "wrapped",
    });
  });

  it("list items go through the same mapping; meta.total_count is read like total", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, {
        meta: { limit: 100, offset: 0, total_count: 2, next: null, previous: null },
        objects: [
          credentialJson({ id: fixtureId(1), username: "a" }),
          legacyCredentialJson({ id: fixtureId(2), username: "b" }),
        ],
        api_id: "x",
      });
    const page = await makeClient().client.listCredentialsPage();
    expect(page.total).toBe(2);
    expect(page.credentials[0]).toMatchObject({
      id: fixtureId(1),
      username: "a",
      realm: "MA_UNIT.sip.vobiz.ai",
    });
    expect(page.credentials[0]).not.toHaveProperty("description");
    expect(page.credentials[1]).toMatchObject({ id: fixtureId(2), username: "b" });
    expect(page.credentials[1].description).toMatch(/^legacy credential \d+$/);
    expect(page.credentials[1]).not.toHaveProperty("realm");
  });

  it("a list without meta is fine", async () => {
    api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(200, { objects: [] });
    expect(await makeClient().client.listCredentialsPage()).toEqual({
      credentials: [],
      limit: undefined,
      offset: undefined,
      total: undefined,
    });
  });
});

describe("malformed responses -> VobizResponseError naming the field, never a crash", () => {
  const updateWith = (status: number, body: unknown) => {
    api
      .scope(UNIT_ORIGIN)
      .put(PATHS.credential(ID))
      .reply(status, body as Record<string, unknown>);
    return makeClient().client.updateCredential(ID, { password: UNIT_PASSWORD });
  };
  const listWith = (body: unknown, headers: Record<string, string> = {}) => {
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, body as Record<string, unknown>, headers);
    return makeClient().client.listAllCredentials();
  };

  it("an object without id", async () => {
    const err = await responseError(updateWith(200, credentialJson({ id: undefined })));
    expect(err.message).toMatch(/unexpected credential body: id: /);
    expect(err.operation).toBe("update");
  });

  it("enabled as a string", async () => {
    const err = await responseError(updateWith(200, credentialJson({ id: ID, enabled: "true" })));
    expect(err.message).toMatch(/enabled: Invalid input: expected boolean/);
  });

  it("reports the real 2xx status, not 200", async () => {
    const err = await responseError(updateWith(202, { ok: true }));
    expect(err.status).toBe(202);
    expect(err.message).toContain("HTTP 202 MALFORMED_RESPONSE");
  });

  it("an empty 200 body on update", async () => {
    const err = await responseError(updateWith(200, ""));
    expect(err.message).toContain("unexpected credential body: (body):");
  });

  it("a password echoed back in a malformed body never reaches the error", async () => {
    await responseError(updateWith(200, { id: 5, username: UNIT_PASSWORD, enabled: UNIT_PASSWORD }));
  });

  it("objects that is not an array", async () => {
    const err = await responseError(listWith({ meta: {}, objects: { id: "x" } }));
    expect(err.message).toMatch(/unexpected list body: objects: /);
    expect(err.operation).toBe("list");
  });

  it("a list item without id, or with enabled as a string", async () => {
    expect((await responseError(listWith(listJson([credentialJson({ id: undefined })])))).message).toMatch(
      /objects\.0\.id: /,
    );
    expect(
      (await responseError(listWith(listJson([credentialJson(), credentialJson({ enabled: "yes" })]))))
        .message,
    ).toMatch(/objects\.1\.enabled: /);
  });

  it("meta.total that is not a count", async () => {
    const err = await responseError(listWith({ meta: { total: "3" }, objects: [] }));
    expect(err.message).toMatch(/meta\.total: /);
  });

  it("an HTML page with status 200", async () => {
    const err = await responseError(
      listWith("<html><body>login</body></html>", { "Content-Type": "text/html" }),
    );
    expect(err.message).toContain("response body is not JSON (an HTML page");
  });

  it("an empty 200 list body", async () => {
    const err = await responseError(listWith(""));
    expect(err.message).toContain("unexpected list body: (body):");
  });

  it("any JSON body either parses or fails with a VobizApiError (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        api.scope(UNIT_ORIGIN).put(PATHS.credential(ID)).reply(200, JSON.stringify(value));
        api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(200, JSON.stringify(value));
        const { client } = makeClient();
        for (const call of [
          () => client.updateCredential(ID, { enabled: true }),
          () => client.listCredentialsPage(),
        ]) {
          try {
            await call();
          } catch (err) {
            expect(err).toBeInstanceOf(VobizApiError);
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
