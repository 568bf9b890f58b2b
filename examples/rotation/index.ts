// Two ways to rotate a SIP password.
//
// 1. Stored (default): the password is a secret input, kept encrypted in state. Rotate by
//    setting a new value: `pulumi config set --secret deskPassword <new>` then `pulumi up`
//    (one PUT that carries only the password).
//
// 2. Write-only: the provider reads the password from an environment variable (or stack config)
//    only when it creates or rotates, and state keeps just the reference and a version. Rotate by
//    changing the value and bumping the version:
//      export GATE_SIP_PASSWORD=<new>; pulumi config set passwordVersion 2; pulumi up
import * as pulumi from "@pulumi/pulumi";
import { VobizCredential } from "pulumi-vobiz";

const config = new pulumi.Config();

export const stored = new VobizCredential("desk", {
  username: "rotation_desk",
  password: config.requireSecret("deskPassword"),
}).username;

export const writeOnly = new VobizCredential("gate", {
  username: "rotation_gate",
  passwordFrom: { env: "GATE_SIP_PASSWORD" },
  passwordVersion: config.getNumber("passwordVersion") ?? 1,
}).username;
