/**
 * What the onboarding command can write (`--format`): the fleet file `examples/fleet` reads (a
 * TypeScript program), a Pulumi YAML program of `vobiz:index:Credential` resources, or an import
 * file for `pulumi import --file`. Each adopts every credential keeping its live password; each
 * format names its default file and the next step to print. The package formats also give every
 * credential a resource name (the username when it is a plain name, else a derived one, unique).
 */
import type { Credential } from "../contract/wire";
import { renderFleetYaml, type DeclarationSource } from "./declarations";

/** The package's resource type token (the plugin's schema serves the same; a unit test ties them). */
export const CREDENTIAL_TYPE = "vobiz:index:Credential";

/** A format the command writes. */
export interface OnboardFormat {
  /** The file written when `--out` is not given. */
  defaultFile: string;
  /** The file's text. */
  render(credentials: readonly Credential[], source: DeclarationSource): string;
  /** How the summary names the file's kind (`"as an import file "`; empty for the fleet file). */
  what: string;
  /** The lines after the summary: what the file does and the next step (`file` is the path written). */
  next(file: string): string;
}

/** The formats by `--format` name; the first is the default. */
export const ONBOARD_FORMATS = {
  fleet: {
    defaultFile: "credentials.yaml",
    render: renderFleetYaml,
    what: "",
    next: () =>
      "Each adopts the existing credential and keeps its live password (adoptExisting: keepPassword).\n" +
      "Next: point the fleet program at this file and run `pulumi preview`, then `pulumi up`.\n",
  },
  "yaml-program": {
    defaultFile: "Main.yaml",
    render: renderYamlProgram,
    what: "as a Pulumi YAML program ",
    next: () =>
      "Each resource adopts the existing credential and keeps its live password (adoptExisting: keepPassword).\n" +
      "Next: keep it beside a Pulumi.yaml with `runtime: yaml` that loads the vobiz plugin, set vobiz:authId and\n" +
      "vobiz:authToken (--secret), run `pulumi preview`, then `pulumi up` (it writes only what you change).\n",
  },
  "import-file": {
    defaultFile: "vobiz-import.json",
    render: renderImportFile,
    what: "as an import file ",
    next: (file) =>
      "Next, in a Pulumi project that loads the vobiz plugin (vobiz:authId and vobiz:authToken set):\n" +
      `  pulumi import --file ${file} --out imported.yaml\n` +
      "imports them writing nothing (each keeps its live password: adoptExisting: keepPassword); add the\n" +
      "generated code to the program, then `pulumi preview --expect-no-changes` shows no change.\n",
  },
} satisfies Record<string, OnboardFormat>;

/** A `--format` value. */
export type OnboardFormatName = keyof typeof ONBOARD_FORMATS;

/** The `--format` values, the default first. */
export const FORMAT_NAMES = Object.keys(ONBOARD_FORMATS) as OnboardFormatName[];

/** Whether `value` names a format. */
export function isFormatName(value: string): value is OnboardFormatName {
  return Object.prototype.hasOwnProperty.call(ONBOARD_FORMATS, value);
}

/** A name that reads as itself in Pulumi YAML, PCL and every SDK's code generator. */
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/**
 * A resource name per credential, in the order given: the username when it is a plain name (a
 * letter, then letters, digits, `_` and `-`: usernames are unique per account, so these are
 * too), else `c_` and the username with any other character as `_`, with `_2`, `_3`, ... when
 * that is taken.
 */
export function resourceNames(usernames: readonly string[]): string[] {
  const taken = new Set(usernames.filter((u) => PLAIN_NAME.test(u)));
  return usernames.map((u) => {
    if (PLAIN_NAME.test(u)) return u;
    const base = `c_${u.replace(/[^A-Za-z0-9_-]/g, "_")}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  });
}

/** The credentials sorted by username, so a re-run diffs cleanly. */
function byUsername(credentials: readonly Credential[]): Credential[] {
  return [...credentials].sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}

/** A YAML scalar that always reads back as this exact string (a JSON string is a YAML one). */
const yamlString = (value: string): string => JSON.stringify(value);

/**
 * A Pulumi YAML program (Main.yaml) with one `vobiz:index:Credential` per credential: `username`,
 * `enabled`, `description` (when set) and `adoptExisting: keepPassword`. Never a password.
 */
export function renderYamlProgram(credentials: readonly Credential[], source: DeclarationSource): string {
  const sorted = byUsername(credentials);
  const names = resourceNames(sorted.map((c) => c.username));
  const lines = [
    `# Written by vobiz-onboard from Vobiz account ${source.authId} (${source.baseUrl})`,
    `# at ${source.readAt}${source.filter !== undefined ? `, usernames matching ${JSON.stringify(source.filter)}` : ""}: ${sorted.length} credential(s).`,
    "# A Pulumi YAML program: each resource adopts the existing credential and keeps its live",
    "# password (no phone is reset). To rotate one after the first `pulumi up`, add",
    '# `passwordFrom: { config: "vobiz:<key>" }` (pulumi config set --secret vobiz:<key> ...) or a',
    "# `password`: the next `pulumi up` sends it with one PUT.",
    "resources:",
  ];
  sorted.forEach((c, i) => {
    lines.push(`  ${yamlString(names[i])}:`, `    type: ${CREDENTIAL_TYPE}`, "    properties:");
    lines.push(`      username: ${yamlString(c.username)}`);
    lines.push(`      enabled: ${c.enabled ? "true" : "false"}`);
    if (c.description) lines.push(`      description: ${yamlString(c.description)}`);
    lines.push("      adoptExisting: keepPassword");
  });
  return `${lines.join("\n")}\n`;
}

/**
 * An import file for `pulumi import --file`: `{ resources: [{ type, name, id }] }`, one per
 * credential. What each imports is the lifecycle's: an adoption keeping the live password.
 */
export function renderImportFile(credentials: readonly Credential[]): string {
  const sorted = byUsername(credentials);
  const names = resourceNames(sorted.map((c) => c.username));
  const resources = sorted.map((c, i) => ({ type: CREDENTIAL_TYPE, name: names[i], id: c.id }));
  return `${JSON.stringify({ resources }, null, 2)}\n`;
}
