/**
 * The errors pulumi-vobiz throws. One place turns an HTTP failure into a typed error with a next
 * step; nothing else in the package parses HTTP statuses.
 *
 * Rule for every error here: it never holds an auth token, a password or a request body. The
 * HTTP layer copies only facts it has vetted (status, Vobiz error code and message, request id,
 * method and a path that carries the Auth ID at most) and never keeps the underlying HTTP
 * library error, whose `config` holds the request headers and body.
 */

/** Network error codes that prove the request never reached the server (nothing was applied). */
export const UNSENT_NETWORK_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** The API operations the client performs; errors use it to choose a next step. */
export type VobizOperation = "create" | "list" | "update" | "delete";

/** Base class of every error pulumi-vobiz throws. */
export class VobizError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The provider cannot run: missing or malformed Auth ID, Auth Token or base URL, or a
 * `passwordFrom` source that does not resolve. Raised before any request is sent.
 */
export class VobizConfigError extends VobizError {}

/** The facts an API error carries; all optional ones may be absent from a given failure. */
export interface VobizApiErrorFacts {
  /** HTTP status; undefined when no response arrived (network failure or timeout). */
  status?: number;
  /** Vobiz's own error code (`error.code` of the documented envelope), e.g. `DUPLICATE_USERNAME`. */
  code?: string;
  /** Vobiz's own error message (`error.message`). */
  vobizMessage?: string;
  /** Vobiz's `error.details` (field-level validation details), passwords masked. */
  details?: unknown;
  /** Vobiz's `requestId` (or the `X-Request-Id` header), for support tickets. */
  requestId?: string;
  /** HTTP method of the failed request. */
  method: string;
  /** Request path (holds the Auth ID, never the token). */
  path: string;
  /** The operation that failed. */
  operation: VobizOperation;
  /** Low-level network error code (ECONNREFUSED, ETIMEDOUT, ...), when no response arrived. */
  networkCode?: string;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /**
   * Why the retries stopped, when it was not that the failure is final or the attempts ran out
   * (e.g. Vobiz asked for a wait longer than the call's time budget). Holds no secret.
   */
  gaveUpBecause?: string;
  /** The base URL the request went to (named in the advice for network failures). */
  baseUrl?: string;
}

/** A failed call to the Vobiz API. Subclasses narrow the kind; all carry the same facts. */
export class VobizApiError extends VobizError implements VobizApiErrorFacts {
  readonly status?: number;
  readonly code?: string;
  readonly vobizMessage?: string;
  readonly details?: unknown;
  readonly requestId?: string;
  readonly method: string;
  readonly path: string;
  readonly operation: VobizOperation;
  readonly networkCode?: string;
  readonly attempts?: number;
  readonly gaveUpBecause?: string;
  readonly baseUrl?: string;

  constructor(facts: VobizApiErrorFacts, hint: string) {
    super(describe(facts, hint));
    this.status = facts.status;
    this.code = facts.code;
    this.vobizMessage = facts.vobizMessage;
    this.details = facts.details;
    this.requestId = facts.requestId;
    this.method = facts.method;
    this.path = facts.path;
    this.operation = facts.operation;
    this.networkCode = facts.networkCode;
    this.attempts = facts.attempts;
    this.gaveUpBecause = facts.gaveUpBecause;
    this.baseUrl = facts.baseUrl;
  }

