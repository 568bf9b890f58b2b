/**
 * The first-contact check (`vobiz-onboard check`): GET requests only, it authenticates and finds
 * which documented variant the live API speaks where the public sources disagree (path segment
 * `account` or `Account`, the list's total field, a page-size cap, whether a single credential
 * can be read), and reports what it saw (statuses and request ids, never the token) with the
 * settings to use. It changes nothing on the account.
 */
import {
  ACCOUNT_PATH_SEGMENTS,
  MAX_LIST_PAGE_SIZE,
  SETTINGS,
  settingLines,
  type ResolvedSettings,
  type SettingValues,
} from "../settings/settings";
import { VobizApiError, VobizAuthenticationError, VobizPermissionError } from "../common/errors";
import type { RetryOptions } from "../http/retry";
import type { ApiResponse } from "../http/request";
import { HttpTransport } from "../http/transport";

/** One request the check sent and what came back. */
export interface Observation {
  /** `GET /api/v1/account/MA_.../trunks/credentials?limit=1&offset=0` (never the token). */
  request: string;
  status: number | string;
  requestId?: string;
}

/** What the check found. */
export interface FirstContactReport {
  /** The path segment the API answered on, or undefined when neither did. */
  accountPathSegment?: "account" | "Account";
  /** The name of the list's total in `meta`, or "none". */
  listTotalField?: "total" | "total_count" | "none";
  /** The largest page the API served when asked for 100, when it served fewer than asked. */
  pageSizeCap?: number;
  /** `"yes"`, `"no"` or `"unknown"` (an empty account has no credential to read). */
  singleGet: "yes" | "no" | "unknown";
  /** How many credentials the account has (from the total, or counted on the first page). */
  credentials?: number;
  observations: Observation[];
}

const PROBE_PAGE = MAX_LIST_PAGE_SIZE;

/**
 * Runs the check. Throws the client's typed errors for what makes the account unusable (wrong
 * token, unreachable URL); every other answer is a finding.
 */
export async function firstContact(
  conn: ResolvedSettings,
  retry?: Partial<RetryOptions>,
): Promise<FirstContactReport> {
  const http = new HttpTransport({
    authId: conn.authId,
    authToken: conn.authToken,
    baseUrl: conn.baseUrl,
    timeoutMs: conn.requestTimeout * 1000,
    retry,
  });
  const report: FirstContactReport = { singleGet: "unknown", observations: [] };
  const get = async (path: string, query?: Record<string, number>): Promise<ApiResponse | undefined> => {
    const q = query
      ? `?${new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]))}`
      : "";
    const request = `GET ${new URL(conn.baseUrl).pathname.replace(/\/$/, "")}${path}${q}`;
    try {
      const res = await http.send({ method: "GET", path, query, operation: "list", retry: "idempotent" });
      report.observations.push({ request, status: res.status, requestId: res.requestId });
      return res;
    } catch (e) {
      if (!(e instanceof VobizApiError) || e.status === undefined) throw e; // unreachable: not a finding
      report.observations.push({ request, status: e.status, requestId: e.requestId });
      if (e instanceof VobizAuthenticationError || e instanceof VobizPermissionError) throw e;
      return undefined;
    }
  };

  let first: ApiResponse | undefined;
  // The configured segment first, then the other one.
  const segments = [...ACCOUNT_PATH_SEGMENTS].sort((a) => (a === conn.accountPathSegment ? -1 : 0));
  for (const segment of segments) {
    first = await get(`/${segment}/${encodeURIComponent(conn.authId)}/trunks/credentials`, {
      limit: 1,
      offset: 0,
    });
    if (first) {
      report.accountPathSegment = segment;
      break;
    }
  }
  if (!first || !report.accountPathSegment) return report;
  const accountPath = `/${report.accountPathSegment}/${encodeURIComponent(conn.authId)}`;
  const meta = record(record(first.data)?.meta);
  report.listTotalField =
    typeof meta?.total === "number"
      ? "total"
      : typeof meta?.total_count === "number"
        ? "total_count"
        : "none";

  const page = await get(`${accountPath}/trunks/credentials`, { limit: PROBE_PAGE, offset: 0 });
  const pageBody = record(page?.data);
  const objects = Array.isArray(pageBody?.objects) ? (pageBody.objects as unknown[]) : [];
  const pageMeta = record(pageBody?.meta);
  const total = report.listTotalField === "none" ? undefined : (pageMeta?.[report.listTotalField] as number);
  report.credentials = total ?? (objects.length < PROBE_PAGE ? objects.length : undefined);
  const servedLimit = typeof pageMeta?.limit === "number" ? pageMeta.limit : undefined;
  if (servedLimit !== undefined && servedLimit < PROBE_PAGE) report.pageSizeCap = servedLimit;
  else if (total !== undefined && objects.length < PROBE_PAGE && objects.length < total) {
    report.pageSizeCap = objects.length;
  }

  const id = record(objects[0])?.id;
  if (typeof id === "string" && id !== "") {
    const one = await get(`${accountPath}/credentials/${encodeURIComponent(id)}`);
    report.singleGet = one && record(one.data) ? "yes" : "no";
  }
  return report;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The report as lines a person reads: what was seen, then the settings to use. */
export function describeReport(conn: ResolvedSettings, r: FirstContactReport): string {
  const lines = [
    `First contact with ${conn.baseUrl} as ${conn.authId} (GET requests only; nothing was changed):`,
  ];
  for (const o of r.observations) {
    lines.push(`  ${o.request} -> ${o.status}${o.requestId ? ` (request ${o.requestId})` : ""}`);
  }
  if (!r.accountPathSegment) {
    lines.push(
      "The list answered on neither /account/ nor /Account/: check the base URL (it must end in /api/v1).",
    );
    return `${lines.join("\n")}\n`;
  }
  lines.push(
    "",
    "What the API speaks:",
    `  path segment:      ${r.accountPathSegment}`,
    `  list total field:  ${r.listTotalField}`,
    `  page-size cap:     ${r.pageSizeCap !== undefined ? r.pageSizeCap : `none seen up to ${PROBE_PAGE}`}`,
    `  single GET:        ${r.singleGet === "unknown" ? "unknown (no credential to read)" : r.singleGet}`,
    `  credentials:       ${r.credentials ?? "more than one page"}`,
  );
  const settings: SettingValues = { authId: conn.authId, authToken: "(secret)", baseUrl: conn.baseUrl };
  if (r.accountPathSegment !== SETTINGS.accountPathSegment.default)
    settings.accountPathSegment = r.accountPathSegment;
  if (r.pageSizeCap !== undefined && r.pageSizeCap < conn.listPageSize) settings.listPageSize = r.pageSizeCap;
  const { config, env } = settingLines(settings);
  lines.push(
    "",
    "Settings to use, in the stack (for `pulumi preview` / `pulumi up`):",
    ...config.map((l) => `  ${l}`),
    "or in the environment (CI, vobiz-onboard; stack config wins over these):",
    ...env.map((l) => `  ${l}`),
    "Not settings: list totals of either name (or none) are read as they come, and reads never need the single GET.",
  );
  if (settings.accountPathSegment !== undefined || settings.listPageSize !== undefined) {
    lines.push(
      "This API differs from the documented defaults: please report it in an issue so the default can follow the live API.",
    );
  }
  return `${lines.join("\n")}\n`;
}
