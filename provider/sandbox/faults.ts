/**
 * Fault injection: rules that match API requests and delay them, answer an error status, drop
 * the connection, or apply the real write and then fail. Randomness (probability and jitter)
 * comes from a seeded PRNG per rule, so the same seed and the same requests give the same faults.
 *
 * Rules are evaluated in the order they were added. Every matching rule that fires adds its
 * latency; only the first firing rule with a terminal effect (`status`, `drop`, `applyThenFail`)
 * applies it, and later terminal rules are not evaluated for that request (nor consumed).
 */
import { ERROR_CODES, SandboxError } from "./errors";
import type { AppliedFault, FaultKind } from "./journal";
import { ROUTE_NAMES, type RouteName } from "./routes";

/** A fault rule. Match fields are ANDed; a rule without match fields matches every API request. */
export interface FaultRule {
  /** Assigned by the sandbox when the rule is added (`fault_1`, `fault_2`, ...). */
  id?: string;
  /** HTTP method to match (case-insensitive). */
  method?: string;
  /** API operation to match. */
  route?: RouteName;
  /** Regular expression tested against the path (without query). */
  pathPattern?: string;
  /** Value of the `X-Auth-ID` header to match. */
  authId?: string;
  /** Fire for the next N matching requests (that pass `probability`), then expire. */
  times?: number;
  /** Chance (0..1) that the rule fires for a matching request; default 1. */
  probability?: number;
  /** Seed of this rule's PRNG; default derived from the sandbox seed and the rule's number. */
  seed?: number;
  /** Fixed delay before the request is handled, in milliseconds. */
  latencyMs?: number;
  /** Random extra delay of 0..N milliseconds. */
  latencyJitterMs?: number;
  /** Answer this status (with the error envelope) instead of handling the request. */
  status?: number;
  /** `Retry-After` header in seconds (with `status` or `applyThenFail.status`). */
  retryAfter?: number;
  /** Send `Retry-After` as an HTTP date `retryAfter` seconds (default 1) from now. */
  retryAfterDate?: boolean;
  /** `X-RateLimit-Reset` header (epoch seconds). */
  rateLimitReset?: number;
  /** Destroy the connection without a response, before the request is handled. */
  drop?: boolean;
  /** Handle the request for real (the write happens), then answer `status` or drop the connection. */
  applyThenFail?: { status?: number; drop?: boolean };
}

/** A rule as listed: its id, and how often it fired. */
export interface FaultRuleState extends FaultRule {
  id: string;
  /** Number of requests the rule fired for. */
  hits: number;
  /** Remaining firings of a `times` rule. */
  remaining?: number;
}

/** The request facts rules match against. */
export interface FaultRequest {
  method: string;
  path: string;
  route: RouteName | null;
  authId: string | null;
}

/** The terminal effect chosen for a request. */
export type TerminalFault =
  | { kind: "status"; ruleId: string; status: number; headers: Record<string, string> }
  | { kind: "drop"; ruleId: string }
  | {
      kind: "applyThenFail";
      ruleId: string;
      status?: number;
      drop: boolean;
      headers: Record<string, string>;
    };

/** What the rules decided for one request. */
export interface FaultDecision {
  latencyMs: number;
  terminal?: TerminalFault;
  applied: AppliedFault[];
}

/** Default seed of the sandbox's fault PRNGs. */
export const DEFAULT_SEED = 1;

/** mulberry32: a small, fast 32-bit PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes the sandbox seed with a rule number into a rule seed. */
function ruleSeed(seed: number, ordinal: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(ordinal, 0x85ebca6b)) >>> 0;
}

const RULE_FIELDS = new Set<string>([
  "id",
  "method",
  "route",
  "pathPattern",
  "authId",
  "times",
  "probability",
  "seed",
  "latencyMs",
  "latencyJitterMs",
  "status",
  "retryAfter",
  "retryAfterDate",
  "rateLimitReset",
  "drop",
  "applyThenFail",
]);

