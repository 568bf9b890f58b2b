/**
 * Every setting of pulumi-vobiz, in one table, and the one place they are resolved: explicit
 * options first (a provider factory's `clientOptions`, a look-up's `connection`, a CLI flag), then
 * the stack config (`vobiz:*`, handed to the provider by the engine), then the environment
 * (`VOBIZ_*`), then the default. Nothing else in the package reads a `vobiz:*` key or a `VOBIZ_*`
 * variable. The README's configuration table, the onboarding command's flags and printed advice,
 * and the provider plugin's config schema all come from {@link SETTINGS}.
 *
 * Resolved at call time, never captured into the serialized provider: a token lives only in the
 * resolved settings of a running process, and appears in cache keys only as a hash.
 */
import { createHash } from "node:crypto";
import { VobizConfigError } from "../common/errors";

/** The production API. */
export const DEFAULT_BASE_URL = "https://api.vobiz.ai/api/v1";

/**
 * The account path segments the public sources name: the rendered docs use `account`, the
 * generated SDKs `Account`; they may not be interchangeable on the live API (vobiz-api.md, item 1).
 */
export const ACCOUNT_PATH_SEGMENTS = ["account", "Account"] as const;

/** The largest list page the client asks for (the documented maximum of sibling lists). */
export const MAX_LIST_PAGE_SIZE = 100;

/** One row of the settings table. */
export interface Setting<T> {
  /** Stack config key. */
  readonly config: string;
  /** Environment variable. */
  readonly env: string;
  /** Flag of the `vobiz-onboard` command, when it takes this setting. */
  readonly flag?: string;
  /** Secret: set it with `pulumi config set --secret`; never printed. */
  readonly secret: boolean;
  /** The value when nothing sets it; undefined when the setting is required or optional. */
  readonly default?: T;
  /** The type, for the README and the plugin's config schema. */
  readonly type: "string" | "integer" | "number" | "boolean";
  /** One line for the README and the schema. */
  readonly doc: string;
  /** Reads the text of a config value or variable; throws a VobizConfigError naming `where`. */
  readonly parse: (text: string, where: string) => T;
}

const text = (t: string) => t;
const setting = <T>(row: Setting<T>): Setting<T> => row;

