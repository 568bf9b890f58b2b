/**
 * The environment that makes the program and provider processes of one `pulumi` command read the
 * given time (see testClockPreload.js, a `--require` preload of the tests): how engine-tier tests move
 * the provider's clock, e.g. to make a password older than `rotateAfter`.
 */
import * as path from "node:path";

/** Environment for a `pulumi` command whose Node processes start their clocks at `iso`. */
export function testClockEnv(iso: string, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const preload = `--require ${path.join(__dirname, "testClockPreload.js")}`;
  return {
    NODE_OPTIONS: [base.NODE_OPTIONS, preload].filter(Boolean).join(" "),
    PULUMI_VOBIZ_TEST_NOW: iso,
  };
}
