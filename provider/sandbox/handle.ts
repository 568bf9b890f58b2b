/**
 * The programmatic handle `startSandbox` returns: thin, validating methods over the store, the
 * journal, the fault rules, the switches and the rate limit of one running sandbox.
 */
import { presentCredential } from "./api";
import type { FaultEngine } from "./faults";
import type { Journal } from "./journal";
import type { RateLimiter } from "./ratelimit";
import { API_BASE_PATH } from "./routes";
import type { CredentialRecord, Store } from "./store";
import { applySwitches, type SandboxSwitches } from "./switches";
import type { Sandbox, SandboxCredential, StartupAccount } from "./types";
import { asObject, validateAccount, validateConsolePatch, validateCreate } from "./validation";

/** The parts of a running sandbox the handle drives. */
export interface HandleParts {
  url: string;
  port: number;
  startupAccounts: readonly StartupAccount[];
  store: Store;
  journal: Journal;
  faults: FaultEngine;
  rateLimiter: RateLimiter;
  /** The switches live in the server (handlers read them per request). */
  switches: { get(): Readonly<SandboxSwitches>; replace(next: SandboxSwitches): void };
  stop(): Promise<void>;
}

/** Builds the handle of a running sandbox. */
export function createHandle(parts: HandleParts): Sandbox {
  const { store, journal, faults, rateLimiter, switches } = parts;
  const controlView = (c: Readonly<CredentialRecord>): SandboxCredential => ({
    ...presentCredential(c, switches.get()),
    in_use: c.inUse,
  });
  return {
    url: parts.url,
    baseUrl: `${parts.url}${API_BASE_PATH}`,
    port: parts.port,
    startupAccounts: parts.startupAccounts,
    accounts: {
      add(account) {
        const valid = validateAccount(account, true);
        store.putAccount(valid.authId, valid.authToken as string);
      },
      list: () => store.listAccounts(),
    },
    credentials: {
      list: (authId) => store.listCredentials(authId).map(controlView),
      get: (authId, id) => controlView(store.getCredential(authId, id)),
      create: (authId, input) =>
        controlView(store.createCredential(authId, validateCreate(asObject(input), true))),
      update: (authId, id, patch) =>
        controlView(store.updateCredential(authId, id, validateConsolePatch(asObject(patch)))),
      delete: (authId, id) => store.deleteCredential(authId, id, true),
      setInUse: (authId, id, inUse) => {
        store.updateCredential(authId, id, validateConsolePatch({ inUse }));
      },
      verifyPassword: (authId, id, password) => store.verifyPassword(authId, id, password),
    },
    journal: {
      entries: (filter) => journal.entries(filter),
      clear: () => journal.clear(),
    },
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    switches: {
      get: () => ({ ...switches.get() }),
      set: (patch) => {
        switches.replace(applySwitches(switches.get(), patch));
        return { ...switches.get() };
      },
    },
    rateLimit: {
      get: () => rateLimiter.get(),
      set: (limit) => rateLimiter.set(limit),
    },
    stop: () => parts.stop(),
  };
}