/** Every setting, in the order the README lists them. */
export const SETTINGS = {
  authId: setting<string>({
    config: "vobiz:authId",
    env: "VOBIZ_AUTH_ID",
    flag: "auth-id",
    secret: false,
    type: "string",
    doc: "the account's Auth ID (`MA_...`); required",
    parse: text,
  }),
  authToken: setting<string>({
    config: "vobiz:authToken",
    env: "VOBIZ_AUTH_TOKEN",
    secret: true,
    type: "string",
    doc: "the account's Auth Token; required, secret",
    parse: text,
  }),
  baseUrl: setting<string>({
    config: "vobiz:baseUrl",
    env: "VOBIZ_BASE_URL",
    flag: "base-url",
    secret: false,
    default: DEFAULT_BASE_URL,
    type: "string",
    doc: "the API base URL, ending in `/api/v1` (the local sandbox's URL in tests)",
    parse: (t, where) => normaliseBaseUrl(t, where),
  }),
  accountPathSegment: setting<string>({
    config: "vobiz:accountPathSegment",
    env: "VOBIZ_ACCOUNT_PATH_SEGMENT",
    flag: "account-path-segment",
    secret: false,
    default: "account",
    type: "string",
    doc: "the path segment before the Auth ID: `account` (the docs) or `Account` (the SDKs); `vobiz-onboard check` tells which",
    parse: (t, where) => {
      const found = ACCOUNT_PATH_SEGMENTS.find((s) => s === t);
      if (!found) throw new VobizConfigError(`${where} must be 'account' or 'Account' (case matters).`);
      return found;
    },
  }),
  listPageSize: setting<number>({
    config: "vobiz:listPageSize",
    env: "VOBIZ_LIST_PAGE_SIZE",
    flag: "list-page-size",
    secret: false,
    default: MAX_LIST_PAGE_SIZE,
    type: "integer",
    doc: `credentials per list page, 1 to ${MAX_LIST_PAGE_SIZE}; lower it only when the API caps pages lower`,
    parse: (t, where) => wholeNumber(t, where, 1, MAX_LIST_PAGE_SIZE, "credentials per list page"),
  }),
  maxRetryWait: setting<number>({
    config: "vobiz:maxRetryWait",
    env: "VOBIZ_MAX_RETRY_WAIT",
    flag: "max-retry-wait",
    secret: false,
    default: 120,
    type: "number",
    doc: "seconds one API call may spend retrying, waits included (a longer `Retry-After` fails at once)",
    parse: (t, where) => positiveNumber(t, where, "seconds one API call may spend retrying (e.g. 300)", true),
  }),
  requestTimeout: setting<number>({
    config: "vobiz:requestTimeout",
    env: "VOBIZ_REQUEST_TIMEOUT",
    flag: "request-timeout",
    secret: false,
    default: 30,
    type: "number",
    doc: "seconds one HTTP request may take before it counts as failed",
    parse: (t, where) => positiveNumber(t, where, "seconds one HTTP request may take (e.g. 30)"),
  }),
  maxRequestsPerSecond: setting<number>({
    config: "vobiz:maxRequestsPerSecond",
    env: "VOBIZ_MAX_REQUESTS_PER_SECOND",
    flag: "max-requests-per-second",
    secret: false,
    type: "number",
    doc: "a ceiling under the adaptive rate, for an account other tools use at the same time",
    parse: (t, where) =>
      positiveNumber(
        t,
        where,
        "requests per second, the most this provider sends to one Vobiz account (e.g. 5)",
      ),
  }),
  rateLimiter: setting<"shared" | "off">({
    config: "vobiz:rateLimiter",
    env: "VOBIZ_RATE_LIMITER",
    secret: false,
    default: "shared",
    type: "string",
    doc: "`shared` (one adaptive queue per account) or `off` (each request retries its own 429s)",
    parse: (t, where) => {
      const v = t.toLowerCase();
      if (v === "shared" || v === "off") return v;
      throw new VobizConfigError(
        `${where} must be 'shared' (the default: one adaptive queue per account) or 'off'.`,
      );
    },
  }),
  debug: setting<boolean>({
    config: "vobiz:debug",
    env: "VOBIZ_DEBUG",
    secret: false,
    default: false,
    type: "boolean",
    doc: "masked debug lines on stderr (one per HTTP attempt, retry wait and throttling episode)",
    parse: (t) => !["", "0", "false", "no", "off"].includes(t.toLowerCase()),
  }),
};

/** The name of a setting. */
export type SettingName = keyof typeof SETTINGS;
type ValueOf<K extends SettingName> = (typeof SETTINGS)[K] extends Setting<infer T> ? T : never;

/** Settings given explicitly (options, flags), each optional; they win over config and environment. */
export type SettingValues = { [K in SettingName]?: ValueOf<K> };

/** Fully resolved settings. */
export type ResolvedSettings = { [K in SettingName]: ValueOf<K> } & {
  maxRequestsPerSecond: number | undefined;
};

/** The connection part of the settings: where and as whom. */
export interface ResolvedConnection {
  authId: string;
  authToken: string;
  baseUrl: string;
}

/** Connection settings a program or a test passes explicitly, each optional until resolved. */
export interface VobizConnectionSettings {
  /** The account's Auth ID (`MA_...`). */
  authId?: string;
  /** The account's Auth Token (secret). */
  authToken?: string;
  /** API base URL including `/api/v1`; defaults to the production API. */
  baseUrl?: string;
}

