/** ServerClock: the offset range of Vobiz's clock narrows with every dated answer. */
import { parseHttpDate, ServerClock } from "../../provider/http/serverClock";

const T = Date.UTC(2030, 0, 1, 12, 0, 0);
const http = (ms: number) => new Date(ms).toUTCString();

describe("ServerClock", () => {
  it("knows nothing before a dated answer, and ignores answers without a usable Date", () => {
    const c = new ServerClock();
    expect(c.offset()).toBeUndefined();
    expect(c.observe(undefined, T, T)).toBeUndefined();
    expect(c.observe("yesterday-ish", T, T)).toBeUndefined();
    expect(c.observe("-5", T, T)).toBeUndefined();
    expect(c.offset()).toBeUndefined();
  });

  it("one answer: Vobiz's whole second and the request's duration bound the offset", () => {
    const c = new ServerClock();
    // Sent at T, received at T + 200; Vobiz said 11:59:00 (60 s behind).
    expect(c.observe(http(T - 60_000), T, T + 200)).toBe(T - 60_000);
    expect(c.offset()).toEqual({ lowMs: -60_200, highMs: -59_000 });
  });

  it("later answers narrow the range to the intersection", () => {
    const c = new ServerClock();
    c.observe(http(T), T, T); // [0, 1000]
    c.observe(http(T + 1000), T + 400, T + 400); // [600, 1600]
    expect(c.offset()).toEqual({ lowMs: 600, highMs: 1000 });
  });

  it("an answer that contradicts the range replaces it (the clock was set meanwhile)", () => {
    const c = new ServerClock();
    c.observe(http(T), T, T);
    c.observe(http(T + 3_600_000), T + 10, T + 10);
    expect(c.offset()).toEqual({ lowMs: 3_599_990, highMs: 3_600_990 });
  });

  it("returns copies", () => {
    const c = new ServerClock();
    c.observe(http(T), T, T);
    const o = c.offset()!;
    o.lowMs = 99;
    expect(c.offset()!.lowMs).toBe(0);
  });
});

describe("parseHttpDate", () => {
  it("reads the IMF-fixdate form and refuses numbers and garbage", () => {
    expect(parseHttpDate("Tue, 01 Jan 2030 12:00:00 GMT")).toBe(T);
    expect(parseHttpDate(" Tue, 01 Jan 2030 12:00:00 GMT ")).toBe(T);
    for (const bad of [undefined, "", "30", "-5", "not a date at all"])
      expect(parseHttpDate(bad)).toBeUndefined();
  });
});
