/**
 * zod schemas at the package's two boundaries:
 * - what the Vobiz API returns (tolerant of unknown and documented optional fields, strict about
 *   `id`, `username` and `enabled`, the fields the provider relies on);
 * - what a Pulumi program passes to a VobizCredential (checked in the provider's `check`).
 */
import type * as zod from "zod";
import type { z } from "zod";

/**
 * zod, loaded when a schema is first used rather than with the package: a Pulumi program only
 * declares resources and never validates, so `import "pulumi-vobiz"` does not pay for the load
 * (about 70 ms of zod 4 on every `pulumi` command).
 */
function loadZod(): typeof zod.z {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load
  return (require("zod") as typeof zod).z;
}

// ---------------------------------------------------------------------------------------------
// The Vobiz API
// ---------------------------------------------------------------------------------------------

/** The literal the API returns in place of a password (or it omits the field). */
export const REDACTED_PASSWORD = "<redacted>";

/** Documented username rule (Vobiz Console): letters, digits, `_` and `-`. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Documented minimum password length (API docs; the Console's 5-20 rule is older and looser). */
export const PASSWORD_MIN_LENGTH = 8;

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

// ---------------------------------------------------------------------------------------------
// Resource inputs
// ---------------------------------------------------------------------------------------------

/**
 * The value Pulumi passes for an input that is not known yet (an output of another resource
 * during preview), whatever the input's type (pulumi/pulumi#6310).
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
}

/** Whether the value is, or (in an object or array, at any depth) holds, the unknown sentinel. */
export function containsUnknown(value: unknown): boolean {
  if (isUnknown(value)) return true;
  if (value && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** Where the write-only mode reads the password from, at create/update time only. */
export type PasswordSource = { config: string } | { env: string };

/**
 * The checked, normalised inputs of a VobizCredential (what `check` returns). During preview any
 * field may instead hold the {@link UNKNOWN} sentinel; use {@link isUnknown} before relying on one.
 */
export interface CredentialInputs {
  username: string;
  /** The password, in the default mode. Exactly one of `password` and `passwordFrom` is set. */
  password?: string;
  /** The write-only mode's source of the password. */
  passwordFrom?: PasswordSource;
  /** The write-only mode's rotation trigger. */
  passwordVersion?: number;
  enabled: boolean;
  /** Normalised: absent, `null` and `""` all become absent. */
  description?: string;
  adoptExisting: boolean;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what it rejects
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const CONFIG_KEY_PATTERN = /^[A-Za-z0-9_.:-]+$/;
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Counts code points, so a password of 8 emoji is 8 characters, as a person counts. */
export function characterCount(s: string): number {
  return Array.from(s).length;
}

/** The rule of `passwordFrom`'s shape, reported whenever the shape (not a value in it) is wrong. */
const PASSWORD_SOURCE_RULE = 'must be { config: "<stack config key>" } or { env: "<ENV_VAR>" }';

/** The resource's input schema, unknown sentinels allowed everywhere. */
function buildInputSchema(z: typeof zod.z) {
  const unknownValue = z.literal(UNKNOWN);
  const orUnknown = <T extends z.ZodType>(schema: T) => z.union([unknownValue, schema]);

  const usernameSchema = z
    .string({ error: "must be a string" })
    .min(1, { error: "must not be empty: give the SIP username, e.g. 'office_desk-1'" })
    .regex(USERNAME_PATTERN, {
      error: "may contain only letters A-Z/a-z, digits, '_' and '-' (no spaces, dots or other characters)",
    });

  const passwordSchema = z
    .string({ error: "must be a string" })
    .refine((s) => characterCount(s) >= PASSWORD_MIN_LENGTH, {
      error: `must be at least ${PASSWORD_MIN_LENGTH} characters long (Vobiz rule)`,
    })
    .refine((s) => !CONTROL_CHARS.test(s), {
      error: "must not contain control characters (newlines, tabs, NUL)",
    });

  const passwordSourceSchema = z.union(
    [
      z.strictObject({
        // During preview the key itself may be an unknown output (a nested sentinel).
        config: orUnknown(
          z.string().regex(CONFIG_KEY_PATTERN, {
            error: "must be a stack config key such as 'sipPassword' or 'myproject:sipPassword'",
          }),
        ),
      }),
      z.strictObject({
        env: orUnknown(
          z
            .string()
            .regex(ENV_NAME_PATTERN, { error: "must be an environment variable name such as SIP_PASSWORD" }),
        ),
      }),
    ],
    { error: PASSWORD_SOURCE_RULE },
  );

  const descriptionSchema = z
    .string({ error: "must be a string" })
    // eslint-disable-next-line no-control-regex -- control characters (but tab and newlines) are rejected
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), {
      error: "must not contain control characters",
    })
    .nullish();

  return z.strictObject({
    username: orUnknown(usernameSchema),
    password: orUnknown(passwordSchema).optional(),
    passwordFrom: orUnknown(passwordSourceSchema).optional(),
    passwordVersion: orUnknown(
      z.number({ error: "must be a number" }).int({ error: "must be a whole number" }).nonnegative({
        error: "must be 0 or more",
      }),
    ).optional(),
    enabled: orUnknown(z.boolean({ error: "must be true or false" })).optional(),
    description: orUnknown(descriptionSchema).optional(),
    adoptExisting: orUnknown(z.boolean({ error: "must be true or false" })).optional(),
  });
}

let inputSchemaBuilt: ReturnType<typeof buildInputSchema> | undefined;

/** The resource's input schema, built on first use. */
function inputSchema(): ReturnType<typeof buildInputSchema> {
  return (inputSchemaBuilt ??= buildInputSchema(loadZod()));
}

/** A check failure in the engine's shape. */
export interface InputFailure {
  property: string;
  reason: string;
}

/** Names of the inputs a VobizCredential accepts. */
export const INPUT_NAMES = [
  "username",
  "password",
  "passwordFrom",
  "passwordVersion",
  "enabled",
  "description",
  "adoptExisting",
] as const;

/** Properties the engine or the resource class adds, which `check` must not call unknown. */
const RESERVED = new Set(["__provider", "realm", "accountId", "createdAt", "updatedAt"]);

/**
 * Validates and normalises raw resource inputs. Never echoes a password: reasons come from the
 * rules above, never from the values.
 */
export function parseCredentialInputs(
  raw: Record<string, unknown>,
): { ok: true; inputs: CredentialInputs } | { ok: false; failures: InputFailure[] } {
  const candidate: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (RESERVED.has(k) || v === undefined) continue;
    candidate[k] = v;
  }
  const failures: InputFailure[] = [];
  if (candidate.username === undefined) {
    failures.push({ property: "username", reason: "is required: give the SIP username of the credential" });
  }
  const hasPassword = candidate.password !== undefined && candidate.password !== null;
  const hasSource = candidate.passwordFrom !== undefined && candidate.passwordFrom !== null;
  if (hasPassword && hasSource) {
    failures.push({
      property: "passwordFrom",
      reason: "set exactly one of 'password' and 'passwordFrom', not both",
    });
  } else if (!hasPassword && !hasSource) {
    failures.push({
      property: "password",
      reason:
        "is required: set 'password' (stored encrypted in state) or 'passwordFrom' (write-only, never stored)",
    });
  }
  if (!hasSource && candidate.passwordVersion !== undefined) {
    failures.push({ property: "passwordVersion", reason: "only applies together with 'passwordFrom'" });
  }
  if (candidate.password === null) delete candidate.password;
  if (candidate.passwordFrom === null) delete candidate.passwordFrom;

  const parsed = inputSchema().safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const property = issue.path.length > 0 ? issue.path.map(String).join(".") : "(inputs)";
      if (issue.code === "unrecognized_keys" && issue.path.length === 0) {
        for (const key of issue.keys) {
          failures.push({
            property: key,
            reason: `is not an input of VobizCredential; valid inputs are ${INPUT_NAMES.join(", ")}`,
          });
        }
        continue;
      }
      if (property === "username" && candidate.username === undefined) continue; // reported above
      // A wrong shape of `passwordFrom` (not an object, no key, an extra key) makes zod report
      // one branch's detail ("expected string, received undefined"); state the rule instead.
      const reason = property === "passwordFrom" ? PASSWORD_SOURCE_RULE : reasonFor(issue);
      failures.push({ property, reason });
    }
  }
  if (failures.length > 0) return { ok: false, failures: dedupe(failures) };

  if (!parsed.success) return { ok: false, failures: [{ property: "(inputs)", reason: "are invalid" }] };
  const v = parsed.data;
  const inputs = {
    username: v.username,
    enabled: v.enabled ?? true,
    adoptExisting: v.adoptExisting ?? false,
  } as CredentialInputs;
  if (v.password !== undefined) inputs.password = v.password;
  if (v.passwordFrom !== undefined) {
    inputs.passwordFrom = v.passwordFrom as PasswordSource;
    inputs.passwordVersion = (v.passwordVersion ?? 0) as number;
  }
  const description = normaliseDescription(v.description);
  if (description !== undefined) inputs.description = description;
  return { ok: true, inputs };
}

/** `undefined`, `null` and `""` are the same description: none. */
export function normaliseDescription(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  return value as string;
}

function reasonFor(issue: z.core.$ZodIssue): string {
  // For a union with the unknown sentinel, zod reports "invalid_union": surface the branch that
  // is not the sentinel, which carries the real rule.
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    const branches = issue.errors.filter((e) => !(e.length === 1 && e[0].code === "invalid_value"));
    const first = (branches[0] ?? issue.errors[issue.errors.length - 1])[0];
    if (first) return reasonFor(first);
  }
  return issue.message;
}

function dedupe(failures: InputFailure[]): InputFailure[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const key = `${f.property}\u0000${f.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
