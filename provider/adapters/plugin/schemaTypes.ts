/**
 * The Pulumi package-schema type of each of the contract's value types (columns.ts `ValueType`):
 * a field's schema type is its row's `valueType` mapped here, so the contract stays the one place
 * that says what a field is; this module only spells those types the way the schema writes them,
 * with the one object type they need (`passwordFrom`'s).
 */
import type { ValueType } from "../../contract/columns";

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

/** Each value type of the contract, as a schema type. */
export const VALUE_SCHEMA_TYPES: Readonly<Record<ValueType, SchemaType>> = {
  string: { type: "string" },
  boolean: { type: "boolean" },
  integer: { type: "integer" },
  passwordSource: { $ref: `#/types/${PASSWORD_SOURCE_TOKEN}` },
  triggerMap: { type: "object", additionalProperties: { $ref: "pulumi.json#/Any" } },
  booleanOrKeepPassword: { oneOf: [{ type: "boolean" }, { type: "string" }] },
};

/** The object types the value types refer to, with their properties' types and docs. */
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
