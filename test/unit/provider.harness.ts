/**
 * Shared set-up of the provider unit tests (not a test file itself): a provider wired to nock,
 * an instant fake clock, a stack config double, a request recorder and secret scanners.
 *
 * Kept local to the provider tests on purpose: the shared helpers under test/helpers are owned
 * and evolved by another suite.
 */
import type nockType from "nock";
import { nock } from "../helpers/nock";
import {
  createCredentialProvider,
  type CredentialOutputs,
  type VobizCredentialProvider,
} from "../../provider/provider";
import type { CredentialInputs } from "../../provider/schemas";
import type { Clock } from "../../provider/transport";

export const ORIGIN = "https://api.vobiz.test";
export const BASE_URL = `${ORIGIN}/api/v1`;
export const AUTH_ID = "MA_UNIT";
export const AUTH_TOKEN = "tok_unit_SECRET";
export const PROJECT = "proj";
/** Path prefix of every credential endpoint of the unit account. */
export const ACCOUNT_PATH = `/api/v1/account/${AUTH_ID}`;
export const CREATE_PATH = `${ACCOUNT_PATH}/credentials`;
export const LIST_PATH = `${ACCOUNT_PATH}/trunks/credentials`;
export const credentialPath = (id: string): string => `${ACCOUNT_PATH}/credentials/${id}`;

/** Fixed, recognisable timestamps the fake API returns. */
export const CREATED_AT = "2025-01-02T03:04:05Z";
export const UPDATED_AT = "2025-01-02T03:04:06.123Z";
export const REALM = `${AUTH_ID}.sip.vobiz.ai`;

/** A clock whose sleep resolves at once (advancing its time), so retries cost nothing. */
export function fakeClock(startMs = Date.parse("2025-01-02T03:00:00Z")): Clock & { slept: number[] } {
  let now = startMs;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 0.5,
  };
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
  /** The provider's clock for password ages (default: fixed at PROVIDER_NOW; `undefined`: VOBIZ_NOW or the system clock). */
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
  return {
    id: "11111111-2222-4333-8444-555555555555",
    username: "office_desk-1",
    enabled: true,
    account_id: AUTH_ID,
    realm: REALM,
    password: "<redacted>",
    created_at: CREATED_AT,
    updated_at: UPDATED_AT,
    ...overrides,
  };
}

/** A list page holding the given credentials. */
export function apiList(objects: Record<string, unknown>[]): Record<string, unknown> {
  return { meta: { limit: 100, offset: 0, total: objects.length }, objects };
}

/** The documented error envelope. */
export function apiError(code: string, message: string, details?: unknown): Record<string, unknown> {
  return {
    status: "error",
    error: { code, message, ...(details === undefined ? {} : { details }) },
    timestamp: "2025-01-02T03:04:05Z",
    requestId: "req_unit_1",
  };
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

/** Everything an error exposes: message, stack, own properties and its JSON form. */
export function errorText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const own: Record<string, unknown> = {};
  for (const k of Object.getOwnPropertyNames(e)) own[k] = (e as unknown as Record<string, unknown>)[k];
  let json = "";
  try {
    json = JSON.stringify(e);
  } catch {
    json = "";
  }
  return [
    e.message,
    e.stack ?? "",
    JSON.stringify(own, (_k, v: unknown) => (v instanceof Error ? v.message : v)),
    json,
  ].join("\n");
}

/** Runs `fn` and returns what it threw (failing the test when it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`);
  }
  throw new Error("expected the call to throw, but it resolved");
}

/**
 * Records everything written through console.* and process.stdout/stderr while a test runs
 * (without silencing it), so a test can assert that no secret was printed.
 */
export function captureOutput(): { text: () => string; restore: () => void } {
  const chunks: string[] = [];
  const spies: jest.SpyInstance[] = [];
  for (const m of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    spies.push(
      jest.spyOn(console, m).mockImplementation((...args: unknown[]) => {
        chunks.push(args.map((a) => (a instanceof Error ? errorText(a) : String(a))).join(" "));
      }),
    );
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    spies.push(
      jest.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
        const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString();
        chunks.push(text);
        // The client's debug traces are recorded but not echoed, to keep the test output readable.
        if (text.startsWith("[pulumi-vobiz]")) return true;
        return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write),
    );
  }
  return {
    text: () => chunks.join("\n"),
    restore: () => spies.forEach((s) => s.mockRestore()),
  };
}

/** Asserts that none of the secrets occurs in the text. */
export function expectFreeOf(text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    if (s.length > 0 && text.includes(s)) {
      throw new Error(
        `found a secret (${s.length} chars, starting ${JSON.stringify(s.slice(0, 3))}) in: ${text}`,
      );
    }
  }
}

/**
 * Standard nock hygiene for a test file: no real network, every unmatched request recorded as
 * a failure, every interceptor used, all cleaned between tests.
 */
export function useNock(): { unmatched: string[] } {
  const state = { unmatched: [] as string[] };
  const onNoMatch = (req: { method: string; url: string | URL }) => {
    const url = new URL(String(req.url));
    state.unmatched.push(`${req.method.toUpperCase()} ${url.pathname}${url.search}`);
  };
  beforeAll(() => {
    // nock lives in the host realm, shared by every test file of a jest worker; files using the
    // shared helper deactivate it when they finish, so (re)activate it here.
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
    nock.emitter.on("no match", onNoMatch);
  });
  afterAll(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore(); // the convention of test/helpers/nock.ts: nock is deactivated after a file
  });
  beforeEach(() => {
    state.unmatched.length = 0;
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.abortPendingRequests();
    nock.cleanAll();
    expect(state.unmatched).toEqual([]);
    expect(pending).toEqual([]);
  });
  return state;
}
