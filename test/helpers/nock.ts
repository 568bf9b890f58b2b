/**
 * How the jest tiers load nock.
 *
 * nock 15 is an ES module only, and jest 30 (CommonJS test files, Node < 24.9) cannot `require`
 * an ES module through its own module registry. Node >= 20.19 itself can, so when jest's require
 * fails this helper loads nock through Node's native loader instead. The nock instance then lives
 * in the host realm (outside jest's sandbox), which is fine: it patches the host's `http`/`https`
 * core modules, the very objects jest hands to axios inside the sandbox.
 *
 * nock 15's interceptor library (@mswjs/interceptors 0.44) also calls `Promise.withResolvers`,
 * which only exists from Node 22; on Node 20 the host realm's `Promise` gets a spec-conforming
 * polyfill first.
 *
 * Consequences for tests:
 * - Objects nock creates come from another realm: check them with `toEqual` or property checks,
 *   never `instanceof`.
 * - `replyWithError` only fails the request when given an `Error` of nock's realm that carries
 *   `code` and `errno` (a plain `{ code }` object or a sandbox `Error` leaves the request hanging).
 *   Use {@link networkError}: `scope.post(path).replyWithError(networkError("ECONNREFUSED"))`.
 * - `.delay(ms)` delays only the body (headers go out at once); what a client then reports
 *   depends on its HTTP stack (the transport's native `http`: ETIMEDOUT; axios through
 *   follow-redirects: ERR_BAD_RESPONSE). For a true timeout (no response at all) use
 *   {@link neverReply}: `scope.get(path).reply(neverReply)`; for a connection reset mid-body use
 *   {@link brokenBody}.
 * - A request no interceptor matches is answered with HTTP 501 and a JSON body whose code is
 *   `ERR_NOCK_NO_MATCH`, and `nock.emitter` emits `no match`; {@link trackTraffic} records both.
 * - Loaded natively, nock is one instance per jest worker process, shared by every test file the
 *   worker runs, and it intercepts from the moment it loads. {@link useNock} therefore activates it
 *   before a file's tests and restores (deactivates) it after them, so a later file in the same
 *   worker (an integration test talking to a real local server) is not intercepted; importing
 *   this module activates it again.
 *
 * Usage: in a test file, `const api = useNock();` then `api.scope(origin)` for interceptors and
 * `api.traffic` for what was sent; or `import { nock }` for the plain nock API.
 */
import { Readable } from "node:stream";
import type nockType from "nock";
import { hostCreateRequire, hostGlobal } from "./jestHost";

type Nock = typeof nockType;

function fromJestRegistry(): Nock | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require("nock") as Nock | { default: Nock };
    return "default" in mod && typeof mod.default === "function" ? mod.default : (mod as Nock);
  } catch {
    return undefined;
  }
}

