/**
 * A test's clock for processes it does not run in-process (the Pulumi program and the provider
 * process the engine starts): loaded with `node --require` (NODE_OPTIONS), it moves the process's
 * `Date` so that it reads PULUMI_VOBIZ_TEST_NOW (ISO 8601) when the process starts, and advances in
 * real time from there. It lives in the tests, not in the package: no variable moves the shipped
 * provider's clock. Timers are unaffected (they run on the monotonic clock).
 */
const target = process.env.PULUMI_VOBIZ_TEST_NOW;
if (target) {
  const RealDate = Date;
  const offset = RealDate.parse(target) - RealDate.now();
  if (Number.isNaN(offset)) throw new Error(`PULUMI_VOBIZ_TEST_NOW is not a time: ${target}`);
  class TestDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offset);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offset;
    }
  }
  globalThis.Date = TestDate;
}
