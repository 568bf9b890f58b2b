/**
 * The source tree's layering, checked by `npm run lint` (dependency-cruiser; type-only imports
 * count, since a cycle of types still says a type lives in the wrong module).
 *
 * Layers, lowest first: a module may import from its own layer and the layers before it, never
 * from a later one. The sandbox and the onboarding CLI sit beside the layers: the sandbox is a
 * stand-in for Vobiz and shares only provider/common with the provider (so it cannot agree with
 * the provider by construction); the onboarding CLI uses the layers up to the lifecycle. Nothing
 * in the layers imports either. The two entry points at the top (index.ts, provider.ts) may
 * import anything. CONTRIBUTING.md's layout table lists the same layers.
 */
const LAYERS = ["common", "settings", "http", "contract", "api", "lifecycle", "adapters"];
const BESIDE = ["sandbox", "onboard"];
const dir = (name) => `^provider/${name}/`;
const anyOf = (names) => `^provider/(${names.join("|")})/`;

const climbs = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-climb-from-${layer}`,
  comment: `provider/${layer} is below ${LAYERS.slice(i + 1).join(", ")}: move the shared code down, or the caller up.`,
  severity: "error",
  from: { path: dir(layer) },
  to: { path: anyOf(LAYERS.slice(i + 1)) },
}));

module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "An import cycle (types included) means a type or function lives in the wrong module.",
      severity: "error",
      from: { path: "^provider/" },
      to: { circular: true },
    },
    ...climbs,
    {
      name: "layers-do-not-import-the-sandbox-or-the-cli",
      comment: "The sandbox and the onboarding CLI sit beside the layers; no layer depends on them.",
      severity: "error",
      from: { path: anyOf(LAYERS) },
      to: { path: anyOf(BESIDE) },
    },
    {
      name: "sandbox-shares-only-common",
      comment: "The sandbox is a stand-in for Vobiz: it shares only provider/common with the provider.",
      severity: "error",
      from: { path: dir("sandbox") },
      to: { path: "^provider/", pathNot: [dir("sandbox"), dir("common")] },
    },
    {
      name: "onboard-below-the-adapters",
      comment:
        "The onboarding CLI works on the lifecycle and the client, not on an engine adapter or the sandbox.",
      severity: "error",
      from: { path: dir("onboard") },
      to: { path: anyOf(["adapters", "sandbox"]) },
    },
    {
      name: "no-loose-modules",
      comment: "Every module lives in a layer folder (or is one of the two entry points).",
      severity: "error",
      from: { path: "^provider/[^/]+\\.ts$", pathNot: "^provider/(index|provider)\\.ts$" },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    moduleSystems: ["cjs", "es6"],
  },
};
