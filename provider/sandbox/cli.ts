#!/usr/bin/env node
/**
 * `vobiz-sandbox`: runs the Vobiz credentials API sandbox until SIGINT or SIGTERM (exit 0). Exits 1
 * when it cannot start, 2 on a usage error (one line, then one naming `--help`).
 *
 * Prints `Vobiz sandbox listening on URL (base URL URL/api/v1)` and a line with the accounts, or
 * with `--json` one JSON line `{ url, baseUrl, accounts: [{ authId, authToken? }] }` for scripts.
 */
import { parseArgs } from "node:util";
import { startSandbox } from "./server";
import type { RateLimitInput } from "./ratelimit";
import { parseSwitchAssignment } from "./switches";
import type { SandboxAccount, SandboxOptions, StartupAccount } from "./types";

const USAGE = `Usage: vobiz-sandbox [options]
  --port <n>             port to listen on (default 0: any free port)
  --host <address>       interface to listen on (default 127.0.0.1)
  --account <ID:token>   an account (repeatable); default: one generated account
  --data <file.json>     keep state in this file (loaded at start, rewritten on every change)
  --latency <ms>         delay added to every API request
  --seed <n>             seed of the fault-injection PRNG (default 1)
  --switch <name=value>  behaviour switch (repeatable), e.g. singleGet=false, listTotalField=total_count
  --rate-limit <rps>     answer 429 past this many requests per second per account (default: no limit)
  --rate-burst <n>       requests an account may send at once under --rate-limit (default: ceil(rps))
  --json                 print one JSON line {url, baseUrl, accounts} instead of text
  -h, --help             show this help

Exit status: 0 stopped by SIGINT or SIGTERM, 1 could not start (or stop), 2 a usage error.`;

class UsageError extends Error {}

function parseInteger(name: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`--${name} must be an integer >= ${min}`);
  return Number(raw);
}

function parseAccount(raw: string): SandboxAccount {
  const colon = raw.indexOf(":");
  if (colon <= 0 || colon === raw.length - 1) throw new UsageError(`--account must be AUTH_ID:TOKEN`);
  return { authId: raw.slice(0, colon), authToken: raw.slice(colon + 1) };
}

/** `--rate-limit 2 --rate-burst 5` as a rate limit (checked in full by `startSandbox`). */
function parseRateLimitFlags(
  rate: string | undefined,
  burst: string | undefined,
): RateLimitInput | undefined {
  if (rate === undefined) {
    if (burst !== undefined) throw new UsageError("--rate-burst needs --rate-limit");
    return undefined;
  }
  if (!/^\d+(\.\d+)?$/.test(rate) || !(Number(rate) > 0)) {
    throw new UsageError("--rate-limit must be a number of requests per second > 0");
  }
  const limit: RateLimitInput = { requestsPerSecond: Number(rate) };
  const n = parseInteger("rate-burst", burst, 1);
  if (n !== undefined) limit.burst = n;
  return limit;
}

/** Turns the command line into sandbox options (throws {@link UsageError}). */
function toOptions(argv: string[]): { options: SandboxOptions; json: boolean; help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        account: { type: "string", multiple: true },
        data: { type: "string" },
        latency: { type: "string" },
        seed: { type: "string" },
        switch: { type: "string", multiple: true },
        "rate-limit": { type: "string" },
        "rate-burst": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const options: SandboxOptions = {};
  const port = parseInteger("port", values.port, 0);
  if (port !== undefined) options.port = port;
  if (values.host !== undefined) options.host = values.host;
  if (values.account) options.accounts = values.account.map(parseAccount);
  if (values.data !== undefined) options.persistPath = values.data;
  const latency = parseInteger("latency", values.latency, 0);
  if (latency !== undefined) options.latencyMs = latency;
  const seed = parseInteger("seed", values.seed, 0);
  if (seed !== undefined) options.seed = seed;
  if (values.switch) {
    try {
      options.switches = Object.assign({}, ...values.switch.map(parseSwitchAssignment));
    } catch (err) {
      throw new UsageError(`--switch: ${(err as Error).message}`);
    }
  }
  const rateLimit = parseRateLimitFlags(values["rate-limit"], values["rate-burst"]);
  if (rateLimit) options.rateLimit = rateLimit;
  return { options, json: values.json === true, help: values.help === true };
}

/**
 * The accounts line. Tokens the user passed are not echoed; a generated token is printed, because
 * the user has no other way to learn it. Accounts loaded from the data file show no token (only
 * its hash is stored).
 */
function describeAccounts(accounts: readonly StartupAccount[]): string {
  const parts = accounts.map((a) =>
    a.generated && a.authToken ? `${a.authId} (generated token: ${a.authToken})` : a.authId,
  );
  return `Accounts: ${parts.join(", ")}`;
}

/** Runs the CLI; resolves with the exit code once the sandbox has stopped (or failed to start). */
export async function main(argv: string[] = process.argv.slice(2)): Promise<number> {
  let parsed: ReturnType<typeof toOptions>;
  try {
    parsed = toOptions(argv);
  } catch (err) {
    process.stderr.write(
      `vobiz-sandbox: ${(err as Error).message}\nRun \`vobiz-sandbox --help\` for the usage.\n`,
    );
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let sandbox;
  try {
    sandbox = await startSandbox(parsed.options);
  } catch (err) {
    process.stderr.write(`vobiz-sandbox: cannot start: ${(err as Error).message}\n`);
    return 1;
  }
  if (parsed.json) {
    const accounts = sandbox.startupAccounts.map((a) =>
      a.authToken === undefined ? { authId: a.authId } : { authId: a.authId, authToken: a.authToken },
    );
    process.stdout.write(`${JSON.stringify({ url: sandbox.url, baseUrl: sandbox.baseUrl, accounts })}\n`);
  } else {
    process.stdout.write(`Vobiz sandbox listening on ${sandbox.url} (base URL ${sandbox.baseUrl})\n`);
    process.stdout.write(`${describeAccounts(sandbox.startupAccounts)}\n`);
    const limit = sandbox.rateLimit.get();
    if (limit) {
      process.stdout.write(
        `Rate limit: ${limit.requestsPerSecond} requests per second per account, burst ${limit.burst}\n`,
      );
    }
  }
  const running = sandbox;
  return new Promise<number>((resolve) => {
    const shutdown = () => {
      process.off("SIGINT", shutdown);
      process.off("SIGTERM", shutdown);
      running.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
  });
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`vobiz-sandbox: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
