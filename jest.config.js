/** Four test tiers, one jest project each; `npm run test:<tier>` selects one. */
// Type errors are caught by `npm run typecheck` (run by .ci/run); tests only transpile, for speed.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", isolatedModules: true }];
const tier = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: "node",
  transform: { "^.+\\.ts$": tsJest },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  ...extra,
});

module.exports = {
  projects: [
    tier("unit"),
    tier("integration"),
    tier("e2e", { testTimeout: 600_000 }),
    tier("faults", { testTimeout: 900_000 }),
  ],
};
