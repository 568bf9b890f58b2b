// A test program whose desired state is a JSON file (spec.json) the test rewrites between runs.
// Passwords come from secret stack config (passwordKey), from another resource's output that is
// unknown at preview (generatedPassword), or, for bad-input tests only, inline.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { VobizCredential, type VobizCredentialArgs } from "pulumi-vobiz";

interface Entry {
  username: unknown;
  passwordKey?: string;
  password?: unknown;
  generatedPassword?: boolean;
  passwordFrom?: VobizCredentialArgs["passwordFrom"];
  passwordVersion?: number;
  enabled?: unknown;
  description?: unknown;
  adoptExisting?: boolean;
  extra?: Record<string, unknown>;
  /** Sets the `import` resource option (to show that dynamic resources cannot be imported). */
  importId?: string;
}

/** A trivial dynamic resource whose output is unknown until it is created. */
const generator: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: `gen-${inputs.seed}`, outs: { value: `Gen-${inputs.seed}-Pw-0123456789` } };
  },
};
class GeneratedPassword extends pulumi.dynamic.Resource {
  declare readonly value: pulumi.Output<string>;
  constructor(name: string, seed: string) {
    super(
      generator,
      name,
      { seed, value: undefined },
      { additionalSecretOutputs: ["value"] },
      "test",
      "Generated",
    );
  }
}

const config = new pulumi.Config();
const spec = JSON.parse(fs.readFileSync("spec.json", "utf8")) as Record<string, Entry>;
const result: Record<string, pulumi.Output<unknown>> = {};
for (const [name, e] of Object.entries(spec)) {
  let password: pulumi.Input<string> | undefined = e.password as string | undefined;
  if (e.passwordKey) password = config.requireSecret(e.passwordKey);
  if (e.generatedPassword) password = new GeneratedPassword(`${name}-pw`, name).value;
  const args = {
    username: e.username,
    password,
    passwordFrom: e.passwordFrom,
    passwordVersion: e.passwordVersion,
    enabled: e.enabled,
    description: e.description,
    adoptExisting: e.adoptExisting,
    ...(e.extra ?? {}),
  } as VobizCredentialArgs;
  const c = new VobizCredential(name, args, e.importId ? { import: e.importId } : undefined);
  result[name] = pulumi
    .all([c.id, c.username, c.realm, c.enabled, c.createdAt])
    .apply(([id, username, realm, enabled, createdAt]) => ({ id, username, realm, enabled, createdAt }));
  result[`${name}Password`] = c.password;
}
export const credentials = result;
