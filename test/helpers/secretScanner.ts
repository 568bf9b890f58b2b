/**
 * The secret scanner every end-to-end and fault scenario ends with: it searches the engine's
 * stdout/stderr, every file the run wrote (state, config, Pulumi logs), `pulumi stack export`
 * and the sandbox journal for each plain secret (passwords, the auth token), also in their JSON-
 * and base64-encoded forms, and reports every hit with where it was found.
 */
import * as fs from "node:fs";
import type { PulumiWorkspace } from "./engine";

export interface SecretHit {
  /** Which secret (its label, never its value). */
  secret: string;
  /** Where it was found. */
  where: string;
}

/** Forms a secret may take in text: as is, JSON-escaped (also as Go's encoder escapes `&<>`), base64. */
function forms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const goJson = json.replace(/[&<>]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
  return [...new Set([value, json, goJson, Buffer.from(value).toString("base64")])];
}

/** Searches named texts for labelled secrets. */
export function scanTexts(secrets: Record<string, string>, texts: Record<string, string>): SecretHit[] {
  const hits: SecretHit[] = [];
  for (const [label, value] of Object.entries(secrets)) {
    if (!value || value.length < 4) throw new Error(`secret '${label}' is too short to scan for reliably`);
    for (const [where, text] of Object.entries(texts)) {
      if (forms(value).some((f) => text.includes(f))) hits.push({ secret: label, where });
    }
  }
  return hits;
}

/**
 * Scans everything a workspace produced: the output of every command it ran (but those asked to
 * reveal secrets with --show-secrets), every file under its directories (the state, its history
 * of earlier checkpoints, the config, Pulumi's logs), `pulumi stack export` (secrets hidden; run
 * here unless the caller passes its output), plus any extra texts (e.g. the sandbox journal).
 */
export async function scanWorkspace(
  ws: PulumiWorkspace,
  secrets: Record<string, string>,
  extra: Record<string, string> = {},
  exported?: string,
): Promise<SecretHit[]> {
  const texts: Record<string, string> = { ...extra };
  texts["pulumi stack export"] = exported ?? (await ws.run(["stack", "export"], { check: false })).stdout;
  ws.history.forEach((r, i) => {
    if (r.args.includes("--show-secrets")) return; // asked to reveal secrets, by design
    texts[`#${i} pulumi ${r.args.join(" ")} (stdout)`] = r.stdout;
    texts[`#${i} pulumi ${r.args.join(" ")} (stderr)`] = r.stderr;
  });
  for (const file of ws.files()) {
    const buf = fs.readFileSync(file);
    if (buf.length < 50 * 1024 * 1024) texts[file] = buf.toString("latin1");
  }
  return scanTexts(secrets, texts);
}

/** Formats hits for a failing assertion without printing any secret. */
export function describeHits(hits: SecretHit[]): string {
  return hits.map((h) => `${h.secret} found in ${h.where}`).join("\n");
}
