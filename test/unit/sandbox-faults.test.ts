/** The sandbox's fault rules (provider/sandbox/faults.ts): validation, matching, order, consumption, seeds. */
import { SandboxError } from "../../provider/sandbox/errors";
import {
  FaultEngine,
  mulberry32,
  parseFaultRule,
  type FaultRequest,
  type FaultRule,
} from "../../provider/sandbox/faults";

const create: FaultRequest = {
  method: "POST",
  path: "/api/v1/account/MA_A/credentials",
  route: "create",
  authId: "MA_A",
};
const list: FaultRequest = {
  method: "GET",
  path: "/api/v1/account/MA_A/trunks/credentials",
  route: "list",
  authId: "MA_A",
};
const otherAccount: FaultRequest = { ...create, path: "/api/v1/account/MA_B/credentials", authId: "MA_B" };

function failure(input: unknown): { status: number; code: string; details: Record<string, unknown> } {
  try {
    parseFaultRule(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SandboxError);
    const e = err as SandboxError;
    return { status: e.status, code: e.code, details: { ...e.details } };
  }
  throw new Error("expected a SandboxError");
}

describe("parseFaultRule", () => {
  it("accepts a rule with an effect, upper-cases the method, defaults applyThenFail to 500", () => {
    expect(parseFaultRule({ method: "post", status: 503 })).toEqual({ method: "POST", status: 503 });
    expect(parseFaultRule({ route: "update", applyThenFail: {} })).toEqual({
      route: "update",
      applyThenFail: { status: 500 },
    });
    expect(parseFaultRule({ applyThenFail: { drop: true } })).toEqual({ applyThenFail: { drop: true } });
    expect(parseFaultRule({ latencyMs: 0, latencyJitterMs: 5 })).toEqual({
      latencyMs: 0,
      latencyJitterMs: 5,
    });
  });

  it("refuses non-objects and unknown fields with 400", () => {
    expect(failure([])).toMatchObject({ status: 400, code: "INVALID_BODY" });
    expect(failure({ status: 500, statusCode: 500 })).toMatchObject({
      status: 400,
      code: "UNKNOWN_FIELD",
      details: { field: "statusCode" },
    });
  });

  it("refuses invalid values with 422, naming the field and rule", () => {
    const cases: [FaultRule | Record<string, unknown>, string, string][] = [
      [{ status: 302 }, "status", "status_4xx_5xx"],
      [{ status: 600 }, "status", "status_4xx_5xx"],
      [{ status: 500, route: "patch" }, "route", "enum"],
      [{ status: 500, times: 0 }, "times", "positive_integer"],
      [{ status: 500, probability: 1.5 }, "probability", "probability"],
      [{ status: 500, pathPattern: "(" }, "pathPattern", "regex"],
      [{ latencyMs: -1 }, "latencyMs", "non_negative_integer"],
      [{ status: 429, retryAfter: 1.5 }, "retryAfter", "non_negative_integer"],
      [{ drop: "yes" }, "drop", "boolean"],
      [{ applyThenFail: { status: 500, drop: true } }, "applyThenFail", "status_or_drop"],
      [{ applyThenFail: { when: "later" } }, "applyThenFail", "fields"],
      [{ status: 500, drop: true }, "rule", "one_of_status_drop_applyThenFail"],
      [{ route: "create" }, "rule", "needs_an_effect"],
      [{ latencyMs: 0 }, "rule", "needs_an_effect"],
    ];
    for (const [rule, field, name] of cases) {
      expect({ rule, ...failure(rule) }).toMatchObject({ rule, status: 422, details: { field, rule: name } });
    }
  });
});

