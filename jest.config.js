/** Four test tiers, one jest project each; `npm run test:<tier>` selects one. */
// tsconfig sets isolatedModules, so ts-jest only transpiles; `npm run typecheck` (run by npm test) type-checks.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json" }];
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
    // Engine tiers set their own jest.setTimeout: testTimeout is not a per-project option.
    tier("e2e"),
    tier("faults"),
  ],
};
