/**
 * Connection settings and the client cache of a provider instance: resolves the Auth ID, token
 * and base URL (explicit options, then the stack config, then the environment) and keeps one
 * VobizClient per connection, so the operations of one `pulumi` command share connections and
 * list snapshots. Tokens appear in cache keys only as hashes.
 */
import { createHash } from "node:crypto";
import { VobizClient, type VobizClientOptions } from "../api/client";
import { parseMaxRequestsPerSecond } from "../settings/clientEnv";
import {
  CONFIG_KEYS,
  resolveConnection,
  settingsFromConfig,
  settingsFromEnv,
  type ConfigSource,
  type VobizConnectionSettings,
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

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The settings as a cache key: the token only as a hash. */
export function settingsKey(sources: VobizConnectionSettings[]): string {
  return JSON.stringify(sources.map((s) => [s.authId, s.authToken && sha256(s.authToken), s.baseUrl]));
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
    const all = [sources.clientOptions ?? {}, settingsFromConfig(sources.config()), settingsFromEnv(env)];
    const key = settingsKey(all);
    if (last?.key === key) return last.client;
    const conn = resolveConnection(...all);
    const connKey = `${conn.baseUrl}\u0000${conn.authId}\u0000${sha256(conn.authToken)}`;
    let c = clients.get(connKey);
    if (!c) {
      const ceiling = CONFIG_KEYS.maxRequestsPerSecond;
      c = new VobizClient({
        maxRequestsPerSecond: parseMaxRequestsPerSecond(sources.config()?.get(ceiling), ceiling),
        ...sources.clientOptions,
        ...conn,
        env,
      });
      clients.set(connKey, c);
    }
    last = { key, client: c };
    return c;
  };
}
