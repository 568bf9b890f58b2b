/**
 * SIGINT in the plugin's process. A Ctrl-C in a terminal reaches the whole process group, the
 * plugin included, while the engine cancels gracefully and waits for the operations in flight;
 * a plugin that died at once would lose creates Vobiz had already applied (orphans). So while a
 * write is in flight the signal is ignored; when idle (the engine's own SIGINT at shutdown
 * included) the process ends as it would by default, at once. The dynamic adapter guards its
 * process the same way (adapters/dynamic/engine.ts).
 */

/** The SIGINT listener for a process whose writes in flight `writesInFlight` counts. */
export function interruptHandler(writesInFlight: () => number): () => void {
  const onInterrupt = (): void => {
    if (writesInFlight() > 0) return;
    process.removeListener("SIGINT", onInterrupt);
    process.kill(process.pid, "SIGINT");
  };
  return onInterrupt;
}
