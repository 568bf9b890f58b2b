/**
 * `pulumi-resource-vobiz`: the provider plugin's process (bin/pulumi-resource-vobiz checks the
 * Node.js version, then runs this). It serves the plugin on a loopback port and prints the port,
 * the one line the engine reads from its stdout; everything else goes to stderr.
 *
 * Interrupts: a Ctrl-C in a terminal reaches the whole process group, the plugin included, while
 * the engine cancels gracefully and waits for the operations in flight. A plugin that died at once
 * would lose creates Vobiz had already applied, so while a write is in flight SIGINT is ignored;
 * when idle (the engine's own SIGINT at shutdown included) the process ends as by default.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createPluginProvider, type PluginProvider } from "./provider";
import { servePlugin } from "./server";

/** The package's version: dist/adapters/plugin/main.js sits three levels below package.json. */
function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

function installInterruptGuard(provider: PluginProvider): void {
  const onInterrupt = () => {
    if (provider.writesInFlight() > 0) return;
    process.removeListener("SIGINT", onInterrupt);
    process.kill(process.pid, "SIGINT");
  };
  process.on("SIGINT", onInterrupt);
}

async function main(): Promise<void> {
  const provider = createPluginProvider({ version: packageVersion() });
  const { port } = await servePlugin(provider);
  installInterruptGuard(provider);
  process.stdout.write(`${port}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `pulumi-resource-vobiz could not start: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
