/**
 * Request validation: the field rules of the credentials API, with every limit in a named constant.
 * Malformed or non-object bodies are 400s, rule failures are 422 `VALIDATION_ERROR` whose
 * `details` name the field and rule (`{ field: "password", rule: "min_length", min: 8 }`).
 *
 * These rules are the sandbox's own reading of the Vobiz docs, written apart from the provider's
 * (provider/schemas.ts) on purpose: a rule the provider gets wrong is then caught by the sandbox
 * instead of being agreed with. docs/sandbox.md lists where the two differ and why.
 */
import { ERROR_CODES, SandboxError } from "./errors";

/** Username characters (Console rule): letters, digits, `_` and `-`. Not the provider's constant. */
export const SANDBOX_USERNAME_PATTERN = /^[A-Za-z0-9_-]+$/;
/** No maximum is documented; the sandbox picks this one so over-long names fail visibly. */
export const USERNAME_MAX_LENGTH = 255;
/**
 * Minimum password length (API docs), in code points. No upper bound is documented, so none is
 * enforced. Not the provider's constant.
 */
export const SANDBOX_PASSWORD_MIN_LENGTH = 8;
/** No maximum is documented; the sandbox picks this one. */
export const DESCRIPTION_MAX_LENGTH = 1024;

/**
 * The optional text fields a credential stores, with the sandbox's rule for each: the field rules
 * a new optional text field of the API needs (the store keeps it, the API returns it, create takes
 * it only with `createAcceptsExtraFields`, update always; a non-string or an over-long value is a
 * 422 naming the field).
 */
export const TEXT_FIELDS = {
  description: { maxLength: DESCRIPTION_MAX_LENGTH },
} as const;
/** The name of an optional text field. */
export type TextField = keyof typeof TEXT_FIELDS;
/** The optional text fields, in order. */
export const TEXT_FIELD_NAMES = Object.keys(TEXT_FIELDS) as TextField[];
/** Values of the optional text fields. */
export type TextValues = { [K in TextField]?: string };
/** Default `limit` of the list endpoint. */
export const LIST_DEFAULT_LIMIT = 20;
/** Largest `limit` of the list endpoint; larger values are clamped to it (not rejected). */
export const LIST_MAX_LIMIT = 100;
/** Account auth ids the sandbox accepts (they become a URL path segment). */
export const AUTH_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Longest auth token the sandbox accepts for an account. */
export const AUTH_TOKEN_MAX_LENGTH = 256;

/** Fields of a create request. */
export interface CreateInput extends TextValues {
  username: string;
  password: string;
  enabled?: boolean;
}

/** Fields of an update request; only the given ones change. */
export interface UpdateInput extends TextValues {
  password?: string;
  enabled?: boolean;
}

/**
 * An out-of-band change (as in the Vobiz console): the update fields plus the `inUse` flag. Not the
 * provider's `CredentialPatch` (the body of an API update).
 */
export interface ConsolePatch extends UpdateInput {
  /** "In use by active calls": the API's delete answers 409 while it is set. */
  inUse?: boolean;
}

/** One failed rule, as reported in `error.details`. */
export interface FieldProblem {
  field: string;
  rule: string;
  [detail: string]: unknown;
}

const UPDATABLE_FIELDS = ["password", "enabled", ...TEXT_FIELD_NAMES] as const;

