/**
 * Issue 15 item 7: `VOBIZ_DEBUG=1` is the way to debug a failing run, because the engine's own
 * verbose logs (`-v=9 --logtostderr`) print the plain values a dynamic provider receives. Through
 * the engine: a create (POST, then a PUT of enabled/description), a retried failure, a rotation
 * and a destroy with `VOBIZ_DEBUG=1`; the debug lines are there, and no secret is in any output,
 * file, state or the sandbox journal.
 */
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

describe("7. VOBIZ_DEBUG=1 output through the engine", () => {
  const f = useScenario({ name: "debug-output", env: { VOBIZ_DEBUG: "1" } });

  test("one masked line per attempt and retry; no password or token anywhere", async () => {
    await f.password("pw");
    f.spec({ desk: { username: "debug_desk", passwordKey: "pw", enabled: false, description: "Desk" } });
    f.sandbox.faults.add({ method: "PUT", status: 503, times: 1 });
    const created = await f.ws.up();
    const text = created.stdout + created.stderr;
    expect(text).toMatch(/\[pulumi-vobiz\] POST \S*\/credentials -> 201/);
    expect(text).toMatch(/\[pulumi-vobiz\] PUT \S*\/credentials\/\S+ -> 503/);
    expect(text).toMatch(/\[pulumi-vobiz\] retrying PUT /);

    await f.password("pw"); // a new value: rotation, a PUT holding the password
    const rotated = await f.ws.up();
    expect(rotated.stdout + rotated.stderr).toMatch(/\[pulumi-vobiz\] PUT \S*\/credentials\/\S+ -> 200/);
    // Closing the scenario destroys (with VOBIZ_DEBUG=1 too) and scans every output, file, the
    // state and the journal for the token and both passwords.
  });
});
