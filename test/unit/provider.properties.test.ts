/**
 * Property-based tests of the provider as a whole: no perpetual diff, whatever the inputs.
 * A tiny in-memory Vobiz (nock reply functions over a Map) stands behind the provider.
 */
import fc from "fast-check";
import type { CredentialOutputs } from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs } from "../../provider/contract/table";
import {
  ACCOUNT_PATH,
  apiList,
  AUTH_ID,
  checked,
  CREATE_PATH,
  CREATED_AT,
  LIST_PATH,
  mockApi,
  newProvider,
  REALM,
  stateOf,
  undefinedPaths,
  UPDATED_AT,
  useNock,
} from "./provider.harness";
import { nock } from "../helpers/nock";

useNock();

// fast-check runs many cases per test: generous, so a loaded machine never times one out midway
// (a timed-out property would keep running and registering interceptors into later tests).
jest.setTimeout(30_000);

const SOURCE_VALUE = "Env_SECRET_pw_42";
// eslint-disable-next-line no-control-regex -- the password rule's own definition
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- the description rule's own definition
const DESCRIPTION_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const username = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const password = fc
  .array(
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => !CONTROL.test(c)),
    { minLength: 8, maxLength: 30 },
  )
  .map((cps) => cps.join(""));
const emptyDescription = fc.constantFrom(undefined, null, "");
const description = fc.oneof(
  emptyDescription,
  fc.string({ unit: "grapheme", maxLength: 60 }).filter((d) => !DESCRIPTION_CONTROL.test(d)),
);
const optionalBoolean = fc.constantFrom(undefined, true, false);

/** Raw, valid program inputs (undefined values are dropped, as the engine does). */
const rawInputs = fc
  .record({
    username,
    secret: fc.oneof(
      password.map((pw) => ({ password: pw }) as Record<string, unknown>),
      fc
        .option(fc.nat({ max: 1000 }), { nil: undefined })
        .map((v) => ({ passwordFrom: { env: "SIP_PW" }, passwordVersion: v }) as Record<string, unknown>),
    ),
    enabled: optionalBoolean,
    description,
    adoptExisting: optionalBoolean,
  })
  .map(({ secret, ...rest }) => {
    const raw: Record<string, unknown> = { ...rest, ...secret };
    for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
    return raw;
  });

/** What nock 15 hands a reply function: the Fetch API request. */
interface FetchRequest {
  url: string;
  json(): Promise<unknown>;
}

/**
 * An in-memory Vobiz behind nock: POST, PUT and the list share one store. (nock 15 calls a reply
 * function with the Fetch request alone; a two-parameter function would be taken for the
 * callback style.)
 */
function fakeVobiz() {
  const api = mockApi();
  const store = new Map<string, Record<string, unknown>>();
  let next = 1;
  api.scope
    .post(CREATE_PATH)
    .reply(async (req: FetchRequest) => {
      const b = (await req.json()) as { username: string };
      const id = `00000000-0000-4000-8000-${String(next++).padStart(12, "0")}`;
      // Newer API generation: no description field, password redacted.
      const c = {
        id,
        username: b.username,
        enabled: true,
        account_id: AUTH_ID,
        realm: REALM,
        password: "<redacted>",
        created_at: CREATED_AT,
        updated_at: CREATED_AT,
      };
      store.set(id, c);
      return [201, c];
    })
    .persist();
  api.scope
    // A path function, not a RegExp: nock runs in the host realm, where a sandbox RegExp fails
    // its `instanceof RegExp` check.
    .put((path: string) => path.startsWith(`${ACCOUNT_PATH}/credentials/`))
    .reply(async (req: FetchRequest) => {
      const id = decodeURIComponent(new URL(req.url).pathname.split("/").pop() ?? "");
      const c = store.get(id);
      if (!c) return [404, { error: { code: "NOT_FOUND", message: "no such credential" } }];
      const { password: _pw, ...changes } = (await req.json()) as Record<string, unknown>;
      Object.assign(c, changes, { updated_at: UPDATED_AT });
      return [200, c];
    })
    .persist();
  api.scope
    .get(LIST_PATH)
    .query(true)
    .reply(() => [200, apiList([...store.values()])])
    .persist();
  return { api, store };
}

