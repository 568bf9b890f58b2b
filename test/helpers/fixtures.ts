/**
 * Fixtures of the unit tier (and any tier mocking the Vobiz API): one fake account, a client
 * factory wired to a fake clock and a debug collector, and builders of API bodies in the shapes
 * /work/shared/vobiz-api.md documents.
 *
 * Nothing here talks to the network; pair it with `useNock()` from ./nock.
 */
import { VobizClient } from "../../provider/api/client";
import type { VobizClientOptions } from "../../provider/api/options";
import { fakeClock, FAKE_EPOCH_MS, type FakeClock } from "./fakeClock";

/** Origin of the fake API (never resolvable: `.test` is a reserved TLD). */
export const UNIT_ORIGIN = "https://api.vobiz.test";
/** Base URL of the fake API, as a user would configure it. */
export const UNIT_BASE_URL = `${UNIT_ORIGIN}/api/v1`;
export const UNIT_AUTH_ID = "MA_UNIT";
/** The fake Auth Token. It must never appear in an error or a log line. */
export const UNIT_AUTH_TOKEN = "tok_unit_SECRET_9f8e7d";
/** A password fixture (valid: 8+ characters). It must never appear in an error or a log line. */
export const UNIT_PASSWORD = "pw_UNIT_s3cret_A1b2c3";

/** Request paths (as nock sees them, below {@link UNIT_ORIGIN}) of the fake account. */
export function apiPaths(authId = UNIT_AUTH_ID, segment = "account") {
  const account = `/api/v1/${segment}/${authId}`;
  return {
    /** `POST` (create). */
    credentials: `${account}/credentials`,
    /** `GET` (list) without the query. */
    list: `${account}/trunks/credentials`,
    /** `GET` (list) of one page, with the query the client sends. */
    listPage: (offset = 0, limit = 100) => `${account}/trunks/credentials?limit=${limit}&offset=${offset}`,
    /** `PUT` / `DELETE` of one credential. */
    credential: (id: string) => `${account}/credentials/${encodeURIComponent(id)}`,
  };
}

/** The default account's paths. */
export const PATHS = apiPaths();

/** A client under test, with its fake clock and the debug lines it wrote. */
export interface UnitClient {
  client: VobizClient;
  clock: FakeClock;
  /** Lines the client passed to its `debug` sink. */
  logs: string[];
}

/**
 * A VobizClient for the fake account: base URL {@link UNIT_BASE_URL}, Auth ID {@link UNIT_AUTH_ID},
 * token {@link UNIT_AUTH_TOKEN}, an empty environment (so the developer's `VOBIZ_*` variables never
 * leak in), a {@link fakeClock} and a debug collector. `overrides` replace any of these; pass
 * `clock` to share a clock, `debug` to take over the sink (then `logs` stays empty).
 */
export function makeClient(overrides: Partial<VobizClientOptions> = {}): UnitClient {
  const clock = (overrides.clock as FakeClock | undefined) ?? fakeClock();
  const logs: string[] = [];
  const client = new VobizClient({
    baseUrl: UNIT_BASE_URL,
    authId: UNIT_AUTH_ID,
    authToken: UNIT_AUTH_TOKEN,
    env: {},
    debug: (line) => logs.push(line),
    ...overrides,
    clock,
  });
  return { client, clock, logs };
}

let sequence = 0;

/** A deterministic UUID-shaped id: `00000000-0000-4000-8000-<n as 12 digits>`. */
export function fixtureId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

/** A JSON body object; keys whose override is `undefined` are removed (a missing field). */
export type Json = Record<string, unknown>;

function apply(base: Json, overrides: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * One credential in the newer documented shape: `id`, `username`, `enabled`, `account_id`,
 * `realm`, `password: "<redacted>"`, `created_at`, `updated_at` (a day before the fake epoch).
 * Each call gets a fresh id and username unless overridden; an override of `undefined` removes
 * the field.
 */
export function credentialJson(overrides: Json = {}): Json {
  const n = ++sequence;
  const stamp = new Date(FAKE_EPOCH_MS - 86_400_000).toISOString();
  return apply(
    {
      id: fixtureId(n),
      username: `sip_user_${n}`,
      enabled: true,
      account_id: UNIT_AUTH_ID,
      realm: `${UNIT_AUTH_ID}.sip.vobiz.ai`,
      password: "<redacted>",
      created_at: stamp,
      updated_at: stamp,
    },
    overrides,
  );
}

/** One credential in the older documented shape: `trunk_id` and `description`, no `realm`. */
export function legacyCredentialJson(overrides: Json = {}): Json {
  const n = ++sequence;
  return apply(
    {
      id: fixtureId(n),
      username: `sip_user_${n}`,
      enabled: true,
      description: `legacy credential ${n}`,
      trunk_id: `trk_${n}`,
      created_at: "2029-12-31T00:00:00Z",
      updated_at: "2029-12-31T00:00:00Z",
    },
    overrides,
  );
}

/** A list page `{ meta, objects }`; `meta: null` omits it. */
export function listJson(
  objects: Json[],
  meta: Json | null = { limit: 100, offset: 0, total: objects.length },
): Json {
  return meta === null ? { objects } : { meta, objects };
}

/** The documented error envelope. */
export function errorEnvelope(
  code: string,
  message: string,
  extra: { details?: unknown; requestId?: string } = {},
): Json {
  return {
    status: "error",
    error: { code, message, ...(extra.details === undefined ? {} : { details: extra.details }) },
    timestamp: new Date(FAKE_EPOCH_MS).toISOString(),
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
  };
}

/** Awaits a promise that must reject and returns the rejection (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected the promise to reject, but it resolved");
}
