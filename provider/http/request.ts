/**
 * What the client asks of the transport and what it gets back: one API request (method, path,
 * body, retry mode, body check), a successful answer, and the reconcile hook of a request that is
 * not idempotent. Types only; the transport sends, responses.ts reads answers.
 */
import type { VobizApiError, VobizOperation } from "../common/errors";

/** How a request may be retried. */
export type RetryMode =
  /** GET, PUT, DELETE: network errors and retryable statuses, with backoff. */
  | "idempotent"
  /**
   * POST: retried directly only when it provably did not take effect (connection refused, name
   * not resolved, 429); after a failure that leaves it open, only when the request's reconcile
   * hook proves it did not (see the transport's `send`).
   */
  | "unsent-only";

/** One API request, as the client describes it to the transport. */
export interface ApiRequest {
  /** HTTP method. */
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the base URL, e.g. `/account/MA_X/credentials`. */
  path: string;
  /** Query parameters. */
  query?: Record<string, string | number>;
  /** JSON body; a `password` in it is redacted from every error and log line. */
  body?: Record<string, unknown>;
  /** The operation, for error messages and next steps. */
  operation: VobizOperation;
  /** How the request may be retried. */
  retry: RetryMode;
  /**
   * Checks a 2xx body; returns what is wrong with it, or undefined when it is usable. An unusable
   * body fails the attempt with a VobizResponseError (for a POST: a failure to reconcile, since
   * the request was applied).
   */
  validate?: (data: unknown) => string | undefined;
}

/** A successful (2xx) answer. */
export interface ApiResponse {
  /** HTTP status. */
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  data: unknown;
  /** Vobiz's request id, masked. */
  requestId?: string;
  /** How many attempts it took. */
  attempts: number;
}

/**
 * Runs after an attempt of a non-idempotent request failed in a way that leaves open whether it
 * took effect, before any further attempt (and also after the last one). Resolve with the
 * request's outcome to end the call, with `undefined` when the request provably did not take
 * effect (the transport then retries if attempts and time are left, else throws `failure`), or
 * throw to fail the call. `failure.attempts` is the number of attempts so far.
 */
export type Reconciler<T extends object> = (failure: VobizApiError) => Promise<T | undefined>;

/** The outcome a {@link Reconciler} found, and the attempts it took. */
export interface Reconciled<T> {
  reconciled: T;
  attempts: number;
}
