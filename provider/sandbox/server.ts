/**
 * The sandbox's HTTP server: connections, request reading, routing to the API or the control API,
 * fault injection, the journal, and the handle `startSandbox` returns.
 *
 * Built on `node:http` and other Node built-ins only: the sandbox ships inside the package, so its
 * users should not have to pull in a web framework, and fault injection needs low-level control of
 * the connection (destroying a socket without a response, applying a write and then dropping the
 * response), which a framework would hide.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { isIPv6 } from "node:net";
import { performance } from "node:perf_hooks";
import { handleApi, presentCredential, type HandlerResult } from "./api";
import { handleControl, isControlPath } from "./control";
import { ERROR_CODES, SandboxError, errorEnvelope, faultErrorCode } from "./errors";
import { DEFAULT_SEED, FaultEngine } from "./faults";
import { DEFAULT_JOURNAL_LIMIT, Journal, journalBody, journalQuery, type JournalEntry } from "./journal";
import { API_BASE_PATH, matchRoute } from "./routes";
import { generateRequestId, generateToken } from "./secrets";
import { Store, type CredentialRecord } from "./store";
import { DEFAULT_SWITCHES, applySwitches } from "./switches";
import type { Sandbox, SandboxCredential, SandboxOptions, StartupAccount } from "./types";
import { asObject, validateAccount, validateConsolePatch, validateCreate } from "./validation";

/** Interface the sandbox listens on by default (loopback only). */
export const DEFAULT_HOST = "127.0.0.1";
/** Auth ID of the account generated when none is given or stored (its token is random). */
export const DEFAULT_AUTH_ID = "MA_SANDBOX";
/** Largest request body accepted; larger bodies get 413 `PAYLOAD_TOO_LARGE`. */
export const MAX_BODY_BYTES = 1024 * 1024;

interface ReadBody {
  text: string;
  tooLarge: boolean;
}

/** Reads the whole body (discarding bytes past the limit, so the connection stays usable). */
function readBody(req: IncomingMessage): Promise<ReadBody> {
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

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value === undefined || value === "" ? null : value;
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(::ffff:)?127\./.test(address));
}

/** A response about to be sent: status, JSON body (none for 204) and extra headers. */
interface Outgoing extends HandlerResult {
  headers?: Record<string, string>;
  errorCode?: string;
}

