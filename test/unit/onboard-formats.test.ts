/**
 * The onboarding command's package formats (provider/onboard/formats.ts): the Pulumi YAML program
 * and the import file read back exactly, hold no password, name each resource validly and
 * uniquely, use the plugin's type token, and declare what the lifecycle's check accepts.
 */
import { parse } from "yaml";
import { CREDENTIAL_TOKEN } from "../../provider/adapters/plugin/schema";
import { createCredentialProvider } from "../../provider/lifecycle/operations";
import {
  CREDENTIAL_TYPE,
  FORMAT_NAMES,
  isFormatName,
  ONBOARD_FORMATS,
  renderImportFile,
  renderYamlProgram,
  resourceNames,
} from "../../provider/onboard/formats";
import { renderFleetYaml } from "../../provider/onboard/declarations";
import type { Credential } from "../../provider/contract/wire";

const SOURCE = {
  authId: "MA_FORMATS",
  baseUrl: "https://api.example/api/v1",
  readAt: "2025-01-01T00:00:00Z",
};
const PLAIN = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Credentials with tricky descriptions and usernames that are and are not plain names. */
const CREDS: Credential[] = [
  { id: "id-1", username: "reception", enabled: true, description: "Reception: desk #1" },
  { id: "id-2", username: "2nd_floor-desk", enabled: false },
  { id: "id-3", username: "sales_02", enabled: true, description: 'quote " and \\ back' },
  { id: "id-4", username: "true", enabled: true, description: "yes" },
  { id: "id-5", username: "_lobby", enabled: true, description: "null" },
  { id: "id-6", username: "c__lobby", enabled: true, description: "line\nbreak" },
];

interface Program {
  resources: Record<string, { type: string; properties: Record<string, unknown> }>;
}

describe("the formats", () => {
  test("fleet is the default; each has its own default file; unknown names are not formats", () => {
    expect(FORMAT_NAMES).toEqual(["fleet", "yaml-program", "import-file"]);
    expect(FORMAT_NAMES.map((f) => ONBOARD_FORMATS[f].defaultFile)).toEqual([
      "credentials.yaml",
      "Main.yaml",
      "vobiz-import.json",
    ]);
    expect(ONBOARD_FORMATS.fleet.render).toBe(renderFleetYaml);
    expect(["fleet", "import-file"].every(isFormatName)).toBe(true);
    expect(["yaml", "toString", "__proto__", ""].some(isFormatName)).toBe(false);
  });

  test("the type token is the plugin's", () => {
    expect(CREDENTIAL_TYPE).toBe(CREDENTIAL_TOKEN);
  });
});

describe("resourceNames", () => {
  test("a plain username is its own name; any other gets c_, its other characters as _, and a suffix when taken", () => {
    expect(resourceNames(["desk-1", "2nd", "_x", "-y", "c_2nd", "c__x", "c__x_2"])).toEqual([
      "desk-1",
      "c_2nd_2",
      "c__x_3",
      "c_-y",
      "c_2nd",
      "c__x",
      "c__x_2",
    ]);
  });

  test("names are plain and unique for any unique usernames", () => {
    const usernames = ["a", "1", "_1", "c_1", "c_1_2", "-", "é", "a.b", "a b", "c_a_b", "Z9"];
    const names = resourceNames(usernames);
    expect(new Set(names).size).toBe(usernames.length);
    for (const n of names) expect(n).toMatch(PLAIN);
  });
});

describe("renderYamlProgram", () => {
  test("one vobiz:index:Credential per credential, sorted, read back exactly, adopting, never a password", () => {
    const text = renderYamlProgram(CREDS, { ...SOURCE, filter: "*" });
    expect(text).toMatch(/^# Written by vobiz-onboard from Vobiz account MA_FORMATS/);
    expect(text).toContain('usernames matching "*": 6 credential(s).');
    expect(text).not.toMatch(/^\s*password:/m);
    const program = parse(text) as Program;
    expect(Object.keys(program)).toEqual(["resources"]);
    const sorted = [...CREDS].sort((a, b) => (a.username < b.username ? -1 : 1));
    expect(Object.keys(program.resources)).toEqual(resourceNames(sorted.map((c) => c.username)));
    for (const [name, r] of Object.entries(program.resources)) {
      const c = CREDS.find((x) => x.username === r.properties.username)!;
      expect(r.type).toBe("vobiz:index:Credential");
      expect(r.properties).toEqual({
        username: c.username,
        enabled: c.enabled,
        ...(c.description ? { description: c.description } : {}),
        adoptExisting: "keepPassword",
      });
      expect(name).toMatch(PLAIN);
    }
    expect(program.resources["c_2nd_floor-desk"].properties.username).toBe("2nd_floor-desk");
  });

  test("every resource declares what the lifecycle's check accepts (no password needed)", async () => {
    const program = parse(renderYamlProgram(CREDS, SOURCE)) as Program;
    const lifecycle = createCredentialProvider({ env: {} });
    for (const r of Object.values(program.resources)) {
      expect(await lifecycle.check({}, r.properties)).toEqual({
        inputs: expect.objectContaining({ adoptExisting: "keepPassword" }),
      });
    }
  });
});

describe("renderImportFile", () => {
  test("the documented JSON: resources of { type, name, id }, sorted by username, names plain and unique", () => {
    const doc = JSON.parse(renderImportFile(CREDS)) as { resources: Record<string, string>[] };
    expect(Object.keys(doc)).toEqual(["resources"]);
    expect(doc.resources).toEqual([
      { type: CREDENTIAL_TOKEN, name: "c_2nd_floor-desk", id: "id-2" },
      { type: CREDENTIAL_TOKEN, name: "c__lobby_2", id: "id-5" },
      { type: CREDENTIAL_TOKEN, name: "c__lobby", id: "id-6" },
      { type: CREDENTIAL_TOKEN, name: "reception", id: "id-1" },
      { type: CREDENTIAL_TOKEN, name: "sales_02", id: "id-3" },
      { type: CREDENTIAL_TOKEN, name: "true", id: "id-4" },
    ]);
  });

  test("the same names as the YAML program, so either path gives the same stack", () => {
    const program = parse(renderYamlProgram(CREDS, SOURCE)) as Program;
    const doc = JSON.parse(renderImportFile(CREDS)) as { resources: { name: string }[] };
    expect(doc.resources.map((r) => r.name)).toEqual(Object.keys(program.resources));
  });
});
