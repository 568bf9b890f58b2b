/**
 * The environment variables the client reads besides the connection settings (config.ts owns
 * those): `VOBIZ_DEBUG`, `VOBIZ_MAX_RETRY_WAIT`, `VOBIZ_MAX_REQUESTS_PER_SECOND` and
 * `VOBIZ_RATE_LIMITER`, and how their values are read.
 */
import { VobizConfigError } from "../common/errors";

/** Environment variables the client reads besides the connection settings. */
export const CLIENT_ENV_VARS = {
  /** Debug lines on stderr: any value but empty, `0`, `false`, `no` or `off`. */
  debug: "VOBIZ_DEBUG",
  /** Seconds one call may spend retrying, waits included (`retry.maxElapsedMs`). */
  maxRetryWait: "VOBIZ_MAX_RETRY_WAIT",
  /** Most requests per second to one account (a ceiling under the adaptive rate). */
  maxRequestsPerSecond: "VOBIZ_MAX_REQUESTS_PER_SECOND",
  /** `off` turns the shared limiter off (each request then retries 429s on its own). */
  rateLimiter: "VOBIZ_RATE_LIMITER",
} as const;

/** Whether `VOBIZ_DEBUG` turns debugging on: any value but empty, `0`, `false`, `no` or `off`. */
export function debugEnabled(value: string | undefined): boolean {
  const v = (value ?? "").trim().toLowerCase();
  return !["", "0", "false", "no", "off"].includes(v);
}

/** `VOBIZ_MAX_RETRY_WAIT` (seconds) as ms, or undefined when unset; throws when malformed. */
export function retryWaitFromEnv(value: string | undefined): number | undefined {
  const v = (value ?? "").trim();
  if (v === "") return undefined;
  if (!/^\d+(\.\d+)?$/.test(v)) {
    throw new VobizConfigError(
      `${CLIENT_ENV_VARS.maxRetryWait} must be a number of seconds (e.g. 300), the longest one API call may spend retrying.`,
    );
  }
  return Math.round(Number(v) * 1000);
}

/**
 * A ceiling of requests per second (`vobiz:maxRequestsPerSecond`, `VOBIZ_MAX_REQUESTS_PER_SECOND`)
 * as a number, or undefined when unset; throws naming `where` when it is not a positive number.
 */
export function parseMaxRequestsPerSecond(value: string | undefined, where: string): number | undefined {
  const v = (value ?? "").trim();
  if (v === "") return undefined;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !(n > 0)) {
    throw new VobizConfigError(
      `${where} must be a positive number of requests per second (e.g. 5), the most this provider sends to one Vobiz account.`,
    );
  }
  return n;
}

/** How `VOBIZ_RATE_LIMITER` sets the limiter: `shared` (default) or `off` (each request on its own). */
export function rateLimiterModeFromEnv(value: string | undefined): "shared" | "off" | undefined {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "") return undefined;
  if (v === "shared" || v === "off") return v;
  throw new VobizConfigError(
    `${CLIENT_ENV_VARS.rateLimiter} must be 'shared' (the default: one adaptive queue per account) or 'off'.`,
  );
}
