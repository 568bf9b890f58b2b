/**
 * The contract's mapping onto the Vobiz API, derived from each row's `wire` column (table.ts):
 * the types the client speaks (`Credential`, the create's fields, `CredentialPatch`), the API
 * response shape it relies on, the bodies of POST and PUT, and the comparisons of a declaration
 * with a live credential that the lifecycle's writes are decided by (drift, the create's
 * follow-up, adoption, a partial create's state, the look-ups' results). Nothing here calls the
 * API; a field with a `wire` column needs nothing else in this file.
 */
import type * as zod from "zod";
import type { WireMapping } from "./columns";
import { rowOf, FIELD_NAMES, type AnyRow } from "./fields";
import type { CredentialInputs, FieldName, FieldValue, Fields, NamesWhere } from "./table";

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

type Read = "always" | "whenReturned";
/** Fields every API response carries (the client relies on them). */
type AlwaysRead = NamesWhere<{ wire: { read: "always" } }>;
/** Fields the API returns (always, or when the API generation does). */
type Readable = NamesWhere<{ wire: { read: Read } }>;
/** Fields a POST carries. */
type CreateBody = NamesWhere<{ wire: { create: "body" } }>;
/** Fields a PUT may carry. */
type Puttable = NamesWhere<{ wire: { update: true } }>;
/** Fields a look-up always returns: the ones every response carries, and the account. */
type AlwaysKnown = AlwaysRead | NamesWhere<{ wire: { orConfiguredAccount: true } }>;

type RequiredFieldsOf<Names extends FieldName> = {
  -readonly [K in keyof Fields as K extends Names ? K : never]: FieldValue<K>;
};
type OptionalFieldsOf<Names extends FieldName> = {
  -readonly [K in keyof Fields as K extends Names ? K : never]?: FieldValue<K>;
};

/** A Vobiz SIP credential, as the client hands it to callers (never a password). */
export type Credential = { id: string } & RequiredFieldsOf<AlwaysRead> &
  OptionalFieldsOf<Exclude<Readable, AlwaysRead>>;

/** What a create sends: the fields the POST body carries. */
export type CreateFields = RequiredFieldsOf<CreateBody>;

/** The fields one PUT may change; only the given ones are sent. */
export type CredentialPatch = OptionalFieldsOf<Puttable>;

/** What a look-up returns of a credential, besides its id: everything the API tells, never a password. */
export type LookupFields = RequiredFieldsOf<AlwaysKnown> & OptionalFieldsOf<Exclude<Readable, AlwaysKnown>>;

// ---------------------------------------------------------------------------------------------
// The rows, by their wire column
// ---------------------------------------------------------------------------------------------

type WireRow = [FieldName, AnyRow, WireMapping];
const WIRE_ROWS: readonly WireRow[] = FIELD_NAMES.flatMap((name): WireRow[] => {
  const row = rowOf(name);
  return row.wire ? [[name, row, row.wire]] : [];
});
const READ_ROWS = WIRE_ROWS.filter(([, , w]) => w.read !== "never");

/** The fields the API returns, in table order. */
export const READABLE_NAMES: readonly FieldName[] = READ_ROWS.map(([name]) => name);
/** The fields a create applies with its follow-up PUT, in table order. */
export const FOLLOW_UP_NAMES: readonly FieldName[] = WIRE_ROWS.filter(
  ([, , w]) => w.create === "followUp",
).map(([n]) => n);
/** The fields a PUT may carry, in table order. */
export const PUTTABLE_NAMES: readonly FieldName[] = WIRE_ROWS.filter(([, , w]) => w.update).map(([n]) => n);

/**
 * The zod shape of a credential in API responses: `id` and the `always` fields are required (the
 * client relies on them), the others optional and nullable; unknown fields pass (a loose object).
 */
export function apiCredentialShape(z: typeof zod.z): Record<string, zod.ZodType> {
  const shape: Record<string, zod.ZodType> = { id: z.string().min(1) };
  for (const [, row, wire] of READ_ROWS) {
    const type = row.valueType === "boolean" ? z.boolean() : z.string();
    shape[wire.api] =
      wire.read === "always" ? (type instanceof z.ZodString ? type.min(1) : type) : type.nullish();
  }
  return shape;
}

/** The credential an API object describes (already checked against {@link apiCredentialShape}). */
export function credentialFromApi(api: Record<string, unknown>): Credential {
  const c: Record<string, unknown> = { id: api.id };
  for (const [name, row, wire] of READ_ROWS) {
    const v = api[wire.api];
    // An empty text Vobiz sets (a realm, a time) is the same as none; an empty description is a value.
    if (v === "" && row.source === "vobiz") continue;
    if (typeof v === (row.valueType === "boolean" ? "boolean" : "string")) c[name] = v;
  }
  return c as Credential;
}

/** The POST body of a create: the fields whose rows say the create's body carries them. */
export function createBody(fields: CreateFields): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, , wire] of WIRE_ROWS) {
    if (wire.create === "body") body[wire.api] = (fields as Record<string, unknown>)[name];
  }
  return body;
}

