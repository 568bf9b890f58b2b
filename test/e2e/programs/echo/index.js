// A JavaScript program (no type checker) that hands secret config values to inputs check
// rejects: `description` with a control character, and a misspelt property. The engine prints a
// failing property's value, so the provider must report these failures without their property.
"use strict";
const pulumi = require("@pulumi/pulumi");
const { VobizCredential } = require("pulumi-vobiz");

const config = new pulumi.Config();
const mode = config.require("mode");
const args = { username: "echo_user", password: config.requireSecret("pw") };
if (mode === "description") args.description = config.requireSecret("desc").apply((d) => `${d}\u0001`);
if (mode === "misspelt") args.descripton = config.requireSecret("desc");
if (mode === "both") {
  args.description = config.requireSecret("desc").apply((d) => `${d}\u0001`);
  args.sipSecret = config.requireSecret("desc");
}
new VobizCredential("echo", args);
