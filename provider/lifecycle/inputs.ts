/**
 * `check`'s parsing of a VobizCredential's inputs: the zod schema built from the contract's rows
 * (each row's rule, the unknown sentinel allowed everywhere), the rules between fields (the
 * password modes of passwordModes.ts), the defaults, and failures in the engine's shape that
 * name the property and the rule, never the value.
 */
import type { z } from "zod";
import type { SchemaKit } from "../contract/columns";
import type { CredentialInputs } from "../contract/table";
import { applyDefaults, INPUT_NAMES, inputRows, VOBIZ_SET_NAMES } from "../contract/fields";
import { passwordModeFailures } from "./passwordModes";
import { loadZod } from "../common/zod";
import type { InputFailure } from "./checkFailures";
import { UNKNOWN } from "../contract/unknown";

/** The resource's input schema: one key per input row, unknown sentinels allowed everywhere. */
function buildInputSchema(zod: SchemaKit["z"]) {
  const unknownValue = zod.literal(UNKNOWN);
  const kit: SchemaKit = { z: zod, orUnknown: (schema) => zod.union([unknownValue, schema]) };
  const shape: Record<string, z.ZodType> = {};
  for (const [name, row] of inputRows()) {
    const rule = kit.orUnknown(row.schema(kit));
    shape[name] = row.required ? rule : rule.optional();
  }
  return zod.strictObject(shape);
}

let inputSchemaBuilt: ReturnType<typeof buildInputSchema> | undefined;

/** The resource's input schema, built on first use. */
function inputSchema(): ReturnType<typeof buildInputSchema> {
  return (inputSchemaBuilt ??= buildInputSchema(loadZod()));
}

/** Properties the engine or the resource class adds, which `check` must not call unknown. */
const RESERVED = new Set<string>(["__provider", ...VOBIZ_SET_NAMES]);

/** The rows' own messages: for a missing required input, and for a wrong shape. */
const ROW_MESSAGES = new Map(inputRows().map(([name, row]) => [name as string, row]));

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
  for (const [name, row] of inputRows()) {
    if (row.required && candidate[name] === undefined) {
      failures.push({ property: name, reason: row.missing ?? "is required" });
    }
  }
  failures.push(...passwordModeFailures(candidate));
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
            reason: `is not an input of a Vobiz credential; valid inputs are ${INPUT_NAMES.join(", ")}`,
          });
        }
        continue;
      }
      const row = ROW_MESSAGES.get(property);
      if (row?.required && candidate[property] === undefined) continue; // reported above
      // A wrong shape of a structured input (not an object, no key, an extra key) makes zod
      // report one branch's detail ("expected string, received undefined"); state the rule instead.
      failures.push({ property, reason: row?.shapeError ?? reasonFor(issue) });
    }
  }
  if (failures.length > 0) return { ok: false, failures: dedupe(failures) };
  if (!parsed.success) return { ok: false, failures: [{ property: "(inputs)", reason: "are invalid" }] };

  const inputs: Record<string, unknown> = {};
  for (const [name, row] of inputRows()) {
    const value = row.normalise ? row.normalise(parsed.data[name]) : parsed.data[name];
    if (value !== undefined) inputs[name] = value;
  }
  return { ok: true, inputs: applyDefaults(inputs) as unknown as CredentialInputs };
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