test("check -> create -> diff with the same inputs: no changes (no perpetual diff)", async () => {
  await fc.assert(
    fc.asyncProperty(rawInputs, async (raw) => {
      const { api } = fakeVobiz();
      try {
        const p = await newProvider({ env: { SIP_PW: SOURCE_VALUE } });
        const inputs = await checked(p, raw);
        const created = await p.create(inputs);
        const outs = created.outs as CredentialOutputs;

        expect(undefinedPaths(outs)).toEqual([]);
        expect(JSON.stringify(outs)).not.toContain(SOURCE_VALUE);
        const methods = api.requests.map((r) => r.method);
        expect(methods[0]).toBe("POST");
        expect(methods.filter((m) => m === "POST")).toHaveLength(1);
        expect(methods.filter((m) => m === "PUT").length).toBeLessThanOrEqual(1);

        // The state the engine stores is JSON; the next `pulumi up` checks the same program again.
        const state = JSON.parse(JSON.stringify(outs)) as CredentialOutputs;
        const again = await checked(p, raw);
        expect(await p.diff(created.id, state, again)).toEqual({ changes: false });

        // After a refresh (read) the diff stays empty too, and read's inputs check cleanly.
        const refreshed = await p.read(created.id, state);
        expect(refreshed.id).toBe(created.id);
        expect(undefinedPaths(refreshed)).toEqual([]);
        const refreshedState = JSON.parse(JSON.stringify(refreshed.props)) as CredentialOutputs;
        expect(await p.diff(created.id, refreshedState, again)).toEqual({ changes: false });
        const recheck = await p.check({}, refreshed.inputs as unknown as Record<string, unknown>);
        expect(recheck.failures).toBeUndefined();
        expect(await p.diff(created.id, refreshedState, recheck.inputs as CredentialInputs)).toEqual({
          changes: false,
        });
      } finally {
        nock.cleanAll();
      }
    }),
    { numRuns: 40 },
  );
});

test('description: any of absent/null/"" in state against any of them in the program is no change', async () => {
  const p = await newProvider();
  await fc.assert(
    fc.asyncProperty(
      emptyDescription,
      emptyDescription,
      username,
      password,
      optionalBoolean,
      async (before, after, u, pw, enabled) => {
        const base: Record<string, unknown> = { username: u, password: pw };
        if (enabled !== undefined) base.enabled = enabled;
        const state = stateOf(await checked(p, base)) as unknown as Record<string, unknown>;
        if (before !== undefined) state.description = before;
        else delete state.description;
        const news = await checked(p, after === undefined ? base : { ...base, description: after });
        expect(await p.diff("id", state as unknown as CredentialOutputs, news)).toEqual({ changes: false });
        // The unchecked value too (diff normalises on its own).
        const rawNews = { ...news, description: after } as unknown as CredentialInputs;
        expect(await p.diff("id", state as unknown as CredentialOutputs, rawNews)).toEqual({
          changes: false,
        });
      },
    ),
    { numRuns: 200 },
  );
});

test("any change of username replaces; any other single change updates in place", async () => {
  const p = await newProvider();
  await fc.assert(
    fc.asyncProperty(username, username, password, password, async (u1, u2, pw1, pw2) => {
      const state = stateOf(await checked(p, { username: u1, password: pw1 }));
      const renamed = await p.diff("id", state, await checked(p, { username: u2, password: pw1 }));
      const repassworded = await p.diff("id", state, await checked(p, { username: u1, password: pw2 }));
      if (u1 === u2) expect(renamed).toEqual({ changes: false });
      else expect(renamed).toEqual({ changes: true, replaces: ["username"], deleteBeforeReplace: false });
      expect(repassworded).toEqual({ changes: pw1 !== pw2 });
    }),
    { numRuns: 200 },
  );
});
