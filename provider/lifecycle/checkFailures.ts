/**
 * `check`'s failures: their shape (the engine's), and which of them the engine may report with
 * their property. The engine prints a failing property's value next to the reason, and the
 * dynamic-provider host hands `check` plain values (it does not accept secrets), so the provider
 * cannot tell which inputs were secret. A failure keeps its property only when its value cannot
 * hold a secret: an input whose contract row's value type holds no text (a boolean, an integer, or
 * `adoptExisting`'s `true | false | "keepPassword"`), given a boolean or a number. Every other
 * failure (strings, structures, unknown property names) is reported with an empty property and the
 * name at the start of the reason, so the engine prints no value.
 */
import type { ValueType } from "../contract/columns";
import { inputRows } from "../contract/fields";

/** A check failure in the engine's shape. */
export interface InputFailure {
  property: string;
  reason: string;
}

/** Value types whose values cannot carry text. */
const PLAIN_TYPES: ReadonlySet<ValueType> = new Set(["boolean", "integer", "booleanOrKeepPassword"]);

/** The inputs whose values cannot carry a secret, from the contract's rows. */
export const PLAIN_VALUED_INPUTS: ReadonlySet<string> = new Set(
  inputRows()
    .filter(([, row]) => PLAIN_TYPES.has(row.valueType))
    .map(([name]) => name),
);

/** Whether the engine may print the failing property's value (it holds no secret). */
export function engineMayShowValue(property: string, news: Record<string, unknown>): boolean {
  if (property.includes(".") || !PLAIN_VALUED_INPUTS.has(property)) return false;
  const value = news[property];
  return value === undefined || value === null || typeof value === "boolean" || typeof value === "number";
}

/** The failures as the engine should get them: a value that could be secret is never shown. */
export function maskForEngine(failures: InputFailure[], news: Record<string, unknown>): InputFailure[] {
  return failures.map((f) =>
    f.property === "" || engineMayShowValue(f.property, news)
      ? f
      : { property: "", reason: `${f.property} ${f.reason}` },
  );
}
