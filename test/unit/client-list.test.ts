/**
 * Reading the whole list: paging (`total`, `total_count`, neither), de-duplication, and the shared
 * snapshot that lets a refresh of many resources cost one scan.
 */
import { VobizAuthenticationError, VobizServerError } from "../../provider/common/errors";
import {
  credentialJson,
  fixtureId,
  listJson,
  makeClient,
  PATHS,
  rejectionOf,
  UNIT_ORIGIN,
  UNIT_PASSWORD,
} from "../helpers/fixtures";
import { useNock } from "../helpers/nock";

const api = useNock();

const creds = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => credentialJson({ id: fixtureId(from + i), username: `u${from + i}` }));
const gets = () => api.traffic.seen.filter((r) => r.method === "GET").map((r) => r.path);

describe("paging", () => {
  it("meta.total: reads pages until the total, the last one short", async () => {
    const all = creds(250);
    const scope = api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 100), { limit: 100, offset: 0, total: 250 }))
      .get(PATHS.listPage(100))
      .reply(200, listJson(all.slice(100, 200), { limit: 100, offset: 100, total: 250 }))
      .get(PATHS.listPage(200))
      .reply(200, listJson(all.slice(200), { limit: 100, offset: 200, total: 250 }));
    const list = await makeClient().client.listAllCredentials();
    expect(list.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(scope.isDone()).toBe(true);
    expect(gets()).toEqual([PATHS.listPage(0), PATHS.listPage(100), PATHS.listPage(200)]);
  });

  it("meta.total reached on a full page: no extra request", async () => {
    const all = creds(200);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 100), { total: 200 }))
      .get(PATHS.listPage(100))
      .reply(200, listJson(all.slice(100), { total: 200 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(200);
    expect(gets()).toHaveLength(2);
  });

  it("meta.total_count (older docs) works the same", async () => {
    const all = creds(150);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 100), { limit: 100, offset: 0, total_count: 150 }))
      .get(PATHS.listPage(100))
      .reply(200, listJson(all.slice(100), { limit: 100, offset: 100, total_count: 150 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(150);
    expect(gets()).toHaveLength(2);
  });

  it("neither total: stops on the first short page", async () => {
    const all = creds(130);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 100), null))
      .get(PATHS.listPage(100))
      .reply(200, listJson(all.slice(100), { limit: 100, offset: 100 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(130);
    expect(gets()).toHaveLength(2);
  });

  it("neither total, a multiple of the page size: stops on the empty page", async () => {
    const all = creds(4);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0, 2))
      .reply(200, listJson(all.slice(0, 2), null))
      .get(PATHS.listPage(2, 2))
      .reply(200, listJson(all.slice(2), null))
      .get(PATHS.listPage(4, 2))
      .reply(200, listJson([], null));
    expect(await makeClient({ listPageSize: 2 }).client.listAllCredentials()).toHaveLength(4);
    expect(gets()).toEqual([PATHS.listPage(0, 2), PATHS.listPage(2, 2), PATHS.listPage(4, 2)]);
  });

  it("a total larger than what exists: the pages it promised come back empty, the list is what exists", async () => {
    const all = creds(100);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all, { total: 300 }))
      .get(PATHS.listPage(100))
      .reply(200, listJson([], { total: 300 }))
      .get(PATHS.listPage(200))
      .reply(200, listJson([], { total: 300 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(100);
    expect(gets()).toHaveLength(3);
  });

  it("with a total, the remaining pages are read at once, at most 4 in flight", async () => {
    const all = creds(1000);
    let pending = 0;
    let most = 0;
    const scope = api.scope(UNIT_ORIGIN);
    for (let offset = 0; offset < 1000; offset += 100) {
      scope.get(PATHS.listPage(offset)).reply(async () => {
        pending++;
        most = Math.max(most, pending);
        await new Promise((resolve) => setTimeout(resolve, 20));
        pending--;
        return [200, listJson(all.slice(offset, offset + 100), { total: 1000 })];
      });
    }
    const list = await makeClient().client.listAllCredentials();
    expect(list.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(gets()).toHaveLength(10);
    expect(most).toBe(4);
  });

  it("a list that grew while its pages were read is read on, one page at a time, to its new end", async () => {
    const all = creds(350);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 100), { total: 250 }))
      .get(PATHS.listPage(100))
      .reply(200, listJson(all.slice(100, 200), { total: 250 }))
      .get(PATHS.listPage(200))
      .reply(200, listJson(all.slice(200, 300), { total: 350 }))
      .get(PATHS.listPage(300))
      .reply(200, listJson(all.slice(300), { total: 350 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(350);
    expect(gets()).toHaveLength(4);
  });

  it("de-duplicates a credential that shifted onto the next page", async () => {
    const all = creds(3);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0, 2))
      .reply(200, listJson(all.slice(0, 2), { total: 4 }))
      .get(PATHS.listPage(2, 2))
      .reply(200, listJson([all[1], all[2]], { total: 4 }));
    const list = await makeClient({ listPageSize: 2 }).client.listAllCredentials();
    expect(list.map((c) => c.id)).toEqual([all[0].id, all[1].id, all[2].id]);
  });

  it("a server that caps pages below the requested limit (with a total) is still read to the end", async () => {
    const all = creds(45);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 20), { limit: 20, offset: 0, total: 45 }))
      .get(PATHS.listPage(20))
      .reply(200, listJson(all.slice(20, 40), { limit: 20, offset: 20, total: 45 }))
      .get(PATHS.listPage(40))
      .reply(200, listJson(all.slice(40), { limit: 20, offset: 40, total: 45 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(45);
    expect(gets()).toHaveLength(3);
  });

  it("a server that caps pages (meta.limit says so, no total) is read until a page shorter than its limit", async () => {
    const all = creds(25);
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(all.slice(0, 20), { limit: 20, offset: 0 }))
      .get(PATHS.listPage(20))
      .reply(200, listJson(all.slice(20), { limit: 20, offset: 20 }));
    expect(await makeClient().client.listAllCredentials()).toHaveLength(25);
    expect(gets()).toHaveLength(2);
  });

  it("a failing page fails the whole scan", async () => {
    api
      .scope(UNIT_ORIGIN)
      .get(PATHS.listPage(0))
      .reply(200, listJson(creds(100), { total: 150 }))
      .get(PATHS.listPage(100))
      .times(2)
      .reply(500);
    const err = await rejectionOf(makeClient({ retry: { maxAttempts: 2 } }).client.listAllCredentials());
    expect(err).toBeInstanceOf(VobizServerError);
  });

  it("a page refused while others are in flight fails the scan with its error, and no later page is asked for", async () => {
    const all = creds(1000);
    const scope = api.scope(UNIT_ORIGIN);
    scope.get(PATHS.listPage(0)).reply(200, listJson(all.slice(0, 100), { total: 1000 }));
    for (const offset of [100, 200, 400]) {
      scope
        .get(PATHS.listPage(offset))
        .delay(30)
        .reply(200, listJson(all.slice(offset, offset + 100), { total: 1000 }));
    }
    // Only the four pages in flight are intercepted: a fifth request would fail differently.
    scope
      .get(PATHS.listPage(300))
      .reply(401, { status: "error", error: { code: "UNAUTHORIZED", message: "no" } });
    const err = await rejectionOf(makeClient().client.listAllCredentials());
    expect(err).toBeInstanceOf(VobizAuthenticationError);
    await new Promise((resolve) => setTimeout(resolve, 60)); // the pages in flight finish
    expect(gets()).toHaveLength(5);
  });
});

