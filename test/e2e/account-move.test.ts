/**
 * Moving a stack to another Vobiz account, following the README's "Moving a stack to another
 * account" step by step through the real engine: the new account's settings, a preview that
 * shows each credential replaced, `vobiz:releaseAccount` for the old account, one `pulumi up`
 * (new credentials on the new account, the old ones dropped from the state and left untouched on
 * the old account), the setting removed, a clean preview. Also the way out for a stack that ran
 * `pulumi up` before step 3 (the old dead end): the failed run, then the same two steps.
 */
import { randomBytes } from "node:crypto";
import type { Sandbox } from "../../provider/sandbox";
import { useScenario } from "../helpers/scenario";
import { calls, expectCleanPreview, randomToken, writes, type StackFixture } from "../helpers/stackFixture";

jest.setTimeout(600_000);

const USERNAMES = ["move_desk", "move_phone"];

/** Runs `pulumi config set` / `config rm` the way the README writes them. */
async function config(f: StackFixture, ...args: string[]): Promise<void> {
  await f.ws.run(["config", ...args]);
}

describe("moving a stack to another account (README: Moving a stack to another account)", () => {
  let other: { authId: string; authToken: string };
  /** The scenario's sandbox, kept to look at the new account after the scenario has closed. */
  let sandbox: Sandbox | undefined;

  // Closing the scenario destroys with the new account's settings; the old account holds the
  // declared leftovers.
  const f = useScenario(
    { name: "account-move" },
    async (f) => {
      sandbox = f.sandbox;
      other = { authId: `MA_${randomBytes(5).toString("hex").toUpperCase()}`, authToken: randomToken() };
      f.sandbox.accounts.add(other);
      f.secrets["other account's token"] = other.authToken;
      await f.password("pw");
      f.spec({
        desk: { username: USERNAMES[0], passwordKey: "pw" },
        phone: { username: USERNAMES[1], passwordKey: "pw" },
      });
      await f.ws.up();
      expect(
        f
          .live()
          .map((c) => c.username)
          .sort(),
      ).toEqual(USERNAMES);
    },
    { per: "test" },
  );

  // After the scenario's close (a block's hooks run in the order they are declared): the closing
  // destroy removed the moved credentials from the new account too.
  afterEach(() => {
    const left = sandbox?.credentials.list(other.authId) ?? [];
    for (const c of left) sandbox?.credentials.delete(other.authId, c.id);
    sandbox = undefined;
    expect(left.map((c) => c.username)).toEqual([]);
  });

  /** Steps 1 and 2: the new account's settings, and a preview that replaces each credential. */
  async function pointAtOtherAccount(): Promise<void> {
    await config(f, "set", "vobiz:authId", other.authId);
    await f.ws.setConfig("vobiz:authToken", other.authToken, { secret: true });
    const seen = f.sandbox.journal.entries().length;
    const preview = await f.ws.preview();
    expect(preview.stdout).toMatch(/Resources:\n\s+\+-2 to replace/);
    for (const name of ["desk", "phone"]) {
      expect(preview.stdout).toMatch(
        new RegExp(
          `\\+-pulumi-nodejs:dynamic/vobiz:Credential: \\(replace\\)\\n.*\\n.*vobiz:Credential::${name}\\]`,
        ),
      );
    }
    expect(writes(f.sandbox.journal.entries().slice(seen))).toEqual([]); // a preview writes nothing
  }

  /** Steps 3 to 5, and what they leave. */
  async function releaseAndApply(): Promise<void> {
    const oldIds = f
      .live()
      .map((c) => c.id)
      .sort();
    await config(f, "set", "vobiz:releaseAccount", f.authId);
    f.takeRequests();
    await f.ws.up();
    // The old account was not touched: no request went to it, and its credentials are as they were.
    expect(calls(f.takeRequests())).toEqual([]);
    expect(
      f
        .live()
        .map((c) => c.id)
        .sort(),
    ).toEqual(oldIds);
    // The new account holds the credentials, with the declared password; the state only them.
    const moved = f.sandbox.credentials.list(other.authId);
    expect(moved.map((c) => c.username).sort()).toEqual(USERNAMES);
    for (const c of moved) {
      expect(f.sandbox.credentials.verifyPassword(other.authId, c.id, f.secrets["password pw"])).toBe(true);
    }
    const state = await f.ws.credentialsInState();
    expect(state.map((r) => r.id).sort()).toEqual(moved.map((c) => c.id).sort());
    expect(state.every((r) => r.outputs?.accountId === other.authId)).toBe(true);

    await config(f, "rm", "vobiz:releaseAccount");
    await expectCleanPreview(f);
    for (const u of USERNAMES) f.keepsOnAccount(u, "left on the old account by the move, as the README says");
  }

  test("set the new account, release the old one, one pulumi up: moved, the old credentials untouched", async () => {
    await pointAtOtherAccount();
    await releaseAndApply();
  });

  test("a stack that ran pulumi up before releasing: the run fails naming the setting, then the same steps finish the move", async () => {
    await pointAtOtherAccount();
    const failed = await f.ws.up({ check: false });
    expect(failed.code).not.toBe(0);
    expect(`${failed.stdout}\n${failed.stderr}`).toContain(
      `pulumi config set vobiz:releaseAccount ${f.authId}`,
    );
    // The new credentials exist already; the old ones are still in the state, pending deletion.
    expect(f.sandbox.credentials.list(other.authId)).toHaveLength(2);
    expect(f.live()).toHaveLength(2);
    await releaseAndApply();
  });
});