/** A source of stack config values, as the engine's configure call provides them. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Where settings come from, in order of precedence. */
export interface SettingSources {
  /** Explicit values (options); they win. Empty strings count as absent. */
  options?: SettingValues;
  /** Command-line flags as given (text, by flag name without `--`), e.g. `{ "base-url": "..." }`. */
  flags?: Readonly<Record<string, string | undefined>>;
  /** The stack config the engine handed over, if any. */
  config?: ConfigSource;
  /** The environment; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** Stack config keys, by setting. */
export const CONFIG_KEYS = Object.fromEntries(Object.entries(SETTINGS).map(([k, s]) => [k, s.config])) as {
  readonly [K in SettingName]: string;
};
/** Environment variables, by setting (the connection ones are those of Vobiz's official SDKs). */
export const ENV_VARS = Object.fromEntries(Object.entries(SETTINGS).map(([k, s]) => [k, s.env])) as {
  readonly [K in SettingName]: string;
};

function nonEmpty(v: unknown): string | undefined {
  if (typeof v !== "string") return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** Where a setting was found, for messages: a config key or a variable, never the value. */
type Found<T> = { value: T; where: string } | undefined;

/**
 * The value of one setting from the sources, parsed and checked, with where it came from; the
 * default (or undefined) when no source sets it.
 */
export function resolveSetting<K extends SettingName>(
  name: K,
  sources: SettingSources,
): ValueOf<K> | undefined {
  return findSetting(name, sources) ?? (SETTINGS[name].default as ValueOf<K> | undefined);
}

/** The value of one setting when a source sets it, parsed and checked; undefined when none does. */
export function findSetting<K extends SettingName>(name: K, sources: SettingSources): ValueOf<K> | undefined {
  return find(name, sources)?.value;
}

function find<K extends SettingName>(name: K, sources: SettingSources): Found<ValueOf<K>> {
  const s = SETTINGS[name] as unknown as Setting<ValueOf<K>>;
  const option = sources.options?.[name];
  if (option !== undefined && !(typeof option === "string" && nonEmpty(option) === undefined)) {
    const where = `the option ${name}`;
    return {
      value: typeof option === "string" ? s.parse(option.trim(), where) : checkOption(name, option),
      where,
    };
  }
  const fromFlag = s.flag !== undefined ? nonEmpty(sources.flags?.[s.flag]) : undefined;
  if (fromFlag !== undefined) return { value: s.parse(fromFlag, `--${s.flag}`), where: `--${s.flag}` };
  const fromConfig = nonEmpty(sources.config?.get(s.config));
  if (fromConfig !== undefined)
    return { value: s.parse(fromConfig, `stack config ${s.config}`), where: s.config };
  const fromEnv = nonEmpty((sources.env ?? process.env)[s.env]);
  if (fromEnv !== undefined) return { value: s.parse(fromEnv, s.env), where: s.env };
  return undefined;
}

/** Checks a typed option by the same rule its text form follows. */
function checkOption<K extends SettingName>(name: K, value: ValueOf<K>): ValueOf<K> {
  const s = SETTINGS[name] as unknown as Setting<ValueOf<K>>;
  if (typeof value === "number" || typeof value === "boolean")
    return s.parse(String(value), `the option ${name}`);
  return value;
}

/**
 * Every setting, resolved. Throws a VobizConfigError that names the config key and the variable
 * of what is missing (the Auth ID, the token) or malformed, before any request is sent.
 */
export function resolveSettings(sources: SettingSources): ResolvedSettings {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    out[name] =
      name === "authId" || name === "authToken" || name === "baseUrl"
        ? undefined
        : resolveSetting(name, sources);
  }
  return { ...(out as ResolvedSettings), ...resolveConnection(sources) };
}

/**
 * The connection (Auth ID, token, base URL) from the sources. Throws a VobizConfigError naming
 * the config key and the variable of what is missing, or saying what is wrong with the base URL.
 */
export function resolveConnection(sources: SettingSources): ResolvedConnection {
  const authId = resolveSetting("authId", sources);
  const authToken = resolveSetting("authToken", sources);
  const missing: string[] = [];
  if (authId === undefined) {
    missing.push(`the Auth ID (stack config ${SETTINGS.authId.config} or env ${SETTINGS.authId.env})`);
  }
  if (authToken === undefined) {
    missing.push(
      `the Auth Token (\`pulumi config set --secret ${SETTINGS.authToken.config} ...\` or env ${SETTINGS.authToken.env})`,
    );
  }
  if (authId === undefined || authToken === undefined) {
    throw new VobizConfigError(
      `Vobiz credentials are not configured: set ${missing.join(" and ")}. ` +
        `Find ${missing.length > 1 ? "both" : "it"} in the Vobiz console under API keys.`,
    );
  }
  if (/[\r\n]/.test(authId) || /[\r\n]/.test(authToken)) {
    throw new VobizConfigError(
      `The Vobiz Auth ID or Auth Token contains a line break; set ${SETTINGS.authId.config}/${SETTINGS.authToken.config} again without it.`,
    );
  }
  return { authId, authToken, baseUrl: resolveSetting("baseUrl", sources) ?? DEFAULT_BASE_URL };
}

/** A cache key of the settings as the sources give them: the token only as a hash. */
export function settingsKey(sources: SettingSources): string {
  const env = sources.env ?? process.env;
  return JSON.stringify(
    (Object.keys(SETTINGS) as SettingName[]).map((name) => {
      const s = SETTINGS[name];
      const flag = s.flag !== undefined ? sources.flags?.[s.flag] : undefined;
      const raw = [sources.options?.[name], flag, sources.config?.get(s.config), env[s.env]];
      return s.secret ? raw.map((v) => (typeof v === "string" && v !== "" ? sha256(v) : v)) : raw;
    }),
  );
}

/** A key of one account's connection: base URL, Auth ID and the token's hash. */
export function connectionKey(conn: ResolvedConnection): string {
  return `${conn.baseUrl}\u0000${conn.authId}\u0000${sha256(conn.authToken)}`;
}

function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * The lines that set these settings for a stack and for a shell (e.g. what `vobiz-onboard check`
 * found): `pulumi config set vobiz:... value` and `export VOBIZ_...=value`. A secret's value is
 * never printed: its config line asks for it (`pulumi config set --secret KEY` prompts).
 */
export function settingLines(values: SettingValues): { config: string[]; env: string[] } {
  const config: string[] = [];
  const env: string[] = [];
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const value = values[name];
    if (value === undefined) continue;
    const s = SETTINGS[name];
    if (s.secret) {
      // `pulumi config set --secret KEY` with no value asks for it (it never lands in shell history).
      config.push(`pulumi config set --secret ${s.config}`);
      env.push(`export ${s.env}=...   # your ${name}`);
      continue;
    }
    const shown = shellWord(String(value));
    config.push(`pulumi config set ${s.config} ${shown}`);
    env.push(`export ${s.env}=${shown}`);
  }
  return { config, env };
}

