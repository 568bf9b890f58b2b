/**
 * The onboarding command's output: which live credentials a username filter selects, and the
 * YAML file `examples/fleet` reads, one entry per credential that adopts it keeping its live
 * password. Never a password: the API cannot return one, and the file asks for none.
 */
import type { Credential } from "../contract/wire";

/** A YAML scalar that always reads back as this exact string (a JSON string is a YAML one). */
function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** What the file was made from, for its header comment. */
export interface DeclarationSource {
  authId: string;
  baseUrl: string;
  /** ISO 8601 time of the read. */
  readAt: string;
  filter?: string;
}

/**
 * The fleet file for these credentials (sorted by username, so a re-run diffs cleanly): each
 * entry `username`, `enabled`, `description` (when set) and `adoptExisting: keepPassword`.
 */
export function renderFleetYaml(credentials: readonly Credential[], source: DeclarationSource): string {
  const sorted = [...credentials].sort((a, b) =>
    a.username < b.username ? -1 : a.username > b.username ? 1 : 0,
  );
  const lines = [
    `# Written by vobiz-onboard from Vobiz account ${source.authId} (${source.baseUrl})`,
    `# at ${source.readAt}${source.filter !== undefined ? `, usernames matching ${JSON.stringify(source.filter)}` : ""}: ${sorted.length} credential(s).`,
    "# Each entry adopts the existing credential and keeps its live password (no phone is reset).",
    "# To rotate one after the first `pulumi up`, add a `passwordKey` naming a secret stack config",
    "# key (pulumi config set --secret <key> ...): the next `pulumi up` sends it with one PUT.",
    "credentials:",
  ];
  for (const c of sorted) {
    lines.push(`  - username: ${yamlString(c.username)}`);
    lines.push(`    enabled: ${c.enabled ? "true" : "false"}`);
    if (c.description) lines.push(`    description: ${yamlString(c.description)}`);
    lines.push("    adoptExisting: keepPassword");
  }
  return `${lines.join("\n")}\n`;
}