  /** A plain, secret-free object for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      code: this.code,
      vobizMessage: this.vobizMessage,
      details: this.details,
      requestId: this.requestId,
      method: this.method,
      path: this.path,
      operation: this.operation,
      networkCode: this.networkCode,
      attempts: this.attempts,
      gaveUpBecause: this.gaveUpBecause,
      baseUrl: this.baseUrl,
    };
  }
}

/** 401: the Auth ID or Auth Token is wrong. */
export class VobizAuthenticationError extends VobizApiError {}
/** 403: the credentials are valid but may not touch this account or resource. */
export class VobizPermissionError extends VobizApiError {}
/** 404: the credential (or the account path) does not exist. */
export class VobizNotFoundError extends VobizApiError {}
/** 409: duplicate username on create, or credential in use on delete. */
export class VobizConflictError extends VobizApiError {}
/** 400/422: Vobiz rejected the request body. */
export class VobizValidationError extends VobizApiError {}
/** 429 after the retry budget ran out. */
export class VobizRateLimitError extends VobizApiError {}
/** 5xx (or 408) after the retry budget ran out. */
export class VobizServerError extends VobizApiError {}
/** No response: connection refused, reset, DNS failure or timeout. */
export class VobizConnectionError extends VobizApiError {}
/** A 2xx response whose body is not what the API documents. */
export class VobizResponseError extends VobizApiError {}

function describe(facts: VobizApiErrorFacts, hint: string): string {
  const what = `Vobiz API ${facts.operation} failed (${facts.method} ${facts.path})`;
  const status =
    facts.status !== undefined
      ? `HTTP ${facts.status}`
      : `no response${facts.networkCode ? ` (${facts.networkCode})` : ""}`;
  const vobiz = [facts.code, facts.vobizMessage].filter(Boolean).join(": ");
  const parts = [`${what}: ${status}${vobiz ? ` ${vobiz}` : ""}.`];
  if (hint) parts.push(hint);
  const attempts = facts.attempts ?? 1;
  if (facts.gaveUpBecause) {
    parts.push(`Gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${facts.gaveUpBecause}.`);
  } else if (attempts > 1) {
    parts.push(`Gave up after ${attempts} attempts.`);
  }
  if (facts.requestId) parts.push(`Request id: ${facts.requestId}.`);
  return parts.join(" ");
}

/** Refresh and destroy run with the settings the last `up` recorded unless told to run the program. */
const RECORDED_SETTINGS =
  " If you just fixed these settings: a plain refresh or destroy runs with the ones the last `up` " +
  "recorded; add `--run-program` to that command to use the current ones.";

const CREATE_MAY_HAVE_LANDED =
  " The credential may have been created anyway: the next run looks it up first, and if it then " +
  "reports HTTP 409 for this username, set `adoptExisting: true` to take it over.";

/** What the user should do next, by status and operation. */
function nextStep(facts: VobizApiErrorFacts): string {
  const { status, operation } = facts;
  if (status === undefined) {
    const where = facts.baseUrl ? ` (${facts.baseUrl})` : "";
    return (
      `Check that the base URL${where}, set by vobiz:baseUrl / VOBIZ_BASE_URL, is right and reachable, ` +
      "then run the command again." +
      (operation === "create" && !UNSENT_NETWORK_CODES.has(facts.networkCode ?? "")
        ? CREATE_MAY_HAVE_LANDED
        : "")
    );
  }
  switch (status) {
    case 401:
      return (
        "Check the Auth ID and Auth Token: stack config vobiz:authId and vobiz:authToken " +
        "(set the token with `pulumi config set --secret vobiz:authToken ...`) or " +
        "VOBIZ_AUTH_ID and VOBIZ_AUTH_TOKEN." +
        RECORDED_SETTINGS
      );
    case 403:
      return (
        "The Auth ID/Token are not allowed to use this account's credentials: check that " +
        "vobiz:authId matches the account the token belongs to, and the API path casing " +
        "(account vs Account) if you changed it."
      );
    case 404:
      if (operation === "update") {
        return (
          "The credential was deleted outside Pulumi. Run `pulumi refresh` to drop it from the " +
          "state, then `pulumi up` to create it again."
        );
      }
      return (
        "Check the base URL: the API path was not found (vobiz:baseUrl / VOBIZ_BASE_URL must end in " +
        "/api/v1) and the path casing (vobiz:accountPathSegment: `vobiz-onboard check` tells which)." +
        RECORDED_SETTINGS
      );
    case 409:
      if (operation === "create") {
        return (
          "The username is taken on this account. To manage that credential, set " +
          "`adoptExisting: true` on the credential (Pulumi then sets the declared password " +
          "and manages it); otherwise choose another username."
        );
      }
      if (operation === "delete") return inUseAdvice(undefined);
      return "The request conflicts with the credential's current state; run `pulumi refresh` and retry.";
    case 400:
    case 422:
      return `Vobiz rejected ${rejectedWhat(facts.details)}; fix the value and run the command again.`;
    case 402:
      return "The Vobiz account has a billing problem; resolve it in the Vobiz console.";
    case 429:
      return "Vobiz is rate limiting this account; wait a minute and run the command again, or lower `--parallel`.";
    case 501:
      return (
        "Vobiz does not implement this request: check that the base URL (vobiz:baseUrl / VOBIZ_BASE_URL) " +
        "ends in /api/v1 and the path casing (accountPathSegment); running the command again will not help."
      );
    default:
      if (TRANSIENT_STATUSES.has(status)) {
        return (
          "Vobiz had a server-side problem; run the command again later." +
          (operation === "create"
            ? CREATE_MAY_HAVE_LANDED
            : ` It is safe to retry: repeating the ${operation} has no side effects.`)
        );
      }
      if (status >= 500) {
        return (
          "Vobiz answered with a server error that is not retried; run the command again later, and " +
          "report it to Vobiz with the request id if it persists." +
          (operation === "create" ? CREATE_MAY_HAVE_LANDED : "")
        );
      }
      return "";
  }
}

/**
 * The next step after Vobiz refused to delete a credential in use by active calls (HTTP 409), by
 * what is known of it: an enabled one (or one of unknown state) can be disabled first so that no
 * new call starts; a disabled one can only wait. Says each step once, whatever Vobiz's own message
 * says before it.
 */
export function inUseAdvice(enabled: boolean | undefined): string {
  return enabled === false
    ? "It is already disabled, so no new call can start: delete it again (run the same `pulumi` command) " +
        "once its calls have ended."
    : "Set `enabled: false` on it and run `pulumi up`, so that no new call can start, then delete it again " +
        "once its calls have ended.";
}

/**
 * The same API error with another next step (e.g. one that knows more than the HTTP layer did),
 * keeping its class and facts.
 */
export function withAdvice<E extends VobizApiError>(error: E, advice: string): E {
  const Kind = error.constructor as new (facts: VobizApiErrorFacts, hint: string) => E;
  return new Kind(error, advice);
}

/** The statuses the docs list for passing trouble (and a timeout): retried by default. */
const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 500, 502, 503, 504]);

