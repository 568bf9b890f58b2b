/**
 * The contract table (table.ts) as the code reads it at run time: the name lists (inputs,
 * Vobiz-set fields, secrets, declared outputs), `check`'s defaults and `diff`'s decisions.
 */
import type { InputRow, OnChange, VobizRow } from "./columns";
import {
  CREDENTIAL_FIELDS,
  type CredentialInputs,
  type CredentialOutputs,
  type FieldName,
  type InputName,
  type VobizSetName,
} from "./table";
import { containsUnknown } from "./unknown";

/** A row of the table, whichever its source. */
export type AnyRow = InputRow<unknown> | VobizRow;
const ROWS = Object.entries(CREDENTIAL_FIELDS) as [FieldName, AnyRow][];
const namesWhere = (test: (row: AnyRow) => boolean) => ROWS.filter(([, row]) => test(row)).map(([k]) => k);

/** The row of a field. */
export function rowOf(name: FieldName): AnyRow {
  return CREDENTIAL_FIELDS[name] as AnyRow;
}

/** Every field, in table order: the resource's declared outputs. */
export const FIELD_NAMES: readonly FieldName[] = ROWS.map(([k]) => k);
/** The inputs a VobizCredential accepts, in table order. */
export const INPUT_NAMES = namesWhere((r) => r.source === "input") as readonly InputName[];
/** The fields Vobiz sets (never sent as inputs). */
export const VOBIZ_SET_NAMES = namesWhere((r) => r.source === "vobiz") as readonly VobizSetName[];
/** The secret fields: secret inputs in the program, `additionalSecretOutputs` in state. */
export const SECRET_NAMES: readonly FieldName[] = namesWhere((r) => r.secret);

/** The input rows, in table order. */
export function inputRows(): [InputName, InputRow<unknown>][] {
  return ROWS.filter((e): e is [InputName, InputRow<unknown>] => e[1].source === "input");
}

/** Fills in the defaults of left-out inputs, as `check` does (in place; returns the object). */
export function applyDefaults<T extends Record<string, unknown>>(values: T): T {
  const out = values as Record<string, unknown>;
  for (const [name, row] of inputRows()) {
    if (out[name] !== undefined || row.default === undefined) continue;
    if (row.defaultOnlyWith !== undefined && out[row.defaultOnlyWith] === undefined) continue;
    out[name] = row.default;
  }
  return values;
}

function comparable(row: InputRow<unknown>, value: unknown): string | undefined {
  const v = row.normalise ? row.normalise(value) : value;
  return JSON.stringify(v === undefined ? row.default : v);
}

/** What changing the field does (its row's `onChange`). */
export function changeKind(name: FieldName): OnChange {
  return rowOf(name).onChange;
}

/** Which fields differ between the state and the checked inputs, by what the change does. */
export interface FieldChanges {
  /** Fields whose change replaces the credential. */
  replaces: FieldName[];
  /** Fields whose change updates it: in place, by rotating the password, or in state only. */
  updates: FieldName[];
}

/**
 * `diff`'s decisions from the table: an input that is unknown or differs (after normalising and
 * defaults) counts under its row's `onChange` (`replace`, or one of the update kinds); a
 * Vobiz-set field counts when the provider knows its value now (`current`, e.g. the configured
 * account) and state holds another one.
 */
export function fieldChanges(
  olds: Partial<CredentialOutputs>,
  news: Partial<CredentialInputs>,
  current: Partial<Record<VobizSetName, string>> = {},
): FieldChanges {
  const changes: FieldChanges = { replaces: [], updates: [] };
  const o = olds as Record<string, unknown>;
  const n = news as Record<string, unknown>;
  for (const [name, row] of ROWS) {
    if (row.onChange === "none") continue;
    let changed: boolean;
    if (row.source === "input") {
      changed = containsUnknown(n[name]) || comparable(row, o[name]) !== comparable(row, n[name]);
    } else {
      const now = current[name as VobizSetName];
      changed = Boolean(o[name]) && now !== undefined && o[name] !== now;
    }
    if (changed) (row.onChange === "replace" ? changes.replaces : changes.updates).push(name);
  }
  return changes;
}
