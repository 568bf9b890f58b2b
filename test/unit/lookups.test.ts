/**
 * The look-ups (`getCredential`, `getCredentials`) against nock: one list scan per connection for
 * the whole run, however many calls; the fields returned and never a password; filters; and the
 * resource's clear errors (not configured, wrong token, unknown username).
 */
import { RunError } from "@pulumi/pulumi";
import { VobizError } from "../../provider/common/errors";
import { getCredential, getCredentials } from "../../provider/adapters/dynamic/lookups";
import {
  apiCredential,
  apiError,
  AUTH_ID,
  AUTH_TOKEN,
  BASE_URL,
  LIST_PATH,
  mockApi,
  useNock,
} from "./provider.harness";

useNock();
// The first look-up loads @pulumi/pulumi (for the stack config), which takes seconds on a busy machine.
jest.setTimeout(60_000);

let account = 0;
/** A connection of its own per test: the look-ups remember one scan per connection for the process. */
function connection() {
  return {
    connection: { authId: AUTH_ID, authToken: `${AUTH_TOKEN}_${++account}`, baseUrl: BASE_URL },
    env: {},
  };
}

const LIVE = [
  apiCredential({ id: "id-b", username: "sales_02", enabled: false, description: "Sales 2" }),
  apiCredential({ id: "id-a", username: "reception", description: "Reception" }),
  apiCredential({ id: "id-c", username: "sales_01" }),
];

test("many look-ups share one list scan; fields as Vobiz gives them, never a password", async () => {
  const api = mockApi();
  api.scope
    .get(LIST_PATH)
    .query(true)
    .reply(200, { meta: { limit: 100, offset: 0, total: 3 }, objects: LIVE });
  const opts = connection();

  const [one, all, sales] = await Promise.all([
    getCredential({ username: "sales_02" }, opts),
    getCredentials({}, opts),
    getCredentials({ filter: "sales_*", enabled: true }, opts),
  ]);
  const again = await getCredential({ username: "reception" }, opts);

  expect(api.requests).toHaveLength(1);
  expect(one).toEqual({
    id: "id-b",
    username: "sales_02",
    enabled: false,
    description: "Sales 2",
    realm: `${AUTH_ID}.sip.vobiz.ai`,
    accountId: AUTH_ID,
    createdAt: expect.any(String),
    updatedAt: expect.any(String),
  });
  expect(all.map((c) => c.username)).toEqual(["reception", "sales_01", "sales_02"]);
  expect(sales.map((c) => c.username)).toEqual(["sales_01"]);
  expect(again.id).toBe("id-a");
  expect(JSON.stringify([one, all, again])).not.toMatch(/password|redacted/);
});

test("an unknown username: a clear error naming it and the account", async () => {
  const api = mockApi();
  api.scope
    .get(LIST_PATH)
    .query(true)
    .reply(200, { meta: { limit: 100, offset: 0, total: 3 }, objects: LIVE });
  const e = await getCredential({ username: "nobody" }, connection()).catch((x: unknown) => x);
  expect((e as Error).message).toMatch(
    /account MA_UNIT has no credential 'nobody' \(3 credential\(s\) on the account\)/,
  );
  // A VobizError still, that Pulumi's program host reports like its RunError: the message alone,
  // once, without "unhandled exception" and a stack trace (test/e2e/failure-messages.test.ts).
  expect(e).toBeInstanceOf(VobizError);
  expect(RunError.isInstance(e)).toBe(true);
});

test("not configured: the resource's message, before any request", async () => {
  mockApi();
  await expect(getCredentials({}, { env: {} })).rejects.toThrow(/Vobiz credentials are not configured/);
});

test("a wrong token: the resource's 401 error; the failed scan is not remembered", async () => {
  const api = mockApi();
  api.scope.get(LIST_PATH).query(true).reply(401, apiError("INVALID_CREDENTIALS", "Invalid token"));
  api.scope
    .get(LIST_PATH)
    .query(true)
    .reply(200, { meta: { limit: 100, offset: 0, total: 3 }, objects: LIVE });
  const opts = connection();
  const e = (await getCredentials({}, opts).catch((x: unknown) => x)) as Error;
  expect(e.message).toMatch(/HTTP 401.*Check the Auth ID and Auth Token/);
  expect(RunError.isInstance(e)).toBe(true);
  expect(e.message).not.toContain(AUTH_TOKEN);
  expect(await getCredentials({}, opts)).toHaveLength(3);
  expect(api.requests).toHaveLength(2);
});