/** Longest `error.details` quoted in a message. */
const MAX_DETAILS_CHARS = 200;

/**
 * What a 400/422 rejected. The docs promise "field details" without a shape; the only shape
 * this package knows for certain names a `field` (and a `rule`), so only that is presented as a
 * field. Any other details are quoted (already masked), not interpreted.
 */
function rejectedWhat(details: unknown): string {
  if (!details || typeof details !== "object") return "the request";
  const d = details as Record<string, unknown>;
  if (typeof d.field === "string") {
    return `the field '${d.field}'${typeof d.rule === "string" ? ` (rule: ${d.rule})` : ""}`;
  }
  if (Object.keys(d).length === 0) return "the request";
  const text = JSON.stringify(details);
  const quoted = text.length > MAX_DETAILS_CHARS ? `${text.slice(0, MAX_DETAILS_CHARS)}…` : text;
  return `the request (details: ${quoted})`;
}

const KIND_BY_STATUS: Record<number, new (facts: VobizApiErrorFacts, hint: string) => VobizApiError> = {
  400: VobizValidationError,
  401: VobizAuthenticationError,
  403: VobizPermissionError,
  404: VobizNotFoundError,
  409: VobizConflictError,
  422: VobizValidationError,
  429: VobizRateLimitError,
};

/** The one factory that turns the facts of a failed request into the right typed error. */
export function createApiError(facts: VobizApiErrorFacts): VobizApiError {
  const hint = nextStep(facts);
  if (facts.status === undefined) return new VobizConnectionError(facts, hint);
  const Kind = KIND_BY_STATUS[facts.status];
  if (Kind) return new Kind(facts, hint);
  if (facts.status >= 500 || facts.status === 408) return new VobizServerError(facts, hint);
  return new VobizApiError(facts, hint);
}

/** An error for a 2xx response whose body does not match the documented shape. */
export function createResponseError(
  facts: Omit<VobizApiErrorFacts, "code" | "vobizMessage">,
  problem: string,
): VobizResponseError {
  return new VobizResponseError(
    { ...facts, code: "MALFORMED_RESPONSE", vobizMessage: problem },
    "The response did not match the documented Vobiz API; check the base URL points at the Vobiz API " +
      "(…/api/v1) and report this with the request id if it persists.",
  );
}
