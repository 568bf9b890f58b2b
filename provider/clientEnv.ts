/**
 * The environment variables the client reads besides the connection settings (config.ts owns
 * those): `VOBIZ_DEBUG` and `VOBIZ_MAX_RETRY_WAIT`, and how their values are read.
 */
import { VobizConfigError } from "./errors";

/** Environment variables the client reads besides the connection settings. */
export const CLIENT_ENV_VARS = {
  /** Debug lines on stderr: any value but empty, `0`, `false`, `no` or `off`. */
  debug: "VOBIZ_DEBUG",
  /** Seconds one call may spend retrying, waits included (`retry.maxElapsedMs`). */
  maxRetryWait: "VOBIZ_MAX_RETRY_WAIT",
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
