/**
 * Raw HTTP against a running sandbox (the sandbox integration tests): plain `fetch`, an account
 * client of relative paths, and assertions on the documented error envelope.
 */
import type { Sandbox, SandboxAccount } from "../../provider/sandbox";

/** A parsed HTTP reply. */
export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: unknown;
}

/** Options of one request: a JSON body, or raw text, and extra or replaced headers. */
export interface RequestOptions {
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Sends one request and reads the whole reply. */
export async function send(method: string, url: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** Auth headers of an account. */
export function authHeaders(account: SandboxAccount): Record<string, string> {
  return { "X-Auth-ID": account.authId, "X-Auth-Token": account.authToken };
}

/** A small client of one account: paths are relative to `/account/{authId}`. */
export function accountClient(sandbox: Sandbox, account: SandboxAccount, userAgent = "sandbox-tests/1.0") {
  const base = `${sandbox.baseUrl}/account/${account.authId}`;
  const call = (method: string, path: string, options: RequestOptions = {}) =>
    send(method, `${base}${path}`, {
      ...options,
      headers: { ...authHeaders(account), "User-Agent": userAgent, ...options.headers },
    });
  return {
    base,
    call,
    create: (body: unknown) => call("POST", "/credentials", { body }),
    list: (query = "") => call("GET", `/trunks/credentials${query}`),
    get: (id: string) => call("GET", `/credentials/${id}`),
    update: (id: string, body: unknown) => call("PUT", `/credentials/${id}`, { body }),
    remove: (id: string) => call("DELETE", `/credentials/${id}`),
  };
}

/** The object body of a reply, for property access in assertions. */
export function obj(reply: Reply): Record<string, unknown> {
  if (typeof reply.json !== "object" || reply.json === null) {
    throw new Error(`Expected a JSON object, got ${reply.status}: ${reply.text.slice(0, 200)}`);
  }
  return reply.json as Record<string, unknown>;
}

/** The `error` object of an error envelope. */
export function errorOf(reply: Reply): { code: string; message: string; details: Record<string, unknown> } {
  const body = obj(reply);
  expect(body.status).toBe("error");
  return body.error as { code: string; message: string; details: Record<string, unknown> };
}

/** Asserts the full error envelope shape, the status and the code; returns the error object. */
export function expectError(reply: Reply, status: number, code: string) {
  expect(reply.status).toBe(status);
  const body = obj(reply);
  expect(body).toEqual({
    status: "error",
    error: { code, message: expect.any(String), details: expect.any(Object) },
    timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/),
    requestId: expect.stringMatching(/^req_[0-9a-f]+$/),
  });
  expect(reply.headers.get("x-request-id")).toBe(body.requestId);
  return errorOf(reply);
}

/** A unique username for a test. */
let counter = 0;
export function uniqueName(prefix = "user"): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