/** Validates a rule from untrusted input; throws 400/422 {@link SandboxError}s. */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new SandboxError(400, ERROR_CODES.invalidBody, "A fault rule must be a JSON object");
  }
  const r = input as Record<string, unknown>;
  const unknown = Object.keys(r).find((k) => !RULE_FIELDS.has(k));
  if (unknown)
    throw new SandboxError(400, ERROR_CODES.unknownField, `Unknown fault rule field "${unknown}"`, {
      field: unknown,
    });
  const invalid = (field: string, rule: string, extra: Record<string, unknown> = {}): never => {
    throw new SandboxError(422, ERROR_CODES.validation, `Invalid fault rule field "${field}" (${rule})`, {
      field,
      rule,
      ...extra,
    });
  };
  const optional = <T>(field: string, check: (v: unknown) => v is T, rule: string): T | undefined => {
    const v = r[field];
    if (v === undefined) return undefined;
    return check(v) ? v : invalid(field, rule);
  };
  const isString = (v: unknown): v is string => typeof v === "string";
  const isBool = (v: unknown): v is boolean => typeof v === "boolean";
  const isNonNegInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  const isPosInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
  const isStatus = (v: unknown): v is number =>
    Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599;
  const isProbability = (v: unknown): v is number => typeof v === "number" && v >= 0 && v <= 1;
  const isRoute = (v: unknown): v is RouteName => ROUTE_NAMES.includes(v as RouteName);

  const rule: FaultRule = {};
  const method = optional("method", isString, "string");
  if (method !== undefined) rule.method = method.toUpperCase();
  const route = optional("route", isRoute, "enum");
  if (route !== undefined) rule.route = route;
  const pathPattern = optional("pathPattern", isString, "string");
  if (pathPattern !== undefined) {
    try {
      new RegExp(pathPattern);
    } catch {
      invalid("pathPattern", "regex");
    }
    rule.pathPattern = pathPattern;
  }
  const copy = <K extends keyof FaultRule>(field: K, value: FaultRule[K] | undefined) => {
    if (value !== undefined) rule[field] = value;
  };
  copy("authId", optional("authId", isString, "string"));
  copy("times", optional("times", isPosInt, "positive_integer"));
  copy("probability", optional("probability", isProbability, "probability"));
  copy("seed", optional("seed", isNonNegInt, "non_negative_integer"));
  copy("latencyMs", optional("latencyMs", isNonNegInt, "non_negative_integer"));
  copy("latencyJitterMs", optional("latencyJitterMs", isNonNegInt, "non_negative_integer"));
  copy("status", optional("status", isStatus, "status_4xx_5xx"));
  copy("retryAfter", optional("retryAfter", isNonNegInt, "non_negative_integer"));
  copy("retryAfterDate", optional("retryAfterDate", isBool, "boolean"));
  copy("rateLimitReset", optional("rateLimitReset", isNonNegInt, "non_negative_integer"));
  copy("drop", optional("drop", isBool, "boolean"));
  if (r.applyThenFail !== undefined) {
    const a = r.applyThenFail;
    if (typeof a !== "object" || a === null || Array.isArray(a)) return invalid("applyThenFail", "object");
    const { status, drop, ...rest } = a as Record<string, unknown>;
    if (Object.keys(rest).length > 0) invalid("applyThenFail", "fields", { allowed: ["status", "drop"] });
    if (status !== undefined && !isStatus(status)) invalid("applyThenFail.status", "status_4xx_5xx");
    if (drop !== undefined && !isBool(drop)) invalid("applyThenFail.drop", "boolean");
    if (status !== undefined && drop === true) invalid("applyThenFail", "status_or_drop");
    rule.applyThenFail = drop === true ? { drop: true } : { status: (status as number | undefined) ?? 500 };
  }
  const terminals = [rule.status !== undefined, rule.drop === true, rule.applyThenFail !== undefined];
  if (terminals.filter(Boolean).length > 1) invalid("rule", "one_of_status_drop_applyThenFail");
  const hasLatency = (rule.latencyMs ?? 0) > 0 || (rule.latencyJitterMs ?? 0) > 0;
  if (!hasLatency && !terminals.some(Boolean)) invalid("rule", "needs_an_effect");
  return rule;
}

