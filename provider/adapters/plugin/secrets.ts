/**
 * Secrets as the engine's provider protocol writes them in property values: an object holding
 * the signature key with the secret signature and the value. The plugin tells the engine it does
 * not accept secrets, so the engine sends plain values and keeps the secret bit of every input
 * itself; the plugin marks secret only what the contract makes secret (the password) in the
 * values it returns, and unwraps the configuration the engine always sends with secrets.
 */

/** The key that marks a special value (pulumi/pulumi `sig.Key`). */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
/** The signature of a secret (pulumi/pulumi `sig.Secret`). */
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

/** A secret in the protocol's form. */
export interface WireSecret {
  [SIGNATURE_KEY]: typeof SECRET_SIGNATURE;
  value: unknown;
}

/** Wraps a value as a secret. */
export function asSecret(value: unknown): WireSecret {
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** Whether a value is a secret in the protocol's form. */
export function isSecret(value: unknown): value is WireSecret {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SIGNATURE_KEY] === SECRET_SIGNATURE
  );
}

/** The value with every secret (at any depth) replaced by what it holds. */
export function revealSecrets(value: unknown): unknown {
  if (isSecret(value)) return revealSecrets(value.value);
  if (Array.isArray(value)) return value.map(revealSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revealSecrets(v)]));
  }
  return value;
}

/** A copy of `props` with the named top-level properties (when present) wrapped as secrets. */
export function withSecrets(
  props: Record<string, unknown>,
  names: readonly string[],
): Record<string, unknown> {
  const out = { ...props };
  for (const name of names) {
    if (out[name] !== undefined && !isSecret(out[name])) out[name] = asSecret(out[name]);
  }
  return out;
}
