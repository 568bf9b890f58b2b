/**
 * README and CI-recipe statements from issue 15 that a reader relies on: the warning against
 * publishing the engine's verbose logs (with VOBIZ_DEBUG=1 as the masked alternative), how to
 * install before the package is published, the peer range being the tested version, and the
 * order of removing resources and uninstalling.
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), "utf8");
const README = read("README.md");

test.each(["README.md", "examples/ci/github-actions.yml", "examples/ci/gitlab-ci.yml"])(
  "%s: never publish -v engine logs of a stack with secrets; use VOBIZ_DEBUG=1",
  (file) => {
    const text = read(file).replace(/\s+#?\s*/g, " "); // comment markers of the YAML files too
    expect(text).toMatch(/[Nn]ever (publish|add) .*-v/);
    expect(text).toMatch(/password and the Vobiz auth token (appear )?in plain text/);
    expect(text).toContain("VOBIZ_DEBUG=1");
  },
);

test("the install section says how to install from a packed tarball until the package is published", () => {
  const install = README.slice(README.indexOf("## Install"), README.indexOf("## Configure"));
  expect(install).toMatch(/not on the npm registry yet/);
  expect(install).toContain("npm pack");
  expect(install).toMatch(/npm install \.\.\/pulumi-vobiz\/pulumi-vobiz-\d+\.\d+\.\d+\.tgz @pulumi\/pulumi/);
});

test("the peer range of @pulumi/pulumi starts at the tested version, and the README says so", () => {
  const pkg = JSON.parse(read("package.json")) as {
    peerDependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const tested = pkg.devDependencies["@pulumi/pulumi"];
  expect(pkg.peerDependencies["@pulumi/pulumi"]).toBe(`^${tested}`);
  expect(README).toContain(`\`^${tested}\``);
});

test("the README says to remove the resources before uninstalling the package", () => {
  const section = README.slice(README.indexOf("### Removing pulumi-vobiz from a project"));
  expect(section).toMatch(/remove the resources first, and uninstall after/);
});