/** Parses a request body as a JSON object, or throws the 400 the API answers with. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === "") {
    throw new SandboxError(400, ERROR_CODES.invalidJson, "Request body must be a JSON object");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SandboxError(400, ERROR_CODES.invalidJson, "Request body is not valid JSON");
  }
  return asObject(parsed);
}

/** Narrows a parsed body to a plain object, or throws 400 `INVALID_BODY`. */
export function asObject(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SandboxError(400, ERROR_CODES.invalidBody, "Request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

/**
 * Validates a create body. `acceptExtraFields` allows `enabled` and the text fields (e.g.
 * `description`) besides `username` and `password`; any other field is a 400 `UNKNOWN_FIELD`.
 */
export function validateCreate(body: Record<string, unknown>, acceptExtraFields: boolean): CreateInput {
  const allowed = acceptExtraFields
    ? ["username", "password", "enabled", ...TEXT_FIELD_NAMES]
    : ["username", "password"];
  rejectUnknownFields(body, allowed);
  const problems = [
    ...checkUsername(body.username),
    ...checkPassword(body.password, true),
    ...checkEnabled(body.enabled),
    ...checkTexts(body),
  ];
  throwIfProblems(problems);
  const input: CreateInput = { username: body.username as string, password: body.password as string };
  if (body.enabled !== undefined) input.enabled = body.enabled as boolean;
  copyTexts(body, input);
  return input;
}

/**
 * Validates an update body: any non-empty subset of `password`, `enabled` and the text fields.
 * `username` is immutable (400 `IMMUTABLE_FIELD`); other fields are 400 `UNKNOWN_FIELD`.
 * `extraFields` are further names the caller handles itself (e.g. the control API's `inUse`).
 */
export function validateUpdate(
  body: Record<string, unknown>,
  extraFields: readonly string[] = [],
): UpdateInput {
  if (body.username !== undefined) {
    throw new SandboxError(
      400,
      ERROR_CODES.immutableField,
      "username cannot be changed; create a new credential",
      {
        field: "username",
      },
    );
  }
  rejectUnknownFields(body, [...UPDATABLE_FIELDS, ...extraFields]);
  const given = [...UPDATABLE_FIELDS, ...extraFields].filter((f) => body[f] !== undefined);
  if (given.length === 0) {
    throwIfProblems([{ field: "body", rule: "at_least_one_of", fields: [...UPDATABLE_FIELDS] }]);
  }
  throwIfProblems([
    ...checkPassword(body.password, false),
    ...checkEnabled(body.enabled),
    ...checkTexts(body),
  ]);
  const input: UpdateInput = {};
  if (body.password !== undefined) input.password = body.password as string;
  if (body.enabled !== undefined) input.enabled = body.enabled as boolean;
  copyTexts(body, input);
  return input;
}

/**
 * Validates an out-of-band change: the update fields (same rules as the API) plus `inUse`
 * (also accepted as `in_use`). Unlike the API's update, `inUse` alone is a valid change.
 */
export function validateConsolePatch(raw: Record<string, unknown>): ConsolePatch {
  const { inUse, in_use, ...rest } = raw;
  const flag = inUse ?? in_use;
  if (flag !== undefined && typeof flag !== "boolean") {
    throwIfProblems([{ field: "inUse", rule: "type", expected: "boolean" }]);
  }
  const patch: ConsolePatch = Object.keys(rest).length > 0 || flag === undefined ? validateUpdate(rest) : {};
  if (typeof flag === "boolean") patch.inUse = flag;
  return patch;
}

/** Parses `limit` and `offset` of the list endpoint; `limit` above the maximum is clamped. */
export function parseListQuery(query: URLSearchParams): { limit: number; offset: number } {
  const limit = parseNonNegativeInt(query, "limit", LIST_DEFAULT_LIMIT, 1);
  const offset = parseNonNegativeInt(query, "offset", 0, 0);
  return { limit: Math.min(limit, LIST_MAX_LIMIT), offset };
}

/** Validates an account's auth id and token (programmatic and control API). */
export function validateAccount(
  value: unknown,
  tokenRequired: boolean,
): { authId: string; authToken?: string } {
  const body = asObject(value);
  rejectUnknownFields(body, ["authId", "authToken"]);
  const problems: FieldProblem[] = [];
  if (typeof body.authId !== "string" || !AUTH_ID_PATTERN.test(body.authId)) {
    problems.push({ field: "authId", rule: "pattern", pattern: AUTH_ID_PATTERN.source });
  }
  const token = body.authToken;
  if (token === undefined ? tokenRequired : typeof token !== "string" || token.length === 0) {
    problems.push({ field: "authToken", rule: "required" });
  } else if (typeof token === "string" && token.length > AUTH_TOKEN_MAX_LENGTH) {
    problems.push({ field: "authToken", rule: "max_length", max: AUTH_TOKEN_MAX_LENGTH });
  }
  throwIfProblems(problems);
  return { authId: body.authId as string, ...(typeof token === "string" ? { authToken: token } : {}) };
}

function rejectUnknownFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown !== undefined) {
    throw new SandboxError(400, ERROR_CODES.unknownField, `Unknown field "${unknown}"`, {
      field: unknown,
      allowed: [...allowed],
    });
  }
}

