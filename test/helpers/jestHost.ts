/**
 * Reaching the Node process that hosts jest, outside jest's sandbox. jest runs each test file in
 * its own VM context (a JavaScript realm) with its own globals (`Promise`, `Error`, a copy of
 * `process`); the host process is where natively loaded modules run and where process-wide
 * settings such as the time zone live. Tests rarely need this; the nock loader (./nock) and the
 * time-zone tests do. (Nothing here is about SIP realms.)
 */
import Module from "node:module";

/** Node's real `createRequire`: jest replaces `module.createRequire`, but its class extends Node's. */
export function hostCreateRequire(): typeof Module.createRequire {
  const host = Object.getPrototypeOf(Module) as Partial<typeof Module> | undefined;
  return typeof host?.createRequire === "function" ? host.createRequire : Module.createRequire;
}

/** The host realm's global named `name` (a host function's constructor is the host's `Function`). */
export function hostGlobal<T>(name: string): T {
  const HostFunction = (hostCreateRequire() as unknown as { constructor: FunctionConstructor }).constructor;
  return new HostFunction(`return ${name}`)() as T;
}

/**
 * Sets the process time zone (`TZ` of the host process, which Node applies at once to every
 * realm's `Date`) and returns a function restoring the previous one. jest's sandbox `process.env`
 * is a copy, so setting `process.env.TZ` in a test has no effect.
 */
export function setHostTimeZone(tz: string): () => void {
  const env = hostGlobal<NodeJS.Process>("process").env;
  const previous = env.TZ;
  env.TZ = tz;
  return () => {
    if (previous === undefined) delete env.TZ;
    else env.TZ = previous;
  };
}
