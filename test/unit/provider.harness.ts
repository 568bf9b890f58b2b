/**
 * The provider unit tests' vocabulary (not a test file itself): a provider wired to nock with the
 * unit account, a stack config double, a request recorder and short names for the fixtures. Built
 * on the shared helpers of every tier (test/helpers: fake clock, nock hygiene, API body fixtures,
 * secret checks, output capture); this module only adapts them to the provider tests' names.
 */
import type nockType from "nock";
import { fakeClock as sharedFakeClock, type FakeClock } from "../helpers/fakeClock";
import {
  apiPaths,
  credentialJson,
  errorEnvelope,
  listJson,
  rejectionOf,
  UNIT_AUTH_ID,
  UNIT_BASE_URL,
  UNIT_ORIGIN,
} from "../helpers/fixtures";
import { nock, useNock as useSharedNock } from "../helpers/nock";
import { renderedText } from "../helpers/secrets";
import {
  createCredentialProvider,
  type CredentialOutputs,
  type VobizCredentialProvider,
} from "../../provider/adapters/dynamic/engine";
import type { CredentialInputs } from "../../provider/contract/table";
import type { Clock } from "../../provider/common/clock";

export { captureOutput } from "../helpers/output";
/** Asserts that none of the (non-empty) secrets occurs in the text. */
export { expectTextFreeOf as expectFreeOf } from "../helpers/secrets";

export const ORIGIN = UNIT_ORIGIN;
export const BASE_URL = UNIT_BASE_URL;
export const AUTH_ID = UNIT_AUTH_ID;
/** The provider tests' token (its own value, so their secret scans cover a second token). */
export const AUTH_TOKEN = "tok_unit_SECRET";
export const PROJECT = "proj";
const paths = apiPaths(AUTH_ID);
/** Path prefix of every credential endpoint of the unit account. */
export const ACCOUNT_PATH = `/api/v1/account/${AUTH_ID}`;
export const CREATE_PATH = paths.credentials;
export const LIST_PATH = paths.list;
export const credentialPath = (id: string): string => paths.credential(id);

/** Fixed, recognisable timestamps the fake API returns. */
export const CREATED_AT = "2025-01-02T03:04:05Z";
export const UPDATED_AT = "2025-01-02T03:04:06.123Z";
export const REALM = `${AUTH_ID}.sip.vobiz.ai`;

/**
 * The shared {@link sharedFakeClock fake clock} (sleeps resolve at once, advancing its time;
 * random 0.5), with `slept` as the list of waits, as the provider tests read it.
 */
export function fakeClock(startMs = Date.parse("2025-01-02T03:00:00Z")): Clock & { slept: number[] } {
  const clock: FakeClock = sharedFakeClock({ start: startMs, random: 0.5 });
  return { now: clock.now, sleep: clock.sleep, random: clock.random, slept: clock.sleeps };
}

/** A stack config double that behaves like the engine's: keys without a namespace get the project's. */
export function stackConfig(values: Record<string, string>, project = PROJECT) {
  const qualify = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
  return {
    get: (key: string): string | undefined => values[qualify(key)],
    require: (key: string): string => {
      const v = values[qualify(key)];
      if (v === undefined) throw new Error(`Missing required configuration key: ${key}`);
      return v;
    },
  };
}

export interface ProviderSetup {
  /** Environment of the provider (`VOBIZ_*` and `passwordFrom: { env }`). */
  env?: NodeJS.ProcessEnv;
  /** Stack config values (fully qualified keys, e.g. `proj:sipPassword`); configure is skipped when absent. */
  config?: Record<string, string>;
  /** The provider's clock for password ages (default: fixed at PROVIDER_NOW; `undefined`: the system clock). */
  now?: () => number;
}

/** The fixed time the unit providers judge password ages by, and stamp `passwordSetAt` with. */
export const PROVIDER_NOW = "2025-03-01T00:00:00.000Z";

