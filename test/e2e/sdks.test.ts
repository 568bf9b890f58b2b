/**
 * The package from other Pulumi languages: scripts/gen-sdks.sh generates the SDKs from the schema
 * the built plugin serves, into a scratch directory (never the repository), and each is checked
 * as far as this machine can: the Go SDK and a Go program using it compile against
 * github.com/pulumi/pulumi/sdk/v3 (the CLI's version, from the Go module proxy); the Node.js SDK
 * compiles with tsc against @pulumi/pulumi, and a TypeScript program using it type-checks and
 * runs through the engine with the installed plugin (an explicit provider, the default provider
 * from stack config, a look-up; then the scenario's CheckDestroy and secret scan). Python and .NET
 * are checked for generation only: their registries are not reachable here. A Go program cannot
 * run through the engine here: the Go language host's module is not served by the proxy.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { pulumiCliDir } from "../helpers/engine";
import { ensureConsumer, installedPluginDir, REPO_ROOT } from "../helpers/installedPackage";
import { useScenario } from "../helpers/scenario";
import { countByMethod, expectCleanPreview, writes } from "../helpers/stackFixture";

jest.setTimeout(900_000);

const run = promisify(execFile);

/** Runs a command; on failure the error carries its output (the compiler's messages). */
async function sh(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
  try {
    const { stdout } = await run(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      maxBuffer: 32 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(" ")} failed in ${options.cwd}\n${e.stdout ?? ""}\n${e.stderr ?? e.message}`,
    );
  }
}

/** The Go module path of the generated SDK's package (its import base path) and the module root's. */
const GO_PACKAGE = "github.com/pulumi-vobiz/pulumi-vobiz/sdk/go/vobiz";
const GO_MODULE = path.posix.dirname(GO_PACKAGE);

const GO_PROGRAM = `package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"${GO_PACKAGE}"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		account, err := vobiz.NewProvider(ctx, "account", &vobiz.ProviderArgs{
			AuthId:    pulumi.String(cfg.Require("authId")),
			AuthToken: cfg.RequireSecret("authToken"),
		})
		if err != nil {
			return err
		}
		desk, err := vobiz.NewCredential(ctx, "desk", &vobiz.CredentialArgs{
			Username:    pulumi.String("go_desk"),
			Password:    cfg.RequireSecret("deskPassword"),
			Enabled:     pulumi.Bool(true),
			Description: pulumi.String("Front desk"),
		}, pulumi.Provider(account))
		if err != nil {
			return err
		}
		lobbies := vobiz.GetCredentialsOutput(ctx, vobiz.GetCredentialsOutputArgs{
			Filter: pulumi.String("lobby_*"),
		}, pulumi.Provider(account))
		ctx.Export("realm", desk.Realm)
		ctx.Export("password", desk.Password)
		ctx.Export("lobbies", lobbies.Credentials())
		return nil
	})
}
`;

const TS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as vobiz from "@pulumi/vobiz";

const config = new pulumi.Config();
// An explicit provider for the account, and the default one (configured from vobiz:* stack config).
const account = new vobiz.Provider("account", {
  authId: config.require("authId"),
  authToken: config.requireSecret("authToken"),
  baseUrl: config.require("apiUrl"),
});
const desk = new vobiz.Credential(
  "desk",
  { username: "sdk_desk", password: config.requireSecret("deskPassword"), description: "From the Node.js SDK" },
  { provider: account },
);
const gate = new vobiz.Credential("gate", { username: "sdk_gate", generatePassword: true });
const lobby = vobiz.getCredentialOutput({ username: "sdk_lobby" }, { provider: account });

export const deskRealm: pulumi.Output<string | undefined> = desk.realm;
export const deskPassword = desk.password;
export const gateAccount = gate.accountId;
export const lobbyId: pulumi.Output<string> = lobby.id;
`;

const TS_CONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    target: "ES2022",
    module: "commonjs",
    moduleResolution: "node10",
    noEmit: true,
  },
  files: ["index.ts"],
});

