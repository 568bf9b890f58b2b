/**
 * The provider's configuration as the engine hands it to the plugin: for the default provider the
 * stack's `vobiz:*` config, for an explicit provider (`pulumi:providers:vobiz`) its properties,
 * both keyed by setting name (`authId`, `authToken`, ...). The lifecycle reads settings by config
 * key (`vobiz:authId`), exactly as from the dynamic provider's stack config, so the settings
 * module resolves them the same way (configuration, then `VOBIZ_*`, then defaults). Only the
 * `vobiz` namespace reaches a plugin: a `passwordFrom: { config }` key outside it gets an error
 * saying so.
 */
import { VobizConfigError } from "../../common/errors";
import type { ConfigSource } from "../../settings/settings";
import { SETTINGS } from "../../settings/settings";
import { PACKAGE_NAME } from "./schema";
import { revealSecrets, withSecrets } from "./secrets";

/** A configuration value as the lifecycle reads config: a string (non-strings as JSON). */
function asConfigText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The provider's properties (from `Configure`, secrets in any form) as the config source the
 * lifecycle reads: `vobiz:<name>` is property `<name>`.
 */
export function providerConfigSource(properties: Record<string, unknown>): ConfigSource {
  const values = revealSecrets(properties) as Record<string, unknown>;
  const prefix = `${PACKAGE_NAME}:`;
  return {
    get(key) {
      if (key.startsWith(prefix)) return asConfigText(values[key.slice(prefix.length)]);
      const suggested = `${prefix}${key.split(":").pop()}`;
      throw new VobizConfigError(
        `passwordFrom: stack config '${key}' does not reach the ${PACKAGE_NAME} provider plugin: a Pulumi ` +
          `package's provider receives only the '${prefix}' config namespace (or its explicit provider's ` +
          `properties). Set the password with \`pulumi config set --secret ${suggested} <password>\` and use ` +
          `passwordFrom: { config: "${suggested}" }, or pass the secret config value as \`password\`.`,
      );
    },
  };
}

/** The secret settings (the Auth Token), by property name. */
export const SECRET_SETTINGS: readonly string[] = Object.entries(SETTINGS)
  .filter(([, s]) => s.secret === true)
  .map(([name]) => name);

/**
 * `CheckConfig`: the provider's properties as they are, with the secret settings marked secret
 * (an explicit provider may be given the token as a plain value; state then still holds it
 * encrypted). Malformed or missing settings fail at the first resource's `check`, with the same
 * message as in the dynamic provider.
 */
export function checkProviderConfig(news: Record<string, unknown>): Record<string, unknown> {
  return withSecrets(news, SECRET_SETTINGS);
}