/** Adds `Promise.withResolvers` (ES2024) to the host realm's Promise when it lacks it. */
function polyfillHostPromise(): void {
  const HostPromise = hostGlobal<PromiseConstructor & { withResolvers?: unknown }>("Promise");
  if (typeof HostPromise.withResolvers === "function") return;
  Object.defineProperty(HostPromise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

function fromHost(): Nock {
  polyfillHostPromise();
  const mod = hostCreateRequire()(__filename)("nock") as Nock | { default: Nock };
  return "default" in mod && typeof mod.default === "function" ? mod.default : (mod as Nock);
}

let loadedFromHost = false;

/**
 * The nock function, loaded as described above, and active: a previous test file in the same
 * worker may have deactivated the shared instance (see {@link useNock}), so importing this module
 * re-activates it, as importing nock itself does.
 */
export const nock: Nock = (() => {
  const viaJest = fromJestRegistry();
  if (viaJest) return viaJest;
  loadedFromHost = true;
  return fromHost();
})();
if (!nock.isActive()) nock.activate();

/** Negative errno values Node uses for the codes tests simulate (informational only). */
const ERRNO: Record<string, number> = {
  ECONNREFUSED: -111,
  ECONNRESET: -104,
  ETIMEDOUT: -110,
  ENOTFOUND: -3008,
  EAI_AGAIN: -3001,
  EPIPE: -32,
};

/**
 * A Node-style network error (`code`, `errno`, `syscall`) made in the realm nock runs in, for
 * `replyWithError`. The request then fails as if the socket had failed with that code.
 */
export function networkError(code: string, message = `connect ${code} api.vobiz.test:443`): Error {
  const HostError = loadedFromHost ? hostGlobal<ErrorConstructor>("Error") : Error;
  return Object.assign(new HostError(message), { code, errno: ERRNO[code] ?? -1, syscall: "connect" });
}

/** A reply function that never answers: the client sees no response and times out for real. */
export function neverReply(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/** One request nock saw. */
export interface SeenRequest {
  method: string;
  /** Path and query, e.g. `/api/v1/account/MA_UNIT/trunks/credentials?limit=100&offset=0`. */
  path: string;
  /** Whether an interceptor answered it (false: nock replied 501 ERR_NOCK_NO_MATCH). */
  matched: boolean;
}

/**
 * Records every request that reaches nock, matched or not, until `stop()`. Attach the scopes whose
 * matched requests should be counted with `watch(scope)` (or pass them up front); unmatched ones
 * are always recorded. `count("POST")` counts requests by method (and optional path prefix).
 */
export function trackTraffic(...scopes: nockType.Scope[]) {
  const seen: SeenRequest[] = [];
  const onMatch = (req: { method: string; url: string | URL }) => {
    const url = new URL(String(req.url));
    seen.push({ method: req.method.toUpperCase(), path: url.pathname + url.search, matched: true });
  };
  const onNoMatch = (req: { method: string; url: string | URL }) => {
    const url = new URL(String(req.url));
    seen.push({ method: req.method.toUpperCase(), path: url.pathname + url.search, matched: false });
  };
  const watched = new Set<nockType.Scope>();
  const watch = (scope: nockType.Scope) => {
    if (!watched.has(scope)) {
      watched.add(scope);
      scope.on("request", onMatch);
    }
    return scope;
  };
  scopes.forEach(watch);
  nock.emitter.on("no match", onNoMatch);
  return {
    seen,
    watch,
    count: (method?: string, pathPrefix = "") =>
      seen.filter((r) => (!method || r.method === method) && r.path.startsWith(pathPrefix)).length,
    unmatched: () => seen.filter((r) => !r.matched),
    stop: () => {
      nock.emitter.off("no match", onNoMatch);
      for (const s of watched) s.off("request", onMatch);
    },
  };
}

/** The tracker {@link trackTraffic} returns. */
export type Traffic = ReturnType<typeof trackTraffic>;

/** Options of {@link useNock}. */
export interface UseNockOptions {
  /** After each test, also fail when an interceptor was set up but never used (default false). */
  expectAllUsed?: boolean;
}

/**
 * Registers jest hooks for a test file that mocks HTTP with nock: no real network at all
 * (`disableNetConnect`, nothing allowed), a fresh {@link trackTraffic} per test, and after each
 * test a failure if any request matched no interceptor (or, with `expectAllUsed`, if any
 * interceptor was left unused), then every interceptor removed. After the file, nock is
 * deactivated (see the module comment).
 */
export function useNock(options: UseNockOptions = {}) {
  let traffic: Traffic | undefined;
  /** The last test's unmatched requests (`METHOD path`), kept until the next test starts. */
  const unmatchedOfLastTest: string[] = [];
  beforeAll(() => {
    if (!nock.isActive()) nock.activate();
    nock.disableNetConnect();
  });
  beforeEach(() => {
    unmatchedOfLastTest.length = 0;
    traffic = trackTraffic();
  });
  afterEach(() => {
    const t = traffic;
    traffic = undefined;
    t?.stop();
    const unused = options.expectAllUsed ? nock.pendingMocks() : [];
    nock.abortPendingRequests();
    nock.cleanAll();
    const unmatched = (t?.unmatched() ?? []).map((r) => `${r.method} ${r.path}`);
    unmatchedOfLastTest.push(...unmatched);
    if (unmatched.length > 0) throw new Error(`requests no interceptor matched: ${unmatched.join(", ")}`);
    if (unused.length > 0) throw new Error(`interceptors never used: ${unused.join(", ")}`);
  });
  afterAll(() => {
    nock.cleanAll();
    nock.enableNetConnect();
    nock.restore();
  });
  return {
    /** A nock scope whose matched requests the current test's traffic tracker records. */
    scope(origin: string, options?: nockType.Options): nockType.Scope {
      if (!traffic) throw new Error("useNock().scope() may only be called inside a test");
      return traffic.watch(nock(origin, options));
    },
    /** The current test's traffic tracker. */
    get traffic(): Traffic {
      if (!traffic) throw new Error("useNock().traffic may only be read inside a test");
      return traffic;
    },
    /**
     * Requests of the last finished test that no interceptor matched (`METHOD path`); filled
     * after each test (which then fails), emptied when the next one starts.
     */
    unmatched: unmatchedOfLastTest,
  };
}

/**
 * A reply body (pass the returned function to `.reply(status, brokenBody(...))`) that sends
 * `firstChunk`, then fails the connection with `code` mid-body, as a reset socket does after the
 * headers went out.
 */
export function brokenBody(firstChunk = '{"objects": [', code = "ECONNRESET"): () => Readable {
  return () => {
    let sent = false;
    return new Readable({
      read() {
        if (sent) return;
        sent = true;
        this.push(firstChunk);
        setTimeout(() => this.destroy(networkError(code, "socket hang up")), 5);
      },
    });
  };
}
