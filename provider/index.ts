/**
 * pulumi-vobiz: manage Vobiz SIP credentials with Pulumi.
 *
 * ```ts
 * import { VobizCredential } from "pulumi-vobiz";
 * const desk = new VobizCredential("desk", { username: "office_desk", password: cfg.requireSecret("sipPassword") });
 * export const realm = desk.realm;
 * ```
 *
 * The public API: the resource and its types, the look-ups (`getCredential`, `getCredentials`),
 * the provider factory (for tests and custom tuning) and the error classes. The local Vobiz sandbox is `pulumi-vobiz/sandbox`. Everything else is
 * internal and may change in any release.
 *
 * @packageDocumentation
 */
export {
  VobizCredential,
  type VobizCredentialArgs,
  type VobizCredentialOutputs,
  type PasswordSource,
  type RotationTriggers,
} from "./adapters/dynamic/resource";
export type { CredentialInputs, CredentialOutputs } from "./contract/table";
export {
  getCredential,
  getCredentials,
  type CredentialInfo,
  type GetCredentialArgs,
  type GetCredentialsArgs,
  type LookupOptions,
} from "./adapters/dynamic/lookups";
export {
  createCredentialProvider,
  type CredentialLookups,
  type CredentialProviderOptions,
  type VobizCredentialProvider,
} from "./lifecycle/operations";
export type { VobizClientOptions, VobizClientTuning } from "./api/options";
export type { ConfigSource, VobizConnectionSettings } from "./settings/settings";
export type { RetryOptions } from "./http/retry";
export type { Clock } from "./common/clock";
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
} from "./common/errors";
export { VobizPartialCreateError } from "./lifecycle/partialCreate";
