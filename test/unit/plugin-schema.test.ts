/**
 * The package schema the plugin serves is the contract table's: every input, output, secret,
 * required input and replace-on-change field of the table appears in it, and nothing else, typed
 * by its row's value type; the look-ups return what the wire column says the API returns; the
 * provider configuration is the settings table; every `$ref` resolves.
 */
import { FIELD_NAMES, INPUT_NAMES, rowOf, SECRET_NAMES } from "../../provider/contract/fields";
import { CREDENTIAL_FIELDS } from "../../provider/contract/table";
import { LOOKUPS } from "../../provider/lifecycle/lookups";
import { SETTINGS } from "../../provider/settings/settings";
import { OBJECT_SCHEMA_TYPES, VALUE_SCHEMA_TYPES } from "../../provider/adapters/plugin/schemaTypes";
import {
  CREDENTIAL_INFO_TOKEN,
  CREDENTIAL_TOKEN,
  fieldSchemaType,
  lookupFieldNames,
  packageSchema,
  type SchemaProperty,
} from "../../provider/adapters/plugin/schema";

const schema = packageSchema("1.2.3");
const resource = schema.resources[CREDENTIAL_TOKEN];
const sorted = (names: Iterable<string>) => [...names].sort();
const where = (props: Record<string, SchemaProperty>, test: (p: SchemaProperty) => boolean) =>
  sorted(Object.keys(props).filter((k) => test(props[k])));

test("every value type the contract uses has a schema type", () => {
  const used = new Set(Object.values(CREDENTIAL_FIELDS).map((row) => row.valueType));
  for (const t of used) expect(VALUE_SCHEMA_TYPES[t]).toBeDefined();
  expect(fieldSchemaType("passwordFrom")).toEqual({ $ref: "#/types/vobiz:index:PasswordSource" });
});

describe("the Credential resource", () => {
  test("its inputs are the table's inputs, in table order", () => {
    expect(Object.keys(resource.inputProperties)).toEqual([...INPUT_NAMES]);
  });

  test("its outputs are every field of the table, in table order", () => {
    expect(Object.keys(resource.properties)).toEqual([...FIELD_NAMES]);
  });

  test("its secrets are the table's secrets, as inputs and as outputs", () => {
    expect(SECRET_NAMES.length).toBeGreaterThan(0);
    expect(where(resource.properties, (p) => p.secret === true)).toEqual(sorted(SECRET_NAMES));
    expect(where(resource.inputProperties, (p) => p.secret === true)).toEqual(
      sorted(SECRET_NAMES.filter((n) => INPUT_NAMES.includes(n as never))),
    );
  });

  test("replace-on-change marks exactly the table's replacing fields", () => {
    const replacing = FIELD_NAMES.filter((n) => rowOf(n).onChange === "replace");
    expect(replacing).toEqual(expect.arrayContaining(["username", "accountId"]));
    expect(where(resource.properties, (p) => p.willReplaceOnChanges === true)).toEqual(sorted(replacing));
    expect(where(resource.inputProperties, (p) => p.willReplaceOnChanges === true)).toEqual(
      sorted(replacing.filter((n) => rowOf(n).source === "input")),
    );
  });

  test("required inputs are the table's required rows; every property has its type and a description", () => {
    expect(resource.requiredInputs).toEqual(["username"]);
    for (const name of FIELD_NAMES) {
      const { description, ...type } = resource.properties[name];
      expect(description).toMatch(/\S/);
      expect(type).toMatchObject(VALUE_SCHEMA_TYPES[rowOf(name).valueType]);
    }
    expect(resource.inputProperties.username.description).toMatch(/^The SIP username\..*On change: replace/);
  });
});

describe("the provider configuration", () => {
  test("is the settings table's keys, the token secret, each with its environment variable", () => {
    const names = Object.values(SETTINGS).map((s) => s.config);
    expect(names.every((k) => k.startsWith("vobiz:"))).toBe(true);
    const settings = names.map((k) => k.slice("vobiz:".length));
    expect(settings).toEqual(Object.keys(SETTINGS));
    expect(Object.keys(schema.config.variables)).toEqual(settings);
    expect(Object.keys(schema.provider.inputProperties)).toEqual(settings);
    expect(where(schema.provider.inputProperties, (p) => p.secret === true)).toEqual(["authToken"]);
    expect(schema.config.variables.authId.defaultInfo).toEqual({ environment: ["VOBIZ_AUTH_ID"] });
    expect(schema.config.variables.authToken).toMatchObject({ secret: true, type: "string" });
  });
});

describe("the look-ups", () => {
  test("are the lifecycle's, with its arguments", () => {
    expect(sorted(Object.keys(schema.functions))).toEqual(
      sorted(Object.keys(LOOKUPS).map((n) => `vobiz:index:${n}`)),
    );
    const one = schema.functions["vobiz:index:getCredential"];
    expect(Object.keys(one.inputs.properties)).toEqual(Object.keys(LOOKUPS.getCredential.args));
    expect(one.inputs.required).toEqual(["username"]);
    const many = schema.functions["vobiz:index:getCredentials"];
    expect(Object.keys(many.inputs.properties)).toEqual(Object.keys(LOOKUPS.getCredentials.args));
    expect(many.inputs.required).toEqual([]);
  });

  test("return what the API returns of a credential (never the password), typed as the contract types it", () => {
    const info = schema.types[CREDENTIAL_INFO_TOKEN];
    const names = lookupFieldNames().map((f) => f.name);
    expect(names).toEqual([
      "username",
      "enabled",
      "description",
      "realm",
      "accountId",
      "createdAt",
      "updatedAt",
    ]);
    expect(Object.keys(info.properties)).toEqual(["id", ...names]);
    expect(info.required).toEqual(["id", "username", "enabled", "accountId"]);
    for (const name of names) expect(info.properties[name]).toMatchObject(fieldSchemaType(name));
    expect(schema.functions["vobiz:index:getCredential"].outputs.properties).toEqual(info.properties);
  });
});

test("every $ref points at a type of the schema or at Pulumi's built-ins", () => {
  const refs = JSON.stringify(schema).match(/"\$ref":"[^"]+"/g) ?? [];
  expect(refs.length).toBeGreaterThan(0);
  for (const ref of refs) {
    const target = ref.slice('"$ref":"'.length, -1);
    if (target.startsWith("pulumi.json#/")) continue;
    expect(Object.keys(schema.types)).toContain(target.replace("#/types/", ""));
  }
  expect(Object.keys(schema.types)).toEqual(expect.arrayContaining(Object.keys(OBJECT_SCHEMA_TYPES)));
});

test("names the package and carries the version it is given", () => {
  expect(schema).toMatchObject({ name: "vobiz", version: "1.2.3" });
  expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
});