function throwIfProblems(problems: FieldProblem[]): void {
  if (problems.length === 0) return;
  const [first] = problems;
  throw new SandboxError(422, ERROR_CODES.validation, describe(first), { ...first, errors: problems });
}

function describe(p: FieldProblem): string {
  switch (p.rule) {
    case "required":
      return `${p.field} is required`;
    case "type":
      return `${p.field} must be a ${String(p.expected)}`;
    case "min_length":
      return `${p.field} must be at least ${String(p.min)} characters`;
    case "max_length":
      return `${p.field} must be at most ${String(p.max)} characters`;
    case "pattern":
      return `${p.field} may contain only letters, digits, "_" and "-"`;
    case "at_least_one_of":
      return `Give at least one of ${(p.fields as string[]).join(", ")}`;
    default:
      return `${p.field} is invalid`;
  }
}

/** Length in code points, so a password of 8 emoji is 8 characters long. */
function length(s: string): number {
  return [...s].length;
}

function checkUsername(v: unknown): FieldProblem[] {
  if (v === undefined || v === null || v === "") return [{ field: "username", rule: "required" }];
  if (typeof v !== "string") return [{ field: "username", rule: "type", expected: "string" }];
  if (length(v) > USERNAME_MAX_LENGTH)
    return [{ field: "username", rule: "max_length", max: USERNAME_MAX_LENGTH }];
  if (!SANDBOX_USERNAME_PATTERN.test(v))
    return [{ field: "username", rule: "pattern", pattern: SANDBOX_USERNAME_PATTERN.source }];
  return [];
}

function checkPassword(v: unknown, required: boolean): FieldProblem[] {
  if (v === undefined) return required ? [{ field: "password", rule: "required" }] : [];
  if (typeof v !== "string") return [{ field: "password", rule: "type", expected: "string" }];
  if (length(v) < SANDBOX_PASSWORD_MIN_LENGTH)
    return [{ field: "password", rule: "min_length", min: SANDBOX_PASSWORD_MIN_LENGTH }];
  return [];
}

function checkEnabled(v: unknown): FieldProblem[] {
  if (v === undefined || typeof v === "boolean") return [];
  return [{ field: "enabled", rule: "type", expected: "boolean" }];
}

function checkTexts(body: Record<string, unknown>): FieldProblem[] {
  return TEXT_FIELD_NAMES.flatMap((field): FieldProblem[] => {
    const v = body[field];
    if (v === undefined) return [];
    if (typeof v !== "string") return [{ field, rule: "type", expected: "string" }];
    const max = TEXT_FIELDS[field].maxLength;
    return length(v) > max ? [{ field, rule: "max_length", max }] : [];
  });
}

function copyTexts(body: Record<string, unknown>, into: TextValues): void {
  for (const field of TEXT_FIELD_NAMES) if (body[field] !== undefined) into[field] = body[field] as string;
}

function parseNonNegativeInt(query: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min) {
    throw new SandboxError(400, ERROR_CODES.invalidQuery, `${name} must be an integer of at least ${min}`, {
      field: name,
      rule: "integer",
      min,
    });
  }
  return n;
}
