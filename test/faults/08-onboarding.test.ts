/**
 * Adoption keeping the live password (`adoptExisting: "keepPassword"`) under a flaky API: list
 * pages that answer 503 are retried, a PUT that keeps failing fails only the credential it was
 * for, with a clear message, and never creates a credential or sends a password; the next `up`
 * converges and the plan is empty. The devices' passwords are unchanged throughout.
 */
import type { FaultRule } from "../../provider/sandbox";
import { output } from "../helpers/engine";
import { FAULTS_SEED, useScenario } from "../helpers/scenario";
import { countByMethod } from "../helpers/stackFixture";

jest.setTimeout(900_000);

const LIVE_PASSWORD = "Live-Device-Pw-0123";
const USERS = ["desk_a", "desk_b", "desk_c"];

describe("adoption keeping the password, with faults", () => {
  const f = useScenario({ name: "faults-onboard", sandbox: { seed: FAULTS_SEED } }, (f) => {
    f.secrets["live password"] = LIVE_PASSWORD;
    for (const username of USERS) {
      f.sandbox.credentials.create(f.authId, { username, password: LIVE_PASSWORD, description: "Desk" });
    }
  });

  function unchangedPasswords(): boolean {
    return f.live().every((c) => f.sandbox.credentials.verifyPassword(f.authId, c.id, LIVE_PASSWORD));
  }

  test("list 503s are retried and every PUT failing fails only the edited credential; the next up converges", async () => {
    // desk_b is declared disabled: the only write the adoption needs.
    f.spec(
      Object.fromEntries(
        USERS.map((u) => [
          u,
          {
            username: u,
            description: "Desk",
            enabled: u !== "desk_b",
            extra: { adoptExisting: "keepPassword" },
          },
        ]),
      ),
    );
    const rules: FaultRule[] = [
      { route: "list", status: 503, times: 2 },
      { method: "PUT", status: 500, times: 100 },
    ];
    for (const r of rules) f.sandbox.faults.add(r);
    f.takeRequests();

    const failed = await f.ws.up({ check: false });

    expect(failed.code).not.toBe(0);
    expect(output(failed)).toMatch(/HTTP 500/);
    const sent = f.takeRequests();
    expect(sent.filter((e) => e.method === "POST")).toEqual([]);
    expect(
      sent.filter((e) => e.method === "PUT").every((e) => !JSON.stringify(e.body).includes("password")),
    ).toBe(true);
    expect(
      f
        .live()
        .map((c) => c.username)
        .sort(),
    ).toEqual(USERS); // nothing created, nothing deleted
    expect(f.live().find((c) => c.username === "desk_b")?.enabled).toBe(true); // not applied
    expect(unchangedPasswords()).toBe(true);

    f.sandbox.faults.clear();
    await f.ws.up();
    expect(countByMethod(f.takeRequests().filter((e) => e.method !== "GET"))).toEqual({ PUT: 1 });
    expect(f.live().find((c) => c.username === "desk_b")?.enabled).toBe(false);
    expect(unchangedPasswords()).toBe(true);
    await f.ws.preview({ expectNoChanges: true });
  });
});
