/**
 * The plugin's gRPC server over loopback, called with the SDK's own generated client: each RPC
 * turns its protobuf into the plain values the plugin's provider gets and its answer back
 * (configure's args and the deprecated variables, check failures, diff's enum, read of a gone
 * credential, invoke failures), a thrown error keeps its message, a partial create carries the
 * "created but not initialised" detail, and what the server does not serve answers UNIMPLEMENTED
 * (so the engine falls back: no handshake, no DiffConfig).
 */
import type * as grpc from "@grpc/grpc-js";
import type * as provider_grpc_pb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provider_pb from "@pulumi/pulumi/proto/provider_pb";
import type * as plugin_pb from "@pulumi/pulumi/proto/plugin_pb";
import type * as empty_pb from "google-protobuf/google/protobuf/empty_pb";
import { loadPluginSdk } from "../../provider/adapters/plugin/sdk";
import { servePlugin, type PluginServer } from "../../provider/adapters/plugin/server";
import type { PluginProvider } from "../../provider/adapters/plugin/provider";
import { asSecret } from "../../provider/adapters/plugin/secrets";
import { VobizPartialCreateError } from "../../provider/lifecycle/partialCreate";

const sdk = loadPluginSdk();
const pb = sdk.provider;
const URN = "urn:pulumi:dev::proj::vobiz:index:Credential::desk";

type Call = [string, ...unknown[]];
const calls: Call[] = [];

/** A provider that records each call and answers from `answers` (or throws what it holds). */
const answers: Record<string, unknown> = {};
function answer(name: string, ...args: unknown[]): Promise<never> {
  calls.push([name, ...args]);
  const a = answers[name];
  return a instanceof Error ? Promise.reject(a) : Promise.resolve(a as never);
}
const fake: PluginProvider = {
  version: "1.2.3",
  schema: () => '{"name":"vobiz"}',
  checkConfig: (news) => ({ ...news, checked: true }),
  configure: (props) => answer("configure", props),
  check: (urn, olds, news) => answer("check", urn, olds, news),
  diff: (id, urn, olds, news) => answer("diff", id, urn, olds, news),
  create: (urn, inputs) => answer("create", urn, inputs),
  read: (id, urn, props) => answer("read", id, urn, props),
  update: (id, urn, olds, news) => answer("update", id, urn, olds, news),
  delete: (id, urn, props) => answer("delete", id, urn, props),
  invoke: (token, args) => answer("invoke", token, args),
  writesInFlight: () => 0,
};

let server: PluginServer;
let client: provider_grpc_pb.ResourceProviderClient;

beforeAll(async () => {
  server = await servePlugin(fake, sdk);
  client = new sdk.services.ResourceProviderClient(
    `127.0.0.1:${server.port}`,
    sdk.grpc.credentials.createInsecure(),
  );
});
afterAll(async () => {
  client.close();
  await server.stop();
});
beforeEach(() => {
  calls.length = 0;
  for (const k of Object.keys(answers)) delete answers[k];
});

/** A unary call of the generated client, as a promise of the response (or the gRPC error). */
function rpc<Res>(start: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => start((err, res) => (err ? reject(err) : resolve(res))));
}
const struct = (v: Record<string, unknown>) =>
  sdk.struct.Struct.fromJavaScript(
    v as Record<string, import("google-protobuf/google/protobuf/struct_pb").JavaScriptValue>,
  );

test("plugin info and schema; a schema version it does not know is refused", async () => {
  const info = await rpc<plugin_pb.PluginInfo>((cb) => client.getPluginInfo(new sdk.empty.Empty(), cb));
  expect(info.getVersion()).toBe("1.2.3");
  const schema = await rpc<provider_pb.GetSchemaResponse>((cb) =>
    client.getSchema(new pb.GetSchemaRequest(), cb),
  );
  expect(schema.getSchema()).toBe('{"name":"vobiz"}');
  await expect(
    rpc<provider_pb.GetSchemaResponse>((cb) => client.getSchema(new pb.GetSchemaRequest().setVersion(1), cb)),
  ).rejects.toThrow(/unsupported schema version 1/);
});

