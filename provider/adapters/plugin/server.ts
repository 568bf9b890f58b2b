/**
 * The plugin's gRPC server: Pulumi's resource-provider protocol, served with the SDK's own
 * generated stubs (sdk.ts), translating each request's protobuf into plain values for the
 * plugin's provider (provider.ts) and its answer back. It knows the wire, not the resource.
 *
 * Why not the SDK's `@pulumi/pulumi/provider` `main`: its server answers `Configure` without
 * passing the configuration on (and `CheckConfig` as unimplemented), so a provider built on it
 * never sees `vobiz:authId`, an explicit provider's properties or `vobiz:authToken`. Its server
 * class is not exported, so the choice was between patching its prototype at run time and
 * serving the same protocol from the same stubs here; the latter is a page of plain code with no
 * dependency on the SDK's internals beyond the published stubs.
 */
import type * as grpc from "@grpc/grpc-js";
import type * as provider_pb from "@pulumi/pulumi/proto/provider_pb";
import type * as struct_pb from "google-protobuf/google/protobuf/struct_pb";
import { VobizPartialCreateError } from "../../lifecycle/partialCreate";
import type { InputFailure } from "../../lifecycle/checkFailures";
import type { PluginProvider } from "./provider";
import { loadPluginSdk, type PluginSdk } from "./sdk";

type Props = Record<string, unknown>;

/** Largest request the server accepts (the engine's own limit for provider calls is larger still). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** A running plugin server. */
export interface PluginServer {
  /** The loopback port the engine connects to (printed on stdout by main.ts). */
  port: number;
  /** Stops serving (tests). */
  stop(): Promise<void>;
}

/**
 * Serves `provider` on a free loopback port. Every call is answered from the provider's plain
 * values; a thrown error becomes the gRPC error the engine prints (its message), and a create
 * that Vobiz applied but the provider could not finish is reported as "created but not
 * initialised", exactly as the dynamic provider's host reports it.
 */
