/**
 * Route matching of the credentials API paths under the base path. The `account` segment matches
 * case-insensitively (`/account/` in the docs, `/Account/` in the generated SDKs) unless the
 * `accountPathSegment` switch names one casing; every other literal segment matches exactly. A
 * single trailing slash is ignored.
 */

/** Base path of the API on the sandbox server. */
export const API_BASE_PATH = "/api/v1";
/** Matches the account segment in either casing the sources use. */
export const ACCOUNT_SEGMENT = /^account$/i;

/** The API operations. */
export type RouteName = "create" | "list" | "get" | "update" | "delete";

export const ROUTE_NAMES: readonly RouteName[] = ["create", "list", "get", "update", "delete"];

/** Outcome of matching a method and path. */
export type RouteMatch =
  | { kind: "route"; route: RouteName; authId: string; credentialId?: string }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

type Shape = "collection" | "list" | "item";

const METHODS: Readonly<Record<Shape, Readonly<Record<string, RouteName>>>> = {
  collection: { POST: "create" },
  list: { GET: "list" },
  item: { GET: "get", PUT: "update", DELETE: "delete" },
};

/** Splits a path below the base path into decoded segments, or undefined if it is not below it. */
function segmentsBelowBase(path: string): string[] | undefined {
  if (path !== API_BASE_PATH && !path.startsWith(`${API_BASE_PATH}/`)) return undefined;
  let rest = path.slice(API_BASE_PATH.length);
  if (rest.length > 1 && rest.endsWith("/")) rest = rest.slice(0, -1);
  try {
    return rest.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

/**
 * Matches a method and path (without query) against the API routes. `segment` restricts the
 * account segment to one casing (the `accountPathSegment` switch); by default either matches.
 */
export function matchRoute(
  method: string,
  path: string,
  segment: "either" | "account" | "Account" = "either",
): RouteMatch {
  const segments = segmentsBelowBase(path);
  const accountOk = (s: string) => (segment === "either" ? ACCOUNT_SEGMENT.test(s) : s === segment);
  if (!segments || segments.length < 3 || !accountOk(segments[0]) || segments[1] === "") {
    return { kind: "not_found" };
  }
  const [, authId, ...rest] = segments;
  let shape: Shape | undefined;
  let credentialId: string | undefined;
  if (rest.length === 1 && rest[0] === "credentials") shape = "collection";
  else if (rest.length === 2 && rest[0] === "trunks" && rest[1] === "credentials") shape = "list";
  else if (rest.length === 2 && rest[0] === "credentials" && rest[1] !== "") {
    shape = "item";
    credentialId = rest[1];
  }
  if (!shape) return { kind: "not_found" };
  const route = METHODS[shape][method];
  if (!route) return { kind: "method_not_allowed", allow: Object.keys(METHODS[shape]) };
  return credentialId === undefined
    ? { kind: "route", route, authId }
    : { kind: "route", route, authId, credentialId };
}
