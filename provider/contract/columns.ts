/**
 * The columns of the resource contract (table.ts): what each row states about its field, and the
 * helpers that build typed rows (a row keeps its literal values, for the derived types, and
 * carries its field's TypeScript type). The table is the rows; this is their shape.
 */
import type * as zod from "zod";

/**
 * What changing a field does to an existing credential:
 * - `replace`: a new credential is created, then the old one deleted;
 * - `update`: one PUT writes the field (its `wire` mapping says how);
 * - `rotate`: one PUT sends the password again, as the password mode gives it;
 * - `state`: an update of the state only, no request (e.g. `rotateAfter`);
 * - `none`: no update at all (the state keeps the value it was created with).
 */
export type OnChange = "replace" | "update" | "rotate" | "state" | "none";

/**
 * A field's type, as the Pulumi package schema and the check-failure masking read it. Only a
 * `boolean`, an `integer` and the `booleanOrKeepPassword` choice cannot carry text, so only their
 * values may be shown next to a check failure (the engine prints the value of a failing property).
 */
export type ValueType =
  | "string"
  | "boolean"
  | "integer"
  /** `{ config: string }` or `{ env: string }`. */
  | "passwordSource"
  /** A map of strings, numbers or booleans. */
  | "triggerMap"
  /** `true`, `false` or the word `"keepPassword"`. */
  | "booleanOrKeepPassword";

/**
 * How a field maps onto the Vobiz API (vobiz-api.md). The client's request bodies, its response
 * schema and the `Credential` it returns, drift detection, the create's follow-up PUT, adoption's
 * patch, the state of a partial create and the look-ups' results are all derived from it.
 */
export interface WireMapping {
  /** The API's name of the field, in request and response bodies. */
  readonly api: string;
  /**
   * How a create applies an input: `body` (the POST carries it) or `followUp` (the POST carries
   * only username and password, vobiz-api.md item 3; one PUT right after applies it when the
   * declared value differs from the created one). Absent for Vobiz-set fields.
   */
  readonly create?: "body" | "followUp";
  /** Whether a PUT may carry it (an update in place, or a rotation for the password). */
  readonly update?: boolean;
  /**
   * How the live value maps back (responses, drift on refresh): `always` (every response has it;
   * the client relies on it), `whenReturned` (some API generations omit it; then the last known
   * value stands) or `never` (write-only: the password).
   */
  readonly read: "always" | "whenReturned" | "never";
  /** The API value that means "none" when a PUT clears the field (e.g. `""` for a description). */
  readonly cleared?: string;
  /** A Vobiz-set field the API may omit, filled with the configured account's Auth ID. */
  readonly orConfiguredAccount?: true;
}

/** What a row's schema is built with: zod (loaded lazily) and a wrapper that also accepts unknowns. */
export interface SchemaKit {
  z: typeof zod.z;
  orUnknown: (schema: zod.ZodType) => zod.ZodType;
}

/** What every row states. */
interface FieldRow {
  /** `input`: the program sets it; `vobiz`: Vobiz (or the provider) sets it. */
  readonly source: "input" | "vobiz";
  /** Secret in state and in the program (`additionalSecretOutputs`, `pulumi.secret`). */
  readonly secret: boolean;
  /** What a change does; for a Vobiz-set field, a change of the value the provider expects now. */
  readonly onChange: OnChange;
  /** The value's type (schema, masking). */
  readonly valueType: ValueType;
  /** How the field maps onto the API; absent for fields only the provider knows. */
  readonly wire?: WireMapping;
  /** The type as the README shows it. */
  readonly type: string;
  /** One line for the README and the package schema. */
  readonly doc: string;
}

/** A row of an input the program sets. */
export interface InputRow<T> extends FieldRow {
  readonly source: "input";
  /** Required in the arguments; `missing` is `check`'s reason when it is left out. */
  readonly required?: true;
  readonly missing?: string;
  /** The value `check` fills in when the input is left out ... */
  readonly default?: T;
  /** ... but only when this other input is set. */
  readonly defaultOnlyWith?: string;
  /** README text, when not derived from `required`/`default`. */
  readonly defaultText?: string;
  /** The rules of its value, as the README states them. */
  readonly rules?: string;
  /** README text, when not derived from `onChange`. */
  readonly changeText?: string;
  /** README text, when not derived from `secret`. */
  readonly secretText?: string;
  /** Maps equivalent values to one (e.g. `""` and `null` to `undefined`), in check and diff. */
  readonly normalise?: (value: unknown) => T | undefined;
  /** `check`'s reason whenever the field's own shape (not a value inside it) is wrong. */
  readonly shapeError?: string;
  /** The rule, without the unknown sentinel and without optionality (the builder adds both). */
  readonly schema: (kit: SchemaKit) => zod.ZodType;
}

/** A row of a field Vobiz sets. */
export interface VobizRow extends FieldRow {
  readonly source: "vobiz";
  /** Vobiz-set fields never update in place: a change of one only replaces, or nothing. */
  readonly onChange: "replace" | "none";
}

declare const VALUE: unique symbol;
/** Carries a row's TypeScript value type, at the type level only. */
export interface Typed<T> {
  readonly [VALUE]?: T;
}

/** A row of an input of type T (the row's own literal types are kept, for the derived types). */
export function input<T>() {
  return <const R extends Omit<InputRow<T>, "source">>(row: R) =>
    ({ ...row, source: "input" }) as R & { readonly source: "input" } & Typed<T>;
}
/** A row of a Vobiz-set field of type T. */
export function vobizSet<T>() {
  return <const R extends Omit<VobizRow, "source">>(row: R) =>
    ({ ...row, source: "vobiz" }) as R & { readonly source: "vobiz" } & Typed<T>;
}
