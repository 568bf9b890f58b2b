/**
 * The integration tier's per-file sandbox: started before the file's tests, stopped after, and
 * after every test a leak check (the journal and every error the test caught must hold no secret)
 * followed by a reset (faults, switches, credentials, journal), so tests stay independent.
 */
import { DEFAULT_SWITCHES, startSandbox, type Sandbox } from "../../provider/sandbox";
import { renderings } from "./secrets";

export interface IntegrationSandbox {
  /** The running sandbox (set before the file's first test). */
  sandbox: Sandbox;
  /** Every secret the file uses (the token and each password handed out). */
  secrets: Set<string>;
  /** Errors the current test caught; checked for secrets after it. */
  thrown: unknown[];
}

export function useIntegrationSandbox(authId: string, authToken: string): IntegrationSandbox {
  const ctx: IntegrationSandbox = {
    sandbox: undefined as unknown as Sandbox,
    secrets: new Set<string>([authToken]),
    thrown: [],
  };
  beforeAll(async () => {
    ctx.sandbox = await startSandbox({ accounts: [{ authId, authToken }], seed: 7 });
  });
  afterAll(() => ctx.sandbox.stop());
  afterEach(() => {
    const { sandbox } = ctx;
    try {
      const leaks: string[] = [];
      const recorded = JSON.stringify(sandbox.journal.entries());
      for (const s of ctx.secrets) {
        if (recorded.includes(s)) leaks.push(`journal holds secret ${s.slice(0, 4)}…`);
        ctx.thrown.forEach((err, i) => {
          if (renderings(err).some((r) => r.text.includes(s)))
            leaks.push(`error #${i} holds secret ${s.slice(0, 4)}…`);
        });
      }
      expect(leaks).toEqual([]);
    } finally {
      ctx.thrown.length = 0;
      sandbox.faults.clear();
      sandbox.switches.set(DEFAULT_SWITCHES);
      for (const c of sandbox.credentials.list(authId)) sandbox.credentials.delete(authId, c.id);
      sandbox.journal.clear();
    }
  });
  return ctx;
}
