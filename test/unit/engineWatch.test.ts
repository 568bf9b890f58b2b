/**
 * The dynamic-provider process watches its engine's gRPC address (engineWatch.ts): it calls
 * "gone" only after the engine answered once and then refused connections, never while the engine
 * is alive (also when the engine closes an idle connection), and never when it could not reach the
 * address in the first place. The process-level proof is test/faults/engine-killed.test.ts.
 */
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import { engineAddress, watchEngine } from "../../provider/adapters/dynamic/engineWatch";
import { waitFor } from "../helpers/processes";

/** An HTTP/2 server standing in for the engine's gRPC server, and its open sessions. */
async function fakeEngine(): Promise<{
  address: string;
  sessions: Set<http2.ServerHttp2Session>;
  close(): Promise<void>;
}> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (s) => {
    sessions.add(s);
    s.on("close", () => sessions.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}

test("the engine's address is the last argument, host:port", () => {
  expect(engineAddress(["node", "/x/cmd/dynamic-provider/index.js", "127.0.0.1:40123"])).toBe(
    "127.0.0.1:40123",
  );
  expect(engineAddress(["node", "index.js", "--tracing", "t:1", "-v=9", "localhost:5"])).toBe("localhost:5");
  expect(engineAddress(["node", "index.js", "[::1]:7000"])).toBe("[::1]:7000");
  expect(engineAddress(["node", "index.js"])).toBeUndefined();
  expect(engineAddress(["node", "jest", "test/unit/x.test.ts"])).toBeUndefined();
  expect(engineAddress(["node", "index.js", "127.0.0.1:port"])).toBeUndefined();
});

test("engine killed (its port closes): gone, once", async () => {
  const engine = await fakeEngine();
  let gone = 0;
  const stop = watchEngine({ address: engine.address, onGone: () => gone++, retryMs: 10 });
  try {
    await waitFor(() => engine.sessions.size === 1, 5_000);
    await engine.close();
    await waitFor(() => gone > 0, 5_000);
    await new Promise((r) => setTimeout(r, 100));
    expect(gone).toBe(1);
  } finally {
    stop();
  }
});

test("engine alive but closing the idle connection: the watcher reconnects, not gone", async () => {
  const engine = await fakeEngine();
  let gone = 0;
  const stop = watchEngine({ address: engine.address, onGone: () => gone++, retryMs: 10 });
  try {
    for (let i = 0; i < 3; i++) {
      await waitFor(() => engine.sessions.size === 1, 5_000);
      const [s] = engine.sessions;
      s.close(); // GOAWAY, as a server ending an idle connection does
      await waitFor(() => !engine.sessions.has(s), 5_000);
    }
    await waitFor(() => engine.sessions.size === 1, 5_000);
    expect(gone).toBe(0);
  } finally {
    stop();
    await engine.close();
  }
});

test("an address never reached: no decision (the watcher stops), and stop() ends a watch", async () => {
  const engine = await fakeEngine();
  const { address } = engine;
  await engine.close(); // nothing listens there now
  let gone = 0;
  watchEngine({ address, onGone: () => gone++, retryMs: 10 });
  await new Promise((r) => setTimeout(r, 300));
  expect(gone).toBe(0);

  const alive = await fakeEngine();
  const stop = watchEngine({ address: alive.address, onGone: () => gone++, retryMs: 10 });
  await waitFor(() => alive.sessions.size === 1, 5_000);
  stop();
  await alive.close();
  await new Promise((r) => setTimeout(r, 300));
  expect(gone).toBe(0);
});