interface ActiveRule {
  readonly state: FaultRuleState;
  readonly pattern?: RegExp;
  readonly random: () => number;
}

function kindOf(rule: FaultRule): FaultKind {
  if (rule.drop) return "drop";
  if (rule.status !== undefined) return "status";
  if (rule.applyThenFail) return "applyThenFail";
  return "latency";
}

/** Headers of an error answer: `Retry-After` (seconds or date) and `X-RateLimit-Reset`. */
function faultHeaders(rule: FaultRule): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rule.retryAfterDate) {
    headers["Retry-After"] = new Date(Date.now() + (rule.retryAfter ?? 1) * 1000).toUTCString();
  } else if (rule.retryAfter !== undefined) {
    headers["Retry-After"] = String(rule.retryAfter);
  }
  if (rule.rateLimitReset !== undefined) headers["X-RateLimit-Reset"] = String(rule.rateLimitReset);
  return headers;
}

export class FaultEngine {
  private rules: ActiveRule[] = [];
  private ordinal = 0;

  constructor(private readonly seed: number = DEFAULT_SEED) {}

  /** Adds a rule (validated) and returns its id. */
  add(input: FaultRule): string {
    const rule = parseFaultRule({ ...input, id: undefined });
    this.ordinal += 1;
    const id = `fault_${this.ordinal}`;
    const state: FaultRuleState = { ...rule, id, hits: 0 };
    if (rule.times !== undefined) state.remaining = rule.times;
    this.rules.push({
      state,
      pattern: rule.pathPattern !== undefined ? new RegExp(rule.pathPattern) : undefined,
      random: mulberry32(rule.seed ?? ruleSeed(this.seed, this.ordinal)),
    });
    return id;
  }

  /** Removes one rule; false if there was none with that id. */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.state.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRuleState[] {
    return this.rules.map((r) => structuredClone(r.state));
  }

  /** Evaluates the rules for a request, consuming `times` of the rules that fire. */
  decide(request: FaultRequest): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, applied: [] };
    for (const active of this.rules) {
      const { state } = active;
      if (!this.matches(active, request)) continue;
      const kind = kindOf(state);
      if (kind !== "latency" && decision.terminal) continue;
      if (state.probability !== undefined && !(active.random() < state.probability)) continue;
      state.hits += 1;
      if (state.remaining !== undefined) state.remaining -= 1;
      const jitter = state.latencyJitterMs ? Math.floor(active.random() * (state.latencyJitterMs + 1)) : 0;
      const latencyMs = (state.latencyMs ?? 0) + jitter;
      decision.latencyMs += latencyMs;
      decision.applied.push({ id: state.id, kind, latencyMs });
      if (kind === "status") {
        decision.terminal = {
          kind,
          ruleId: state.id,
          status: state.status as number,
          headers: faultHeaders(state),
        };
      } else if (kind === "drop") {
        decision.terminal = { kind, ruleId: state.id };
      } else if (kind === "applyThenFail") {
        const a = state.applyThenFail ?? {};
        decision.terminal = {
          kind,
          ruleId: state.id,
          drop: a.drop === true,
          ...(a.status !== undefined ? { status: a.status } : {}),
          headers: faultHeaders(state),
        };
      }
    }
    this.rules = this.rules.filter((r) => r.state.remaining === undefined || r.state.remaining > 0);
    return decision;
  }

  private matches(active: ActiveRule, request: FaultRequest): boolean {
    const { state } = active;
    return (
      (state.method === undefined || state.method === request.method.toUpperCase()) &&
      (state.route === undefined || state.route === request.route) &&
      (state.authId === undefined || state.authId === request.authId) &&
      (active.pattern === undefined || active.pattern.test(request.path))
    );
  }
}
