/**
 * A state written before the `passwordSetAt` output existed is aged from `createdAt` (README,
 * rotation trade-offs; issue 22, item 6), through the real engine: the stack's state is exported,
 * `passwordSetAt` removed and `createdAt` moved two days back, and imported again. With
 * `rotateAfter: "1d"` the next preview plans the rotation, `up` sends one PUT with a new generated
 * password and records `passwordSetAt`, and the plan is clean again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { useScenario } from "../helpers/scenario";

jest.setTimeout(600_000);

const USERNAME = "aged_desk";
const DAY = 86_400_000;

const f = useScenario({ name: "old-state-age" }, async (f) => {
  f.spec({ desk: { username: USERNAME, extra: { generatePassword: true, rotateAfter: "1d" } } });
  await f.ws.up();
});

test("no passwordSetAt in state, createdAt older than rotateAfter: the preview rotates, up sends one PUT", async () => {
  await f.ws.preview({ expectNoChanges: true }); // a day has not passed since passwordSetAt

  // The state as an older version wrote it: no passwordSetAt; and a credential two days old.
  const exported = await f.ws.run(["stack", "export"]);
  const state = JSON.parse(exported.stdout) as {
    deployment: { resources: { type: string; outputs: Record<string, unknown> }[] };
  };
  const desk = state.deployment.resources.find((r) => r.type === "pulumi-nodejs:dynamic/vobiz:Credential")!;
  expect(desk.outputs.passwordSetAt).toEqual(expect.any(String));
  delete desk.outputs.passwordSetAt;
  const createdAt = new Date(Date.now() - 2 * DAY).toISOString();
  desk.outputs.createdAt = createdAt;
  const file = path.join(f.ws.root, "tmp", "old-state.json");
  fs.writeFileSync(file, JSON.stringify(state));
  await f.ws.run(["stack", "import", "--file", file]);

  const preview = await f.ws.preview();
  expect(preview.stdout).toMatch(/~\s+pulumi-nodejs:dynamic\/vobiz:Credential: \(update\)/);
  f.takeRequests();
  await f.ws.up();
  const writes = f.takeRequests().filter((e) => e.method !== "GET");
  expect(writes.map((e) => [e.method, Object.keys(e.body as object)])).toEqual([["PUT", ["password"]]]);
  const [after] = await f.ws.credentialsInState();
  expect(Date.parse(String(after.outputs?.passwordSetAt))).toBeGreaterThan(Date.parse(createdAt) + DAY);
  await f.ws.preview({ expectNoChanges: true });
});
