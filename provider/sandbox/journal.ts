/**
 * The request journal: one entry per API request (control-API requests are not journaled), with
 * secrets masked before they are stored, by the package's one masking function (../redact.ts): any
 * field of the body or query whose key looks secret (`password`, `token`, `secret`, ...) becomes
 * `"***"`. No token is ever recorded (only the `X-Auth-ID` header). The journal does not mask runs of
 * the token elsewhere: a readable test token (`test-token`) would then mask parts of usernames.
 */
import { MASK, maskSecrets, redactText } from "../common/redact";
import type { RouteName } from "./routes";

export { MASK };
/** Longest raw (non-JSON) body text kept in an entry. */
export const RAW_BODY_MAX_CHARS = 512;
/** Default number of entries kept; older ones are discarded first. */
export const DEFAULT_JOURNAL_LIMIT = 10_000;

/** Kind of an injected fault. */
export type FaultKind = "latency" | "status" | "drop" | "applyThenFail";

/** A fault rule that fired for a request. */
export interface AppliedFault {
  /** Id of the rule. */
  id: string;
  /** What the rule did (`latency` only delayed the request). */
  kind: FaultKind;
  /** Delay the rule added, in milliseconds. */
  latencyMs: number;
}

/** One journaled API request. */
export interface JournalEntry {
  /** Increasing sequence number, assigned when the request finished. */
  seq: number;
  /** ISO 8601 time the request arrived. */
  time: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters (last value wins), secrets masked. */
  query: Record<string, string>;
  /** The API operation the path and method matched, or null. */
  route: RouteName | null;
  /** Status sent to the client; 0 when the connection was dropped without a response. */
  status: number;
  /** The connection was destroyed without a response. */
  dropped: boolean;
  /** Status the real handler produced, when a fault replaced or dropped its response. */
  appliedStatus?: number;
  /** `error.code` of an error response. */
  errorCode?: string;
  /** Present (true) when the sandbox's rate limit refused the request (429 `RATE_LIMITED`). */
  rateLimited?: true;
  /** Value of the `X-Auth-ID` header (never the token). */
  authId: string | null;
  /** Parsed JSON body with secrets masked; a truncated, masked string if not JSON; null if empty. */
  body: unknown;
  userAgent: string | null;
  requestId: string;
  /** Time from arrival to response (or drop), in milliseconds. */
  durationMs: number;
  /** Fault rules that fired for this request (empty when none). */
  fault: AppliedFault[];
}

/** Selects journal entries; every given field must match. */
export interface JournalFilter {
  /** Only entries with `seq` greater than this. */
  since?: number;
  method?: string;
  route?: RouteName;
  path?: string;
  status?: number;
  authId?: string;
  /** Only entries where a fault fired (true) or none did (false). */
  faulted?: boolean;
}

/**
 * The journal form of a request body: parsed JSON with secrets masked, or (for text that is not
 * JSON) a truncated string in which the value after a secret-looking key is masked.
 */
export function journalBody(text: string): unknown {
  if (text === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const masked = redactText(text);
    return masked.length > RAW_BODY_MAX_CHARS ? `${masked.slice(0, RAW_BODY_MAX_CHARS)}...` : masked;
  }
  return maskSecrets(parsed);
}

/** Query parameters as an object (last value wins), secrets masked. */
export function journalQuery(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) out[k] = v;
  return maskSecrets(out) as Record<string, string>;
}

export class Journal {
  private entriesList: JournalEntry[] = [];
  private nextSeq = 1;

  constructor(private readonly limit: number = DEFAULT_JOURNAL_LIMIT) {}

  /** Stores a finished request and gives it the next sequence number. */
  record(entry: Omit<JournalEntry, "seq">): JournalEntry {
    const stored: JournalEntry = { seq: this.nextSeq++, ...entry };
    this.entriesList.push(stored);
    if (this.entriesList.length > this.limit)
      this.entriesList.splice(0, this.entriesList.length - this.limit);
    return stored;
  }

  /** Entries in order, optionally filtered; copies, so callers cannot change the journal. */
  entries(filter: JournalFilter = {}): JournalEntry[] {
    return this.entriesList.filter((e) => matches(e, filter)).map((e) => structuredClone(e));
  }

  /** Removes all entries (sequence numbers keep increasing). */
  clear(): void {
    this.entriesList = [];
  }

  /** Sequence number of the newest entry ever recorded (0 if none). */
  lastSeq(): number {
    return this.nextSeq - 1;
  }
}

function matches(e: JournalEntry, f: JournalFilter): boolean {
  return (
    (f.since === undefined || e.seq > f.since) &&
    (f.method === undefined || e.method === f.method.toUpperCase()) &&
    (f.route === undefined || e.route === f.route) &&
    (f.path === undefined || e.path === f.path) &&
    (f.status === undefined || e.status === f.status) &&
    (f.authId === undefined || e.authId === f.authId) &&
    (f.faulted === undefined || e.fault.length > 0 === f.faulted)
  );
}
