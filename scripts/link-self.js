#!/usr/bin/env node
// Links node_modules/pulumi-vobiz to this checkout, so the examples and the root Pulumi project
// resolve `pulumi-vobiz` (and the serialized provider's `require("pulumi-vobiz/provider")`) to
// the local build, as they would resolve an installed package. npm refuses a package that
// depends on itself, hence this small step, run by `npm run build` (everything that needs the link
// needs the build too). Not an install script (`prepare`): the packed package.json would carry it,
// and npm 11 warns about the install scripts of every package that has one.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const modules = path.join(root, "node_modules");
const link = path.join(modules, "pulumi-vobiz");
if (fs.existsSync(modules)) {
  let current;
  try {
    current = fs.readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== "..") {
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync("..", link, "dir");
  }
}