function errorOutgoing(requestId: string, err: unknown): Outgoing {
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

function send(res: ServerResponse, out: Outgoing): void {
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

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return isIPv6(host) ? `[${host}]` : host;
}

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? 0;
  const latencyMs = options.latencyMs ?? 0;
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`Invalid port ${port}`);
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new RangeError(`Invalid latencyMs ${latencyMs}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`Invalid seed ${seed}`);

  let switches = applySwitches(DEFAULT_SWITCHES, options.switches ?? {});
  const store = new Store(options.persistPath);
  const journal = new Journal(options.journalLimit ?? DEFAULT_JOURNAL_LIMIT);
  const faults = new FaultEngine(seed);

  const startupAccounts: StartupAccount[] = [];
  for (const given of options.accounts ?? []) {
    const account = validateAccount(given, true);
    store.putAccount(account.authId, account.authToken as string);
    startupAccounts.push({ authId: account.authId, authToken: account.authToken, generated: false });
  }
  if (store.listAccounts().length === 0) {
    const authToken = generateToken();
    store.putAccount(DEFAULT_AUTH_ID, authToken);
    startupAccounts.push({ authId: DEFAULT_AUTH_ID, authToken, generated: true });
  }
  for (const { authId } of store.listAccounts()) {
    if (!startupAccounts.some((a) => a.authId === authId)) startupAccounts.push({ authId, generated: false });
  }

  const sockets = new Set<Socket>();
  const sleepers = new Set<() => void>();
  let stopped = false;
  let stopping: Promise<void> | undefined;

  /** Waits `ms`, or less if the sandbox stops meanwhile. */
  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const wake = () => {
            clearTimeout(timer);
            sleepers.delete(wake);
            resolve();
          };
          const timer = setTimeout(wake, ms);
          sleepers.add(wake);
        });

  const controlView = (c: Readonly<CredentialRecord>): SandboxCredential => ({
    ...presentCredential(c, switches),
    in_use: c.inUse,
  });

  const server = createServer();
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  const url = `http://${urlHost(host)}:${address.port}`;

  const sandbox: Sandbox = {
    url,
    baseUrl: `${url}${API_BASE_PATH}`,
    port: address.port,
    startupAccounts,
    accounts: {
      add(account) {
        const valid = validateAccount(account, true);
        store.putAccount(valid.authId, valid.authToken as string);
      },
      list: () => store.listAccounts(),
    },
    credentials: {
      list: (authId) => store.listCredentials(authId).map(controlView),
      get: (authId, id) => controlView(store.getCredential(authId, id)),
      create: (authId, input) =>
        controlView(store.createCredential(authId, validateCreate(asObject(input), true))),
      update: (authId, id, patch) =>
        controlView(store.updateCredential(authId, id, validateConsolePatch(asObject(patch)))),
      delete: (authId, id) => store.deleteCredential(authId, id, true),
      setInUse: (authId, id, inUse) => {
        store.updateCredential(authId, id, validateConsolePatch({ inUse }));
      },
      verifyPassword: (authId, id, password) => store.verifyPassword(authId, id, password),
    },
    journal: {
      entries: (filter) => journal.entries(filter),
      clear: () => journal.clear(),
    },
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    switches: {
      get: () => ({ ...switches }),
      set: (patch) => {
        switches = applySwitches(switches, patch);
        return { ...switches };
      },
    },
    stop() {
      if (!stopping) {
        stopped = true;
        for (const wake of [...sleepers]) wake();
        stopping = new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        });
      }
      return stopping;
    },
  };

  const startedAt = Date.now();
  const controlContext = {
    sandbox,
    lastSeq: () => journal.lastSeq(),
    health: () => ({
      status: "ok",
      url,
      baseUrl: sandbox.baseUrl,
      uptimeMs: Date.now() - startedAt,
      ...store.counts(),
      faultRules: faults.list().length,
      lastSeq: journal.lastSeq(),
      switches: { ...switches },
    }),
  };

  const onControl = (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    path: string,
    query: URLSearchParams,
    body: ReadBody,
  ) => {
    let out: Outgoing;
    try {
      if (!isLoopback(req.socket.remoteAddress)) {
        throw new SandboxError(403, ERROR_CODES.forbidden, "The control API answers loopback clients only");
      }
      if (body.tooLarge) throw new SandboxError(413, ERROR_CODES.payloadTooLarge, "Request body too large");
      out = handleControl(controlContext, { method: req.method ?? "GET", path, query, bodyText: body.text });
    } catch (err) {
      out = errorOutgoing(requestId, err);
    }
    send(res, out);
  };

  const onApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    path: string,
    query: URLSearchParams,
    body: ReadBody,
    arrived: { time: string; at: number },
  ) => {
    const method = req.method ?? "GET";
    const match = matchRoute(method, path);
    const route = match.kind === "route" ? match.route : null;
    const authId = header(req, "x-auth-id");
    const decision = faults.decide({ method, path, route, authId });
    const record = (status: number, extra: Partial<JournalEntry> = {}) =>
      journal.record({
        time: arrived.time,
        method,
        path,
        query: journalQuery(query),
        route,
        status,
        dropped: status === 0,
        authId,
        body: body.tooLarge ? "<too large>" : journalBody(body.text),
        userAgent: header(req, "user-agent"),
        requestId,
        durationMs: Math.round((performance.now() - arrived.at) * 100) / 100,
        fault: decision.applied,
        ...extra,
      });
    const drop = () => req.socket.destroy();
    const faultAnswer = (status: number, headers: Record<string, string>): Outgoing => ({
      status,
      body: errorEnvelope(requestId, faultErrorCode(status), `Injected fault: HTTP ${status}`, {
        injected: true,
      }),
      headers,
      errorCode: faultErrorCode(status),
    });

    await sleep(latencyMs + decision.latencyMs);
    if (stopped) return;
    const terminal = decision.terminal;
    if (terminal?.kind === "drop") {
      record(0);
      drop();
      return;
    }
    if (terminal?.kind === "status") {
      const out = faultAnswer(terminal.status, terminal.headers);
      record(out.status, { errorCode: out.errorCode });
      send(res, out);
      return;
    }

    let out: Outgoing;
    try {
      if (body.tooLarge) throw new SandboxError(413, ERROR_CODES.payloadTooLarge, "Request body too large");
      out = handleApi(store, switches, match, {
        method,
        query,
        headers: { authId, authToken: header(req, "x-auth-token") },
        bodyText: body.text,
      });
    } catch (err) {
      out = errorOutgoing(requestId, err);
    }

    if (terminal?.kind === "applyThenFail") {
      if (terminal.drop) {
        record(0, { appliedStatus: out.status });
        drop();
      } else {
        const failed = faultAnswer(terminal.status ?? 500, terminal.headers);
        record(failed.status, { appliedStatus: out.status, errorCode: failed.errorCode });
        send(res, failed);
      }
      return;
    }
    record(out.status, out.errorCode ? { errorCode: out.errorCode } : {});
    send(res, out);
  };

  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const arrived = { time: new Date().toISOString(), at: performance.now() };
    const requestId = generateRequestId();
    res.setHeader("X-Request-Id", requestId);
    res.on("error", () => undefined);
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1));
    readBody(req)
      .then((body) =>
        isControlPath(path)
          ? onControl(req, res, requestId, path, query, body)
          : onApi(req, res, requestId, path, query, body, arrived),
      )
      .catch((err: unknown) => {
        if (!stopped) send(res, errorOutgoing(requestId, err));
      });
  });

  return sandbox;
}
