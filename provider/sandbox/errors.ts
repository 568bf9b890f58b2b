/**
 * Errors of the sandbox, and the error envelope the Vobiz API documents:
 * `{ status: "error", error: { code, message, details }, timestamp, requestId }`.
 */

/** Upper-snake error codes the sandbox answers with, one per kind of failure. */
export const ERROR_CODES = {
  invalidJson: "INVALID_JSON",
  invalidBody: "INVALID_BODY",
  unknownField: "UNKNOWN_FIELD",
  immutableField: "IMMUTABLE_FIELD",
  invalidQuery: "INVALID_QUERY",
  unauthorized: "UNAUTHORIZED",
  invalidCredentials: "INVALID_CREDENTIALS",
  forbidden: "FORBIDDEN",
  notFound: "NOT_FOUND",
  accountNotFound: "ACCOUNT_NOT_FOUND",
  credentialNotFound: "CREDENTIAL_NOT_FOUND",
  methodNotAllowed: "METHOD_NOT_ALLOWED",
  duplicateUsername: "DUPLICATE_USERNAME",
  credentialInUse: "CREDENTIAL_IN_USE",
  payloadTooLarge: "PAYLOAD_TOO_LARGE",
  rateLimited: "RATE_LIMITED",
  validation: "VALIDATION_ERROR",
  internal: "INTERNAL_ERROR",
} as const;

/** Codes used for injected fault statuses; any other status gets `HTTP_<status>`. */
const FAULT_STATUS_CODES: Readonly<Record<number, string>> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  402: "PAYMENT_REQUIRED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  408: "REQUEST_TIMEOUT",
  409: "CONFLICT",
  422: "VALIDATION_ERROR",
  429: "RATE_LIMITED",
  500: "INTERNAL_ERROR",
  502: "BAD_GATEWAY",
  503: "SERVICE_UNAVAILABLE",
  504: "GATEWAY_TIMEOUT",
};

/** The error code an injected fault answers with for a given HTTP status. */
export function faultErrorCode(status: number): string {
  return FAULT_STATUS_CODES[status] ?? `HTTP_${status}`;
}

/**
 * A failure with an HTTP status, an upper-snake code and optional details. Thrown by the sandbox's
 * handlers (turned into the error envelope) and by the programmatic control handle.
 */
export class SandboxError extends Error {
  override readonly name = "SandboxError";

  constructor(
    /** HTTP status the API answers with. */
    readonly status: number,
    /** Upper-snake error code, e.g. `VALIDATION_ERROR`. */
    readonly code: string,
    message: string,
    /** Machine-readable details, e.g. `{ field: "password", rule: "min_length", min: 8 }`. */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
  }
}

/** The documented error envelope. */
export interface ErrorEnvelope {
  status: "error";
  error: { code: string; message: string; details: Record<string, unknown> };
  timestamp: string;
  requestId: string;
}

/** Builds the error envelope for a status, code and message. */
export function errorEnvelope(
  requestId: string,
  code: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): ErrorEnvelope {
  return {
    status: "error",
    error: { code, message, details: { ...details } },
    timestamp: new Date().toISOString(),
    requestId,
  };
}
