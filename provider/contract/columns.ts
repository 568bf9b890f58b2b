/**
 * What a row of the resource contract (contract.ts) states, column by column, and the helpers
 * that build typed rows: the row keeps its literal values (for the derived types) and carries its
 * field's TypeScript type. The contract is the table; this is the shape of its rows.
 */
import type * as zod from "zod";

/** What changing a field does to an existing credential. */
export type OnChange = "replace" | "update" | "none";

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
  /** The type as the README shows it. */
  readonly type: string;
  /** One line for the README. */
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