export async function servePlugin(
  provider: PluginProvider,
  sdk: PluginSdk = loadPluginSdk(),
): Promise<PluginServer> {
  const server = new sdk.grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  server.addService(sdk.services.ResourceProviderService, handlers(provider, sdk));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", sdk.grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}

/** A struct's plain value (an absent struct is an empty object). */
function plain(s: struct_pb.Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

/** The handlers of the ResourceProvider service; methods left out answer UNIMPLEMENTED. */
function handlers(provider: PluginProvider, sdk: PluginSdk): grpc.UntypedServiceImplementation {
  const pb = sdk.provider;
  const struct = (value: Props): struct_pb.Struct =>
    // JSON drops undefined values, which a Struct cannot hold.
    sdk.struct.Struct.fromJavaScript(
      JSON.parse(JSON.stringify(value)) as Record<string, struct_pb.JavaScriptValue>,
    );
  const failureList = (failures: InputFailure[]) =>
    failures.map((f) => new pb.CheckFailure().setProperty(f.property).setReason(f.reason));

  /** A unary handler from a function of the request to a promised response. */
  function unary<Req, Res>(run: (req: Req) => Promise<Res> | Res) {
    return (call: grpc.ServerUnaryCall<Req, Res>, callback: grpc.sendUnaryData<Res>) => {
      Promise.resolve()
        .then(() => run(call.request))
        .then(
          (res) => callback(null, res),
          (e: unknown) => callback(grpcError(e, sdk)),
        );
    };
  }

  return {
    getPluginInfo: unary(() => new sdk.plugin.PluginInfo().setVersion(provider.version)),

    getSchema: unary((req: provider_pb.GetSchemaRequest) => {
      if (req.getVersion() !== 0) throw new Error(`unsupported schema version ${req.getVersion()}`);
      return new pb.GetSchemaResponse().setSchema(provider.schema());
    }),

    checkConfig: unary((req: provider_pb.CheckRequest) =>
      new pb.CheckResponse().setInputs(struct(provider.checkConfig(plain(req.getNews())))),
    ),

    configure: unary(async (req: provider_pb.ConfigureRequest) => {
      await provider.configure(req.hasArgs() ? plain(req.getArgs()) : fromVariables(req));
      // Plain values in, the engine keeps every input's secret bit; the provider marks its own secrets.
      return new pb.ConfigureResponse()
        .setAcceptsecrets(false)
        .setAcceptresources(false)
        .setAcceptoutputs(false)
        .setSupportspreview(false);
    }),

    check: unary(async (req: provider_pb.CheckRequest) => {
      const result = await provider.check(req.getUrn(), plain(req.getOlds()), plain(req.getNews()));
      const resp = new pb.CheckResponse();
      if (result.inputs) resp.setInputs(struct(result.inputs));
      if (result.failures) resp.setFailuresList(failureList(result.failures));
      return resp;
    }),

    diff: unary(async (req: provider_pb.DiffRequest) => {
      const result = await provider.diff(
        req.getId(),
        req.getUrn(),
        plain(req.getOlds()),
        plain(req.getNews()),
      );
      const changes = pb.DiffResponse.DiffChanges;
      return new pb.DiffResponse()
        .setChanges(result.changes ? changes.DIFF_SOME : changes.DIFF_NONE)
        .setReplacesList(result.replaces)
        .setDeletebeforereplace(result.deleteBeforeReplace);
    }),

    create: unary(async (req: provider_pb.CreateRequest) => {
      const result = await provider.create(req.getUrn(), plain(req.getProperties()));
      return new pb.CreateResponse().setId(result.id).setProperties(struct(result.properties));
    }),

    read: unary(async (req: provider_pb.ReadRequest) => {
      const result = await provider.read(req.getId(), req.getUrn(), plain(req.getProperties()));
      const resp = new pb.ReadResponse().setId(result.id ?? "");
      if (result.properties) resp.setProperties(struct(result.properties));
      if (result.inputs) resp.setInputs(struct(result.inputs));
      return resp;
    }),

    update: unary(async (req: provider_pb.UpdateRequest) => {
      const result = await provider.update(
        req.getId(),
        req.getUrn(),
        plain(req.getOlds()),
        plain(req.getNews()),
      );
      return new pb.UpdateResponse().setProperties(struct(result.properties));
    }),

    delete: unary(async (req: provider_pb.DeleteRequest) => {
      await provider.delete(req.getId(), req.getUrn(), plain(req.getProperties()));
      return new sdk.empty.Empty();
    }),

    invoke: unary(async (req: provider_pb.InvokeRequest) => {
      const result = await provider.invoke(req.getTok(), plain(req.getArgs()));
      const resp = new pb.InvokeResponse();
      if (result.outputs) resp.setReturn(struct(result.outputs));
      if (result.failures) resp.setFailuresList(failureList(result.failures));
      return resp;
    }),

    cancel: unary(() => new sdk.empty.Empty()),
  };
}

/**
 * The configuration from the deprecated `variables` map (`vobiz:config:authId` -> `authId`), for
 * an engine that sends no `args`. Values that are not strings arrive JSON-encoded.
 */
function fromVariables(req: provider_pb.ConfigureRequest): Props {
  const out: Props = {};
  req.getVariablesMap().forEach((value, key) => {
    out[key.split(":").pop() ?? key] = value;
  });
  return out;
}

/**
 * The gRPC error for a failed call: the error's message (which never holds a secret), and for
 * a partial create the "created but not initialised" detail with the credential's id and state.
 */
function grpcError(e: unknown, sdk: PluginSdk): grpc.ServerErrorResponse {
  const message = e instanceof Error ? e.message : String(e);
  const metadata = new sdk.grpc.Metadata();
  const code = sdk.grpc.status.UNKNOWN;
  if (e instanceof VobizPartialCreateError) {
    const detail = new sdk.provider.ErrorResourceInitFailed()
      .setId(e.id)
      .setProperties(sdk.struct.Struct.fromJavaScript(JSON.parse(JSON.stringify(e.properties))))
      .setReasonsList(e.reasons);
    const packed = new sdk.any.Any();
    packed.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new sdk.status.Status().setCode(code).setMessage(message);
    status.addDetails(packed);
    metadata.add("grpc-status-details-bin", Buffer.from(status.serializeBinary()));
  }
  return Object.assign(new Error(message), { code, details: message, metadata });
}
