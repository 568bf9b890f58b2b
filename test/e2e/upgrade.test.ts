/**
 * 8c. Upgrading the package fixes existing resources: Pulumi runs refresh and destroy with the
 * provider serialized in the *old* state (pulumi#16826). Ours is a thin reference that loads the
 * installed package, so after `npm install` of a newer build, refresh and destroy of resources
 * created by the old one run the new code (observable here through the user agent).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { E2E_ROOT, installInto, packPackage, privateConsumer, REPO_ROOT } from "../helpers/installedPackage";
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

/** Scratch directories of this file, removed after it. */
const scratch: string[] = [];

/** Packs a copy of the built package under another version: its user agent differs. */
function packNewerBuild(version: string): string {
  const dir = fs.mkdtempSync(path.join(E2E_ROOT, "newer-build-"));
  scratch.push(dir);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as Record<
    string,
    unknown
  >;
  pkg.version = version;
  delete pkg.scripts;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  fs.cpSync(path.join(REPO_ROOT, "dist"), path.join(dir, "dist"), { recursive: true });
  for (const f of ["README.md", "LICENSE", "CHANGELOG.md"]) {
    if (fs.existsSync(path.join(REPO_ROOT, f))) fs.copyFileSync(path.join(REPO_ROOT, f), path.join(dir, f));
  }
  return packPackage(dir, path.join(dir, "out"));
}

describe("8c. upgrade: refresh and destroy of existing resources run the newly installed code", () => {
  let consumerDir: string;
  const current = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }
  ).version;
  const newer = `${current}-upgrade.1`;

  beforeAll(async () => {
    consumerDir = privateConsumer("upgrade");
  });
  const f = useScenario(() => ({ name: "upgrade", consumerDir }));
  afterAll(() => {
    // After the scenario's close.
    for (const dir of [consumerDir, ...scratch]) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("old build creates; newer build refreshes and destroys", async () => {
    await f.password("pw");
    f.spec({
      a: { username: "upgrade_a", passwordKey: "pw" },
      b: { username: "upgrade_b", passwordKey: "pw" },
      c: { username: "upgrade_c", passwordKey: "pw" },
    });
    f.takeRequests();
    await f.ws.up();
    const created = f.takeRequests();
    expect(new Set(created.map((e) => e.userAgent?.split(" ")[0]))).toEqual(
      new Set([`pulumi-vobiz/${current}`]),
    );

    const state = await f.ws.credentialsInState();
    const providerBytes = state.map((r) => Buffer.byteLength(String(r.inputs?.__provider ?? "")));
    for (const b of providerBytes) expect(b).toBeLessThan(20 * 1024);
    expect(String(state[0].inputs?.__provider)).toContain('require("pulumi-vobiz/provider")');

    installInto(consumerDir, packNewerBuild(newer)); // what `npm install pulumi-vobiz@latest` does

    f.sandbox.credentials.update(f.authId, f.live()[0].id, { description: "drift" });
    await f.ws.refresh();
    const refreshed = f.takeRequests();
    expect(refreshed.length).toBeGreaterThan(0);
    expect(new Set(refreshed.map((e) => e.userAgent?.split(" ")[0]))).toEqual(
      new Set([`pulumi-vobiz/${newer}`]),
    );

    await f.ws.destroy();
    const destroyed = f.takeRequests();
    expect(destroyed.filter((e) => e.method === "DELETE")).toHaveLength(3);
    expect(new Set(destroyed.map((e) => e.userAgent?.split(" ")[0]))).toEqual(
      new Set([`pulumi-vobiz/${newer}`]),
    );
    expect(f.live()).toHaveLength(0);
  });
});
