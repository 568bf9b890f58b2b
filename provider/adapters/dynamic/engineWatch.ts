/**
 * Ends Pulumi's dynamic-provider process once its engine is gone. The engine starts the process
 * with the address of its own gRPC server as the last argument and, when it ends normally, stops
 * the process itself; killed (`kill -9`, an out-of-memory kill, a lost CI runner) it stops nothing,
 * and the provider process would stay, idle, for good. So the process keeps one HTTP/2 connection
 * to that address open, as a gRPC client would: when it closes, one new connection tells whether
 * the engine is still there (the server closed an idle connection) or gone (refused: the port
 * closed with the process). Gone, the process ends as soon as no write is in flight, so a create
 * or update in progress finishes first; an engine that is alive is never taken for gone.
 */
import * as http2 from "node:http2";

/** The engine's address among the process's arguments (`127.0.0.1:PORT`, the last one), if any. */
export function engineAddress(argv: readonly string[]): string | undefined {
  const last = argv[argv.length - 1];
  return last !== undefined && /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(last) ? last : undefined;
}

/** What {@link watchEngine} needs. */
export interface EngineWatchOptions {
  /** The engine's gRPC address, `host:port`. */
  address: string;
  /** Called once, when the engine is gone. */
  onGone: () => void;
  /** Longest wait for one connection attempt before it counts as failed (default 5 s). */
  connectTimeoutMs?: number;
  /** Failed attempts in a row that mean "gone" (default 3), and the pause between them (default 500 ms). */
  attempts?: number;
  retryMs?: number;
}

/**
 * Watches the engine at `address`; returns a function that stops watching. Decides "gone" only
 * after the engine answered once and then refused `attempts` times in a row; if the first
 * connection fails, it stops watching rather than guess. Never holds the process open: the
 * connection and timers are unreferenced.
 */
export function watchEngine(options: EngineWatchOptions): () => void {
  const attempts = options.attempts ?? 3;
  let stopped = false;
  let everConnected = false;
  let failures = 0;
  let session: http2.ClientHttp2Session | undefined;

  const connect = (): void => {
    if (stopped) return;
    let connected = false;
    const s = http2.connect(`http://${options.address}`);
    session = s;
    const timer = setTimeout(
      () => s.destroy(new Error("connect timeout")),
      options.connectTimeoutMs ?? 5_000,
    );
    timer.unref();
    s.on("connect", () => {
      connected = true;
      everConnected = true;
      failures = 0;
      clearTimeout(timer);
      s.unref();
    });
    s.on("error", () => undefined); // "close" follows and decides
    s.on("close", () => {
      clearTimeout(timer);
      if (stopped) return;
      if (connected) return connect(); // it was open: is the engine still there?
      if (!everConnected) {
        stopped = true; // never reached it: do not guess
        return;
      }
      if (++failures >= attempts) {
        stopped = true;
        options.onGone();
        return;
      }
      setTimeout(connect, options.retryMs ?? 500).unref();
    });
  };

  connect();
  return () => {
    stopped = true;
    session?.destroy();
  };
}
