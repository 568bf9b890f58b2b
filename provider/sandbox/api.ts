/**
 * The credentials API handlers: authentication, then create, list, get, update and delete on the
 * store, shaped as the Vobiz API answers. Handlers are synchronous and either return a result or
 * throw a {@link SandboxError}; the server turns both into HTTP responses.
 */
import { ERROR_CODES, SandboxError } from "./errors";
import type { RouteMatch, RouteName } from "./routes";
import { API_BASE_PATH } from "./routes";
import type { CredentialRecord, Store } from "./store";
import type { SandboxSwitches } from "./switches";
import {
  parseJsonObject,
  parseListQuery,
  TEXT_FIELD_NAMES,
  validateCreate,
  validateUpdate,
  type TextValues,
} from "./validation";

/** The literal the API returns in place of a password (the sandbox's own copy of the documented value). */
export const SANDBOX_REDACTED_PASSWORD = "<redacted>";
/**
 * Domain of a credential's SIP digest realm, `{account_id}.sip.vobiz.ai`. The account id keeps its
 * case (`MA_XXXXXXXX.sip.vobiz.ai` in the API docs' create example): a digest realm is compared as
 * a string, so a device configured with another casing would fail to authenticate.
 */
export const REALM_DOMAIN = "sip.vobiz.ai";

/** A credential as the API returns it (with each text field once it was set). */
export interface CredentialObject extends TextValues {
  /** UUID v4. */
  id: string;
  username: string;
  enabled: boolean;
  /** The account's auth id. */
  account_id: string;
  /** `{account_id}.sip.vobiz.ai`, the account id in its own case. */
  realm: string;
  /** Always `"<redacted>"` (left out when the `redactedPassword` switch is off). */
  password?: string;
  /** ISO 8601 UTC. */
  created_at: string;
  /** ISO 8601 UTC; moves on every change. */
  updated_at: string;
}

/** Body of the list endpoint. */
export interface CredentialList {
  meta: {
    limit: number;
    offset: number;
    total?: number;
    total_count?: number;
    next: string | null;
    previous: string | null;
  };
  objects: CredentialObject[];
}

/** What a handler answers: a status, and a JSON body unless there is none (204). */
export interface HandlerResult {
  status: number;
  body?: unknown;
}

/** An API request as the sandbox's handlers see it (not the provider's transport request). */
export interface SandboxApiRequest {
  method: string;
  query: URLSearchParams;
  headers: { authId: string | null; authToken: string | null };
  bodyText: string;
}

/** Presents a stored credential as the API returns it. */
export function presentCredential(
  c: Readonly<CredentialRecord>,
  switches: Readonly<SandboxSwitches>,
): CredentialObject {
  const out: CredentialObject = {
    id: c.id,
    username: c.username,
    enabled: c.enabled,
    account_id: c.accountId,
    realm: `${c.accountId}.${REALM_DOMAIN}`,
    created_at: new Date(c.createdAt).toISOString(),
    updated_at: new Date(c.updatedAt).toISOString(),
  };
  for (const field of TEXT_FIELD_NAMES) {
    // The `returnDescription` switch emulates the API generations that never return a description.
    if (field === "description" && !switches.returnDescription) continue;
    if (c[field] !== undefined) out[field] = c[field];
  }
  if (switches.redactedPassword) out.password = SANDBOX_REDACTED_PASSWORD;
  return out;
}

/**
 * Checks the auth headers: 401 `UNAUTHORIZED` when missing, 401 `INVALID_CREDENTIALS` for a wrong
 * token or unknown account, 403 `FORBIDDEN` when the path names another account.
 */
export function authorize(store: Store, request: SandboxApiRequest, pathAuthId: string): void {
  const { authId, authToken } = request.headers;
  if (!authId || !authToken) {
    throw new SandboxError(401, ERROR_CODES.unauthorized, "X-Auth-ID and X-Auth-Token headers are required");
  }
  if (!store.authenticate(authId, authToken)) {
    throw new SandboxError(401, ERROR_CODES.invalidCredentials, "Invalid X-Auth-ID or X-Auth-Token");
  }
  if (authId !== pathAuthId) {
    throw new SandboxError(
      403,
      ERROR_CODES.forbidden,
      "The path names an account these credentials cannot access",
      {
        authId: pathAuthId,
      },
    );
  }
}

/** Handles a matched API request (including 404 and 405 for unmatched ones). */
export function handleApi(
  store: Store,
  switches: Readonly<SandboxSwitches>,
  match: RouteMatch,
  request: SandboxApiRequest,
): HandlerResult {
  if (match.kind === "not_found") {
    throw new SandboxError(404, ERROR_CODES.notFound, "No such API route");
  }
  if (match.kind === "method_not_allowed") {
    throw methodNotAllowed(match.allow);
  }
  // The switch mimics an endpoint that does not exist, so it answers before authentication.
  if (match.route === "get" && !switches.singleGet) throw methodNotAllowed(["PUT", "DELETE"]);
  authorize(store, request, match.authId);
  const handler = HANDLERS[match.route];
  return handler({ store, switches, request, authId: match.authId, credentialId: match.credentialId ?? "" });
}

interface HandlerContext {
  store: Store;
  switches: Readonly<SandboxSwitches>;
  request: SandboxApiRequest;
  authId: string;
  credentialId: string;
}

function methodNotAllowed(allow: string[]): SandboxError {
  return new SandboxError(405, ERROR_CODES.methodNotAllowed, "Method not allowed on this route", { allow });
}

const HANDLERS: Readonly<Record<RouteName, (ctx: HandlerContext) => HandlerResult>> = {
  create({ store, switches, request, authId }) {
    const input = validateCreate(parseJsonObject(request.bodyText), switches.createAcceptsExtraFields);
    return { status: 201, body: presentCredential(store.createCredential(authId, input), switches) };
  },

  list({ store, switches, request, authId }) {
    const { limit, offset } = parseListQuery(request.query);
    const all = store.listCredentials(authId);
    const page = all.slice(offset, offset + limit);
    const link = (o: number) =>
      `${API_BASE_PATH}/account/${encodeURIComponent(authId)}/trunks/credentials?limit=${limit}&offset=${o}`;
    const body: CredentialList = {
      meta: {
        limit,
        offset,
        next: offset + limit < all.length ? link(offset + limit) : null,
        previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
      },
      objects: page.map((c) => presentCredential(c, switches)),
    };
    if (switches.listTotalField !== "none") body.meta[switches.listTotalField] = all.length;
    return { status: 200, body };
  },

  get({ store, switches, authId, credentialId }) {
    return { status: 200, body: presentCredential(store.getCredential(authId, credentialId), switches) };
  },

  update({ store, switches, request, authId, credentialId }) {
    const body = parseJsonObject(request.bodyText);
    store.getCredential(authId, credentialId); // 404 before validation details about a missing id
    const patch = validateUpdate(body);
    return {
      status: 200,
      body: presentCredential(store.updateCredential(authId, credentialId, patch), switches),
    };
  },

  delete({ store, switches, authId, credentialId }) {
    store.deleteCredential(authId, credentialId, switches.deleteInUse === "disconnect");
    return switches.deleteStatus === 204
      ? { status: 204 }
      : { status: 200, body: { message: "Credential deleted", id: credentialId } };
  },
};
