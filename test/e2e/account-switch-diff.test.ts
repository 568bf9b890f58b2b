/**
 * The preview of an account switch names why it replaces (issue 22, item 14): the stack config
 * `vobiz:authId` changed, so each credential shows `[diff: ~accountId]` in the plain preview and
 * `~ accountId: "MA_A" => "MA_B"` in `--diff`. Nothing is applied: the config goes back before close.
 */
import { useScenario } from "../helpers/scenario";
import { randomToken } from "../helpers/stackFixture";

jest.setTimeout(600_000);

const f = useScenario({ name: "acct-diff" }, async (f) => {
  await f.password("pw");
  f.spec({ desk: { username: "switch_desk", passwordKey: "pw" } });
  await f.ws.up();
});

test("pointing the stack at another account: the replace names accountId", async () => {
  const other = { authId: "MA_SWITCHED", authToken: randomToken() };
  f.sandbox.accounts.add(other);
  f.secrets["other account's token"] = other.authToken;
  const seen = f.sandbox.journal.entries().length;
  await f.ws.setConfig("vobiz:authId", other.authId);
  await f.ws.setConfig("vobiz:authToken", other.authToken, { secret: true });
  try {
    const plain = await f.ws.run(["preview"]);
    expect(plain.stdout).toMatch(
      /\+-\s+pulumi-nodejs:dynamic\/vobiz:Credential\s+desk\s+replace\s+\[diff: ~accountId\]/,
    );
    const detailed = await f.ws.preview();
    expect(detailed.stdout).toMatch(new RegExp(`~ accountId\\s*: "${f.authId}" => "${other.authId}"`));
    // A preview writes nothing, on either account.
    expect(
      f.sandbox.journal
        .entries()
        .slice(seen)
        .filter((e) => e.method !== "GET"),
    ).toEqual([]);
  } finally {
    await f.ws.setConfig("vobiz:authId", f.authId);
    await f.ws.setConfig("vobiz:authToken", f.authToken, { secret: true });
  }
  await f.ws.preview({ expectNoChanges: true });
});
