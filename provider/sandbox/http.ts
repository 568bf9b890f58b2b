/**
 * HTTP plumbing of the sandbox server: reading a request body within the size limit, request
 * headers, loopback detection, and writing an answer (JSON body, extra headers, error envelope).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIPv6 } from "node:net";
import type { HandlerResult } from "./api";
import { ERROR_CODES, SandboxError, errorEnvelope } from "./errors";

/** Largest request body accepted; larger bodies get 413 `PAYLOAD_TOO_LARGE`. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request body as read: the text (up to the limit) and whether the limit was passed. */
export interface ReadBody {
  text: string;
  tooLarge: boolean;
}

/** Reads the whole body (discarding bytes past the limit, so the connection stays usable). */
export function readBody(req: IncomingMessage): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () =>
      resolve({ text: Buffer.concat(chunks).toString("utf8"), tooLarge: size > MAX_BODY_BYTES }),
    );
    req.on("error", reject);
  });
}

/** The first value of a request header, or null when absent or empty. */
export function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value === undefined || value === "" ? null : value;
}

/** Whether a remote address is a loopback address (IPv4, IPv6 or IPv4-mapped). */
export function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(::ffff:)?127\./.test(address));
}

/** A response about to be sent: status, JSON body (none for 204) and extra headers. */
export interface Outgoing extends HandlerResult {
  headers?: Record<string, string>;
  errorCode?: string;
}

/** The error envelope answer of a {@link SandboxError} (any other error is a 500). */
export function errorOutgoing(requestId: string, err: unknown): Outgoing {
  const e =
    err instanceof SandboxError
      ? err
      : new SandboxError(
          500,
          ERROR_CODES.internal,
          `Internal sandbox error: ${(err as Error)?.message ?? String(err)}`,
        );
  const headers: Record<string, string> = {};
  const allow = e.details.allow;
  if (e.status === 405 && Array.isArray(allow)) headers.Allow = allow.join(", ");
  return {
    status: e.status,
    body: errorEnvelope(requestId, e.code, e.message, e.details),
    headers,
    errorCode: e.code,
  };
}

/** Sends an answer, unless one was sent or the connection is gone. */
export function send(res: ServerResponse, out: Outgoing): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = out.status;
  for (const [k, v] of Object.entries(out.headers ?? {})) res.setHeader(k, v);
  if (out.body === undefined) {
    res.end();
    return;
  }
  const payload = JSON.stringify(out.body);
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Content-Length", Buffer.byteLength(payload));
  res.end(payload);
}

/** The host part of the sandbox URL for the interface it listens on. */
export function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIPv6(host) ? `[${host}]` : host;
}
