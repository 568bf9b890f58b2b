/**
 * The client cache of a provider instance: the settings resolved at call time (provider/settings:
 * explicit client options, then the stack config the engine handed over, then the environment)
 * and one VobizClient per resolved settings, so the operations of one `pulumi` command share
 * connections, list snapshots and the account's rate limiter. Tokens appear in keys only as hashes.
 */
import { VobizClient } from "../api/client";
import { optionsOf, settingValuesOf, type VobizClientOptions } from "../api/options";
import {
  connectionKey,
  findSetting,
  resolveSettings,
  settingsKey,
  type ConfigSource,
  type SettingSources,
} from "../settings/settings";

/** Where a client cache reads its settings from, at call time. */
export interface ConnectionSources {
  /** Client options merged over the resolved settings (tests, custom tuning); they win. */
  clientOptions?: Partial<VobizClientOptions>;
  /** The stack config the engine handed to `configure`, if it has. */
  config(): ConfigSource | undefined;
  /** The environment to read `VOBIZ_*` from. */
  env(): NodeJS.ProcessEnv;
}

/**
 * A function returning the client for the current settings. It throws a VobizConfigError when
 * they are missing or malformed. Check and diff ask once per resource, so the settings it last
 * saw are remembered with their client and only resolved again when they change.
 */
export function createClientCache(sources: ConnectionSources): () => VobizClient {
  const clients = new Map<string, VobizClient>();
  let last: { key: string; client: VobizClient } | undefined;
  return function client(): VobizClient {
    const env = sources.env();
    const from: SettingSources = {
      options: settingValuesOf(sources.clientOptions ?? {}),
      config: sources.config(),
      env,
    };
    const key = settingsKey(from);
    if (last?.key === key) return last.client;
    const resolved = resolveSettings(from);
    const clientKey = `${connectionKey(resolved)}\u0000${settingsKey({ options: { ...resolved, authToken: undefined }, env: {} })}`;
    let c = clients.get(clientKey);
    if (!c) {
      const rateLimiter = findSetting("rateLimiter", from);
      c = new VobizClient({
        ...optionsOf(resolved),
        ...(rateLimiter !== undefined ? { rateLimiter } : {}),
        ...sources.clientOptions,
        ...connectionOf(resolved),
        env,
      });
      clients.set(clientKey, c);
    }
    last = { key, client: c };
    return c;
  };
}

function connectionOf(s: { authId: string; authToken: string; baseUrl: string }) {
  return { authId: s.authId, authToken: s.authToken, baseUrl: s.baseUrl };
}
