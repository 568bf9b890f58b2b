/**
 * Runs the installed `vobiz-onboard` command of a stack fixture's project, as a user runs it
 * from the project directory: the bin that `npm install` linked, no inherited environment
 * beyond PATH.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { StackFixture } from "./stackFixture";

export interface OnboardRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `vobiz-onboard <args>` in the fixture's project. Without `env` the command gets the fixture's
 * account (VOBIZ_AUTH_ID, VOBIZ_AUTH_TOKEN, VOBIZ_BASE_URL); with it, exactly PATH plus `env`.
 */
export function runOnboard(
  f: StackFixture,
  args: string[],
  env?: Record<string, string>,
): Promise<OnboardRun> {
  const bin = path.join(path.dirname(f.ws.dir), "node_modules", ".bin", "vobiz-onboard");
  const vars = env ?? {
    VOBIZ_AUTH_ID: f.authId,
    VOBIZ_AUTH_TOKEN: f.authToken,
    VOBIZ_BASE_URL: f.sandbox.baseUrl,
  };
  return new Promise((done) =>
    execFile(bin, args, { cwd: f.ws.dir, env: { PATH: process.env.PATH, ...vars } }, (e, stdout, stderr) =>
      done({ code: e ? Number(e.code) : 0, stdout, stderr }),
    ),
  );
}
