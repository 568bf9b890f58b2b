/**
 * Issue 15 item 6: delete after uninstall. Every operation on a VobizCredential, deletes
 * included, runs the installed package (the state holds only a thin reference to it). A change
 * that removes the last credentials and uninstalls `pulumi-vobiz` together therefore cannot
 * delete them: the error must say what happened and what to do (install the package again,
 * then `pulumi up` or `destroy`), and doing that must work.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { installInto, packedTarball, privateConsumer } from "../helpers/installedPackage";
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

describe("6. removing the credentials and uninstalling pulumi-vobiz in the same change", () => {
  let consumerDir: string;

  beforeAll(async () => {
    consumerDir = privateConsumer("uninstall");
  });
  const f = useScenario(() => ({ name: "uninstall", consumerDir }));
  afterAll(() => {
    fs.rmSync(consumerDir, { recursive: true, force: true }); // after the scenario's close
  });

  test("the delete fails saying what to do; reinstalling and running up again deletes them", async () => {
    await f.password("pw");
    f.spec({
      a: { username: "uninstall_a", passwordKey: "pw" },
      b: { username: "uninstall_b", passwordKey: "pw" },
    });
    await f.ws.up();
    expect(f.live()).toHaveLength(2);

    // The user drops the resources from the program and the package from the project at once.
    f.ws.writeFile("index.ts", "export const credentials = {};\n");
    execFileSync("npm", ["uninstall", "--no-audit", "--no-fund", "--loglevel=error", "pulumi-vobiz"], {
      cwd: consumerDir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    expect(fs.existsSync(path.join(consumerDir, "node_modules", "pulumi-vobiz"))).toBe(false);

    f.takeRequests();
    const failed = await f.ws.up({ check: false });
    const text = failed.stdout + failed.stderr;
    expect(failed.code).not.toBe(0);
    expect(text).toMatch(/The pulumi-vobiz package is not installed where this Pulumi program runs/);
    expect(text).toMatch(
      /Install it again the way it was installed \(the packed tarball: .*\), then run `pulumi up` or `pulumi destroy`/,
    );
    expect(text).toMatch(/remove the VobizCredential resources first/);
    expect(f.takeRequests()).toHaveLength(0);
    expect(f.live()).toHaveLength(2);
    expect(await f.ws.credentialsInState()).toHaveLength(2);

    // What the message says to do.
    installInto(consumerDir, packedTarball());
    await f.ws.up();
    expect(f.takeRequests().filter((e) => e.method === "DELETE")).toHaveLength(2);
    expect(f.live()).toHaveLength(0);
    expect(await f.ws.credentialsInState()).toHaveLength(0);
  });
});
