/**
 * Start-up probe: how long a benchmark program takes, from process start, to register all of
 * its resources, *without* an engine. Runs in a fresh Node process whose working directory is a
 * project below the consumer directory, so `@pulumi/pulumi` and `pulumi-vobiz` resolve to the
 * installed (packed) packages. Uses the SDK's mocks (`pulumi.runtime.setMocks`), which keep the
 * whole registration path (input serialization, including each dynamic resource's `__provider`
 * closure serialization) but answer RegisterResource in-process.
 *
 * Usage: node startup-probe.js <program index.ts> <project name> <n>
 * Prints one JSON line: times in ms since process start (performance.now()).
 */
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const { performance } = require("node:perf_hooks");

const tBoot = performance.now();
const [programFile, project, nText] = process.argv.slice(2);
const n = Number(nText);
const req = Module.createRequire(path.join(process.cwd(), "probe.js"));

// Transpile-only TypeScript, as the language host does with PULUMI_NODEJS_TRANSPILE_ONLY=true.
const ts = req("typescript");
Module._extensions[".ts"] = (module, filename) => {
  const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  });
  module._compile(out.outputText, filename);
};

const pulumi = req("@pulumi/pulumi");
const tSdk = performance.now();

// Time every closure serialization the SDK does (dynamic/index.js calls it through this module
// object; with the default provider cache, once per provider object).
const closure = req("@pulumi/pulumi/runtime/closure/serializeClosure");
const serializeFunction = closure.serializeFunction;
const serializations = [];
closure.serializeFunction = (fn, args) => {
  const started = performance.now();
  const result = serializeFunction(fn, args);
  result.then(() => serializations.push({ fn, wallMs: performance.now() - started }));
  return result;
};

let registered = 0;
let tAll;
let providerBytes = 0;
let resolveAll;
const all = new Promise((resolve) => (resolveAll = resolve));
pulumi.runtime.setMocks(
  {
    newResource(args) {
      const p = args.inputs.__provider;
      if (typeof p === "string") providerBytes = Math.max(providerBytes, Buffer.byteLength(p));
      if (++registered === n) {
        tAll = performance.now();
        resolveAll();
      }
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return args.inputs;
    },
  },
  project,
  "bench",
  true,
);
pulumi.runtime.setConfig(`${project}:benchPassword`, "Probe-password-0123456789");

req(path.resolve(programFile));
const tConstructed = performance.now();

const timeout = require("node:timers").setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ error: `only ${registered} of ${n} registered` })}\n`);
  process.exit(1);
}, 120_000);

all.then(async () => {
  timeout.unref();
  // The same serialization once more, alone and warm: its cost without the program around it.
  let warmSerializeMs = null;
  if (serializations.length > 0) {
    const started = performance.now();
    await serializeFunction(serializations[0].fn, { allowSecrets: true });
    warmSerializeMs = performance.now() - started;
  }
  process.stdout.write(
    `${JSON.stringify({
      n,
      bootMs: tBoot,
      sdkLoadedMs: tSdk,
      constructedMs: tConstructed,
      allRegisteredMs: tAll,
      registrationMs: tAll - tSdk,
      serializeCalls: serializations.length,
      firstSerializeWallMs: serializations[0]?.wallMs ?? null,
      warmSerializeMs,
      providerBytes,
    })}\n`,
  );
  process.exit(0);
});
