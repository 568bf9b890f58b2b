/**
 * TEMPORARY: the Pulumi package-schema type of each contract field and of each provider setting,
 * until the contract (provider/contract) and the settings (provider/settings) state them in a
 * column of their own. Everything else the schema says (which fields are inputs, outputs,
 * secret, required, replaced on change, their docs) is read from the contract table; only the
 * type mapping lives here, keyed by field name, so it can move into the contract as one column.
 * `test/unit/plugin-schema.test.ts` fails when a contract row or a setting has no entry.
 */
import type { FieldName } from "../../contract/table";
import { CLIENT_ENV_VARS } from "../../settings/clientEnv";
import { CONFIG_KEYS, ENV_VARS } from "../../settings/settings";

/** A type as the Pulumi package schema writes it (`TypeSpec`). */
export interface SchemaType {
  type?: "string" | "integer" | "number" | "boolean" | "array" | "object";
  $ref?: string;
  items?: SchemaType;
  additionalProperties?: SchemaType;
  oneOf?: SchemaType[];
}

/** The schema token of the `passwordFrom` object type. */
export const PASSWORD_SOURCE_TOKEN = "vobiz:index:PasswordSource";

/** The Pulumi type of each field of the contract (provider/contract/table.ts). */
export const FIELD_SCHEMA_TYPES: Readonly<Record<FieldName, SchemaType>> = {
  username: { type: "string" },
  password: { type: "string" },
  passwordFrom: { $ref: `#/types/${PASSWORD_SOURCE_TOKEN}` },
  passwordVersion: { type: "integer" },
  generatePassword: { type: "boolean" },
  passwordLength: { type: "integer" },
  rotationTriggers: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } },
  rotateAfter: { type: "string" },
  enabled: { type: "boolean" },
  description: { type: "string" },
  adoptExisting: { oneOf: [{ type: "boolean" }, { type: "string" }] },
  realm: { type: "string" },
  accountId: { type: "string" },
  createdAt: { type: "string" },
  updatedAt: { type: "string" },
  passwordSetAt: { type: "string" },
};

/** The object types the fields refer to, with their properties' types and docs. */
export const OBJECT_SCHEMA_TYPES = {
  [PASSWORD_SOURCE_TOKEN]: {
    description:
      "Where the write-only mode reads the password from, each time it creates or rotates: set exactly one of " +
      "`config` and `env`.",
    properties: {
      config: {
        type: "string",
        description:
          "A config key of the `vobiz` namespace, e.g. `vobiz:deskPassword` (set it with " +
          "`pulumi config set --secret vobiz:deskPassword <password>`): a provider plugin receives only its own " +
          "namespace's configuration.",
      },
      env: {
        type: "string",
        description: "An environment variable of the process that runs `pulumi`.",
      },
    },
  },
} as const;

/** One provider setting as the schema states it. */
export interface SettingSchema {
  type: SchemaType["type"];
  secret?: boolean;
  description: string;
  /** Environment variables the provider falls back to. */
  env: string[];
}

/** The provider's settings (`vobiz:*` config, or an explicit provider's properties), by setting name. */
export const SETTING_SCHEMAS: Readonly<Record<keyof typeof CONFIG_KEYS, SettingSchema>> = {
  authId: {
    type: "string",
    description: "The Vobiz account's Auth ID (`MA_...`), from the Vobiz console under API keys.",
    env: [ENV_VARS.authId],
  },
  authToken: {
    type: "string",
    secret: true,
    description: "The Vobiz account's Auth Token (secret), from the Vobiz console under API keys.",
    env: [ENV_VARS.authToken],
  },
  baseUrl: {
    type: "string",
    description:
      "The Vobiz API base URL including `/api/v1` (e.g. a local sandbox); default the production API.",
    env: [ENV_VARS.baseUrl],
  },
  maxRequestsPerSecond: {
    type: "number",
    description:
      "The most requests per second this provider sends to one Vobiz account (a ceiling under its adaptive rate).",
    env: [CLIENT_ENV_VARS.maxRequestsPerSecond],
  },
};
