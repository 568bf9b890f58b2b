/**
 * The one scenario helper of the engine tiers (e2e and faults). A scenario is a stack fixture
 * (./stackFixture: a sandbox on loopback, the real Pulumi CLI, a `file://` backend, passphrase
 * secrets, the packed package installed) plus what scenarios measure: journal windows, the
 * convergence of state and account, and faults-report rows.
 *
 * ```ts
 * const f = useScenario({ name: "faults-flaky", sandbox: { seed: FAULTS_SEED } }, async (f) => {
 *   await f.password("pw");
 * });
 * test("...", async () => {
 *   const journal = f.window();
 *   await f.ws.up();
 *   expectConverged(await f.convergence(), ["desk"]);
 *   f.record({ id: "01a", ... });
 * });
 * ```
 *
 * Closing a scenario is its `CheckDestroy`: `pulumi destroy`, then the state must be empty and
 * the account must hold only the credentials declared with `keepsOnAccount`; then the one secret
 * scan of the scenario (every command's output, every file the runs wrote, the state's history,
 * the sandbox journal) runs, its hit count goes into the leak column of the file's rows, and the
 * rows are written (also when a check failed). Tests therefore do not scan, destroy or flush at
 * their end unless the step itself is what they assert.
 */
import {
  createStackFixture,
  type SpecEntry,
  type StackFixture,
  type StackFixtureOptions,
} from "./stackFixture";
import { convergence, JournalWindow, type Convergence } from "./convergence";
import { addLeaks, flushResults, recordResult, type MeasuredRow } from "./faultsResults";

/** Seed of every faults-tier sandbox (the fault PRNGs are seeded from it). */
export const FAULTS_SEED = 20_240_611;

export type ScenarioOptions = StackFixtureOptions;

/** A stack fixture with the measuring vocabulary of the engine tiers. */
export interface Scenario extends StackFixture {
  /** The journal of this stack's account (or `authId`'s) from now on. */
  window(authId?: string): JournalWindow;
  /** Live credentials of the account against the stack's state, now. */
  convergence(): Promise<Convergence>;
  /**
   * Queues a faults-report row (docs/faults-report.md); its leak count is the closing scans' hits
   * of the file's scenarios, and it is written when the file's last open scenario closes.
   */
  record(row: MeasuredRow): void;
}

/** Scenarios of this test file not closed yet (jest loads this module once per file). */
let open = 0;

/** Opens a scenario; end it with `close()` (or let {@link useScenario} do both). */
export async function openScenario(options: ScenarioOptions): Promise<Scenario> {
  const f = await createStackFixture({
    ...options,
    onClosingScan: (hits) => {
      addLeaks(hits);
      options.onClosingScan?.(hits);
    },
  });
  open += 1;
  const closeFixture = f.close;
  const scenario: Scenario = Object.assign(f, {
    window: (authId?: string) => new JournalWindow(f, authId),
    convergence: () => convergence(f),
    record: (row: MeasuredRow) => recordResult(row),
    async close() {
      try {
        await closeFixture();
      } finally {
        open -= 1;
        if (open === 0) await flushResults();
      }
    },
  });
  return scenario;
}

/** When {@link useScenario} opens a fresh scenario: once for the file's tests, or for each test. */
export interface ScenarioLifetime {
  /** "file" (default): one scenario for every test of the enclosing describe; "test": one each. */
  per?: "file" | "test";
}

/**
 * Opens a scenario before the enclosing block's tests (or before each, see
 * {@link ScenarioLifetime}) and closes it after them, running `setup` once it is open. Returns a
 * handle that stands for the open scenario inside the tests (reading it elsewhere throws).
 */
export function useScenario(
  options: ScenarioOptions | (() => ScenarioOptions),
  setup?: (s: Scenario) => Promise<void> | void,
  lifetime: ScenarioLifetime = {},
): Scenario {
  let current: Scenario | undefined;
  const before = lifetime.per === "test" ? beforeEach : beforeAll;
  const after = lifetime.per === "test" ? afterEach : afterAll;
  before(async () => {
    current = await openScenario(typeof options === "function" ? options() : options);
    await setup?.(current);
  });
  after(async () => {
    const s = current;
    current = undefined;
    await s?.close();
  });
  const now = (key: PropertyKey): Scenario => {
    if (!current) throw new Error(`the scenario is open only inside its tests (read .${String(key)})`);
    return current;
  };
  return new Proxy({} as Scenario, {
    get: (_target, key) => Reflect.get(now(key), key) as unknown,
    set: (_target, key, value) => Reflect.set(now(key), key, value),
    has: (_target, key) => Reflect.has(now(key), key),
  });
}

/** N spec entries `<prefix>_00..` whose passwords come from `keys` secret config keys, round robin. */
export function manyEntries(
  prefix: string,
  n: number,
  keys: string[],
  extra: Partial<SpecEntry> = {},
): Record<string, SpecEntry> {
  const out: Record<string, SpecEntry> = {};
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(2, "0");
    out[`c${id}`] = { username: `${prefix}_${id}`, passwordKey: keys[i % keys.length], ...extra };
  }
  return out;
}

/** The usernames of {@link manyEntries}. */
export function manyUsernames(prefix: string, n: number): string[] {
  return Object.values(manyEntries(prefix, n, ["k"])).map((e) => e.username as string);
}

/** Sets one secret config value per key; returns key -> value. */
export async function setPasswords(f: StackFixture, keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of keys) out[k] = await f.password(k);
  return out;
}