describe("the shared list snapshot", () => {
  const [A, B, C] = creds(3, 501);
  const listing = (...items: Record<string, unknown>[]) => listJson(items, { total: items.length });
  /** Intercepts `n` list scans (one page each) answering `body`. */
  const scans = (n: number, body: Record<string, unknown>) =>
    api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).times(n).reply(200, body);

  it("two concurrent look-ups share one scan", async () => {
    const scope = scans(1, listing(A, B));
    const { client } = makeClient();
    const [a, b] = await Promise.all([
      client.findCredentialById(A.id as string),
      client.findCredentialById(B.id as string),
    ]);
    expect([a?.id, b?.id]).toEqual([A.id, B.id]);
    expect(gets()).toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  it("a read within listCacheTtlMs reuses the snapshot, up to and including the TTL", async () => {
    scans(1, listing(A, B));
    const { client, clock } = makeClient();
    await client.findCredentialById(A.id as string);
    clock.advance(29_999);
    expect((await client.findCredentialById(B.id as string))?.id).toBe(B.id);
    clock.advance(1);
    expect(await client.listAllCredentials()).toHaveLength(2);
    expect(await client.findCredentialByUsername(B.username as string)).toMatchObject({ id: B.id });
    expect(gets()).toHaveLength(1);
  });

  it("a read after the TTL rescans", async () => {
    scans(1, listing(A));
    scans(1, listing(A, B));
    const { client, clock } = makeClient();
    expect(await client.listAllCredentials()).toHaveLength(1);
    clock.advance(30_001);
    expect(await client.listAllCredentials()).toHaveLength(2);
    expect(gets()).toHaveLength(2);
  });

  it("a custom listCacheTtlMs of 0 rescans on every read at a later instant", async () => {
    scans(2, listing(A));
    const { client, clock } = makeClient({ listCacheTtlMs: 0 });
    await client.listAllCredentials();
    clock.advance(1);
    await client.listAllCredentials();
    expect(gets()).toHaveLength(2);
  });

  it.each([
    [
      "update",
      (c: ReturnType<typeof makeClient>["client"]) => c.updateCredential(A.id as string, { enabled: false }),
    ],
    ["delete", (c: ReturnType<typeof makeClient>["client"]) => c.deleteCredential(A.id as string)],
    [
      "create",
      (c: ReturnType<typeof makeClient>["client"]) =>
        c.createCredential({ username: "new", password: UNIT_PASSWORD }),
    ],
  ] as const)(
    "a completed %s makes the next read rescan, even within the same millisecond",
    async (_, write) => {
      scans(1, listing(A, B));
      api
        .scope(UNIT_ORIGIN)
        .put(PATHS.credential(A.id as string))
        .optionally()
        .reply(200, { ...A, enabled: false })
        .delete(PATHS.credential(A.id as string))
        .optionally()
        .reply(204)
        .post(PATHS.credentials)
        .optionally()
        .reply(201, C);
      scans(1, listing(B, C));
      const { client } = makeClient(); // the fake clock stands still: scan, write and re-read share one instant
      expect(await client.listAllCredentials()).toHaveLength(2);
      await write(client);
      expect((await client.listAllCredentials()).map((c) => c.id)).toEqual([B.id, C.id]);
      expect(gets()).toHaveLength(2);
    },
  );

  it("a failed write also invalidates the snapshot (the server may have applied it)", async () => {
    scans(1, listing(A));
    api
      .scope(UNIT_ORIGIN)
      .put(PATHS.credential(A.id as string))
      .reply(409);
    scans(1, listing(A));
    const { client } = makeClient();
    await client.listAllCredentials();
    await rejectionOf(client.updateCredential(A.id as string, { enabled: false }));
    await client.listAllCredentials();
    expect(gets()).toHaveLength(2);
  });

  it("notOlderThan: now forces a fresh scan; a time at or before the snapshot's start reuses it", async () => {
    scans(2, listing(A));
    const { client, clock } = makeClient();
    const started = clock.now();
    await client.listAllCredentials();
    clock.advance(10);
    await client.listAllCredentials({ notOlderThan: started });
    expect(gets()).toHaveLength(1);
    await client.findCredentialById(A.id as string, { notOlderThan: clock.now() });
    expect(gets()).toHaveLength(2);
  });

  it("a failed scan is not cached: the next read scans again", async () => {
    api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(401);
    scans(1, listing(A));
    const { client } = makeClient();
    expect(await rejectionOf(client.listAllCredentials())).toBeInstanceOf(VobizAuthenticationError);
    expect(await client.listAllCredentials()).toHaveLength(1);
    expect(gets()).toHaveLength(2);
  });

  it("concurrent readers of a failing scan all get its error from one request", async () => {
    api.scope(UNIT_ORIGIN).get(PATHS.listPage(0)).reply(401);
    const { client } = makeClient();
    const results = await Promise.allSettled([client.listAllCredentials(), client.findCredentialById("x")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(gets()).toHaveLength(1);
  });

  it("a miss in a cached snapshot is confirmed by exactly one fresh scan, shared by concurrent misses", async () => {
    scans(1, listing(A));
    scans(1, listing(A, B));
    const { client, clock } = makeClient();
    expect((await client.findCredentialById(A.id as string))?.id).toBe(A.id);
    clock.advance(1000);
    const [b, c, a] = await Promise.all([
      client.findCredentialById(B.id as string),
      client.findCredentialById(C.id as string),
      client.findCredentialById(A.id as string),
    ]);
    expect(b?.id).toBe(B.id); // appeared since the snapshot: found by the confirmation
    expect(c).toBeUndefined(); // missing in both
    expect(a?.id).toBe(A.id);
    expect(gets()).toHaveLength(2);
  });

  it("a miss in a scan that started after the request is final: no extra scan", async () => {
    scans(1, listing(A));
    const { client } = makeClient();
    const [b, c] = await Promise.all([
      client.findCredentialById(B.id as string),
      client.findCredentialById(C.id as string),
    ]);
    expect(b).toBeUndefined();
    expect(c).toBeUndefined();
    expect(gets()).toHaveLength(1);
  });

  it("a miss in a scan forced fresh by notOlderThan is final too", async () => {
    scans(2, listing(A));
    const { client, clock } = makeClient();
    await client.listAllCredentials();
    clock.advance(5);
    expect(await client.findCredentialById(B.id as string, { notOlderThan: clock.now() })).toBeUndefined();
    expect(gets()).toHaveLength(2);
  });
});
