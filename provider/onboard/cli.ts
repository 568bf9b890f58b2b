#!/usr/bin/env node
/**
 * `vobiz-onboard`: brings an existing Vobiz account under Pulumi. The default command reads every
 * credential of the account and writes, one entry per credential adopting it with its live
 * password kept, the YAML file `examples/fleet` reads, or (`--format`, formats.ts) a Pulumi YAML
 * program or an import file for `pulumi import --file`; `vobiz-onboard check` is the read-only
 * first-contact check. Every failure prints one clear line, exits non-zero and writes nothing:
 * 1 when the command failed, 2 for a usage error (followed by one line naming `--help`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  findSetting,
  flagSettings,
  resolveSettings,
  SETTINGS,
  type ResolvedSettings,
} from "../settings/settings";
import { VobizError } from "../common/errors";
import type { RetryOptions } from "../http/retry";
import { usernameMatcher } from "../lifecycle/lookups";
import { FORMAT_NAMES, isFormatName, ONBOARD_FORMATS, type OnboardFormat } from "./formats";
import { describeReport, firstContact } from "./firstContact";

const USAGE = `Usage:
  vobiz-onboard [--out FILE] [--filter PATTERN] [--force]   write the fleet file for the account
  vobiz-onboard check                                       read-only first-contact check

Connection and client settings (the same as the provider's; a flag wins over the variable):
${flagSettings()
  .map(
    ([, s]) =>
      `  --${`${s.flag} VALUE`.padEnd(31)} ${s.doc} (default: ${s.env}${s.default !== undefined ? `, else ${String(s.default)}` : ""})`,
  )
  .join("\n")}
  The Auth Token is read from ${SETTINGS.authToken.env} only, so it never shows in a process list.

Options:
  --out FILE          where to write it (default: credentials.yaml; Main.yaml; vobiz-import.json)
  --format FORMAT     fleet (examples/fleet's file), yaml-program (a Pulumi YAML program) or
                      import-file (for pulumi import --file); default fleet
  --filter PATTERN    only usernames matching PATTERN (* and ?; several separated by commas)
  --force             overwrite FILE if it exists
  -h, --help          this text

Exit status: 0 done (check: the account answered), 1 the command failed (nothing was written),
2 a usage error (this text says how to call it).
`;

/** The one line a usage error ends with: where the full usage is. */
const HELP_HINT = "Run `vobiz-onboard --help` for the usage.";

class UsageError extends Error {}

/** A CLI's retries: a few quick ones, so a wrong URL fails in seconds rather than minutes. */
const CLI_RETRY: Partial<RetryOptions> = { maxAttempts: 3, maxDelayMs: 2_000, maxElapsedMs: 30_000 };

interface Io {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(flagSettings().map(([, s]) => [s.flag!, { type: "string" as const }])),
        out: { type: "string" },
        format: { type: "string" },
        filter: { type: "string" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    if (positionals.length > 1 || (positionals[0] !== undefined && positionals[0] !== "check")) {
      throw new UsageError(`unknown command '${positionals.join(" ")}'; the only subcommand is 'check'`);
    }
    const flags = values as Record<string, string | undefined>;
    const conn = resolveSettings({ flags, env: io.env });
    // The CLI's quick retries, unless the user set a retry budget.
    const retryWait = findSetting("maxRetryWait", { flags, env: io.env });
    const retry = { ...CLI_RETRY, ...(retryWait !== undefined ? { maxElapsedMs: retryWait * 1000 } : {}) };
    if (positionals[0] === "check") {
      if (
        values.out !== undefined ||
        values.filter !== undefined ||
        values.format !== undefined ||
        values.force
      ) {
        throw new UsageError("'check' writes nothing: --out, --format, --filter and --force do not apply");
      }
      io.out(describeReport(conn, await firstContact(conn, retry)));
      return 0;
    }
    const format = values.format ?? FORMAT_NAMES[0];
    if (!isFormatName(format)) {
      throw new UsageError(`--format must be ${FORMAT_NAMES.join(", ")}; got ${JSON.stringify(format)}`);
    }
    return await writeDeclarations(conn, retry, ONBOARD_FORMATS[format], values, io);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && "code" in e)) {
      io.err(`vobiz-onboard: ${e.message}\n${HELP_HINT}\n`);
      return 2;
    }
    if (e instanceof VobizError) {
      io.err(`vobiz-onboard: ${e.message}\nNothing was written.\n`);
      return 1;
    }
    throw e;
  }
}

async function writeDeclarations(
  conn: ResolvedSettings,
  retry: Partial<RetryOptions>,
  format: OnboardFormat,
  values: { out?: string; filter?: string; force?: boolean },
  io: Io,
): Promise<number> {
  const out = path.resolve(io.cwd, values.out ?? format.defaultFile);
  if (values.filter !== undefined && values.filter.trim() === "") {
    throw new UsageError("--filter must not be empty");
  }
  // Refuse before reading the account: a mistake costs no requests.
  if (!values.force && fs.existsSync(out)) {
    io.err(`vobiz-onboard: ${out} already exists; pass --force to overwrite it. Nothing was written.\n`);
    return 1;
  }
  if (!fs.existsSync(path.dirname(out))) {
    io.err(`vobiz-onboard: the directory of ${out} does not exist. Nothing was written.\n`);
    return 1;
  }
  const [{ VobizClient }, { optionsOf }] = await Promise.all([
    import("../api/client"),
    import("../api/options"),
  ]);
  const client = new VobizClient({ ...optionsOf(conn), env: io.env, retry });
  const all = await client.listAllCredentials();
  const matches = usernameMatcher(values.filter);
  const selected = all.filter((c) => matches(c.username));
  if (selected.length === 0) {
    io.err(
      `vobiz-onboard: ${
        all.length === 0
          ? `account ${conn.authId} has no credentials`
          : `no username of account ${conn.authId} matches ${JSON.stringify(values.filter)} (${all.length} credential(s) on the account)`
      }. Nothing was written.\n`,
    );
    return 1;
  }
  const text = format.render(selected, {
    authId: conn.authId,
    baseUrl: conn.baseUrl,
    readAt: new Date().toISOString(),
    filter: values.filter,
  });
  // Written beside the target and renamed, so a failure never leaves half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { flag: "wx" });
  fs.renameSync(tmp, out);
  const disabled = selected.filter((c) => !c.enabled).length;
  const described = selected.filter((c) => c.description).length;
  io.out(
    `Wrote ${selected.length} credential(s) of account ${conn.authId} ${format.what}to ${out}` +
      `${values.filter !== undefined ? ` (${all.length - selected.length} filtered out)` : ""}: ` +
      `${selected.length - disabled} enabled, ${disabled} disabled, ${described} with a description.\n` +
      format.next(path.relative(io.cwd, out) || out),
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  }).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(
        `vobiz-onboard: unexpected failure: ${e instanceof Error ? e.message : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
