// Manages every credential listed in credentials.yaml. Each entry is validated before any API
// call: a typo in a username or a missing password key fails `pulumi preview` with the entry named.
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { VobizCredential } from "pulumi-vobiz";

interface Entry {
  username: string;
  passwordKey: string;
  enabled?: boolean;
  description?: string;
  adoptExisting?: boolean;
}

const file = path.join(__dirname, "credentials.yaml");
const doc = parse(fs.readFileSync(file, "utf8")) as { credentials?: Entry[] };
const config = new pulumi.Config();

const seen = new Set<string>();
export const credentials: Record<string, pulumi.Output<string>> = {};
for (const [i, entry] of (doc.credentials ?? []).entries()) {
  if (!entry?.username) throw new Error(`${file}: entry ${i + 1} has no username`);
  if (seen.has(entry.username)) throw new Error(`${file}: username '${entry.username}' is listed twice`);
  seen.add(entry.username);
  if (!entry.passwordKey) throw new Error(`${file}: '${entry.username}' has no passwordKey`);
  // The resource name is the username, so reordering the file never replaces anything.
  const c = new VobizCredential(entry.username, {
    username: entry.username,
    password: config.requireSecret(entry.passwordKey),
    enabled: entry.enabled,
    description: entry.description,
    adoptExisting: entry.adoptExisting,
  });
  credentials[entry.username] = c.realm;
}
