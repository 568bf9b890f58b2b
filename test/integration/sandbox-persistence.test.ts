/** Persistence: state survives stop and start, the data file holds only hashes, writes are atomic. */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSandbox, type Sandbox, type SandboxAccount } from "../../provider/sandbox";
import { accountClient, expectError, obj } from "../helpers/sandboxHttp";

const A: SandboxAccount = {
  authId: "MA_PERSIST",
  authToken: `persist-token-secret-${randomBytes(8).toString("hex")}`,
};
const FIRST_PASSWORD = "initial-Secret-99";
const SECOND_PASSWORD = "rotated-Secret-42";

let dir: string;
let sandbox: Sandbox | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "vobiz-sandbox-test-"));
});
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("credentials, passwords and the in-use flag survive a restart; the file holds no secret", async () => {
  const path = join(dir, "nested", "state.json");
  sandbox = await startSandbox({ accounts: [A], persistPath: path });
  let a = accountClient(sandbox, A);
  const one = obj(await a.create({ username: "persist_one", password: FIRST_PASSWORD, description: "kept" }));
  const two = obj(await a.create({ username: "persist_two", password: FIRST_PASSWORD }));
  const updated = obj(await a.update(one.id as string, { password: SECOND_PASSWORD, enabled: false }));
  sandbox.credentials.setInUse(A.authId, two.id as string, true);
  const before = obj(await a.list());
  await sandbox.stop();

  const text = readFileSync(path, "utf8");
  for (const secret of [FIRST_PASSWORD, SECOND_PASSWORD, A.authToken]) expect(text).not.toContain(secret);
  const data = JSON.parse(text) as { version: number; accounts: { authId: string; tokenHash: string }[] };
  expect(data.version).toBe(1);
  expect(data.accounts[0].tokenHash).toMatch(/^scrypt\$/);
  expect(readdirSync(join(dir, "nested"))).toEqual(["state.json"]);

  // Restart without accounts: the stored one is loaded (its token is not known, only its hash).
  sandbox = await startSandbox({ persistPath: path });
  expect(sandbox.startupAccounts).toEqual([{ authId: A.authId, generated: false }]);
  a = accountClient(sandbox, A);
  expect(obj(await a.list())).toEqual(before);
  expect(obj(await a.get(one.id as string))).toEqual(updated);
  expect(sandbox.credentials.verifyPassword(A.authId, one.id as string, SECOND_PASSWORD)).toBe(true);
  expect(sandbox.credentials.verifyPassword(A.authId, two.id as string, FIRST_PASSWORD)).toBe(true);
  expectError(await a.remove(two.id as string), 409, "CREDENTIAL_IN_USE");
  expect((await a.remove(one.id as string)).status).toBe(204);
  await sandbox.stop();

  sandbox = await startSandbox({ persistPath: path });
  expect(sandbox.credentials.list(A.authId).map((c) => c.username)).toEqual(["persist_two"]);
});

test("an account given at start re-keys a stored one", async () => {
  const path = join(dir, "rekey.json");
  sandbox = await startSandbox({ accounts: [A], persistPath: path });
  await sandbox.stop();
  const rekeyed = { authId: A.authId, authToken: `rekeyed-token-${randomBytes(8).toString("hex")}` };
  sandbox = await startSandbox({ accounts: [rekeyed], persistPath: path });
  expectError(await accountClient(sandbox, A).list(), 401, "INVALID_CREDENTIALS");
  expect((await accountClient(sandbox, rekeyed).list()).status).toBe(200);
  expect(readFileSync(path, "utf8")).not.toContain(rekeyed.authToken);
});

test("a data file that is not usable fails the start with a clear message", async () => {
  const path = join(dir, "corrupt.json");
  writeFileSync(path, "{ not json");
  await expect(startSandbox({ persistPath: path })).rejects.toThrow(/corrupt\.json is not usable/);
  writeFileSync(path, JSON.stringify({ version: 99, accounts: [] }));
  await expect(startSandbox({ persistPath: path })).rejects.toThrow(/not usable/);
});