describe("FaultEngine", () => {
  it("a rule without match fields hits every request; match fields are ANDed", () => {
    const engine = new FaultEngine();
    engine.add({ status: 500 });
    expect(engine.decide(list).terminal).toMatchObject({ kind: "status", status: 500 });

    const narrow = new FaultEngine();
    narrow.add({
      method: "post",
      route: "create",
      authId: "MA_A",
      pathPattern: "/credentials$",
      status: 503,
    });
    expect(narrow.decide(create).terminal).toMatchObject({ status: 503 });
    expect(narrow.decide(list).terminal).toBeUndefined();
    expect(narrow.decide(otherAccount).terminal).toBeUndefined();
    expect(narrow.decide({ ...create, method: "PUT" }).terminal).toBeUndefined();
  });

  it("`times` rules fire for that many matching requests, then expire and leave the list", () => {
    const engine = new FaultEngine();
    const id = engine.add({ route: "create", status: 503, times: 2 });
    expect(engine.list()).toEqual([{ id, route: "create", status: 503, times: 2, hits: 0, remaining: 2 }]);
    expect(engine.decide(list).terminal).toBeUndefined(); // not matching: not consumed
    expect(engine.list()[0].remaining).toBe(2);
    expect(engine.decide(create).terminal?.kind).toBe("status");
    expect(engine.list()[0]).toMatchObject({ hits: 1, remaining: 1 });
    expect(engine.decide(create).terminal?.kind).toBe("status");
    expect(engine.list()).toEqual([]);
    expect(engine.decide(create).terminal).toBeUndefined();
  });

  it("latency of every firing rule adds up; the first terminal rule wins and later ones are not consumed", () => {
    const engine = new FaultEngine();
    const slow = engine.add({ latencyMs: 30 });
    const first = engine.add({ status: 502, times: 1 });
    const second = engine.add({ drop: true, times: 1 });
    const slower = engine.add({ latencyMs: 20 });
    const d = engine.decide(create);
    expect(d.latencyMs).toBe(50);
    expect(d.terminal).toMatchObject({ kind: "status", ruleId: first, status: 502 });
    expect(d.applied.map((a) => [a.id, a.kind])).toEqual([
      [slow, "latency"],
      [first, "status"],
      [slower, "latency"],
    ]);
    const rules = engine.list();
    expect(rules.find((r) => r.id === second)).toMatchObject({ hits: 0, remaining: 1 });
    expect(engine.decide(create).terminal).toMatchObject({ kind: "drop", ruleId: second });
  });

  it("status rules carry Retry-After (seconds or date) and X-RateLimit-Reset", () => {
    const engine = new FaultEngine();
    engine.add({ status: 429, retryAfter: 7, rateLimitReset: 1_700_000_000, times: 1 });
    expect(engine.decide(create).terminal).toMatchObject({
      headers: { "Retry-After": "7", "X-RateLimit-Reset": "1700000000" },
    });
    engine.add({ status: 429, retryAfter: 30, retryAfterDate: true, times: 1 });
    const before = Date.now();
    const headers = (engine.decide(create).terminal as { headers: Record<string, string> }).headers;
    const at = Date.parse(headers["Retry-After"]);
    expect(headers["Retry-After"]).toMatch(/GMT$/);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 29_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 30_000);
  });

  it("applyThenFail rules say whether to drop or which status to answer after the write", () => {
    const engine = new FaultEngine();
    engine.add({ applyThenFail: { status: 504 }, times: 1 });
    expect(engine.decide(create).terminal).toMatchObject({ kind: "applyThenFail", drop: false, status: 504 });
    engine.add({ applyThenFail: { drop: true }, times: 1 });
    expect(engine.decide(create).terminal).toMatchObject({ kind: "applyThenFail", drop: true });
  });

  it("probability and jitter come from a seeded PRNG: the same seed gives the same faults", () => {
    const run = (seed: number) => {
      const engine = new FaultEngine(seed);
      engine.add({ status: 500, probability: 0.5, latencyJitterMs: 100 });
      return Array.from({ length: 40 }, () => {
        const d = engine.decide(create);
        return `${d.terminal ? "F" : "."}${d.latencyMs}`;
      }).join(" ");
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
    const fired = run(7)
      .split(" ")
      .filter((s) => s.startsWith("F")).length;
    expect(fired).toBeGreaterThan(5);
    expect(fired).toBeLessThan(35);
  });

  it("a rule's own seed overrides the engine's; a rule that does not pass its probability is not consumed", () => {
    const a = new FaultEngine(1);
    const b = new FaultEngine(99);
    a.add({ status: 500, probability: 0.3, seed: 42 });
    b.add({ status: 500, probability: 0.3, seed: 42 });
    const pattern = (e: FaultEngine) =>
      Array.from({ length: 30 }, () => (e.decide(create).terminal ? 1 : 0)).join("");
    expect(pattern(a)).toBe(pattern(b));

    const never = new FaultEngine();
    never.add({ status: 500, probability: 0, times: 1 });
    for (let i = 0; i < 10; i++) expect(never.decide(create).terminal).toBeUndefined();
    expect(never.list()[0]).toMatchObject({ hits: 0, remaining: 1 });
  });

  it("ids count up; remove, clear and list (a copy) work on the rules", () => {
    const engine = new FaultEngine();
    const first = engine.add({ status: 500 });
    const second = engine.add({ status: 501 });
    expect([first, second]).toEqual(["fault_1", "fault_2"]);
    const listed = engine.list();
    listed[0].status = 418;
    expect(engine.list()[0].status).toBe(500);
    expect(engine.remove(first)).toBe(true);
    expect(engine.remove(first)).toBe(false);
    expect(engine.list().map((r) => r.id)).toEqual([second]);
    engine.clear();
    expect(engine.list()).toEqual([]);
    expect(engine.add({ status: 500 })).toBe("fault_3");
  });

  it("an id in the input is ignored (the engine assigns ids)", () => {
    const engine = new FaultEngine();
    expect(engine.add({ id: "mine", status: 500 })).toBe("fault_1");
  });
});

describe("mulberry32", () => {
  it("is deterministic per seed and returns numbers in [0, 1)", () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    expect(mulberry32(124)()).not.toBe(xs[0]);
  });
});
