/**
 * Behaviour switches: one per place where the public Vobiz sources disagree (see
 * /work/shared/vobiz-api.md, "Where the sources disagree"), so tests can exercise each reading.
 */
import { ERROR_CODES, SandboxError } from "./errors";

/** Name of the total count in list `meta`, or `"none"` to leave it out. */
export type ListTotalField = "total" | "total_count" | "none";

/** Which account path segments the API answers on. */
export type AccountPathSegmentSwitch = "either" | "account" | "Account";

/** The switches and what each one changes. */
export interface SandboxSwitches {
  /**
   * The account segment of every API path: `either` casing (default: the sandbox accepts both the
   * docs' `/account/` and the SDKs' `/Account/`), or only `account`, or only `Account` (the other
   * answers 404, as a live API that knows one casing would).
   */
  accountPathSegment: AccountPathSegmentSwitch;
  /** Largest page the list serves; a larger `limit` is clamped to it (default 100, at most 100). */
  maxPageSize: number;
  /**
   * Create accepts the optional `enabled` and `description` fields (older docs). When `false`,
   * they are unknown fields and create answers 400 `UNKNOWN_FIELD` (current docs and SDKs send
   * only `username` and `password`).
   */
  createAcceptsExtraFields: boolean;
  /** Name of the total in list `meta` (`total`, older pages' `total_count`, or none at all). */
  listTotalField: ListTotalField;
  /**
   * Serve the undocumented `GET /account/{auth_id}/credentials/{id}`. When `false` it answers
   * 405 `METHOD_NOT_ALLOWED`, as if the endpoint did not exist.
   */
  singleGet: boolean;
  /** Include `description` in credential objects when one was set. When `false`, never. */
  returnDescription: boolean;
  /** Include `"password": "<redacted>"` in credential objects. When `false`, leave it out. */
  redactedPassword: boolean;
  /** Status of a successful delete: 204 with no body (default) or 200 with a small JSON body. */
  deleteStatus: 200 | 204;
  /**
   * Delete of a credential in use: `"conflict"` answers 409 `CREDENTIAL_IN_USE` (default);
   * `"disconnect"` deletes it anyway, as if active calls were disconnected.
   */
  deleteInUse: "conflict" | "disconnect";
}

/** The defaults, which follow the interpretation in the API contract. */
export const DEFAULT_SWITCHES: Readonly<SandboxSwitches> = Object.freeze({
  accountPathSegment: "either",
  maxPageSize: 100,
  createAcceptsExtraFields: true,
  listTotalField: "total",
  singleGet: true,
  returnDescription: true,
  redactedPassword: true,
  deleteStatus: 204,
  deleteInUse: "conflict",
});

type SwitchParser = (value: unknown) => unknown;

const booleanSwitch: SwitchParser = (v) => {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
};

const oneOf =
  (...allowed: readonly (string | number)[]): SwitchParser =>
  (v) => {
    const found = allowed.find((a) => a === v || String(a) === v);
    return found;
  };

/** A whole number from 1 to 100 (the list's documented maximum). */
const pageSizeSwitch: SwitchParser = (v) => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
};

const PARSERS: Readonly<Record<keyof SandboxSwitches, SwitchParser>> = {
  accountPathSegment: oneOf("either", "account", "Account"),
  maxPageSize: pageSizeSwitch,
  createAcceptsExtraFields: booleanSwitch,
  listTotalField: oneOf("total", "total_count", "none"),
  singleGet: booleanSwitch,
  returnDescription: booleanSwitch,
  redactedPassword: booleanSwitch,
  deleteStatus: oneOf(200, 204),
  deleteInUse: oneOf("conflict", "disconnect"),
};

function isSwitchName(name: string): name is keyof SandboxSwitches {
  return Object.prototype.hasOwnProperty.call(PARSERS, name);
}

/**
 * Validates a (possibly partial) set of switches from untrusted input (options, control API, CLI)
 * and returns `base` with them applied. Values may be given as strings (`"false"`, `"204"`).
 */
export function applySwitches(base: Readonly<SandboxSwitches>, patch: unknown): SandboxSwitches {
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new SandboxError(400, ERROR_CODES.invalidBody, "Switches must be a JSON object");
  }
  const next: Record<string, unknown> = { ...base };
  for (const [name, raw] of Object.entries(patch)) {
    if (raw === undefined) continue;
    if (!isSwitchName(name)) {
      throw new SandboxError(400, ERROR_CODES.unknownField, `Unknown switch "${name}"`, {
        field: name,
        allowed: Object.keys(PARSERS),
      });
    }
    const value = PARSERS[name](raw);
    if (value === undefined) {
      throw new SandboxError(422, ERROR_CODES.validation, `Invalid value for switch "${name}"`, {
        field: name,
        rule: "enum",
      });
    }
    next[name] = value;
  }
  return next as unknown as SandboxSwitches;
}

/** Parses `name=value` (the CLI's `--switch` form) into a one-entry patch for {@link applySwitches}. */
export function parseSwitchAssignment(assignment: string): Record<string, string> {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw new Error(`Expected name=value, got "${assignment}"`);
  return { [assignment.slice(0, eq)]: assignment.slice(eq + 1) };
}
