/**
 * pulumi-vobiz: manage Vobiz SIP credentials with Pulumi.
 *
 * ```ts
 * import { VobizCredential } from "pulumi-vobiz";
 * const desk = new VobizCredential("desk", { username: "office_desk", password: cfg.requireSecret("sipPassword") });
 * export const realm = desk.realm;
 * ```
 */
export { VobizCredential, type VobizCredentialArgs, type PasswordSourceInput } from "./resource";
export {
  vobizCredentialProvider,
  createCredentialProvider,
  type VobizCredentialProvider,
  type CredentialProviderOptions,
} from "./lifecycle";
export type { CredentialOutputs, CredentialInputs, PasswordSource } from "./contract";
export {
  VobizClient,
  DEFAULT_CLIENT_TUNING,
  DEFAULT_ACCOUNT_PATH_SEGMENT,
  type VobizClientOptions,
  type VobizClientTuning,
  type CredentialPatch,
  type ReadOptions,
} from "./client";
export { DEFAULT_RETRY_OPTIONS, type RetryOptions } from "./retry";
export { USER_AGENT, type Clock } from "./transport";
export {
  CONFIG_KEYS,
  ENV_VARS,
  DEFAULT_BASE_URL,
  type VobizConnectionSettings,
  type ResolvedConnection,
} from "./config";
export {
  VobizError,
  VobizConfigError,
  VobizApiError,
  VobizAuthenticationError,
  VobizPermissionError,
  VobizNotFoundError,
  VobizConflictError,
  VobizValidationError,
  VobizRateLimitError,
  VobizServerError,
  VobizConnectionError,
  VobizResponseError,
  type VobizApiErrorFacts,
  type VobizOperation,
} from "./errors";
export { UNKNOWN, isUnknown } from "./unknown";
export { USERNAME_PATTERN, PASSWORD_MIN_LENGTH } from "./rules";
export { REDACTED_PASSWORD, type Credential, type CredentialPage } from "./schemas";
export { parseCredentialInputs, type InputFailure } from "./inputs";
