/**
 * Password sources (provider/passwordSource.ts): `password` wins, `passwordFrom` reads the stack
 * config or the environment at call time, and every failure says how to fix it without the value.
 */
import type { CredentialInputs } from "../../provider/contract/table";
import type { ConfigSource } from "../../provider/settings/settings";
import { VobizConfigError } from "../../provider/common/errors";
import { resolvePassword, type PasswordSourceContext } from "../../provider/lifecycle/passwordSource";

const SHORT = "Short_1";
const GOOD = "pw_Source_SECRET_1";

function context(env: NodeJS.ProcessEnv, config?: Record<string, string>): PasswordSourceContext {
  const source: ConfigSource | undefined = config && { get: (k) => config[k] };
  return { env: () => env, config: () => source };
}

const base = { username: "u1", enabled: true, adoptExisting: false } satisfies CredentialInputs;

function failure(fn: () => unknown): VobizConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VobizConfigError) return e;
    throw e;
  }
  throw new Error("expected a VobizConfigError");
}

test("the password input wins", () => {
  expect(resolvePassword({ ...base, password: GOOD }, context({}))).toBe(GOOD);
});

test("reads an environment variable and a stack config key at call time", () => {
  const env: NodeJS.ProcessEnv = {};
  const ctx = context(env, { "proj:sip": GOOD });
  env.SIP_PASSWORD = GOOD;
  expect(resolvePassword({ ...base, passwordFrom: { env: "SIP_PASSWORD" } }, ctx)).toBe(GOOD);
  expect(resolvePassword({ ...base, passwordFrom: { config: "proj:sip" } }, ctx)).toBe(GOOD);
});

test("an unset source names where and how to set it", () => {
  const e = failure(() =>
    resolvePassword({ ...base, passwordFrom: { config: "proj:sip" } }, context({}, {})),
  );
  expect(e.message).toBe(
    "passwordFrom: stack config 'proj:sip' is not set; run `pulumi config set --secret proj:sip <password>`.",
  );
  const env = failure(() =>
    resolvePassword({ ...base, passwordFrom: { env: "SIP_PW" } }, context({ SIP_PW: "" })),
  );
  expect(env.message).toMatch(/^passwordFrom: environment variable SIP_PW .* is not set; export SIP_PW/);
});

test("a too short value fails without showing it, under the given property name", () => {
  const e = failure(() =>
    resolvePassword({ ...base, passwordFrom: { env: "SIP_PW" } }, context({ SIP_PW: SHORT }), "rotation"),
  );
  expect(e.message).toMatch(
    /^rotation: the password in environment variable SIP_PW .* at least 8 characters/,
  );
  expect(e.message).not.toContain(SHORT);
});

test("neither password nor source is a configuration error", () => {
  expect(failure(() => resolvePassword(base, context({}))).message).toBe(
    "The credential needs 'password' or 'passwordFrom'.",
  );
});
