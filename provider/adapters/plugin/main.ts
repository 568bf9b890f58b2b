/**
 * `pulumi-resource-vobiz`: the provider plugin's process (bin/pulumi-resource-vobiz checks the
 * Node.js version, then runs this). It serves the plugin on a loopback port and prints the port,
 * the one line the engine reads from its stdout; everything else goes to stderr. SIGINT waits for
 * the writes in flight (interrupt.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { interruptHandler } from "./interrupt";
import { createPluginProvider } from "./provider";
import { servePlugin } from "./server";

/** The package's version: dist/adapters/plugin/main.js sits three levels below package.json. */
function packageVersion(): string {
  const file = path.join(__dirname, "..", "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { version: string }).version;
}

async function main(): Promise<void> {
  const provider = createPluginProvider({ version: packageVersion() });
  const { port } = await servePlugin(provider);
  process.on(
    "SIGINT",
    interruptHandler(() => provider.writesInFlight()),
  );
  process.stdout.write(`${port}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(
    `pulumi-resource-vobiz could not start: ${e instanceof Error ? e.message : String(e)}\n`,
  );
  process.exit(1);
});
