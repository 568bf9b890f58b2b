/**
 * The HTTP control API under `/__sandbox/` (no auth; the server answers it to loopback clients
 * only). It mirrors the programmatic handle so tests in another process, and the demo, can drive
 * the sandbox: journal, faults, switches, rate limit, accounts and out-of-band credential changes.
 * docs/sandbox.md lists every route (a test checks the list against this file's answers).
 */
import type { HandlerResult } from "./api";
import { ERROR_CODES, SandboxError } from "./errors";
import type { JournalFilter } from "./journal";
import { parseRateLimit } from "./ratelimit";
import { ROUTE_NAMES, type RouteName } from "./routes";
import { generateToken } from "./secrets";
import type { SandboxSwitches } from "./switches";
import type { Sandbox } from "./types";
import { parseJsonObject, validateAccount, validateConsolePatch, validateCreate } from "./validation";

/** Path prefix of the control API. */
export const CONTROL_BASE_PATH = "/__sandbox";

/** A control request. */
export interface ControlRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  bodyText: string;
}

/** What the control API needs beyond the handle. */
export interface ControlContext {
  sandbox: Sandbox;
  health(): Record<string, unknown>;
  lastSeq(): number;
}

/** Whether a path belongs to the control API. */
export function isControlPath(path: string): boolean {
  return path === CONTROL_BASE_PATH || path.startsWith(`${CONTROL_BASE_PATH}/`);
}

/** Handles a control request; throws {@link SandboxError} for errors. */
export function handleControl(ctx: ControlContext, req: ControlRequest): HandlerResult {
  let rest = req.path.slice(CONTROL_BASE_PATH.length);
  if (rest.length > 1 && rest.endsWith("/")) rest = rest.slice(0, -1);
  let segments: string[];
  try {
    segments = rest.split("/").slice(1).map(decodeURIComponent);
  } catch {
    throw new SandboxError(404, ERROR_CODES.notFound, "No such control route");
  }
  const { sandbox } = ctx;
  const route = (methods: Record<string, () => HandlerResult>): HandlerResult => {
    const handler = methods[req.method];
    if (!handler) {
      throw new SandboxError(405, ERROR_CODES.methodNotAllowed, "Method not allowed on this control route", {
        allow: Object.keys(methods),
      });
    }
    return handler();
  };
  const body = () => parseJsonObject(req.bodyText);
  const [head, authId, sub, id, action, ...extra] = segments;

  if (segments.length === 1 && head === "health") {
    return route({ GET: () => ({ status: 200, body: ctx.health() }) });
  }
  if (segments.length === 1 && head === "requests") {
    return route({
      GET: () => ({
        status: 200,
        body: { entries: sandbox.journal.entries(journalFilter(req.query)), lastSeq: ctx.lastSeq() },
      }),
      DELETE: () => {
        sandbox.journal.clear();
        return { status: 204 };
      },
    });
  }
  if (head === "faults" && segments.length <= 2) {
    if (segments.length === 2) {
      return route({
        DELETE: () => {
          if (!sandbox.faults.remove(segments[1])) {
            throw new SandboxError(404, ERROR_CODES.notFound, `No fault rule ${segments[1]}`);
          }
          return { status: 204 };
        },
      });
    }
    return route({
      GET: () => ({ status: 200, body: { rules: sandbox.faults.list() } }),
      POST: () => ({ status: 201, body: { id: sandbox.faults.add(body()) } }),
      DELETE: () => {
        sandbox.faults.clear();
        return { status: 204 };
      },
    });
  }
  if (segments.length === 1 && head === "switches") {
    return route({
      GET: () => ({ status: 200, body: sandbox.switches.get() }),
      PATCH: () => ({ status: 200, body: sandbox.switches.set(body() as Partial<SandboxSwitches>) }),
    });
  }
  if (segments.length === 1 && head === "rate-limit") {
    return route({
      GET: () => ({ status: 200, body: { rateLimit: sandbox.rateLimit.get() } }),
      PUT: () => ({ status: 200, body: { rateLimit: sandbox.rateLimit.set(parseRateLimit(body())) } }),
      DELETE: () => {
        sandbox.rateLimit.set(null);
        return { status: 204 };
      },
    });
  }
  if (head === "accounts" && segments.length === 1) {
    return route({
      GET: () => ({ status: 200, body: { accounts: sandbox.accounts.list() } }),
      POST: () => {
        const given = validateAccount(body(), false);
        const account = { authId: given.authId, authToken: given.authToken ?? generateToken() };
        sandbox.accounts.add(account);
        return { status: 201, body: account };
      },
    });
  }
  if (head === "accounts" && sub === "credentials" && extra.length === 0) {
    if (id === undefined) {
      return route({
        GET: () => ({ status: 200, body: { objects: sandbox.credentials.list(authId) } }),
        POST: () => ({ status: 201, body: sandbox.credentials.create(authId, validateCreate(body(), true)) }),
      });
    }
    if (action === undefined) {
      return route({
        GET: () => ({ status: 200, body: sandbox.credentials.get(authId, id) }),
        PATCH: () => ({
          status: 200,
          body: sandbox.credentials.update(authId, id, validateConsolePatch(body())),
        }),
        DELETE: () => {
          sandbox.credentials.delete(authId, id);
          return { status: 204 };
        },
      });
    }
    if (action === "verify-password") {
      return route({
        POST: () => {
          const { password } = body();
          if (typeof password !== "string") {
            throw new SandboxError(422, ERROR_CODES.validation, "password must be a string", {
              field: "password",
              rule: "type",
              expected: "string",
            });
          }
          return { status: 200, body: { match: sandbox.credentials.verifyPassword(authId, id, password) } };
        },
      });
    }
  }
  throw new SandboxError(404, ERROR_CODES.notFound, "No such control route");
}

function journalFilter(query: URLSearchParams): JournalFilter {
  const filter: JournalFilter = {};
  const int = (name: string): number | undefined => {
    const raw = query.get(name);
    if (raw === null || raw === "") return undefined;
    if (!/^\d+$/.test(raw)) {
      throw new SandboxError(400, ERROR_CODES.invalidQuery, `${name} must be a non-negative integer`, {
        field: name,
      });
    }
    return Number(raw);
  };
  const since = int("since");
  if (since !== undefined) filter.since = since;
  const status = int("status");
  if (status !== undefined) filter.status = status;
  const method = query.get("method");
  if (method) filter.method = method;
  const path = query.get("path");
  if (path) filter.path = path;
  const authId = query.get("authId");
  if (authId) filter.authId = authId;
  const route = query.get("route");
  if (route) {
    if (!ROUTE_NAMES.includes(route as RouteName)) {
      throw new SandboxError(
        400,
        ERROR_CODES.invalidQuery,
        "route must be one of " + ROUTE_NAMES.join(", "),
        {
          field: "route",
        },
      );
    }
    filter.route = route as RouteName;
  }
  const faulted = query.get("faulted");
  if (faulted === "true" || faulted === "false") filter.faulted = faulted === "true";
  return filter;
}
