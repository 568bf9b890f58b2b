/**
 * The onboarding command's pure parts and the first-contact check's findings that the sandbox
 * cannot show (an API that only answers on `/Account/`, a page-size cap), against nock.
 */
import { resolveSettings } from "../../provider/settings/settings";
import { parse } from "yaml";
import { usernameMatcher } from "../../provider/lifecycle/lookups";
import { renderFleetYaml } from "../../provider/onboard/declarations";
import { describeReport, firstContact } from "../../provider/onboard/firstContact";
import { apiCredential, AUTH_ID, AUTH_TOKEN, BASE_URL, mockApi, useNock } from "./provider.harness";

useNock();
const conn = resolveSettings({
  options: { authId: AUTH_ID, authToken: AUTH_TOKEN, baseUrl: BASE_URL },
  env: {},
});
const LIST = (segment: string) => `/api/v1/${segment}/${AUTH_ID}/trunks/credentials`;

describe("usernameMatcher", () => {
  test("* and ?, several patterns, anchored, case-sensitive, regex characters literal", () => {
    const m = usernameMatcher("sales_*, desk-?,a.b");
    expect(["sales_01", "sales_", "desk-1", "a.b"].filter(m)).toHaveLength(4);
    expect(["xsales_01", "desk-10", "Sales_1", "axb"].filter(m)).toEqual([]);
    expect(usernameMatcher(undefined)("anything")).toBe(true);
  });
});

describe("renderFleetYaml", () => {
  test("reads back as the same strings whatever they hold, sorted by username, never a password", () => {
    const tricky = ["null", "123", "yes", "#x", "a: b", "- x", "line\nbreak", "é ü ☎"];
    const creds = tricky.map((d, i) => ({
      id: `id${i}`,
      username: `u${9 - i}`,
      enabled: i % 2 === 0,
      description: d,
    }));
    const text = renderFleetYaml(creds, {
      authId: AUTH_ID,
      baseUrl: BASE_URL,
      readAt: "2025-01-01T00:00:00Z",
    });
    const doc = parse(text) as { credentials: Record<string, unknown>[] };
    expect(doc.credentials.map((c) => c.username)).toEqual([...creds.map((c) => c.username)].sort());
    for (const c of creds) {
      expect(doc.credentials.find((e) => e.username === c.username)).toEqual({
        username: c.username,
        enabled: c.enabled,
        description: c.description,
        adoptExisting: "keepPassword",
      });
    }
    expect(text).not.toMatch(/password:/);
  });
});

describe("firstContact", () => {
  test("an API that answers only on /Account/ and caps pages at 50: both found, both in the settings", async () => {
    const api = mockApi();
    api.scope
      .get(LIST("account"))
      .query(true)
      .reply(404, { error: { code: "NOT_FOUND", message: "no" } });
    api.scope
      .get(LIST("Account"))
      .query({ limit: 1, offset: 0 })
      .reply(200, { meta: { limit: 1, offset: 0, total_count: 120 }, objects: [apiCredential()] });
    api.scope
      .get(LIST("Account"))
      .query({ limit: 100, offset: 0 })
      .reply(200, {
        meta: { limit: 50, offset: 0, total_count: 120 },
        objects: Array.from({ length: 50 }, (_, i) => apiCredential({ id: `id-${i}`, username: `u${i}` })),
      });
    api.scope.get(`/api/v1/Account/${AUTH_ID}/credentials/id-0`).reply(405, {});

    const report = await firstContact(conn, { maxAttempts: 1 });

    expect(report).toMatchObject({
      accountPathSegment: "Account",
      listTotalField: "total_count",
      pageSizeCap: 50,
      singleGet: "no",
      credentials: 120,
    });
    expect(api.requests.every((r) => r.method === "GET")).toBe(true);
    const text = describeReport(conn, report);
    expect(text).toContain("pulumi config set vobiz:accountPathSegment Account\n");
    expect(text).toContain("pulumi config set vobiz:listPageSize 50\n");
    expect(text).toContain("export VOBIZ_ACCOUNT_PATH_SEGMENT=Account\n");
    expect(text).toContain("export VOBIZ_LIST_PAGE_SIZE=50\n");
    expect(text).not.toContain(AUTH_TOKEN);
  });

  test("no total and a page shorter than asked without meta.limit: the cap is not guessed", async () => {
    const api = mockApi();
    api.scope.get(LIST("account")).query({ limit: 1, offset: 0 }).reply(200, { objects: [] });
    api.scope.get(LIST("account")).query({ limit: 100, offset: 0 }).reply(200, { objects: [] });
    const report = await firstContact(conn, { maxAttempts: 1 });
    expect(report).toMatchObject({ listTotalField: "none", singleGet: "unknown", credentials: 0 });
    expect(report.pageSizeCap).toBeUndefined();
  });

  test("neither segment answers: the report says to check the base URL", async () => {
    const api = mockApi();
    api.scope.get(LIST("account")).query(true).reply(404, {});
    api.scope.get(LIST("Account")).query(true).reply(404, {});
    const report = await firstContact(conn, { maxAttempts: 1 });
    expect(report.accountPathSegment).toBeUndefined();
    expect(describeReport(conn, report)).toMatch(/neither \/account\/ nor \/Account\/.*base URL/);
  });
});
