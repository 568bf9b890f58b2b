/**
 * The parts of the installed Pulumi Node.js SDK the plugin's server is built from: gRPC
 * (`@grpc/grpc-js`), the generated stubs of the resource-provider protocol and the protobuf
 * well-known types. They are loaded from `@pulumi/pulumi`'s own location, so the server uses the
 * very copies the stubs were generated against, whatever the package manager's layout. When the
 * SDK is missing, the error says what to install.
 */
import { createRequire } from "node:module";
import type * as grpc from "@grpc/grpc-js";
import type * as provider_grpc_pb from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as provider_pb from "@pulumi/pulumi/proto/provider_pb";
import type * as plugin_pb from "@pulumi/pulumi/proto/plugin_pb";
import type * as status_pb from "@pulumi/pulumi/proto/status_pb";
import type * as any_pb from "google-protobuf/google/protobuf/any_pb";
import type * as empty_pb from "google-protobuf/google/protobuf/empty_pb";
import type * as struct_pb from "google-protobuf/google/protobuf/struct_pb";

/** The SDK modules the server uses. */
export interface PluginSdk {
  grpc: typeof grpc;
  services: typeof provider_grpc_pb;
  provider: typeof provider_pb;
  plugin: typeof plugin_pb;
  status: typeof status_pb;
  any: typeof any_pb;
  empty: typeof empty_pb;
  struct: typeof struct_pb;
}

/** Loads the SDK modules; throws an error saying what to install when `@pulumi/pulumi` is missing. */
export function loadPluginSdk(): PluginSdk {
  let sdkPackage: string;
  try {
    sdkPackage = require.resolve("@pulumi/pulumi/package.json");
  } catch {
    throw new Error(
      "pulumi-resource-vobiz needs the Pulumi Node.js SDK (@pulumi/pulumi), which pulumi-vobiz declares as a peer " +
        "dependency: run `npm install pulumi-vobiz @pulumi/pulumi` in the directory that Pulumi.yaml's " +
        "plugins.providers path points into.",
    );
  }
  const fromSdk = createRequire(sdkPackage);
  return {
    grpc: fromSdk("@grpc/grpc-js"),
    services: fromSdk("./proto/provider_grpc_pb"),
    provider: fromSdk("./proto/provider_pb"),
    plugin: fromSdk("./proto/plugin_pb"),
    status: fromSdk("./proto/status_pb"),
    any: fromSdk("google-protobuf/google/protobuf/any_pb"),
    empty: fromSdk("google-protobuf/google/protobuf/empty_pb"),
    struct: fromSdk("google-protobuf/google/protobuf/struct_pb"),
  };
}