test("configure hands over the args (secrets as sent) and says it takes plain values", async () => {
  const req = new pb.ConfigureRequest().setArgs(
    struct({ authId: "MA_X", authToken: asSecret("tok_SECRET") }),
  );
  req.getVariablesMap().set("vobiz:config:authId", "MA_IGNORED");
  const resp = await rpc<provider_pb.ConfigureResponse>((cb) => client.configure(req, cb));
  expect(calls).toEqual([["configure", { authId: "MA_X", authToken: asSecret("tok_SECRET") }]]);
  expect([resp.getAcceptsecrets(), resp.getAcceptresources(), resp.getSupportspreview()]).toEqual([
    false,
    false,
    false,
  ]);
});

test("configure without args reads the deprecated variables (vobiz:config:<name>)", async () => {
  const req = new pb.ConfigureRequest();
  req.getVariablesMap().set("vobiz:config:authId", "MA_V").set("vobiz:config:maxRequestsPerSecond", "5");
  await rpc<provider_pb.ConfigureResponse>((cb) => client.configure(req, cb));
  expect(calls).toEqual([["configure", { authId: "MA_V", maxRequestsPerSecond: "5" }]]);
});

test("checkConfig answers the provider's checked properties", async () => {
  const resp = await rpc<provider_pb.CheckResponse>((cb) =>
    client.checkConfig(new pb.CheckRequest().setNews(struct({ authId: "MA_X" })), cb),
  );
  expect(resp.getInputs()?.toJavaScript()).toEqual({ authId: "MA_X", checked: true });
});

