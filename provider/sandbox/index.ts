/**
 * A local, faithful sandbox of the Vobiz credentials API: a real HTTP server on loopback with
 * fault injection, an optional rate limit, a request journal and a control API. See `startSandbox`
 * and docs/sandbox.md.
 */
export { startSandbox, DEFAULT_AUTH_ID, DEFAULT_HOST, MAX_BODY_BYTES } from "./server";
export type {
  Sandbox,
  SandboxAccount,
  SandboxCredential,
  SandboxCredentialInput,
  SandboxCredentialPatch,
  SandboxOptions,
  StartupAccount,
} from "./types";
export { SandboxError, ERROR_CODES, type ErrorEnvelope } from "./errors";
export {
  DEFAULT_SWITCHES,
  type AccountPathSegmentSwitch,
  type ListTotalField,
  type SandboxSwitches,
} from "./switches";
export { DEFAULT_SEED, mulberry32, type FaultRule, type FaultRuleState } from "./faults";
export { RATE_LIMIT_MAX, type RateLimit, type RateLimitInput } from "./ratelimit";
export { MASK, type AppliedFault, type FaultKind, type JournalEntry, type JournalFilter } from "./journal";
export { API_BASE_PATH, type RouteName } from "./routes";
export { CONTROL_BASE_PATH } from "./control";
export { REALM_DOMAIN, SANDBOX_REDACTED_PASSWORD, type CredentialList, type CredentialObject } from "./api";
export {
  DESCRIPTION_MAX_LENGTH,
  LIST_DEFAULT_LIMIT,
  LIST_MAX_LIMIT,
  SANDBOX_PASSWORD_MIN_LENGTH,
  SANDBOX_USERNAME_PATTERN,
  USERNAME_MAX_LENGTH,
  type ConsolePatch,
  type CreateInput,
} from "./validation";
