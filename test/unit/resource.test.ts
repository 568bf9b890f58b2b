/**
 * The VobizCredential resource class under Pulumi's mocks: its type token, its typed outputs,
 * the secrecy of the password, and the serialized provider it stores in state (`__provider`).
 *
 * What the mocks cannot show: the mock monitor ignores `additionalSecretOutputs` (it echoes the
 * state newResource returns), so that option is checked on the RegisterResource request itself,
 * not by watching the engine mark a plain provider output secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor, type MockResourceArgs } from "@pulumi/pulumi/runtime/mocks";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import * as providerModule from "../../provider/adapters/dynamic/engine";
import type * as resourceModule from "../../provider/adapters/dynamic/resource";
import { captureOutput, expectFreeOf } from "./provider.harness";

const PASSWORD = "Res_SECRET_pw_1";
const OUTPUT_PASSWORD = "Res_SECRET_pw_2";
const ENV_TOKEN = "tok_env_RESOURCE_SECRET";
const ENV_AUTH_ID = "MA_RESOURCE_ENV";
const SECRETS = [PASSWORD, OUTPUT_PASSWORD, ENV_TOKEN];
const TYPE = "pulumi-nodejs:dynamic/vobiz:Credential";

/** Every resource registration the mock monitor saw, with the request's secret-output list. */
const registrations: { args: MockResourceArgs; additionalSecretOutputs: string[] }[] = [];
const pendingSecretLists: string[][] = [];

let VobizCredential: typeof resourceModule.VobizCredential;
let output: ReturnType<typeof captureOutput>;
const savedEnv = { ...process.env };

