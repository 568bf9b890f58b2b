/**
 * The Pulumi package schema the plugin serves (`GetSchema`), generated at run time: the
 * resource's inputs, outputs, types, secrets, required inputs and replace-on-change fields from
 * the contract table, what a look-up returns from the rows' wire column, the look-ups' arguments
 * from the lifecycle's table of them, and the provider configuration from the settings table.
 * Nothing about the resource's shape is written here.
 */
import type { InputRow, OnChange } from "../../contract/table";
import { FIELD_NAMES, rowOf, type AnyRow } from "../../contract/fields";
import type { FieldName } from "../../contract/table";
import { LOOKUPS, type LookupArg, type LookupName } from "../../lifecycle/lookups";
import { SETTINGS, type Setting, type SettingName } from "../../settings/settings";
import { OBJECT_SCHEMA_TYPES, VALUE_SCHEMA_TYPES, type SchemaType } from "./schemaTypes";

/** The package name: the first part of every token, and the `vobiz:` config namespace. */
export const PACKAGE_NAME = "vobiz";
/** The resource's type token. */
export const CREDENTIAL_TOKEN = `${PACKAGE_NAME}:index:Credential`;
/** The object type a look-up returns per credential. */
export const CREDENTIAL_INFO_TOKEN = `${PACKAGE_NAME}:index:CredentialInfo`;
/** The function token of a look-up. */
export function lookupToken(name: LookupName): string {
  return `${PACKAGE_NAME}:index:${name}`;
}

/** A property as the schema states it (`PropertySpec`). */
export interface SchemaProperty extends SchemaType {
  description?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
  defaultInfo?: { environment: string[] };
}

/** An object type, a function's inputs or outputs (`ObjectTypeSpec`). */
export interface SchemaObject {
  description?: string;
  type?: "object";
  properties: Record<string, SchemaProperty>;
  required?: string[];
}

/** A resource (`ResourceSpec`). */
export interface SchemaResource extends SchemaObject {
  inputProperties: Record<string, SchemaProperty>;
  requiredInputs?: string[];
}

/** The package schema (the parts this package uses). */
export interface PackageSchema {
  name: string;
  displayName: string;
  version: string;
  description: string;
  keywords: string[];
  homepage: string;
  repository: string;
  license: string;
  config: { variables: Record<string, SchemaProperty> };
  provider: SchemaResource;
  resources: Record<string, SchemaResource>;
  functions: Record<string, { description: string; inputs: SchemaObject; outputs: SchemaObject }>;
  types: Record<string, SchemaObject>;
}

const CHANGE_TEXT: Record<OnChange, string> = {
  replace: "replace (the new credential is created first, then the old one deleted)",
  update: "update in place (one PUT)",
  rotate: "update in place (one PUT sends the password again)",
  state: "update of the state only (no request)",
  none: "no API effect after create",
};

/** A field's schema type: its row's value type, as the schema spells it. */
export function fieldSchemaType(name: FieldName): SchemaType {
  return VALUE_SCHEMA_TYPES[rowOf(name).valueType];
}

