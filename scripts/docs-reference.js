#!/usr/bin/env node
// Writes the VobizCredential reference tables into README.md from the contract and the settings
// (`npm run docs:reference`); with --check, only says whether README.md is up to date.
// The TypeScript sources are loaded through the compiler's own transpileModule, so no build and
// no extra loader package are needed.
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

require.extensions[".ts"] = (module, filename) => {
  const source = fs.readFileSync(filename, "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: filename,
  });
  module._compile(outputText, filename);
};

const { withReference } = require("./readme-reference.ts");
const file = path.join(__dirname, "..", "README.md");
const current = fs.readFileSync(file, "utf8");
const wanted = withReference(current);
if (process.argv.includes("--check")) {
  if (current !== wanted) {
    console.error("README.md's reference is out of date: run `npm run docs:reference`.");
    process.exit(1);
  }
  console.log("README.md's reference is up to date.");
} else if (current !== wanted) {
  fs.writeFileSync(file, wanted);
  console.log("README.md: reference tables rewritten from the contract and the settings.");
} else {
  console.log("README.md: reference tables already up to date.");
}