beforeAll(async () => {
  // Credentials in the environment must never end up in the serialized provider.
  process.env.VOBIZ_AUTH_TOKEN = ENV_TOKEN;
  process.env.VOBIZ_AUTH_ID = ENV_AUTH_ID;

  const original = MockMonitor.prototype.registerResource;
  jest.spyOn(MockMonitor.prototype, "registerResource").mockImplementation(function (
    this: MockMonitor,
    req: { getAdditionalsecretoutputsList(): string[] },
    cb,
  ) {
    pendingSecretLists.push(req.getAdditionalsecretoutputsList());
    return original.call(this, req, cb);
  });

  await pulumi.runtime.setMocks(
    {
      newResource: (args: MockResourceArgs) => {
        registrations.push({ args, additionalSecretOutputs: pendingSecretLists.shift() ?? [] });
        const inputs = args.inputs as Record<string, unknown>;
        return {
          id: "11111111-2222-4333-8444-555555555555",
          state: {
            ...inputs,
            enabled: inputs.enabled ?? true,
            adoptExisting: inputs.adoptExisting ?? false,
            realm: `${ENV_AUTH_ID}.sip.vobiz.ai`,
            accountId: ENV_AUTH_ID,
            createdAt: "2025-01-02T03:04:05Z",
            updatedAt: "2025-01-02T03:04:05Z",
          },
        };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
  // Imported only now, so the class registers against the mocks.
  ({ VobizCredential } = await import("../../provider/adapters/dynamic/resource"));
});

afterAll(() => {
  process.env = savedEnv;
  jest.restoreAllMocks();
});

beforeEach(() => {
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  expectFreeOf(output.text(), SECRETS);
});

function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Waits until the resource's registration reached the mock and returns it. */
async function registrationOf(r: pulumi.CustomResource) {
  const urn = await valueOf(r.urn);
  const name = urn.split("::").pop();
  const found = registrations.find((x) => x.args.name === name);
  if (!found) throw new Error(`no registration for ${urn}`);
  return found;
}

function isSecretValue(v: unknown): v is { value: unknown } {
  return (
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[specialSigKey] === specialSecretSig
  );
}

describe("VobizCredential", () => {
  test("registers with the type token pulumi-nodejs:dynamic/vobiz:Credential", async () => {
    const r = new VobizCredential("token", { username: "office_desk-1", password: PASSWORD });
    const reg = await registrationOf(r);
    expect(reg.args.type).toBe(TYPE);
    expect(reg.args.custom).toBe(true);
    expect(await valueOf(r.urn)).toContain(`::${TYPE}::token`);
  });

  test("typed outputs resolve", async () => {
    const r = new VobizCredential("outputs", {
      username: "office_desk-1",
      password: PASSWORD,
      enabled: false,
      description: "Front desk",
      adoptExisting: true,
    });
    expect(await valueOf(r.id)).toBe("11111111-2222-4333-8444-555555555555");
    expect(await valueOf(r.username)).toBe("office_desk-1");
    expect(await valueOf(r.enabled)).toBe(false);
    expect(await valueOf(r.description)).toBe("Front desk");
    expect(await valueOf(r.adoptExisting)).toBe(true);
    expect(await valueOf(r.realm)).toBe(`${ENV_AUTH_ID}.sip.vobiz.ai`);
    expect(await valueOf(r.accountId)).toBe(ENV_AUTH_ID);
    expect(await valueOf(r.createdAt)).toBe("2025-01-02T03:04:05Z");
    expect(await valueOf(r.updatedAt)).toBe("2025-01-02T03:04:05Z");
    expect(await valueOf(r.password)).toBe(PASSWORD);
  });

  test("every declared output exists even when its input was left out", async () => {
    const r = new VobizCredential("defaults", { username: "office_desk-1", password: PASSWORD });
    for (const key of [
      "username",
      "password",
      "passwordFrom",
      "passwordVersion",
      "enabled",
      "description",
      "adoptExisting",
      "realm",
      "accountId",
      "createdAt",
      "updatedAt",
    ] as const) {
      expect(pulumi.Output.isInstance(r[key])).toBe(true);
    }
    expect(await valueOf(r.enabled)).toBe(true);
    expect(await valueOf(r.adoptExisting)).toBe(false);
    expect(await valueOf(r.description)).toBeUndefined();
    expect(await valueOf(r.passwordFrom)).toBeUndefined();
    const reg = await registrationOf(r);
    expect(Object.keys(reg.args.inputs).sort()).toEqual(["__provider", "password", "username"]);
  });

  test("the password output is secret; the others are not", async () => {
    const r = new VobizCredential("secret-out", { username: "office_desk-1", password: PASSWORD });
    expect(await pulumi.isSecret(r.password)).toBe(true);
    expect(await pulumi.isSecret(r.username)).toBe(false);
    expect(await pulumi.isSecret(r.realm)).toBe(false);
  });

  test("a plain-string password is sent to the engine as a secret input", async () => {
    const r = new VobizCredential("secret-in", { username: "office_desk-1", password: PASSWORD });
    const inputs = (await registrationOf(r)).args.inputs as Record<string, unknown>;
    expect(isSecretValue(inputs.password)).toBe(true);
    expect((inputs.password as { value: unknown }).value).toBe(PASSWORD);
    expect(isSecretValue(inputs.username)).toBe(false);
  });

  test("a password that is already an Output (e.g. config.requireSecret) stays secret", async () => {
    const r = new VobizCredential("secret-output-in", {
      username: "office_desk-2",
      password: pulumi.secret(OUTPUT_PASSWORD),
    });
    const inputs = (await registrationOf(r)).args.inputs as Record<string, unknown>;
    expect(isSecretValue(inputs.password)).toBe(true);
    expect(await pulumi.isSecret(r.password)).toBe(true);
  });

  test("additionalSecretOutputs includes password, also when the caller passes its own", async () => {
    const plain = new VobizCredential("aso", { username: "office_desk-1", password: PASSWORD });
    expect((await registrationOf(plain)).additionalSecretOutputs).toContain("password");

    const merged = new VobizCredential(
      "aso-merged",
      { username: "office_desk-1", password: PASSWORD },
      { additionalSecretOutputs: ["description"] },
    );
    expect((await registrationOf(merged)).additionalSecretOutputs).toEqual(
      expect.arrayContaining(["password", "description"]),
    );
  });

  test("write-only mode sends no password input at all, only the source reference", async () => {
    const r = new VobizCredential("write-only", {
      username: "office_desk-3",
      passwordFrom: { config: "sipPassword" },
      passwordVersion: 2,
    });
    const inputs = (await registrationOf(r)).args.inputs as Record<string, unknown>;
    expect(inputs).not.toHaveProperty("password");
    expect(inputs.passwordFrom).toEqual({ config: "sipPassword" });
    expect(inputs.passwordVersion).toBe(2);
    expect(await valueOf(r.passwordFrom)).toEqual({ config: "sipPassword" });
  });

  test("a misspelt property (past the type checker) still reaches the engine, so check can reject it", async () => {
    const args = {
      username: "office_desk-1",
      password: PASSWORD,
      pasword: "x",
    } as unknown as resourceModule.VobizCredentialArgs;
    const r = new VobizCredential("misspelt", args);
    const inputs = (await registrationOf(r)).args.inputs as Record<string, unknown>;
    expect(inputs.pasword).toBe("x");
  });

  test("output-only properties are not sent as inputs", async () => {
    const r = new VobizCredential("output-only", { username: "office_desk-1", password: PASSWORD });
    const inputs = (await registrationOf(r)).args.inputs as Record<string, unknown>;
    for (const k of ["realm", "accountId", "createdAt", "updatedAt"]) expect(inputs).not.toHaveProperty(k);
  });
});

describe("the serialized provider (__provider)", () => {
  let text: string;
  beforeAll(async () => {
    const r = new VobizCredential("serialized", { username: "office_desk-1", password: PASSWORD });
    const inputs = (await registrationOf(r)).args.inputs as Record<string, unknown>;
    expect(typeof inputs.__provider).toBe("string"); // not secret-wrapped: it holds no secret
    text = inputs.__provider as string;
  });

  test("is small", () => {
    expect(Buffer.byteLength(text, "utf8")).toBeLessThan(20 * 1024);
  });

  test("loads the implementation from the installed package", () => {
    expect(text).toContain('require("pulumi-vobiz/provider")');
  });

  test("holds neither the password nor any token, even with VOBIZ_AUTH_TOKEN set", () => {
    expect(process.env.VOBIZ_AUTH_TOKEN).toBe(ENV_TOKEN);
    expectFreeOf(text, [...SECRETS, "tok_", "X-Auth-Token"]);
    expect(text).not.toContain(ENV_AUTH_ID);
    expect(text).not.toMatch(/VOBIZ_AUTH_TOKEN|authToken/);
  });

  test("is the same text for every resource (no per-resource data captured)", async () => {
    const other = new VobizCredential("serialized-2", {
      username: "another_user",
      password: OUTPUT_PASSWORD,
    });
    const inputs = (await registrationOf(other)).args.inputs as Record<string, unknown>;
    expect(inputs.__provider).toBe(text);
  });

  test("evaluates to a provider whose every method delegates to an export of pulumi-vobiz/provider", async () => {
    // "pulumi-vobiz/provider" is the package's `./provider` export, compiled from provider/provider.ts.
    const referenced = new Set(
      [...text.matchAll(/require\("pulumi-vobiz\/provider"\)\.(\w+)/g)].map((m) => m[1]),
    );
    expect(referenced.size).toBe(1);
    const exportName = [...referenced][0]!;
    const real = (providerModule as unknown as Record<string, Record<string, unknown>>)[exportName];
    expect(real).toBeDefined();

    const calls: [string, unknown[]][] = [];
    const methods = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;
    for (const m of methods) expect(typeof real![m]).toBe("function");
    const stub = Object.fromEntries(
      methods.map((m) => [
        m,
        (...args: unknown[]) => (calls.push([m, args]), Promise.resolve(`${m}-result`)),
      ]),
    );
    const required: string[] = [];
    const fakeRequire = (id: string) => {
      required.push(id);
      if (id === "pulumi-vobiz/provider") return { [exportName]: stub };
      throw new Error(`unexpected require(${id})`);
    };
    // What the dynamic-provider host does with the text (requireFromString): a CommonJS module.
    const mod = { exports: {} as { handler?: () => Record<string, (...a: unknown[]) => Promise<unknown>> } };
    new Function("exports", "require", "module", text)(mod.exports, fakeRequire, mod);
    const provider = mod.exports.handler?.();
    expect(provider).toBeDefined();
    const argsByMethod: Record<(typeof methods)[number], unknown[]> = {
      configure: [{ config: {} }],
      check: [{ a: 1 }, { b: 2 }],
      diff: ["id", { a: 1 }, { b: 2 }],
      create: [{ c: 3 }],
      read: ["id", { d: 4 }],
      update: ["id", { a: 1 }, { b: 2 }],
      delete: ["id", { e: 5 }],
    };
    for (const m of methods) {
      await expect(provider![m](...argsByMethod[m])).resolves.toBe(`${m}-result`);
    }
    expect(calls).toEqual(methods.map((m) => [m, argsByMethod[m]]));
    expect(new Set(required)).toEqual(new Set(["pulumi-vobiz/provider"]));
  });
});
