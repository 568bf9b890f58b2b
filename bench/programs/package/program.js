/**
 * Benchmark program of the package path: the `ours` program's N credentials as Pulumi YAML, each a
 * `vobiz:index:Credential` served by the installed provider plugin (pulumi-resource-vobiz, loaded
 * through Pulumi.yaml's `plugins.providers` from the packed package, as a YAML user installs it).
 * Pulumi YAML has no loops, so bench/run.js writes Main.yaml from `mainYaml` for each N and each
 * rename. As in `ours`: the first `renamed` credentials get a new username (a replace), and every
 * password derives from the secret config `benchPassword`, so changing that one value rotates all N.
 */

/** Pulumi.yaml: a YAML project that loads the `vobiz` provider plugin from `pluginDir`. */
function pulumiYaml(name, pluginDir) {
  return (
    `name: ${name}\nruntime: yaml\n` +
    `plugins:\n  providers:\n    - name: vobiz\n      path: ${JSON.stringify(pluginDir)}\n`
  );
}

/** Main.yaml: N credentials; the first `renamed` with their new usernames. */
function mainYaml({ n, renamed }) {
  const lines = ["config:", "  benchPassword:", "    type: string", "    secret: true", "resources:"];
  for (let i = 0; i < n; i++) {
    const username = i < renamed ? `bench_${i}_r` : `bench_${i}`;
    lines.push(
      `  c${i}:`,
      "    type: vobiz:index:Credential",
      "    properties:",
      `      username: ${username}`,
      `      password: \${benchPassword}-${i}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

module.exports = { pulumiYaml, mainYaml };