const sentence = (text: string) =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}`;

/** A field's description: the row's doc, and for an input its rules, default and what a change does. */
function fieldDescription(row: AnyRow, asInput: boolean): string {
  const parts = [sentence(row.doc)];
  if (row.source === "input") {
    if (row.rules) parts.push(`Rules: ${row.rules}.`);
    const def =
      row.defaultText ?? (row.default === undefined ? undefined : `\`${JSON.stringify(row.default)}\``);
    if (def !== undefined) {
      parts.push(`Default: ${def}${row.defaultOnlyWith ? ` (with \`${row.defaultOnlyWith}\`)` : ""}.`);
    }
    if (asInput) parts.push(`On change: ${row.changeText ?? CHANGE_TEXT[row.onChange]}.`);
  } else if (row.onChange === "replace") {
    parts.push(`On change (another account configured): ${CHANGE_TEXT.replace}.`);
  }
  return parts.join(" ");
}

/** The schema property of a contract field, as an input or as an output. */
function fieldProperty(name: (typeof FIELD_NAMES)[number], asInput: boolean): SchemaProperty {
  const row = rowOf(name);
  const prop: SchemaProperty = { ...fieldSchemaType(name), description: fieldDescription(row, asInput) };
  if (row.secret) prop.secret = true;
  if (row.onChange === "replace") prop.willReplaceOnChanges = true;
  return prop;
}

function credentialResource(): SchemaResource {
  const inputs = FIELD_NAMES.filter((n) => rowOf(n).source === "input");
  const always = inputs.filter((n) => {
    const row = rowOf(n) as InputRow<unknown>;
    return row.required === true || (row.default !== undefined && row.defaultOnlyWith === undefined);
  });
  return {
    description:
      "A Vobiz SIP credential. The resource id is the credential's Vobiz id (a UUID); every input is also an " +
      "output, plus what Vobiz sets (`realm`, `accountId`, `createdAt`, `updatedAt`, `passwordSetAt`). The " +
      "password is stored as a secret and never read back from Vobiz.",
    properties: Object.fromEntries(FIELD_NAMES.map((n) => [n, fieldProperty(n, false)])),
    required: always,
    inputProperties: Object.fromEntries(inputs.map((n) => [n, fieldProperty(n, true)])),
    requiredInputs: inputs.filter((n) => (rowOf(n) as InputRow<unknown>).required === true),
  };
}

function settingProperty(setting: Setting<unknown>): SchemaProperty {
  const prop: SchemaProperty = {
    type: setting.type,
    description: `${sentence(setting.doc)} Falls back to the environment variable ${setting.env}.`,
    defaultInfo: { environment: [setting.env] },
  };
  if (setting.secret) prop.secret = true;
  return prop;
}

/** The provider's settings by name (`authId`, ...), in the order of the settings table. */
function settingProperties(): Record<string, SchemaProperty> {
  const names = Object.keys(SETTINGS) as SettingName[];
  return Object.fromEntries(names.map((n) => [n, settingProperty(SETTINGS[n] as Setting<unknown>)]));
}

/**
 * The fields a look-up returns besides `id`: those the API returns (the wire column's `read`),
 * always present when every response carries them or they default to the configured account.
 */
export function lookupFieldNames(): { name: FieldName; required: boolean }[] {
  return FIELD_NAMES.flatMap((name) => {
    const wire = rowOf(name).wire;
    if (!wire || wire.read === "never") return [];
    return [{ name, required: wire.read === "always" || wire.orConfiguredAccount === true }];
  });
}

function credentialInfoType(): SchemaObject {
  const fields = lookupFieldNames();
  return {
    description: "A credential as a look-up returns it: everything Vobiz tells about it, never a password.",
    type: "object",
    properties: {
      id: { type: "string", description: "Vobiz's id of the credential (a UUID)." },
      ...Object.fromEntries(
        fields.map(({ name }) => [
          name,
          { ...fieldSchemaType(name), description: sentence(rowOf(name).doc) },
        ]),
      ),
    },
    required: ["id", ...fields.filter((f) => f.required).map((f) => f.name)],
  };
}

function argsObject(args: Record<string, LookupArg>): SchemaObject {
  return {
    properties: Object.fromEntries(
      Object.entries(args).map(([n, a]) => [n, { type: a.type, description: a.doc }]),
    ),
    required: Object.entries(args)
      .filter(([, a]) => a.required)
      .map(([n]) => n),
  };
}

function functions(info: SchemaObject): PackageSchema["functions"] {
  return {
    [lookupToken("getCredential")]: {
      description: LOOKUPS.getCredential.doc,
      inputs: argsObject(LOOKUPS.getCredential.args),
      outputs: { properties: info.properties, required: info.required },
    },
    [lookupToken("getCredentials")]: {
      description: LOOKUPS.getCredentials.doc,
      inputs: argsObject(LOOKUPS.getCredentials.args),
      outputs: {
        properties: {
          credentials: {
            type: "array",
            items: { $ref: `#/types/${CREDENTIAL_INFO_TOKEN}` },
            description: "The matching credentials, sorted by username.",
          },
        },
        required: ["credentials"],
      },
    },
  };
}

/** The package schema of this version of the plugin. */
export function packageSchema(version: string): PackageSchema {
  const settings = settingProperties();
  const info = credentialInfoType();
  const objects = Object.fromEntries(
    Object.entries(OBJECT_SCHEMA_TYPES).map(([token, t]) => [
      token,
      { description: t.description, type: "object" as const, properties: { ...t.properties } },
    ]),
  );
  return {
    name: PACKAGE_NAME,
    displayName: "Vobiz",
    version,
    description: "Manage Vobiz SIP credentials with Pulumi, from any Pulumi language.",
    keywords: ["pulumi", "vobiz", "sip", "credentials", "telephony", "kind/native"],
    homepage: "https://github.com/pulumi-vobiz/pulumi-vobiz#readme",
    repository: "https://github.com/pulumi-vobiz/pulumi-vobiz",
    license: "MIT",
    config: { variables: settings },
    provider: {
      description:
        "The Vobiz provider: one Vobiz account. Give an explicit provider per account to manage several in one stack.",
      properties: settings,
      inputProperties: settings,
    },
    resources: { [CREDENTIAL_TOKEN]: credentialResource() },
    functions: functions(info),
    types: { ...objects, [CREDENTIAL_INFO_TOKEN]: info },
  };
}