function shellWord(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function wholeNumber(t: string, where: string, min: number, max: number, what: string): number {
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < min || n > max) {
    throw new VobizConfigError(`${where} must be a whole number from ${min} to ${max} (${what}).`);
  }
  return n;
}

function positiveNumber(t: string, where: string, what: string, zeroAllowed = false): number {
  const n = Number(t);
  if (!/^\d+(\.\d+)?$/.test(t) || !(zeroAllowed ? n >= 0 : n > 0)) {
    throw new VobizConfigError(`${where} must be a ${zeroAllowed ? "" : "positive "}number of ${what}.`);
  }
  return n;
}

function normaliseBaseUrl(raw: string, where: string): string {
  const names = `${SETTINGS.baseUrl.config} or ${SETTINGS.baseUrl.env}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new VobizConfigError(
      `The Vobiz base URL (${where}) is not a URL; set ${names} to e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new VobizConfigError(
      `The Vobiz base URL (${where}) must use http or https; set ${names} to e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  if (url.username || url.password) {
    throw new VobizConfigError(
      `The Vobiz base URL (${where}) must not hold a user or password; put the Auth ID and Token in vobiz:authId and vobiz:authToken.`,
    );
  }
  if (url.search || url.hash) {
    throw new VobizConfigError(
      `The Vobiz base URL (${where}) must not hold a query or fragment (request paths are appended to it); set ${names} to e.g. ${DEFAULT_BASE_URL}.`,
    );
  }
  return url.toString().replace(/\/+$/, "");
}

/** The settings a command-line tool takes as flags (`--auth-id`, `--base-url`, ...), in table order. */
export function flagSettings(): [SettingName, Setting<unknown>][] {
  return (Object.entries(SETTINGS) as [SettingName, Setting<unknown>][]).filter(
    ([, s]) => s.flag !== undefined,
  );
}
