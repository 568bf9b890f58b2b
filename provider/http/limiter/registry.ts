/**
 * The provider process's rate limiters: one {@link AccountRateLimiter} per Vobiz account (base URL
 * and Auth ID), shared by every client, and so by every request of every resource, of that account.
 */
import { AccountRateLimiter, type RateLimiterOptions } from "./accountLimiter";
import type { Clock } from "../../common/clock";

const limiters = new Map<string, AccountRateLimiter>();

/**
 * The account's shared limiter, made on first use. A later caller's ceiling can only lower the
 * one in force (the lowest configured ceiling wins); its clock and debug sink are the first caller's.
 */
export function sharedLimiter(
  baseUrl: string,
  authId: string,
  options: Omit<RateLimiterOptions, "label">,
): AccountRateLimiter {
  const key = `${baseUrl}\u0000${authId}`;
  let limiter = limiters.get(key);
  if (limiter) {
    limiter.lowerCeiling(options.maxRequestsPerSecond);
    return limiter;
  }
  limiter = new AccountRateLimiter({ ...options, label: authId });
  limiters.set(key, limiter);
  return limiter;
}

/** Forgets every shared limiter (tests that need a fresh process state). */
export function resetSharedLimiters(): void {
  limiters.clear();
}

/** What a client asks of the limiter: which one, and for which account. */
export interface LimiterChoice {
  /** `shared` (the process's one limiter of the account), `own` (this client's alone) or `off`. */
  mode?: "shared" | "own" | "off";
  /** With no mode: `own` when true (a client with an injected clock), else `shared`. */
  ownByDefault: boolean;
  /** Ceiling in requests per second. */
  maxRequestsPerSecond?: number;
  baseUrl: string;
  authId: string;
  clock: Clock;
  debug?: (line: string) => void;
}

/** The limiter a client uses, or undefined when the limiter is off. */
export function limiterFor(choice: LimiterChoice): AccountRateLimiter | undefined {
  const mode = choice.mode ?? (choice.ownByDefault ? "own" : "shared");
  if (mode === "off") return undefined;
  const options = {
    maxRequestsPerSecond: choice.maxRequestsPerSecond,
    clock: choice.clock,
    debug: choice.debug,
  };
  return mode === "shared"
    ? sharedLimiter(choice.baseUrl, choice.authId, options)
    : new AccountRateLimiter({ ...options, label: choice.authId });
}
