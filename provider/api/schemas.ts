/**
 * zod schemas of what the Vobiz API returns (tolerant of unknown and documented optional fields,
 * strict about `id`, `username` and `enabled`, the fields the provider relies on), the types the
 * client hands out, and the lazy load of zod itself. (What a program passes to a VobizCredential
 * is checked by inputs.ts, from the contract.)
 */
import type * as zod from "zod";
import type { z } from "zod";

/**
 * zod, loaded when a schema is first used rather than with the package: a Pulumi program only
 * declares resources and never validates, so `import "pulumi-vobiz"` does not pay for the load
 * (about 70 ms of zod 4 on every `pulumi` command).
 */
export function loadZod(): typeof zod.z {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (require("zod") as typeof zod).z;
}

// ---------------------------------------------------------------------------------------------
// The Vobiz API
// ---------------------------------------------------------------------------------------------

/** The literal the API returns in place of a password (or it omits the field). */
export const REDACTED_PASSWORD = "<redacted>";

function buildApiSchemas(z: typeof zod.z) {
  const optionalText = z.string().nullish();

  /** One credential as the API returns it. */
  const credential = z.looseObject({
    id: z.string().min(1),
    username: z.string().min(1),
    enabled: z.boolean(),
    description: optionalText,
    account_id: optionalText,
    realm: optionalText,
    trunk_id: optionalText,
    password: optionalText,
    created_at: optionalText,
    updated_at: optionalText,
  });

  /** A page of the credentials list (`total` in newer docs, `total_count` in older ones). */
  const credentialList = z.looseObject({
    meta: z
      .looseObject({
        limit: z.number().int().nonnegative().nullish(),
        offset: z.number().int().nonnegative().nullish(),
        total: z.number().int().nonnegative().nullish(),
        total_count: z.number().int().nonnegative().nullish(),
      })
      .nullish(),
    objects: z.array(credential),
  });

  /** The documented error envelope; every part optional, since not every endpoint proves it. */
  const errorEnvelope = z.looseObject({
    error: z
      .union([
        z.looseObject({
          code: z.string().nullish(),
          message: z.string().nullish(),
          details: z.unknown().optional(),
        }),
        z.string(),
      ])
      .nullish(),
    message: z.string().nullish(),
    requestId: z.string().nullish(),
    request_id: z.string().nullish(),
    api_id: z.string().nullish(),
  });
  return { credential, credentialList, errorEnvelope };
}

/** The schemas of what the Vobiz API returns. */
export type ApiSchemas = ReturnType<typeof buildApiSchemas>;
let apiSchemasBuilt: ApiSchemas | undefined;

/** The API response schemas (`credential`, `credentialList`, `errorEnvelope`), built on first use. */
export function apiSchemas(): ApiSchemas {
  return (apiSchemasBuilt ??= buildApiSchemas(loadZod()));
}

/** A Vobiz SIP credential, as the client hands it to callers. */
export interface Credential {
  /** Vobiz's id of the credential (a UUID). */
  id: string;
  username: string;
  enabled: boolean;
  /** Absent when the API did not return the field (newer responses omit it). */
  description?: string;
  /** The account the credential belongs to, when the API returns it. */
  accountId?: string;
  /** The SIP digest realm a device must present, when the API returns it. */
  realm?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** One page of credentials and what the API said about the total. */
export interface CredentialPage {
  credentials: Credential[];
  limit?: number;
  offset?: number;
  /** `meta.total` or `meta.total_count`, when present. */
  total?: number;
}

export function toCredential(api: z.infer<ApiSchemas["credential"]>): Credential {
  const c: Credential = { id: api.id, username: api.username, enabled: api.enabled };
  if (typeof api.description === "string") c.description = api.description;
  if (api.account_id) c.accountId = api.account_id;
  if (api.realm) c.realm = api.realm;
  if (api.created_at) c.createdAt = api.created_at;
  if (api.updated_at) c.updatedAt = api.updated_at;
  return c;
}

/** Describes zod issues as `path: message` lines, never echoing input values. */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}

/** The checked inputs, defined by the contract (re-exported for callers that import them from here). */
export type { CredentialInputs } from "../contract/table";