/** A provider pointed at the nock origin with the unit account, instant retries (3 attempts). */
export async function newProvider(setup: ProviderSetup = {}): Promise<VobizCredentialProvider> {
  const provider = createCredentialProvider({
    env: setup.env ?? {},
    now: "now" in setup ? setup.now : () => Date.parse(PROVIDER_NOW),
    clientOptions: {
      baseUrl: BASE_URL,
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      retry: { maxAttempts: 3, baseDelayMs: 0 },
      clock: fakeClock(),
    },
  });
  if (setup.config) await provider.configure({ config: stackConfig(setup.config) });
  return provider;
}

/**
 * A configured provider with one attempt per request whose client clock moves `stepMs` at every
 * reading, so a list scan taken earlier in the run is older than the next read: the tests of
 * when a scan is reused and when it is taken anew.
 */
export async function providerWithMovingClock(stepMs: number): Promise<VobizCredentialProvider> {
  let now = Date.parse("2025-01-02T03:00:00Z");
  const provider = createCredentialProvider({
    env: {},
    clientOptions: {
      baseUrl: BASE_URL,
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      retry: { maxAttempts: 1 },
      clock: { now: () => (now += stepMs), sleep: async () => undefined, random: () => 0.5 },
    },
  });
  await provider.configure({ config: stackConfig({}) });
  return provider;
}

/** One request as the fake API saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** A nock scope on the fake origin that records every request it answers, in order. */
export function mockApi(): { scope: nockType.Scope; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const scope = nock(ORIGIN);
  scope.on("request", (req: { method: string; url: string | URL }, _interceptor: unknown, body: string) => {
    const url = new URL(String(req.url));
    const rec: RecordedRequest = { method: req.method.toUpperCase(), path: url.pathname + url.search };
    if (body) rec.body = JSON.parse(body) as unknown;
    requests.push(rec);
  });
  return { scope, requests };
}

/** A credential object as the Vobiz API returns it (newer generation: redacted password, no description). */
export function apiCredential(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return credentialJson({
    id: "11111111-2222-4333-8444-555555555555",
    username: "office_desk-1",
    created_at: CREATED_AT,
    updated_at: UPDATED_AT,
    ...overrides,
  });
}

/** A list page holding the given credentials. */
export function apiList(objects: Record<string, unknown>[]): Record<string, unknown> {
  return listJson(objects);
}

/** The documented error envelope. */
export function apiError(code: string, message: string, details?: unknown): Record<string, unknown> {
  return errorEnvelope(code, message, { details, requestId: "req_unit_1" });
}

/** `check` must accept these raw inputs; returns the checked inputs. */
export async function checked(
  provider: VobizCredentialProvider,
  raw: Record<string, unknown>,
): Promise<CredentialInputs> {
  const result = await provider.check({}, raw);
  if (result.failures && result.failures.length > 0) {
    throw new Error(`check failed unexpectedly: ${JSON.stringify(result.failures)}`);
  }
  if (!result.inputs) throw new Error("check returned no inputs");
  return result.inputs;
}

/** The outputs a fresh credential would have in state (what create returns for the API object above). */
export function stateOf(
  inputs: CredentialInputs,
  overrides: Partial<CredentialOutputs> = {},
): CredentialOutputs {
  const outs: CredentialOutputs = {
    ...inputs,
    realm: REALM,
    accountId: AUTH_ID,
    createdAt: CREATED_AT,
    updatedAt: UPDATED_AT,
  };
  return { ...outs, ...overrides };
}

/** Paths (like `outs.description`) whose value is `undefined`, at any depth. */
export function undefinedPaths(value: unknown, at = "$"): string[] {
  if (value === undefined) return [at];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    undefinedPaths(v, `${at}.${k}`),
  );
}

/** Everything an error exposes (every rendering: message, stack, own properties, JSON form). */
export function errorText(e: unknown): string {
  return e instanceof Error ? renderedText(e) : String(e);
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  const e = await rejectionOf(Promise.resolve().then(fn));
  if (e instanceof Error) return e;
  throw new Error(`threw a non-Error: ${String(e)}`);
}

/**
 * Standard nock hygiene for a test file (the shared `useNock`): no real network, every unmatched
 * request a failure, every interceptor used, all cleaned between tests.
 */
export function useNock(): { unmatched: string[] } {
  return { unmatched: useSharedNock({ expectAllUsed: true }).unmatched };
}