describe("SDKs for other languages, generated from the schema the plugin serves", () => {
  let consumer: string;
  let out: string;
  let schema: { name: string; version: string; resources: Record<string, unknown> };

  beforeAll(async () => {
    consumer = ensureConsumer();
    // Below the consumer directory, so the generated Node.js SDK resolves the installed @pulumi/pulumi.
    out = fs.mkdtempSync(path.join(consumer, "sdks-"));
    pulumiCliDir(); // the script finds the same CLI
    const printed = await sh("bash", [path.join(REPO_ROOT, "scripts", "gen-sdks.sh"), out], {
      cwd: REPO_ROOT,
    });
    expect(printed.trim()).toBe(fs.realpathSync(out));
    schema = JSON.parse(fs.readFileSync(path.join(out, "schema.json"), "utf8")) as typeof schema;
  });
  afterAll(() => {
    if (out && !process.env.PULUMI_VOBIZ_KEEP_E2E) fs.rmSync(out, { recursive: true, force: true });
  });

  test("every language's SDK holds the resource, the look-ups and the provider", () => {
    expect(Object.keys(schema.resources)).toEqual(["vobiz:index:Credential"]);
    const files: Record<string, string[]> = {
      go: ["vobiz/credential.go", "vobiz/getCredential.go", "vobiz/getCredentials.go", "vobiz/provider.go"],
      nodejs: ["credential.ts", "getCredential.ts", "getCredentials.ts", "provider.ts", "package.json"],
      python: [
        "pulumi_vobiz/credential.py",
        "pulumi_vobiz/get_credential.py",
        "pulumi_vobiz/get_credentials.py",
        "pulumi_vobiz/provider.py",
        "setup.py",
      ],
      dotnet: [
        "Credential.cs",
        "GetCredential.cs",
        "GetCredentials.cs",
        "Provider.cs",
        "Pulumi.Vobiz.csproj",
      ],
    };
    for (const [language, names] of Object.entries(files)) {
      const missing = names.filter((n) => !fs.existsSync(path.join(out, language, n)));
      expect({ language, missing }).toEqual({ language, missing: [] });
      // The resource file registers the schema's type token.
      expect(fs.readFileSync(path.join(out, language, names[0]), "utf8")).toContain("vobiz:index:Credential");
    }
  });

  test("the Go SDK and a Go program using it compile against sdk/v3 from the module proxy", async () => {
    const cli = path.join(pulumiCliDir(), "pulumi");
    const version = (await sh(cli, ["version"], { cwd: out })).trim(); // e.g. v3.259.0
    const env = {
      ...process.env,
      GOFLAGS: `${process.env.GOFLAGS ?? ""} -mod=mod`.trim(),
      GOWORK: "off",
    };
    const sdk = path.join(out, "go");
    fs.writeFileSync(
      path.join(sdk, "go.mod"),
      `module ${GO_MODULE}\n\ngo 1.24\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${version}\n`,
    );
    await sh("go", ["mod", "tidy"], { cwd: sdk, env });
    const program = path.join(out, "go-program");
    fs.mkdirSync(program);
    fs.writeFileSync(path.join(program, "main.go"), GO_PROGRAM);
    fs.writeFileSync(
      path.join(program, "go.mod"),
      `module pulumivobiz.local/sdkprogram\n\ngo 1.24\n\nrequire (\n\t${GO_MODULE} v0.0.0\n\tgithub.com/pulumi/pulumi/sdk/v3 ${version}\n)\n\nreplace ${GO_MODULE} => ../go\n`,
    );
    await sh("go", ["mod", "tidy"], { cwd: program, env });
    // -trimpath, as scripts/pulumi-cli.sh builds the CLI, so the two builds share the Go build cache.
    await sh("go", ["build", "-trimpath", "-o", "program", "."], { cwd: program, env });
    expect(fs.statSync(path.join(program, "program")).isFile()).toBe(true);
    // It compiled against the CLI's sdk/v3, not another version the module graph could have chosen.
    expect(await sh("go", ["list", "-m", "github.com/pulumi/pulumi/sdk/v3"], { cwd: program, env })).toBe(
      `github.com/pulumi/pulumi/sdk/v3 ${version}\n`,
    );
  });

  describe("through the engine", () => {
    // Opened after the SDKs are generated (the outer beforeAll), closed before they are removed.
    const f = useScenario(() => ({
      name: "sdk-ts",
      files: {
        "Pulumi.yaml": `name: sdk-ts\nruntime: nodejs\nplugins:\n  providers:\n    - name: vobiz\n      path: ${JSON.stringify(installedPluginDir(consumer))}\n`,
        "index.ts": TS_PROGRAM,
        "tsconfig.json": TS_CONFIG,
      },
    }));

    test("the Node.js SDK compiles with tsc; a TypeScript program using it runs through the engine", async () => {
      const tsc = path.join(consumer, "node_modules", "typescript", "bin", "tsc");
      const sdk = path.join(out, "nodejs");
      await sh(process.execPath, [tsc, "-p", sdk], { cwd: sdk });
      // As a release does: the package.json beside the compiled files, with the schema's version.
      const manifest = fs
        .readFileSync(path.join(sdk, "package.json"), "utf8")
        .replace("${VERSION}", schema.version);
      fs.writeFileSync(path.join(sdk, "bin", "package.json"), manifest);
      expect(fs.existsSync(path.join(sdk, "bin", "index.d.ts"))).toBe(true);

      fs.mkdirSync(path.join(f.ws.dir, "node_modules", "@pulumi"), { recursive: true });
      fs.symlinkSync(path.join(sdk, "bin"), path.join(f.ws.dir, "node_modules", "@pulumi", "vobiz"));
      // The program type-checks against the SDK's declarations.
      await sh(process.execPath, [tsc, "-p", f.ws.dir], { cwd: f.ws.dir });

      const lobby = f.sandbox.credentials.create(f.authId, {
        username: "sdk_lobby",
        password: "Lobby-pw-by-hand-1",
      });
      f.keepsOnAccount("sdk_lobby", "made by hand, read by the program's look-up");
      f.secrets["lobby password (by hand)"] = "Lobby-pw-by-hand-1";
      await f.ws.setConfig("authId", f.authId);
      await f.ws.setConfig("authToken", f.authToken, { secret: true });
      await f.ws.setConfig("apiUrl", f.sandbox.baseUrl);
      const password = await f.password("deskPassword");
      f.takeRequests();
      await f.ws.up();
      // Two creates; the description goes in a PUT after the POST, as on the TypeScript path.
      expect(countByMethod(writes(f.takeRequests()))).toEqual({ POST: 2, PUT: 1 });
      const live = Object.fromEntries(f.live().map((c) => [c.username, c]));
      expect(Object.keys(live).sort()).toEqual(["sdk_desk", "sdk_gate", "sdk_lobby"]);
      expect(live.sdk_desk.description).toBe("From the Node.js SDK");
      expect(f.sandbox.credentials.verifyPassword(f.authId, live.sdk_desk.id, password)).toBe(true);
      expect(await f.ws.outputs()).toEqual({
        deskRealm: live.sdk_desk.realm,
        deskPassword: "[secret]",
        gateAccount: f.authId,
        lobbyId: lobby.id,
      });
      const state = await f.ws.credentialsInState();
      expect(state.map((r) => r.type)).toEqual(["vobiz:index:Credential", "vobiz:index:Credential"]);
      await expectCleanPreview(f);
    });
  });
});
