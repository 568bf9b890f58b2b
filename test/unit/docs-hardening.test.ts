/**
 * README and CI-recipe statements from issue 15 that a reader relies on: the warning against
 * publishing the engine's verbose logs (with VOBIZ_DEBUG=1 as the masked alternative), how to
 * install before the package is published, the peer range being the tested version, and the
 * order of removing resources and uninstalling; and (issue 22) that both CI recipes have the job for
 * pull/merge requests from forks that the README promises.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

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

describe("both CI recipes preview pull/merge requests from forks against the sandbox", () => {
  /** Every shell line a job runs, joined. */
  const scriptOf = (job: Record<string, unknown>): string =>
    [
      ...((job.script as string[] | undefined) ?? []),
      ...((job.steps as { run?: string }[] | undefined) ?? []).map((s) => s.run ?? ""),
    ].join("\n");

  test("GitHub Actions: same-repository pull requests preview prod, forks the sandbox", () => {
    const jobs = parse(read("examples/ci/github-actions.yml")).jobs as Record<
      string,
      Record<string, unknown>
    >;
    const fork = Object.values(jobs).find((j) =>
      String(j.if).includes("head.repo.full_name != github.repository"),
    );
    const own = Object.values(jobs).find((j) =>
      String(j.if).includes("head.repo.full_name == github.repository"),
    );
    expect(scriptOf(fork!)).toMatch(
      /npx vobiz-sandbox [^\n]*&[\s\S]*vobiz:baseUrl http:\/\/127\.0\.0\.1[\s\S]*pulumi preview/,
    );
    expect(scriptOf(fork!)).not.toContain("--stack prod");
    expect(JSON.stringify(fork)).not.toContain("secrets.");
    expect(scriptOf(own!)).toMatch(/pulumi preview --stack prod/);
  });

  test("GitLab: same-project merge requests preview prod, forks the sandbox", () => {
    const jobs = parse(read("examples/ci/gitlab-ci.yml")) as Record<string, Record<string, unknown>>;
    const ruleOf = (job: Record<string, unknown>) =>
      ((job.rules as { if?: string }[] | undefined) ?? []).map((r) => r.if ?? "").join(" ");
    const mr = Object.values(jobs).filter((j) =>
      ruleOf(j).includes('$CI_PIPELINE_SOURCE == "merge_request_event"'),
    );
    const fork = mr.find((j) =>
      ruleOf(j).includes("$CI_MERGE_REQUEST_SOURCE_PROJECT_ID != $CI_MERGE_REQUEST_PROJECT_ID"),
    );
    const own = mr.find((j) =>
      ruleOf(j).includes("$CI_MERGE_REQUEST_SOURCE_PROJECT_ID == $CI_MERGE_REQUEST_PROJECT_ID"),
    );
    expect(mr).toHaveLength(2);
    expect(scriptOf(fork!)).toMatch(
      /npx vobiz-sandbox [^\n]*&[\s\S]*vobiz:baseUrl http:\/\/127\.0\.0\.1[\s\S]*pulumi preview/,
    );
    expect(scriptOf(fork!)).not.toContain("--stack prod");
    expect(scriptOf(own!)).toMatch(/pulumi preview --stack prod/);
  });

  test("the README says both recipes have the fork job", () => {
    const section = README.slice(
      README.indexOf("## CI recipes"),
      README.indexOf("\n## ", README.indexOf("## CI recipes") + 1),
    );
    expect(section).toMatch(/from forks,? which get no secrets, preview against the sandbox/);
    expect(section).toContain("examples/ci/gitlab-ci.yml");
    expect(section).toContain("examples/ci/github-actions.yml");
  });
});

test("the sandbox guide and the README say not to run pulumi synchronously next to startSandbox", () => {
  const guide = read("docs/sandbox.md");
  const section = guide.slice(
    guide.indexOf("## In your process or in its own"),
    guide.indexOf("## Control routes"),
  );
  expect(section).toMatch(/execSync/);
  expect(section).toMatch(/vobiz-sandbox", "--port", "0", "--json"/);
  const readme = README.slice(README.indexOf("### Testing your stack with the sandbox"));
  expect(readme).toMatch(/`execSync` and the other synchronous calls\s+block the process/);
});
