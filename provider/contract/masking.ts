/**
 * Which check failures the engine may report with their property. The engine prints a failing
 * property's value next to the reason, and the dynamic-provider host hands `check` plain values
 * (it does not accept secrets), so the provider cannot tell which inputs were secret. A failure
 * keeps its property only when its value cannot hold a secret: an input whose rule (the contract
 * row's schema) is a boolean or a number (or a union of those and fixed literals, such as
 * `adoptExisting`'s `true | false | "keepPassword"`), given a boolean or a number. Every other failure
 * (strings, structures, unknown property names) is reported with an empty property and the
 * name at the start of the reason, so the engine prints no value.
 */
import type { SchemaKit } from "./table";
import type { InputFailure } from "../lifecycle/inputs";
import { inputRows } from "./fields";
import { loadZod } from "../api/schemas";

/** Schema types whose values cannot carry a secret (a literal is a value the contract fixes). */
const PLAIN_TYPES = new Set(["boolean", "number", "literal"]);

interface SchemaDef {
  type: string;
  options?: readonly { _zod: { def: SchemaDef } }[];
}

/** Whether every value the rule accepts is a boolean, a number or a fixed literal. */
function isPlain(def: SchemaDef): boolean {
  if (def.type === "union") return (def.options ?? []).every((o) => isPlain(o._zod.def));
  return PLAIN_TYPES.has(def.type);
}

let plainInputsFound: ReadonlySet<string> | undefined;

/** The inputs whose rule is a boolean or a number, from the contract's rows. */
export function plainValuedInputs(): ReadonlySet<string> {
  if (!plainInputsFound) {
    const kit: SchemaKit = { z: loadZod(), orUnknown: (schema) => schema };
    plainInputsFound = new Set(
      inputRows()
        .filter(([, row]) => isPlain(row.schema(kit)._zod.def as SchemaDef))
        .map(([name]) => name),
    );
  }
  return plainInputsFound;
}

/** Whether the engine may print the failing property's value (it holds no secret). */
export function engineMayShowValue(property: string, news: Record<string, unknown>): boolean {
  if (property.includes(".") || !plainValuedInputs().has(property)) return false;
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
