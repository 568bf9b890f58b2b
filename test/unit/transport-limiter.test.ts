/**
 * The transport with the account's rate limiter: every attempt waits for its turn and reports its
 * answer; a 429 reaches the limiter (pausing the account), and time spent waiting for a turn is
 * pacing, not retrying: it does not count against the call's retry budget.
 */
import { AccountRateLimiter } from "../../provider/http/limiter/accountLimiter";
import type { ApiRequest } from "../../provider/http/request";
import { HttpTransport } from "../../provider/http/transport";
import { fakeClock } from "../helpers/fakeClock";
import { UNIT_AUTH_ID, UNIT_AUTH_TOKEN, UNIT_BASE_URL, UNIT_ORIGIN } from "../helpers/fixtures";
import { useNock } from "../helpers/nock";

const api = useNock();
const LIST = "/api/v1/account/MA_UNIT/trunks/credentials?limit=100&offset=0";
const list: ApiRequest = {
  method: "GET",
  path: "/account/MA_UNIT/trunks/credentials",
  query: { limit: 100, offset: 0 },
  operation: "list",
  retry: "idempotent",
};

function setup(maxRequestsPerSecond?: number) {
  const clock = fakeClock();
  const limiter = new AccountRateLimiter({
    label: UNIT_AUTH_ID,
    clock,
    maxRequestsPerSecond,
    schedule: () => {},
  });
  const transport = new HttpTransport({
    baseUrl: UNIT_BASE_URL,
    authId: UNIT_AUTH_ID,
    authToken: UNIT_AUTH_TOKEN,
    timeoutMs: 2000,
    clock,
    retry: { maxElapsedMs: 1000 },
    limiter,
  });
  return { clock, limiter, transport };
}

it("waits for its turn before every attempt, and the wait does not spend the retry budget", async () => {
  const { clock, transport } = setup(0.2); // one turn every 5 s
  api.scope(UNIT_ORIGIN).get(LIST).reply(200, { objects: [] });
  api
    .scope(UNIT_ORIGIN)
    .get(LIST)
    .reply(429, "", { "Retry-After": "0" })
    .get(LIST)
    .reply(200, { objects: [] });
  await transport.send(list);
  // Two 5 s turns (first attempt, retry) in a call whose budget is 1 s: still answered.
  const res = await transport.send(list);
  expect(res.attempts).toBe(2);
  expect(clock.sleeps.filter((ms) => ms >= 4000)).toHaveLength(2);
});

it("a 429 reaches the limiter: the account is paused for the wait Vobiz asked", async () => {
  const { limiter, transport, clock } = setup();
  api
    .scope(UNIT_ORIGIN)
    .get(LIST)
    .reply(200, { objects: [] })
    .get(LIST)
    .reply(429, "", { "Retry-After": "0.5" })
    .get(LIST)
    .reply(200, { objects: [] });
  await transport.send(list);
  const pending = transport.send(list);
  await pending;
  const state = limiter.state();
  expect(state.rateLimited).toBe(1);
  expect(state.throttled).toBe(true);
  // One served answer before the 429: the rate is now paced, from the floor of 1 per second.
  expect(state.rate).toBeGreaterThanOrEqual(1);
  expect(state.rate).toBeLessThan(2);
  expect(clock.sleeps).toContain(500);
});
