/**
 * The public shape of the sandbox: start options and the handle `startSandbox` returns.
 */
import type { CredentialObject } from "./api";
import type { FaultRule, FaultRuleState } from "./faults";
import type { JournalEntry, JournalFilter } from "./journal";
import type { RateLimit, RateLimitInput } from "./ratelimit";
import type { SandboxSwitches } from "./switches";
import type { ConsolePatch, CreateInput } from "./validation";

/** An account: its Auth ID (`MA_...`) and Auth Token. */
export interface SandboxAccount {
  authId: string;
  authToken: string;
}

/** An account as known at start: the token is absent for accounts loaded from a data file. */
export interface StartupAccount {
  authId: string;
  /** Present for accounts given in the options and for the generated default account. */
  authToken?: string;
  /** True for the default account the sandbox generated because none was given or stored. */
  generated: boolean;
}

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Accounts to create (or re-key, when loaded from `persistPath`). Default: one generated account. */
  accounts?: SandboxAccount[];
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Port; default 0 (a free port). */
  port?: number;
  /** Seed of the fault PRNGs; default 1. */
  seed?: number;
  /** Delay added to every API request (not control requests), in milliseconds; default 0. */
  latencyMs?: number;
  /** JSON data file: loaded at start when it exists, rewritten atomically after every change. */
  persistPath?: string;
  /** Behaviour switches (where the public sources disagree); defaults in `DEFAULT_SWITCHES`. */
  switches?: Partial<SandboxSwitches>;
  /** Number of journal entries kept; default 10 000. */
  journalLimit?: number;
  /**
   * A rate limit per account (token bucket keyed by `X-Auth-ID`): refused requests get 429
   * `RATE_LIMITED` with `Retry-After` and `X-RateLimit-Reset`. Default: none.
   */
  rateLimit?: RateLimitInput;
}

/** A credential as the control side sees it: the API object plus the out-of-band `in_use` flag. */
export interface SandboxCredential extends CredentialObject {
  /** "In use by active calls": the API's delete answers 409 while it is set. */
  in_use: boolean;
}

/** Fields of an out-of-band create. */
export type SandboxCredentialInput = CreateInput;

/** Fields of an out-of-band change (as in the Vobiz console), including the `inUse` flag. */
export type SandboxCredentialPatch = ConsolePatch;

/** The running sandbox. */
export interface Sandbox {
  /** `http://HOST:PORT`. */
  readonly url: string;
  /** `url + "/api/v1"`: the base URL a client should use. */
  readonly baseUrl: string;
  readonly port: number;
  /** Accounts at start, with the tokens that are known (see {@link StartupAccount}). */
  readonly startupAccounts: readonly StartupAccount[];
  readonly accounts: {
    /** Adds an account, or replaces the token of an existing one. */
    add(account: SandboxAccount): void;
    list(): { authId: string }[];
  };
  /** Out-of-band changes, as a person in the Vobiz console would make them; not journaled. */
  readonly credentials: {
    list(authId: string): SandboxCredential[];
    get(authId: string, id: string): SandboxCredential;
    create(authId: string, input: SandboxCredentialInput): SandboxCredential;
    update(authId: string, id: string, patch: SandboxCredentialPatch): SandboxCredential;
    /** Deletes even a credential in use (the console can). */
    delete(authId: string, id: string): void;
    setInUse(authId: string, id: string, inUse: boolean): void;
    /** Whether `password` is the credential's current password. */
    verifyPassword(authId: string, id: string, password: string): boolean;
  };
  readonly journal: {
    entries(filter?: JournalFilter): JournalEntry[];
    clear(): void;
  };
  readonly faults: {
    /** Adds a rule and returns its id. */
    add(rule: FaultRule): string;
    remove(id: string): boolean;
    clear(): void;
    list(): FaultRuleState[];
  };
  readonly switches: {
    get(): SandboxSwitches;
    /** Changes some switches and returns them all. */
    set(patch: Partial<SandboxSwitches>): SandboxSwitches;
  };
  readonly rateLimit: {
    /** The current limit, or null when off. */
    get(): RateLimit | null;
    /** Sets the limit (null turns it off); every account's bucket starts full. Returns the limit. */
    set(limit: RateLimitInput | null): RateLimit | null;
  };
  /** Closes the server and every open connection. Safe to call twice. */
  stop(): Promise<void>;
}
