#!/usr/bin/env node
// `npm run faults:report`: copies what the faults tier measured into the tracked report. A test
// run writes its rows only to an untracked results file (test/helpers/faultsResults.ts: RESULTS_FILE);
// this merges those rows into docs/faults-results.json (a row replaces the one with its id) and
// re-renders docs/faults-report.md. The TypeScript modules are transpiled on load with the
// project's own compiler (no separate TypeScript runner needed).
"use strict";
const fs = require("node:fs");
const ts = require("typescript");

require.extensions[".ts"] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, filename);
};

const results = require("../test/helpers/faultsResults.ts");

async function main() {
  const fresh = results.readResults(results.RESULTS_FILE);
  if (fresh.length === 0) {
    console.error(`No measured rows in ${results.RESULTS_FILE}: run \`npm run test:faults\` first.`);
    process.exit(1);
  }
  const all = results.mergeResults(results.readResults(results.DOCS_RESULTS_FILE), fresh);
  await results.writeResults(all, results.DOCS_RESULTS_FILE, results.DOCS_REPORT_FILE);
  const ids = fresh.map((r) => r.id).join(", ");
  console.log(`Merged ${fresh.length} measured row(s) (${ids}) into docs/faults-results.json;`);
  console.log("re-rendered docs/faults-report.md.");
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
