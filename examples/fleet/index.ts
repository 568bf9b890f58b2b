// Manages every credential listed in credentials.yaml (or the file the stack config key
// `credentialsFile` names, e.g. one written by `vobiz-onboard`). Each entry is validated before
// any API call: a typo in a username or a missing password key fails `pulumi preview` with the
// entry named. An entry with `adoptExisting: keepPassword` takes an existing credential over and
// keeps its live password, so it needs no passwordKey.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { VobizCredential } from "pulumi-vobiz";

interface Entry {
  username: string;
  passwordKey?: string;
  enabled?: boolean;
  description?: string;
  adoptExisting?: boolean | "keepPassword";
  /** Removing the entry (or `pulumi destroy`) then only forgets the credential; it stays on Vobiz. */
  retainOnDelete?: boolean;
}

const config = new pulumi.Config();
const file = path.resolve(__dirname, config.get("credentialsFile") ?? "credentials.yaml");
const doc = parse(fs.readFileSync(file, "utf8")) as { credentials?: Entry[] };

const seen = new Set<string>();
export const credentials: Record<string, pulumi.Output<string>> = {};
for (const [i, entry] of (doc.credentials ?? []).entries()) {
  if (!entry?.username) throw new Error(`${file}: entry ${i + 1} has no username`);
  if (seen.has(entry.username)) throw new Error(`${file}: username '${entry.username}' is listed twice`);
  seen.add(entry.username);
  const keepsPassword = entry.adoptExisting === "keepPassword";
  if (!entry.passwordKey && !keepsPassword) {
    throw new Error(`${file}: '${entry.username}' has no passwordKey (or adoptExisting: keepPassword)`);
  }
  // The resource name is the username, so reordering the file never replaces anything.
  const c = new VobizCredential(
    entry.username,
    {
      username: entry.username,
      password: entry.passwordKey ? config.requireSecret(entry.passwordKey) : undefined,
      enabled: entry.enabled,
      description: entry.description,
      adoptExisting: entry.adoptExisting,
    },
    { retainOnDelete: entry.retainOnDelete },
  );
  credentials[entry.username] = c.realm;
}
