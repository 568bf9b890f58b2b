/** The shared test helpers must themselves be able to fail; these tests pin that down. */
import { VobizApiError, createApiError } from "../../provider/common/errors";
import { fakeClock, FAKE_EPOCH_MS } from "../helpers/fakeClock";
import {
  credentialJson,
  fixtureId,
  legacyCredentialJson,
  listJson,
  makeClient,
  PATHS,
  UNIT_AUTH_TOKEN,
} from "../helpers/fixtures";
import { scanTexts } from "../helpers/secretScanner";
import { expectNoSecrets, expectTextFreeOf, renderedText, renderings } from "../helpers/secrets";
import { mergeResults, type ScenarioResult } from "../helpers/faultsResults";

const SECRET = "s3cr3t-value-123";

describe("fakeClock", () => {
  it("starts at the fake epoch, sleeps instantly, records and advances", async () => {
    const clock = fakeClock();
    expect(clock.now()).toBe(FAKE_EPOCH_MS);
    await clock.sleep(1500);
    await clock.sleep(0);
    expect(clock.sleeps).toEqual([1500, 0]);
    expect(clock.slept()).toBe(1500);
    expect(clock.now()).toBe(FAKE_EPOCH_MS + 1500);
    clock.advance(500);
    expect(clock.now()).toBe(FAKE_EPOCH_MS + 2000);
    expect(clock.sleeps).toEqual([1500, 0]);
    clock.set(42);
    expect(clock.now()).toBe(42);
    expect(clock.iso(1000)).toBe("1970-01-01T00:00:01.042Z");
  });

  it("returns the configured random value and refuses invalid ones", async () => {
    const clock = fakeClock({ random: 0.25, start: 10 });
    expect(clock.random()).toBe(0.25);
    clock.setRandom(() => 0.75);
    expect(clock.random()).toBe(0.75);
    expect(() => clock.setRandom(1)).toThrow(RangeError);
    expect(() => fakeClock({ random: -0.1 })).toThrow(RangeError);
    expect(() => clock.sleep(-1)).toThrow(RangeError);
    expect(() => clock.sleep(Number.NaN)).toThrow(RangeError);
  });
});

describe("fixtures", () => {
  it("build the documented shapes with unique ids, and remove fields overridden with undefined", () => {
    const a = credentialJson();
    const b = credentialJson({ enabled: false, realm: undefined });
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({
      enabled: true,
      account_id: "MA_UNIT",
      realm: "MA_UNIT.sip.vobiz.ai",
      password: "<redacted>",
    });
    expect(b.enabled).toBe(false);
    expect("realm" in b).toBe(false);
    expect(legacyCredentialJson()).toHaveProperty("trunk_id");
    expect(listJson([a, b])).toEqual({ meta: { limit: 100, offset: 0, total: 2 }, objects: [a, b] });
    expect(listJson([a], null)).toEqual({ objects: [a] });
    expect(fixtureId(7)).toBe("00000000-0000-4000-8000-000000000007");
    expect(PATHS.listPage(200)).toBe("/api/v1/account/MA_UNIT/trunks/credentials?limit=100&offset=200");
    expect(PATHS.credential("a b")).toBe("/api/v1/account/MA_UNIT/credentials/a%20b");
  });

  it("makeClient ignores the process environment and uses the fake account", () => {
    const { client } = makeClient();
    expect(client.authId).toBe("MA_UNIT");
    expect(client.baseUrl).toBe("https://api.vobiz.test/api/v1");
  });
});

