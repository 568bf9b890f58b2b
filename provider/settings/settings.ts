/**
 * Where the provider finds its Auth ID, Auth Token and base URL, resolved at call time (never
 * captured into the serialized provider): explicit options, then the stack config the engine
 * hands to `configure`, then the environment of the process running the provider.
 */
import { VobizConfigError } from "../common/errors";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.vobiz.ai/api/v1";

/** Stack config keys (namespace `vobiz`). */
export const CONFIG_KEYS = {
  authId: "vobiz:authId",
  authToken: "vobiz:authToken",
  baseUrl: "vobiz:baseUrl",
  /** Ceiling of requests per second to one account (read by the provider, see clientEnv.ts). */
  maxRequestsPerSecond: "vobiz:maxRequestsPerSecond",
} as const;

/** Environment variables, the same names as Vobiz's official SDKs (plus the base URL). */
export const ENV_VARS = {
  authId: "VOBIZ_AUTH_ID",
  authToken: "VOBIZ_AUTH_TOKEN",
  baseUrl: "VOBIZ_BASE_URL",
} as const;

/** Connection settings, each optional until resolved. */
export interface VobizConnectionSettings {
  /** The account's Auth ID (`MA_...`). */
  authId?: string;
  /** The account's Auth Token (secret). */
  authToken?: string;
  /** API base URL including `/api/v1`; defaults to the production API. */
  baseUrl?: string;
}

/** Fully resolved connection settings. */
export interface ResolvedConnection {
  authId: string;
  authToken: string;
  baseUrl: string;
}

/** A source of stack config values, as the engine's `ConfigureRequest.config` provides. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

function nonEmpty(v: string | undefined | null): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** Reads the connection settings from stack config, treating empty values as absent. */
export function settingsFromConfig(config: ConfigSource | undefined): VobizConnectionSettings {
  if (!config) return {};
  return {
    authId: nonEmpty(config.get(CONFIG_KEYS.authId)),
    authToken: nonEmpty(config.get(CONFIG_KEYS.authToken)),
    baseUrl: nonEmpty(config.get(CONFIG_KEYS.baseUrl)),
  };
}

/** Reads the connection settings from an environment, treating empty values as absent. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): VobizConnectionSettings {
  return {
    authId: nonEmpty(env[ENV_VARS.authId]),
    authToken: nonEmpty(env[ENV_VARS.authToken]),
    baseUrl: nonEmpty(env[ENV_VARS.baseUrl]),
  };
}

/**
 * Merges settings, earlier sources winning field by field, and validates the result. Throws a
 * VobizConfigError naming the config key and the environment variable when something is missing.
 */
export function resolveConnection(...sources: VobizConnectionSettings[]): ResolvedConnection {
  const pick = (k: keyof VobizConnectionSettings) => sources.map((s) => nonEmpty(s[k])).find(Boolean);
  const authId = pick("authId");
  const authToken = pick("authToken");
  const baseUrl = pick("baseUrl") ?? DEFAULT_BASE_URL;
  const missing: string[] = [];
  if (!authId) missing.push(`the Auth ID (stack config ${CONFIG_KEYS.authId} or env ${ENV_VARS.authId})`);
  if (!authToken) {
    missing.push(
      `the Auth Token (\`pulumi config set --secret ${CONFIG_KEYS.authToken} ...\` or env ${ENV_VARS.authToken})`,
    );
  }
  if (missing.length > 0) {
    throw new VobizConfigError(
      `Vobiz credentials are not configured: set ${missing.join(" and ")}. ` +
        "Find both in the Vobiz console under API keys.",
    );
  }
  if (/[\r\n]/.test(authId!) || /[\r\n]/.test(authToken!)) {
    throw new VobizConfigError(
      `The Vobiz Auth ID or Auth Token contains a line break; set ${CONFIG_KEYS.authId}/${CONFIG_KEYS.authToken} again without it.`,
    );
  }
  return { authId: authId!, authToken: authToken!, baseUrl: normaliseBaseUrl(baseUrl) };
}

function normaliseBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VobizConfigError(
      `The Vobiz base URL is not a URL; set ${CONFIG_KEYS.baseUrl} or ${ENV_VARS.baseUrl} to e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new VobizConfigError(
      `The Vobiz base URL must use http or https; set ${CONFIG_KEYS.baseUrl} or ${ENV_VARS.baseUrl} to e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.username || url.password) {
    throw new VobizConfigError(
      `The Vobiz base URL must not hold a user or password; put the Auth ID and Token in ${CONFIG_KEYS.authId} and ${CONFIG_KEYS.authToken}.`,
    );
  }
  if (url.search || url.hash) {
    throw new VobizConfigError(
      `The Vobiz base URL must not hold a query or fragment (request paths are appended to it); set ${CONFIG_KEYS.baseUrl} or ${ENV_VARS.baseUrl} to e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  return url.toString().replace(/\/+$/, "");
}
