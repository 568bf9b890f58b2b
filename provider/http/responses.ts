/**
 * Reads one HTTP answer of the Vobiz API: the JSON body, the documented error envelope and the
 * request id, into either a usable 2xx or the vetted, masked facts of a failure (and the wait
 * Vobiz asked for). Also turns a failure into its typed error. No I/O, no retry decisions.
 */
import {
  createApiError,
  createResponseError,
  type VobizApiError,
  type VobizApiErrorFacts,
} from "../common/errors";
import { maskSecrets, redactString } from "../common/redact";
import { serverRequestedWait } from "./retry";
import { loadZod } from "../common/zod";
import type { ApiRequest, ApiResponse } from "./request";

/**
 * The documented error envelope (`{ status, error: { code, message, details }, requestId }`);
 * every part optional, since not every endpoint is proven to use it, and tolerant of extra fields.
 */
function buildErrorEnvelope(z: ReturnType<typeof loadZod>) {
  return z.looseObject({
    error: z
      .union([
        z.looseObject({
          code: z.string().nullish(),
          message: z.string().nullish(),
          details: z.unknown().optional(),
        }),
        z.string(),
      ])
      .nullish(),
    message: z.string().nullish(),
    requestId: z.string().nullish(),
    request_id: z.string().nullish(),
    api_id: z.string().nullish(),
  });
}

let envelopeBuilt: ReturnType<typeof buildErrorEnvelope> | undefined;

/** The error envelope's schema, built on first use. */
export function errorEnvelope(): ReturnType<typeof buildErrorEnvelope> {
  return (envelopeBuilt ??= buildErrorEnvelope(loadZod()));
}

/** A failed attempt: the facts of its error, and what the server asked us to wait. */
export interface Failure {
  facts: VobizApiErrorFacts;
  /** Set when the request did arrive but its answer is unusable: the problem, for a VobizResponseError. */
  problem?: string;
  /** The wait Vobiz asked for, and the header it came in. */
  serverWait?: { ms: number; header: string };
}

/** An answer as received: status, lower-cased headers, the body as text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

/**
 * The outcome of one answer. `secrets` are masked from everything kept; `now` is the time waits
 * are measured from (Vobiz's `Date` when it sent one).
 */
export function readAnswer(
  answer: RawAnswer,
  req: ApiRequest,
  ctx: { secrets: readonly string[]; attempt: number; now: number },
): { requestId?: string; outcome: Omit<ApiResponse, "attempts"> | Failure } {
  const { status, headers, text } = answer;
  const { secrets, attempt } = ctx;
  const parsed = parseJson(text);
  const envelope = errorEnvelope().safeParse(parsed.ok ? parsed.value : undefined);
  const env = envelope.success ? envelope.data : undefined;
  const rawRequestId =
    headers["x-request-id"] ?? env?.requestId ?? env?.request_id ?? env?.api_id ?? undefined;
  // Whatever the server sends back is masked: it may echo the request in any field.
  const requestId = rawRequestId ? redactString(rawRequestId, secrets) : undefined;
  const base = {
    status,
    method: req.method,
    path: req.path,
    operation: req.operation,
    requestId,
    attempts: attempt,
  };

  if (status >= 200 && status < 300) {
    if (!parsed.ok) {
      const problem = `response body is not JSON (${describeBody(text, headers["content-type"])})`;
      return { requestId, outcome: { facts: base, problem } };
    }
    const problem = req.validate?.(parsed.value);
    if (problem !== undefined)
      return { requestId, outcome: { facts: base, problem: redactString(problem, secrets) } };
    return { requestId, outcome: { status, data: parsed.value, requestId } };
  }

  const errorObject = env && typeof env.error === "object" && env.error !== null ? env.error : undefined;
  const code = errorObject?.code ?? undefined;
  const message =
    errorObject?.message ??
    (typeof env?.error === "string" ? env.error : undefined) ??
    env?.message ??
    (parsed.ok ? undefined : text.trim() ? describeBody(text, headers["content-type"]) : undefined);
  return {
    requestId,
    outcome: {
      serverWait: serverRequestedWait(headers, ctx.now),
      facts: {
        ...base,
        code: code ? redactString(code, secrets) : undefined,
        vobizMessage: message ? redactString(message, secrets) : undefined,
        details: errorObject?.details === undefined ? undefined : maskSecrets(errorObject.details, secrets),
      },
    },
  };
}

/** The typed error of a failed attempt, optionally saying why the retries stopped. */
export function toError(failure: Failure, gaveUpBecause?: string): VobizApiError {
  const facts = gaveUpBecause ? { ...failure.facts, gaveUpBecause } : failure.facts;
  return failure.problem !== undefined ? createResponseError(facts, failure.problem) : createApiError(facts);
}

/** Headers with lower-case names and string values (arrays joined). */
export function lowerCaseHeaders(h: Record<string, unknown>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(h ?? {})) {
    out[k.toLowerCase()] = Array.isArray(v)
      ? v.join(", ")
      : v === undefined || v === null
        ? undefined
        : String(v);
  }
  return out;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text.trim() === "") return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A short, value-free description of a body that is not JSON. */
function describeBody(text: string, contentType: string | undefined): string {
  const kind = /<html|<!doctype/i.test(text) ? "an HTML page" : "text";
  return `${kind}, ${text.length} bytes${contentType ? `, content-type ${contentType}` : ""}`;
}
