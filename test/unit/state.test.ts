/**
 * What state holds (provider/state.ts): outputs are plain JSON without undefined values, built
 * from the checked inputs and the live credential; a credential read back keeps what Vobiz cannot
 * return (the password, the write-only source) and its last known description.
 */
import type { CredentialInputs } from "../../provider/contract/table";
import type { Credential } from "../../provider/contract/wire";
import { credentialFromOutputs, inputsFromLive, outputsOf } from "../../provider/lifecycle/state";

const live: Credential = {
  id: "id-1",
  username: "u1",
  enabled: false,
  accountId: "MA_STATE",
  realm: "MA_STATE.sip.vobiz.ai",
  createdAt: "2025-01-02T03:04:05Z",
  updatedAt: "2025-01-02T03:04:06Z",
};
const inputs: CredentialInputs = {
  username: "u1",
  password: "pw_State_SECRET",
  enabled: true,
  adoptExisting: false,
};

function undefinedKeys(o: object): string[] {
  return Object.entries(o)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
}

test("outputs: the checked inputs, the live username and enabled, and what Vobiz set", () => {
  const outs = outputsOf({ ...inputs, description: "" as unknown as string }, live, "MA_CONFIGURED");
  expect(outs).toEqual({
    username: "u1",
    password: "pw_State_SECRET",
    enabled: false,
    adoptExisting: false,
    realm: "MA_STATE.sip.vobiz.ai",
    accountId: "MA_STATE",
    createdAt: "2025-01-02T03:04:05Z",
    updatedAt: "2025-01-02T03:04:06Z",
  });
  expect(undefinedKeys(outs)).toEqual([]);
});

test("outputs: what the live object lacks comes from the previous state, the account from the client", () => {
  const bare: Credential = { id: "id-1", username: "u1", enabled: true };
  const outs = outputsOf(inputs, bare, "MA_CONFIGURED", { realm: "r", createdAt: "c" });
  expect(outs).toMatchObject({ realm: "r", createdAt: "c", accountId: "MA_CONFIGURED" });
  expect(outs).not.toHaveProperty("updatedAt");
  expect(undefinedKeys(outs)).toEqual([]);
});

test("write-only outputs carry the source and its version (default 0), never a password", () => {
  const wo: CredentialInputs = {
    username: "u1",
    passwordFrom: { env: "SIP_PW" },
    enabled: true,
    adoptExisting: false,
  };
  const outs = outputsOf(wo, live, "MA_STATE");
  expect(outs.passwordFrom).toEqual({ env: "SIP_PW" });
  expect(outs.passwordVersion).toBe(0);
  expect(outs).not.toHaveProperty("password");
});

test("read back: live values win, the password and the last description are kept", () => {
  const state = { ...inputs, description: "Front desk", adoptExisting: true };
  expect(inputsFromLive(state, live)).toEqual({
    username: "u1",
    password: "pw_State_SECRET",
    enabled: false,
    adoptExisting: true,
    description: "Front desk",
  });
  expect(inputsFromLive(state, { ...live, description: "" })).not.toHaveProperty("description");
  expect(inputsFromLive({}, live)).toEqual({ username: "u1", enabled: false, adoptExisting: false });
});

test("the credential a state describes", () => {
  expect(credentialFromOutputs("id-1", { username: "u1", accountId: "MA_STATE", realm: "r" })).toEqual({
    id: "id-1",
    username: "u1",
    enabled: true,
    accountId: "MA_STATE",
    realm: "r",
  });
});
