/**
 * The plugin's provider: the engine's resource-provider calls, as plain values, mapped onto the
 * lifecycle. It owns only what belongs to this engine adapter: the type and function tokens, the
 * configuration the engine hands over (configuration.ts), marking the contract's secret fields
 * in what it returns, the check-failure masking both adapters apply, and counting the writes in
 * flight (for the interrupt guard). Every decision about Vobiz (inputs, replace or update,
 * requests, messages) is the lifecycle's, the same one the dynamic resource calls.
 */
import { VobizError } from "../../common/errors";
import { SECRET_NAMES } from "../../contract/fields";
import type { CredentialInputs, CredentialOutputs } from "../../contract/table";
import { maskForEngine, type InputFailure } from "../../lifecycle/checkFailures";
import { lookupArgFailures, LOOKUPS, type LookupName } from "../../lifecycle/lookups";
import {
  createCredentialProvider,
  type CredentialLookups,
  type CredentialProviderOptions,
  type VobizCredentialProvider,
} from "../../lifecycle/operations";
import { checkProviderConfig, providerConfigSource } from "./configuration";
import { CREDENTIAL_TOKEN, lookupToken, packageSchema } from "./schema";
import { withSecrets } from "./secrets";

type Props = Record<string, unknown>;

// What the engine sends is what this provider returned earlier (state) or what `check` returned
// (checked inputs): the lifecycle's own shapes, as plain values.
const stateOf = (props: Props) => props as unknown as CredentialOutputs;
const checkedInputs = (props: Props) => props as unknown as CredentialInputs;

/** `Check`'s answer: the checked inputs, or the failures. */
export interface PluginCheckResult {
  inputs?: Props;
  failures?: InputFailure[];
}

/** `Diff`'s answer. */
export interface PluginDiffResult {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** `Read`'s answer; no `id` when the credential is gone. */
export interface PluginReadResult {
  id?: string;
  properties?: Props;
  inputs?: Props;
}

/** `Invoke`'s answer. */
export interface PluginInvokeResult {
  outputs?: Props;
  failures?: InputFailure[];
}

/** What the plugin's gRPC server (server.ts) calls, one method per RPC it serves. */
export interface PluginProvider {
  /** The plugin's version (the package's). */
  readonly version: string;
  /** The package schema, as JSON. */
  schema(): string;
  /** Validates the provider's properties (default provider: the `vobiz:*` stack config). */
  checkConfig(news: Props): Props;
  /** Receives the provider's properties, before any resource call. */
  configure(properties: Props): Promise<void>;
  check(urn: string, olds: Props, news: Props): Promise<PluginCheckResult>;
  diff(id: string, urn: string, olds: Props, news: Props): Promise<PluginDiffResult>;
  create(urn: string, inputs: Props): Promise<{ id: string; properties: Props }>;
  read(id: string, urn: string, properties: Props): Promise<PluginReadResult>;
  update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }>;
  delete(id: string, urn: string, properties: Props): Promise<void>;
  invoke(token: string, args: Props): Promise<PluginInvokeResult>;
  /** Creates, updates and deletes started and not yet answered. */
  writesInFlight(): number;
}

/** The type token of a URN (`urn:pulumi:stack::project::[parent$]type::name`). */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  return (parts[2] ?? "").split("$").pop() ?? "";
}

/** Options of {@link createPluginProvider}. */
export interface PluginProviderOptions extends CredentialProviderOptions {
  /** The plugin's version; defaults to the package's. */
  version?: string;
}

/** The plugin's provider for one provider configuration (the engine runs one process per provider). */
export function createPluginProvider(options: PluginProviderOptions): PluginProvider {
  const lifecycle: VobizCredentialProvider & CredentialLookups = createCredentialProvider(options);
  const version = options.version ?? "0.0.0";
  let schemaText: string | undefined;
  let writes = 0;

  /** The lifecycle, once the URN names the one resource type this package has. */
  function credential(urn: string): VobizCredentialProvider {
    const type = typeOfUrn(urn);
    if (type !== CREDENTIAL_TOKEN) {
      throw new VobizError(
        `The vobiz provider has no resource type '${type}'; it manages ${CREDENTIAL_TOKEN}.`,
      );
    }
    return lifecycle;
  }

  async function write<T>(run: () => Promise<T>): Promise<T> {
    writes++;
    try {
      return await run();
    } finally {
      writes--;
    }
  }

  const secretFields = (props: object) => withSecrets(props as Props, SECRET_NAMES);

  const lookups: Record<string, (args: Props) => Promise<Props>> = {
    [lookupToken("getCredential")]: async (args) =>
      ({ ...(await lifecycle.getCredential({ username: args.username as string })) }) as Props,
    [lookupToken("getCredentials")]: async (args) => ({
      credentials: await lifecycle.getCredentials({
        filter: args.filter as string | undefined,
        enabled: args.enabled as boolean | undefined,
      }),
    }),
  };
  const lookupNames = Object.fromEntries(
    (Object.keys(LOOKUPS) as LookupName[]).map((name) => [lookupToken(name), name]),
  );

  return {
    version,

    schema() {
      return (schemaText ??= JSON.stringify(packageSchema(version)));
    },

    checkConfig(news) {
      return checkProviderConfig(news);
    },

    async configure(properties) {
      await lifecycle.configure({ config: providerConfigSource(properties) });
    },

    async check(urn, olds, news) {
      const result = await credential(urn).check(olds, news);
      if (result.failures && result.failures.length > 0) {
        return { failures: maskForEngine([...result.failures], news) };
      }
      return { inputs: secretFields(result.inputs ?? {}) };
    },

    async diff(id, urn, olds, news) {
      const result = await credential(urn).diff(id, stateOf(olds), checkedInputs(news));
      return {
        changes: result.changes === true,
        replaces: [...(result.replaces ?? [])],
        deleteBeforeReplace: result.deleteBeforeReplace === true,
      };
    },

    create(urn, inputs) {
      const c = credential(urn);
      return write(async () => {
        const { id, outs } = await c.create(checkedInputs(inputs));
        return { id, properties: secretFields(outs ?? {}) };
      });
    },

    async read(id, urn, properties) {
      const result = await credential(urn).read(id, stateOf(properties));
      if (!result.id) return {};
      return {
        id: result.id,
        properties: secretFields(result.props as CredentialOutputs),
        inputs: result.inputs ? secretFields(result.inputs) : undefined,
      };
    },

    update(id, urn, olds, news) {
      const c = credential(urn);
      return write(async () => {
        const { outs } = await c.update(id, stateOf(olds), checkedInputs(news));
        return { properties: secretFields(outs ?? {}) };
      });
    },

    delete(id, urn, properties) {
      const c = credential(urn);
      return write(() => c.delete(id, stateOf(properties)));
    },

    async invoke(token, args) {
      const name = lookupNames[token];
      if (!name) {
        throw new VobizError(
          `The vobiz provider has no function '${token}'; it has ${Object.keys(lookupNames).join(" and ")}.`,
        );
      }
      const failures = lookupArgFailures(name, args);
      if (failures.length > 0) return { failures };
      return { outputs: await lookups[token](args) };
    },

    writesInFlight() {
      return writes;
    },
  };
}
