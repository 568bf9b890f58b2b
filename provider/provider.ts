/**
 * `pulumi-vobiz/provider`: the module the serialized provider in every VobizCredential's state
 * loads at call time (`require("pulumi-vobiz/provider").engineCredentialProvider`), old states
 * included, so this path and that export stay. The engine adapter itself is
 * adapters/dynamic/engine.ts.
 */
export * from "./adapters/dynamic/engine";