/** The PUT body of a patch, by API name; only the fields a PUT may carry, only those given. */
export function putBody(patch: CredentialPatch): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, , wire] of WIRE_ROWS) {
    const v = (patch as Record<string, unknown>)[name];
    if (wire.update && v !== undefined) body[wire.api] = v;
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// Declarations against live credentials
// ---------------------------------------------------------------------------------------------

/** A value as its row normalises it (`""` and `null` descriptions to none, trigger maps sorted). */
function normalised(row: AnyRow, value: unknown): unknown {
  return row.source === "input" && row.normalise ? row.normalise(value) : value;
}

/** Sets `name` in `out` to `value`, or removes it when the value is none. */
function setOrRemove(out: Record<string, unknown>, name: string, value: unknown): void {
  if (value !== undefined) out[name] = value;
  else delete out[name];
}

/** A value as the contract compares it: normalised, a left-out value as the row's default. */
function comparable(row: AnyRow, value: unknown): string | undefined {
  const v = normalised(row, value);
  return JSON.stringify(v === undefined && row.source === "input" ? row.default : v);
}

/** The declared value as a PUT writes it: normalised; "none" as the API's cleared value. */
function toWire(row: AnyRow, wire: WireMapping, value: unknown): unknown {
  const v = normalised(row, value);
  return v === undefined ? wire.cleared : v;
}

/**
 * What one PUT must write so a live credential matches the declaration: each field a PUT may
 * carry that the declaration sets and that differs from the live value (after normalising; a
 * field the API did not return counts as none, so it is written only when declared). The password
 * is never part of it (it cannot be compared; rotation decides it). `followUpOnly`: only the
 * fields a create applies with its follow-up PUT.
 */
export function patchToMatch(
  declared: Partial<CredentialInputs>,
  live: Credential,
  options: { followUpOnly?: boolean } = {},
): CredentialPatch {
  const patch: Record<string, unknown> = {};
  for (const [name, row, wire] of WIRE_ROWS) {
    if (!wire.update || row.onChange !== "update") continue;
    if (options.followUpOnly && wire.create !== "followUp") continue;
    const want = (declared as Record<string, unknown>)[name];
    const have = (live as Record<string, unknown>)[name];
    if (comparable(row, want) !== comparable(row, have)) patch[name] = toWire(row, wire, want);
  }
  return patch as CredentialPatch;
}

/** The PUT value of each changed field that updates in place (for `update`'s patch). */
export function changedFieldsPatch(
  changed: readonly FieldName[],
  news: Partial<CredentialInputs>,
): CredentialPatch {
  const patch: Record<string, unknown> = {};
  for (const [name, row, wire] of WIRE_ROWS) {
    if (row.onChange === "update" && wire.update && changed.includes(name)) {
      patch[name] = toWire(row, wire, (news as Record<string, unknown>)[name]);
    }
  }
  return patch as CredentialPatch;
}

/**
 * The inputs that describe a live credential (refresh: drift), over what the program declared:
 * a field the API always returns takes the live value; one it returns only in some generations
 * takes the live value when returned, else keeps the declared one; what it never returns (the
 * password) and what it does not know (the password mode, triggers) are kept. Normalised.
 */
export function declarationFromLive(
  declared: Record<string, unknown>,
  live: Credential,
): Record<string, unknown> {
  const out = { ...declared };
  for (const [name, row, wire] of READ_ROWS) {
    if (row.source !== "input") continue;
    const value = (live as Record<string, unknown>)[name];
    setOrRemove(
      out,
      name,
      normalised(row, wire.read === "always" || value !== undefined ? value : declared[name]),
    );
  }
  return out;
}

/**
 * The declaration as a create left it before its follow-up PUT: each follow-up field as the
 * created credential has it (so the next update applies the declared one).
 */
export function declarationAsCreated(
  declared: Record<string, unknown>,
  created: Credential,
): Record<string, unknown> {
  const out = { ...declared };
  for (const [name, row, wire] of WIRE_ROWS) {
    if (wire.create === "followUp")
      setOrRemove(out, name, normalised(row, (created as Record<string, unknown>)[name]));
  }
  return out;
}

/**
 * The outputs a live credential gives, laid over the declared inputs: the inputs every response
 * carries take the live value (the declared one when the live one is missing); the Vobiz-set
 * fields take the live value, else the previous state's, else (the account) the configured one.
 */
export function outputsFromLive(
  outputs: Record<string, unknown>,
  live: Credential,
  authId: string,
  previous: Record<string, unknown> = {},
): void {
  for (const [name, row, wire] of READ_ROWS) {
    const value = (live as Record<string, unknown>)[name];
    if (row.source === "input") {
      if (wire.read === "always" && value !== undefined && value !== "") outputs[name] = value;
      continue;
    }
    const chosen = value ?? previous[name] ?? (wire.orConfiguredAccount ? authId : undefined);
    if (chosen !== undefined && chosen !== "") outputs[name] = chosen;
  }
}

/** The credential a state describes (what was live when it was written; a left-out input at its default). */
export function credentialFromState(id: string, state: Record<string, unknown>): Credential {
  const c: Record<string, unknown> = { id };
  for (const [name, row] of READ_ROWS) {
    const value = state[name] ?? (row.source === "input" ? row.default : undefined);
    if (value !== undefined && value !== "") c[name] = value;
  }
  return c as Credential;
}

/** What a look-up returns of a live credential: every field the API tells (normalised), and the account. */
export function lookupFields(live: Credential, authId: string): LookupFields {
  const out: Record<string, unknown> = {};
  for (const [name, row, wire] of READ_ROWS) {
    const value = normalised(row, (live as Record<string, unknown>)[name]);
    const chosen = value ?? (wire.orConfiguredAccount ? authId : undefined);
    if (chosen !== undefined && chosen !== "") out[name] = chosen;
  }
  return out as LookupFields;
}