describe("expectNoSecrets", () => {
  it("passes for a clean error", () => {
    expectNoSecrets(createApiError({ status: 500, method: "GET", path: "/x", operation: "list" }), [SECRET]);
  });

  it("catches a secret in the message (and so the stack)", () => {
    expect(() => expectNoSecrets(new Error(`bad ${SECRET}`), [SECRET])).toThrow(/\.message contains secret/);
  });

  it("catches a secret only in the stack", () => {
    const err = new Error("clean");
    err.stack = `Error: clean\n    at ${SECRET}`;
    expect(() => expectNoSecrets(err, [SECRET])).toThrow(/\.stack contains secret/);
  });

  it("catches a secret in an own property, enumerable or not, and in a nested cause", () => {
    const a = Object.assign(new Error("clean"), { config: { headers: { "X-Auth-Token": SECRET } } });
    expect(() => expectNoSecrets(a, [SECRET])).toThrow(/config\.headers\.X-Auth-Token/);
    const b = new Error("clean");
    Object.defineProperty(b, "hidden", { value: SECRET, enumerable: false });
    expect(() => expectNoSecrets(b, [SECRET])).toThrow(/hidden/);
    const c = new Error("clean", { cause: new Error(SECRET) });
    expect(() => expectNoSecrets(c, [SECRET])).toThrow(/cause/);
  });

  it("catches a secret that only toJSON() reveals", () => {
    const err = createApiError({ status: 400, method: "POST", path: "/x", operation: "create" });
    Object.defineProperty(err, "toJSON", { value: () => ({ leaked: SECRET }) });
    expect(() => expectNoSecrets(err, [SECRET])).toThrow(/toJSON/);
  });

  it("catches a secret in details of a VobizApiError", () => {
    const err = createApiError({
      status: 422,
      details: { p: SECRET },
      method: "POST",
      path: "/x",
      operation: "create",
    });
    expect(err).toBeInstanceOf(VobizApiError);
    expect(() => expectNoSecrets(err, [SECRET])).toThrow(/details/);
  });

  it("refuses to run without a usable secret, so it cannot pass vacuously", () => {
    expect(() => expectNoSecrets({}, [])).toThrow(/no secrets/);
    expect(() => expectNoSecrets({}, [undefined])).toThrow(/no secrets/);
    expect(() => expectNoSecrets({}, ["abc"])).toThrow(/too short/);
  });

  it("survives circular values and throwing getters", () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    Object.defineProperty(o, "boom", {
      get() {
        throw new Error("getter");
      },
      enumerable: false,
    });
    expect(renderings(o).length).toBeGreaterThan(0);
    expectNoSecrets(o, [UNIT_AUTH_TOKEN]);
  });
});

describe("expectTextFreeOf and renderedText", () => {
  it("finds a secret in a text without repeating the text", () => {
    const text = `line one\ntoken=${SECRET}\n`;
    let message = "";
    try {
      expectTextFreeOf(text, ["", "other-secret", SECRET]);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/found a secret \(16 chars, starting "s3c"\)/);
    expect(message).not.toContain(SECRET);
    expect(() => expectTextFreeOf("clean", [SECRET, ""])).not.toThrow();
  });

  it("renders an error with its stack, hidden properties and cause", () => {
    const err = new Error("clean", { cause: new Error(`cause ${SECRET}`) });
    expect(renderedText(err)).toContain(SECRET);
    const hidden = new Error("clean");
    Object.defineProperty(hidden, "config", { value: { token: SECRET }, enumerable: false });
    expect(renderedText(hidden)).toContain(SECRET);
  });
});

describe("faults results", () => {
  const row = (id: string, outcome: string): ScenarioResult => ({
    id,
    scenario: id,
    faults: "",
    operations: "",
    created: 0,
    kept: 0,
    deleted: 0,
    updated: 0,
    duplicates: 0,
    orphans: 0,
    leaks: 0,
    requests: 0,
    faultedRequests: 0,
    durationMs: 0,
    outcome,
  });

  it("a re-measured row replaces the row of its id; the others stay; sorted by id", () => {
    const merged = mergeResults(
      [row("02a", "old"), row("01a", "kept")],
      [row("02a", "new"), row("03a", "added")],
    );
    expect(merged.map((r) => [r.id, r.outcome])).toEqual([
      ["01a", "kept"],
      ["02a", "new"],
      ["03a", "added"],
    ]);
  });
});

describe("the workspace secret scanner", () => {
  test("finds a secret as the engine's JSON writes it (`&`, `<`, `>` as \\u00xx escapes)", () => {
    const secret = "Gen&Pw<1>x";
    const state = '{"password":"Gen\\u0026Pw\\u003c1\\u003ex"}';
    expect(scanTexts({ generated: secret }, { state })).toEqual([{ secret: "generated", where: "state" }]);
    expect(scanTexts({ generated: secret }, { state: '{"password":"[secret]"}' })).toEqual([]);
  });
});