test("check: inputs, or failures with property and reason", async () => {
  answers.check = { inputs: { username: "u", password: asSecret("pw") } };
  const req = new pb.CheckRequest()
    .setUrn(URN)
    .setOlds(struct({}))
    .setNews(struct({ username: "u" }));
  const ok = await rpc<provider_pb.CheckResponse>((cb) => client.check(req, cb));
  expect(calls[0]).toEqual(["check", URN, {}, { username: "u" }]);
  expect(ok.getInputs()?.toJavaScript()).toEqual({ username: "u", password: asSecret("pw") });
  expect(ok.getFailuresList()).toEqual([]);

  answers.check = { failures: [{ property: "", reason: "password must be at least 8 characters" }] };
  const bad = await rpc<provider_pb.CheckResponse>((cb) => client.check(req, cb));
  expect(bad.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([
    ["", "password must be at least 8 characters"],
  ]);
});

test("diff: changes as the protocol's enum, replaces and create-before-delete", async () => {
  answers.diff = { changes: true, replaces: ["username"], deleteBeforeReplace: false };
  const req = new pb.DiffRequest()
    .setId("id-1")
    .setUrn(URN)
    .setOlds(struct({ a: 1 }))
    .setNews(struct({ a: 2 }));
  const some = await rpc<provider_pb.DiffResponse>((cb) => client.diff(req, cb));
  expect(calls[0]).toEqual(["diff", "id-1", URN, { a: 1 }, { a: 2 }]);
  expect([some.getChanges(), some.getReplacesList(), some.getDeletebeforereplace()]).toEqual([
    pb.DiffResponse.DiffChanges.DIFF_SOME,
    ["username"],
    false,
  ]);
  answers.diff = { changes: false, replaces: [], deleteBeforeReplace: false };
  expect((await rpc<provider_pb.DiffResponse>((cb) => client.diff(req, cb))).getChanges()).toBe(
    pb.DiffResponse.DiffChanges.DIFF_NONE,
  );
});

test("create, update and delete pass the properties through; undefined values are dropped", async () => {
  answers.create = { id: "id-1", properties: { username: "u", description: undefined } };
  const created = await rpc<provider_pb.CreateResponse>((cb) =>
    client.create(new pb.CreateRequest().setUrn(URN).setProperties(struct({ username: "u" })), cb),
  );
  expect([created.getId(), created.getProperties()?.toJavaScript()]).toEqual(["id-1", { username: "u" }]);

  answers.update = { properties: { username: "u", enabled: false } };
  const updated = await rpc<provider_pb.UpdateResponse>((cb) =>
    client.update(
      new pb.UpdateRequest()
        .setId("id-1")
        .setUrn(URN)
        .setOlds(struct({ enabled: true }))
        .setNews(struct({ enabled: false })),
      cb,
    ),
  );
  expect(updated.getProperties()?.toJavaScript()).toEqual({ username: "u", enabled: false });

  await rpc<empty_pb.Empty>((cb) =>
    client.delete(
      new pb.DeleteRequest()
        .setId("id-1")
        .setUrn(URN)
        .setProperties(struct({ username: "u" })),
      cb,
    ),
  );
  expect(calls.map((c) => c[0])).toEqual(["create", "update", "delete"]);
  expect(calls[2]).toEqual(["delete", "id-1", URN, { username: "u" }]);
});

test("read: a gone credential answers an empty id; a live one its properties and inputs", async () => {
  answers.read = {};
  const gone = await rpc<provider_pb.ReadResponse>((cb) =>
    client.read(new pb.ReadRequest().setId("id-1").setUrn(URN).setProperties(struct({})), cb),
  );
  expect([gone.getId(), gone.hasProperties()]).toEqual(["", false]);
  answers.read = { id: "id-1", properties: { username: "u" }, inputs: { username: "u" } };
  const live = await rpc<provider_pb.ReadResponse>((cb) =>
    client.read(new pb.ReadRequest().setId("id-1").setUrn(URN).setProperties(struct({})), cb),
  );
  expect([live.getId(), live.getProperties()?.toJavaScript(), live.getInputs()?.toJavaScript()]).toEqual([
    "id-1",
    { username: "u" },
    { username: "u" },
  ]);
});

test("invoke: the return value, or failures", async () => {
  answers.invoke = { outputs: { credentials: [] } };
  const req = new pb.InvokeRequest().setTok("vobiz:index:getCredentials").setArgs(struct({ filter: "a*" }));
  expect(
    (await rpc<provider_pb.InvokeResponse>((cb) => client.invoke(req, cb))).getReturn()?.toJavaScript(),
  ).toEqual({ credentials: [] });
  expect(calls[0]).toEqual(["invoke", "vobiz:index:getCredentials", { filter: "a*" }]);
  answers.invoke = { failures: [{ property: "username", reason: "is required" }] };
  const failed = await rpc<provider_pb.InvokeResponse>((cb) => client.invoke(req, cb));
  expect(failed.getFailuresList().map((f) => f.getProperty())).toEqual(["username"]);
});

test("an error keeps its message; a partial create carries the not-initialised detail", async () => {
  answers.update = new Error("Vobiz refused the update (HTTP 409): disable it first");
  const err = (await rpc<provider_pb.UpdateResponse>((cb) =>
    client.update(
      new pb.UpdateRequest().setId("id-1").setUrn(URN).setOlds(struct({})).setNews(struct({})),
      cb,
    ),
  ).catch((e: unknown) => e)) as grpc.ServiceError;
  expect([err.code, err.details]).toEqual([
    sdk.grpc.status.UNKNOWN,
    "Vobiz refused the update (HTTP 409): disable it first",
  ]);

  answers.create = new VobizPartialCreateError("created but could not apply enabled", "id-9", {
    username: "u",
    enabled: true,
    adoptExisting: false,
  });
  const partial = (await rpc<provider_pb.CreateResponse>((cb) =>
    client.create(new pb.CreateRequest().setUrn(URN).setProperties(struct({})), cb),
  ).catch((e: unknown) => e)) as grpc.ServiceError;
  const status = sdk.status.Status.deserializeBinary(
    partial.metadata.get("grpc-status-details-bin")[0] as Buffer,
  );
  const detail = status
    .getDetailsList()[0]
    .unpack(pb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
  expect(detail?.getId()).toBe("id-9");
  expect(detail?.getProperties()?.toJavaScript()).toEqual({
    username: "u",
    enabled: true,
    adoptExisting: false,
  });
  expect(detail?.getReasonsList()).toEqual(["created but could not apply enabled"]);
});

test("what it does not serve answers UNIMPLEMENTED, so the engine falls back", async () => {
  for (const call of [
    () =>
      rpc<provider_pb.ProviderHandshakeResponse>((cb) =>
        client.handshake(new pb.ProviderHandshakeRequest(), cb),
      ),
    () => rpc<provider_pb.DiffResponse>((cb) => client.diffConfig(new pb.DiffRequest(), cb)),
  ]) {
    const e = (await call().catch((x: unknown) => x)) as grpc.ServiceError;
    expect(e.code).toBe(sdk.grpc.status.UNIMPLEMENTED);
  }
});
