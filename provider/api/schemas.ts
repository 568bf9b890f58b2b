/**
 * zod schemas of what the Vobiz API returns: a credential (its relied-on and optional fields come
 * from the contract's wire mapping: strict about the fields the provider relies on, tolerant of
 * extra and optional ones) and a page of the list; the page type the client hands out; and value-free
 * descriptions of what did not parse. (The HTTP layer reads the error envelope itself; what a
 * program passes to a VobizCredential is checked by the lifecycle's inputs.ts.)
 */
import type * as zod from "zod";
import type { z } from "zod";
import { loadZod } from "../common/zod";
import { apiCredentialShape, type Credential } from "../contract/wire";

function buildApiSchemas(z: typeof zod.z) {
  /** One credential as the API returns it. */
  const credential = z.looseObject(apiCredentialShape(z));

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
  return { credential, credentialList };
}

/** The schemas of what the Vobiz API returns. */
export type ApiSchemas = ReturnType<typeof buildApiSchemas>;
let apiSchemasBuilt: ApiSchemas | undefined;

/** The API response schemas (`credential`, `credentialList`), built on first use. */
export function apiSchemas(): ApiSchemas {
  return (apiSchemasBuilt ??= buildApiSchemas(loadZod()));
}

/** One page of credentials and what the API said about the total. */
export interface CredentialPage {
  credentials: Credential[];
  limit?: number;
  offset?: number;
  /** `meta.total` or `meta.total_count`, when present. */
  total?: number;
}

/** Describes zod issues as `path: message` lines, never echoing input values. */
export function describeIssues(error: z.ZodError, prefix = ""): string {
  return error.issues
    .map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join(".") || "(body)"}: ${i.message}`)
    .join("; ");
}
