/** The sandbox's store (provider/sandbox/store.ts): accounts, credentials, hashing and the data file. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SandboxError } from "../../provider/sandbox/errors";
import { Store } from "../../provider/sandbox/store";

const TOKEN = "store-token-0123456789";
const PASSWORD = "store-password-1";

function failure(f: () => unknown): { status: number; code: string; details: Record<string, unknown> } {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(SandboxError);
    const e = err as SandboxError;
    return { status: e.status, code: e.code, details: { ...e.details } };
  }
  throw new Error("expected a SandboxError");
}

function storeWith(...authIds: string[]): Store {
  const store = new Store();
  for (const id of authIds) store.putAccount(id, `${TOKEN}-${id}`);
  return store;
}

let now: jest.SpyInstance<number, []>;
beforeEach(() => {
  now = jest.spyOn(Date, "now").mockReturnValue(Date.parse("2026-01-01T00:00:00.000Z"));
});
afterEach(() => now.mockRestore());

describe("accounts", () => {
  it("authenticates the right token only, and unknown accounts never", () => {
    const store = storeWith("MA_A");
    expect(store.authenticate("MA_A", `${TOKEN}-MA_A`)).toBe(true);
    expect(store.authenticate("MA_A", `${TOKEN}-MA_A`)).toBe(true); // the cached path
    expect(store.authenticate("MA_A", "wrong-token")).toBe(false);
    expect(store.authenticate("MA_B", `${TOKEN}-MA_A`)).toBe(false);
  });

  it("re-keying an account replaces its token (the old one stops working) and keeps its credentials", () => {
    const store = storeWith("MA_A");
    expect(store.authenticate("MA_A", `${TOKEN}-MA_A`)).toBe(true);
    store.createCredential("MA_A", { username: "kept", password: PASSWORD });
    store.putAccount("MA_A", "new-token-9876543210");
    expect(store.authenticate("MA_A", `${TOKEN}-MA_A`)).toBe(false);
    expect(store.authenticate("MA_A", "new-token-9876543210")).toBe(true);
    expect(store.listCredentials("MA_A").map((c) => c.username)).toEqual(["kept"]);
    expect(store.listAccounts()).toEqual([{ authId: "MA_A" }]);
  });

  it("an unknown account is 404 ACCOUNT_NOT_FOUND for credential operations", () => {
    const store = storeWith("MA_A");
    expect(failure(() => store.listCredentials("MA_NOPE"))).toMatchObject({
      status: 404,
      code: "ACCOUNT_NOT_FOUND",
      details: { authId: "MA_NOPE" },
    });
  });
});

describe("credentials", () => {
  it("creates with the defaults: enabled, no description, a UUID v4, both timestamps now", () => {
    const store = storeWith("MA_A");
    const c = store.createCredential("MA_A", { username: "desk", password: PASSWORD });
    expect(c).toMatchObject({ accountId: "MA_A", username: "desk", enabled: true, inUse: false });
    expect(c.description).toBeUndefined();
    expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(c.createdAt).toBe(Date.parse("2026-01-01T00:00:00.000Z"));
    expect(c.updatedAt).toBe(c.createdAt);
    expect(store.counts()).toEqual({ accounts: 1, credentials: 1 });
  });

  it("keeps only a hash of the password, and verifies it", () => {
    const store = storeWith("MA_A");
    const c = store.createCredential("MA_A", { username: "desk", password: PASSWORD });
    expect(JSON.stringify(c)).not.toContain(PASSWORD);
    expect(c.passwordHash).toMatch(/^scrypt\$/);
    expect(store.verifyPassword("MA_A", c.id, PASSWORD)).toBe(true);
    expect(store.verifyPassword("MA_A", c.id, `${PASSWORD}x`)).toBe(false);
  });

  it("usernames are unique per account, compared exactly: 409 DUPLICATE_USERNAME names the holder", () => {
    const store = storeWith("MA_A", "MA_B");
    const first = store.createCredential("MA_A", { username: "desk", password: PASSWORD });
    expect(failure(() => store.createCredential("MA_A", { username: "desk", password: PASSWORD }))).toEqual({
      status: 409,
      code: "DUPLICATE_USERNAME",
      details: { field: "username", id: first.id },
    });
    expect(store.createCredential("MA_B", { username: "desk", password: PASSWORD }).accountId).toBe("MA_B");
    expect(store.createCredential("MA_A", { username: "Desk", password: PASSWORD }).username).toBe("Desk");
  });

  it("each account sees only its own credentials", () => {
    const store = storeWith("MA_A", "MA_B");
    const mine = store.createCredential("MA_A", { username: "mine", password: PASSWORD });
    expect(store.listCredentials("MA_B")).toEqual([]);
    expect(failure(() => store.getCredential("MA_B", mine.id))).toMatchObject({
      status: 404,
      code: "CREDENTIAL_NOT_FOUND",
    });
    expect(failure(() => store.deleteCredential("MA_B", mine.id, true)).code).toBe("CREDENTIAL_NOT_FOUND");
  });

  it("lists by creation time, then id, whatever the insertion order", () => {
    const store = storeWith("MA_A");
    now.mockReturnValue(3000);
    const late = store.createCredential("MA_A", { username: "late", password: PASSWORD });
    now.mockReturnValue(1000);
    const early = store.createCredential("MA_A", { username: "early", password: PASSWORD });
    now.mockReturnValue(2000);
    const twins = [
      store.createCredential("MA_A", { username: "twin1", password: PASSWORD }),
      store.createCredential("MA_A", { username: "twin2", password: PASSWORD }),
    ].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(store.listCredentials("MA_A").map((c) => c.id)).toEqual([
      early.id,
      ...twins.map((t) => t.id),
      late.id,
    ]);
  });

  it("an update changes only the given fields and moves updatedAt strictly forward, even in the same millisecond", () => {
    const store = storeWith("MA_A");
    const c = store.createCredential("MA_A", { username: "desk", password: PASSWORD, description: "old" });
    const created = c.updatedAt;
    const u1 = store.updateCredential("MA_A", c.id, { enabled: false });
    expect(u1).toMatchObject({ enabled: false, description: "old" });
    expect(u1.updatedAt).toBe(created + 1);
    const u2 = store.updateCredential("MA_A", c.id, { password: "another-password" });
    expect(u2.updatedAt).toBe(created + 2);
    expect(store.verifyPassword("MA_A", c.id, "another-password")).toBe(true);
    expect(store.verifyPassword("MA_A", c.id, PASSWORD)).toBe(false);
    now.mockReturnValue(created + 60_000);
    expect(store.updateCredential("MA_A", c.id, { description: "" }).updatedAt).toBe(created + 60_000);
    expect(store.getCredential("MA_A", c.id).description).toBe("");
  });

  it("the in-use flag alone does not move updatedAt (it is not an API change)", () => {
    const store = storeWith("MA_A");
    const c = store.createCredential("MA_A", { username: "desk", password: PASSWORD });
    const before = c.updatedAt;
    expect(store.updateCredential("MA_A", c.id, { inUse: true })).toMatchObject({
      inUse: true,
      updatedAt: before,
    });
  });

  it("delete of a credential in use is 409 CREDENTIAL_IN_USE unless forced; a deleted one is gone", () => {
    const store = storeWith("MA_A");
    const c = store.createCredential("MA_A", { username: "busy", password: PASSWORD });
    store.updateCredential("MA_A", c.id, { inUse: true });
    expect(failure(() => store.deleteCredential("MA_A", c.id, false))).toMatchObject({
      status: 409,
      code: "CREDENTIAL_IN_USE",
    });
    expect(store.listCredentials("MA_A")).toHaveLength(1);
    store.deleteCredential("MA_A", c.id, true);
    expect(failure(() => store.getCredential("MA_A", c.id)).code).toBe("CREDENTIAL_NOT_FOUND");
    expect(store.counts()).toEqual({ accounts: 1, credentials: 0 });
  });
});

describe("the data file", () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sandbox-store-"));
    file = join(dir, "nested", "state.json");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is written after every change (owner-only, no plain secret) and loaded by the next store", () => {
    const store = new Store(file);
    store.putAccount("MA_P", TOKEN);
    const c = store.createCredential("MA_P", { username: "kept", password: PASSWORD, description: "d" });
    store.updateCredential("MA_P", c.id, { enabled: false, inUse: true });

    const text = readFileSync(file, "utf8");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(PASSWORD);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(text)).toMatchObject({
      version: 1,
      accounts: [
        { authId: "MA_P", credentials: [{ id: c.id, enabled: false, inUse: true, description: "d" }] },
      ],
    });

    const reopened = new Store(file);
    expect(reopened.authenticate("MA_P", TOKEN)).toBe(true);
    expect(reopened.getCredential("MA_P", c.id)).toEqual(store.getCredential("MA_P", c.id));
    expect(reopened.verifyPassword("MA_P", c.id, PASSWORD)).toBe(true);
  });

  it("a missing file is an empty store", () => {
    expect(new Store(file).listAccounts()).toEqual([]);
  });

  it("a file that is not usable stops the start with a message naming the file and the problem", () => {
    const cases: [string, RegExp][] = [
      ["{not json", /not valid JSON/],
      ['{"version": 2, "accounts": []}', /expected \{"version": 1/],
      ['{"version": 1, "accounts": [{"authId": "MA_X", "tokenHash": "plain", "credentials": []}]}', /lacks/],
      [
        JSON.stringify({
          version: 1,
          accounts: [
            {
              authId: "MA_X",
              tokenHash: "scrypt$1024$8$1$c2FsdA==$a2V5",
              credentials: [
                { id: "c1", username: "u", enabled: true, passwordHash: "x", createdAt: "", updatedAt: "" },
              ],
            },
          ],
        }),
        /credential c1 of MA_X is malformed/,
      ],
    ];
    for (const [content, message] of cases) {
      writeFileSync(join(dir, "bad.json"), content);
      expect(() => new Store(join(dir, "bad.json"))).toThrow(message);
      expect(() => new Store(join(dir, "bad.json"))).toThrow(join(dir, "bad.json"));
    }
  });
});
