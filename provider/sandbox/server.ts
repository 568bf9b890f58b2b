/**
 * The sandbox's HTTP server: connections, routing to the API or the control API, the rate limit,
 * fault injection and the journal, around the handle `startSandbox` returns (handle.ts).
 *
 * Built on `node:http` and other Node built-ins only: the sandbox ships inside the package, so its
 * users should not have to pull in a web framework, and fault injection needs low-level control of
 * the connection (destroying a socket without a response, applying a write and then dropping the
 * response), which a framework would hide.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { handleApi } from "./api";
import { handleControl, isControlPath } from "./control";
import { ERROR_CODES, SandboxError, errorEnvelope, faultErrorCode } from "./errors";
import { DEFAULT_SEED, FaultEngine, type FaultDecision } from "./faults";
import { createHandle } from "./handle";
import {
  errorOutgoing,
  header,
  isLoopback,
  readBody,
  send,
  urlHost,
  type Outgoing,
  type ReadBody,
} from "./http";
import { DEFAULT_JOURNAL_LIMIT, Journal, journalBody, journalQuery, type JournalEntry } from "./journal";
import { RateLimiter, rateLimitHeaders } from "./ratelimit";
import { matchRoute } from "./routes";
import { generateRequestId, generateToken } from "./secrets";
import { Store } from "./store";
import { DEFAULT_SWITCHES, applySwitches } from "./switches";
import type { Sandbox, SandboxOptions, StartupAccount } from "./types";
import { validateAccount } from "./validation";

export { MAX_BODY_BYTES } from "./http";

/** Interface the sandbox listens on by default (loopback only). */
export const DEFAULT_HOST = "127.0.0.1";
/** Auth ID of the account generated when none is given or stored (its token is random). */
export const DEFAULT_AUTH_ID = "MA_SANDBOX";

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
  const rateLimiter = new RateLimiter(options.rateLimit, () => performance.now());

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

  const server = createServer();
  const address = await new Promise<AddressInfo>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
  const url = `http://${urlHost(host)}:${address.port}`;

  const sandbox = createHandle({
    url,
    port: address.port,
    startupAccounts,
    store,
    journal,
    faults,
    rateLimiter,
    switches: {
      get: () => switches,
      replace: (next) => {
        switches = next;
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
  });

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
      rateLimit: rateLimiter.get(),
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
    const match = matchRoute(method, path, switches.accountPathSegment);
    const route = match.kind === "route" ? match.route : null;
    const authId = header(req, "x-auth-id");
    // The rate limit answers before fault rules are consulted: a refused request consumes none.
    const limited = rateLimiter.take(authId ?? "");
    const decision: FaultDecision = limited.allowed
      ? faults.decide({ method, path, route, authId })
      : { latencyMs: 0, applied: [] };
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
    if (!limited.allowed) {
      const limit = rateLimiter.get();
      const out: Outgoing = {
        status: 429,
        body: errorEnvelope(
          requestId,
          ERROR_CODES.rateLimited,
          "Too many requests for this account; retry after the time in Retry-After",
          { ...limit, retryAfterMs: Math.ceil(limited.waitMs) },
        ),
        headers: rateLimitHeaders(limited.waitMs, Date.now()),
        errorCode: ERROR_CODES.rateLimited,
      };
      record(out.status, { errorCode: ERROR_CODES.rateLimited, rateLimited: true });
      send(res, out);
      return;
    }
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
