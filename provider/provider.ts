/**
 * The VobizCredential resource provider: check, diff, create, read, update and delete.
 *
 * This module is the implementation that runs inside Pulumi's dynamic-provider process. It is
 * never serialized into state: the resource class registers the thin provider of
 * `serializedProvider.ts`, which loads this module (from the installed package) at call time.
 * Connection settings are resolved per call from the stack config handed to `configure`, then
 * the process environment, and clients are kept per process, so concurrent operations of one
 * `pulumi` command share connections and list snapshots.
 */
import { createHash } from "node:crypto";
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { VobizClient, type CredentialPatch, type VobizClientOptions } from "./client";
import { parseMaxRequestsPerSecond } from "./clientEnv";
import {
  CONFIG_KEYS,
  resolveConnection,
  settingsFromConfig,
  settingsFromEnv,
  type ConfigSource,
} from "./config";
import { VobizConfigError, VobizConflictError, VobizError, VobizNotFoundError } from "./errors";
import {
  characterCount,
  containsUnknown,
  INPUT_NAMES,
  isUnknown,
  normaliseDescription,
  parseCredentialInputs,
  PASSWORD_MIN_LENGTH,
  type Credential,
  type CredentialInputs,
  type InputFailure,
  type PasswordSource,
} from "./schemas";

/** The outputs of a VobizCredential: every input (normalised) plus what Vobiz sets. */
export interface CredentialOutputs extends CredentialInputs {
  /** SIP digest realm, `{account_id}.sip.vobiz.ai`. */
  realm?: string;
  /** The Vobiz account (Auth ID) the credential lives on. */
  accountId?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** Options for a provider instance; the exported default instance uses none. */
export interface CredentialProviderOptions {
  /** Client options merged over the resolved connection settings (tests, custom tuning). */
  clientOptions?: Partial<VobizClientOptions>;
  /** Environment for `VOBIZ_*` and `passwordFrom: { env }`; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The provider object, typed; `vobizCredentialProvider` is its default instance. */
export interface VobizCredentialProvider extends Required<
  Omit<dynamic.ResourceProvider<CredentialInputs, CredentialOutputs>, "check" | "diff" | "configure">
> {
  configure(req: dynamic.ConfigureRequest): Promise<void>;
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.CheckResult<CredentialInputs>>;
  diff(id: string, olds: CredentialOutputs, news: CredentialInputs): Promise<dynamic.DiffResult>;
}

/** Creates a provider with its own configuration and client cache. */
export function createCredentialProvider(options: CredentialProviderOptions = {}): VobizCredentialProvider {
  const env = () => options.env ?? process.env;
  let stackConfig: ConfigSource | undefined;
  const clients = new Map<string, VobizClient>();

  /** The settings `client()` last saw, and its answer: check and diff ask once per resource. */
  let lastClient: { settings: string; client: VobizClient } | undefined;

  /** The client for the current settings, shared by every operation of this process. */
  function client(): VobizClient {
    const sources = [options.clientOptions ?? {}, settingsFromConfig(stackConfig), settingsFromEnv(env())];
    const settings = JSON.stringify(sources.map((s) => [s.authId, s.authToken, s.baseUrl]));
    if (lastClient?.settings === settings) return lastClient.client;
    const conn = resolveConnection(...sources);
    const tokenHash = createHash("sha256").update(conn.authToken).digest("hex");
    const key = `${conn.baseUrl}\u0000${conn.authId}\u0000${tokenHash}`;
    let c = clients.get(key);
    if (!c) {
      const ceiling = CONFIG_KEYS.maxRequestsPerSecond;
      c = new VobizClient({
        maxRequestsPerSecond: parseMaxRequestsPerSecond(stackConfig?.get(ceiling), ceiling),
        ...options.clientOptions,
        ...conn,
        env: env(),
      });
      clients.set(key, c);
    }
    lastClient = { settings, client: c };
    return c;
  }

  function resolvePassword(inputs: CredentialInputs, property = "passwordFrom"): string {
    if (inputs.password !== undefined) return inputs.password;
    const source = inputs.passwordFrom;
    if (!source) throw new VobizConfigError("VobizCredential needs 'password' or 'passwordFrom'.");
    const { value, where, fix } = lookupSource(source);
    if (value === undefined || value === "") {
      throw new VobizConfigError(`${property}: ${where} is not set; ${fix}.`);
    }
    if (characterCount(value) < PASSWORD_MIN_LENGTH) {
      throw new VobizConfigError(
        `${property}: the password in ${where} must be at least ${PASSWORD_MIN_LENGTH} characters long (Vobiz rule); ${fix}.`,
      );
    }
    return value;
  }

  function lookupSource(source: PasswordSource): { value?: string; where: string; fix: string } {
    if ("config" in source) {
      return {
        value: stackConfig?.get(source.config),
        where: `stack config '${source.config}'`,
        fix: `run \`pulumi config set --secret ${source.config} <password>\``,
      };
    }
    return {
      value: env()[source.env],
      where: `environment variable ${source.env} (of the process running \`pulumi\`)`,
      fix: `export ${source.env} before running \`pulumi\``,
    };
  }

  /** Refuses to act on a credential that lives on another account than the configured one. */
  function assertSameAccount(
    c: VobizClient,
    props: Partial<CredentialOutputs>,
    id: string,
    action: string,
  ): void {
    if (props.accountId && props.accountId !== c.authId) {
      throw new VobizConfigError(
        `Cannot ${action} Vobiz credential ${id}: it lives on account ${props.accountId}, but the provider is ` +
          `configured for ${c.authId} (vobiz:authId / VOBIZ_AUTH_ID). Configure ${props.accountId}'s Auth ID ` +
          "and Token to manage it; credentials cannot move between accounts.",
      );
    }
  }

  return {
    async configure(req) {
      stackConfig = req.config;
    },

    async check(_olds, news) {
      const parsed = parseCredentialInputs(news);
      if (!parsed.ok) return { failures: parsed.failures };
      const failures: InputFailure[] = [];
      const { inputs } = parsed;
      // In the engine (configured), missing or malformed connection settings fail the preview,
      // before any request, rather than the first create.
      if (stackConfig !== undefined) {
        try {
          client();
        } catch (e) {
          if (!(e instanceof VobizConfigError)) throw e;
          failures.push({ property: "", reason: e.message });
        }
      }
      // An unknown source (or key, during preview) is resolved at create/update time instead.
      if (inputs.passwordFrom && !containsUnknown(inputs.passwordFrom) && stackConfig !== undefined) {
        try {
          resolvePassword(inputs);
        } catch (e) {
          if (!(e instanceof VobizConfigError)) throw e;
          failures.push({ property: "passwordFrom", reason: e.message.replace(/^passwordFrom: /, "") });
        }
      }
      return failures.length > 0 ? { failures } : { inputs };
    },

    async diff(_id, olds, news) {
      const replaces: string[] = [];
      const changes: string[] = [];
      if (isUnknown(news.username) || olds.username !== news.username) replaces.push("username");
      const configured = configuredAuthId();
      if (olds.accountId && configured && olds.accountId !== configured) replaces.push("accountId");
      if (passwordChanged(olds, news))
        changes.push(news.passwordFrom !== undefined ? "passwordVersion" : "password");
      if (isUnknown(news.enabled) || (olds.enabled ?? true) !== (news.enabled ?? true))
        changes.push("enabled");
      if (
        isUnknown(news.description) ||
        normaliseDescription(olds.description) !== normaliseDescription(news.description)
      ) {
        changes.push("description");
      }
      if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
      return { changes: changes.length > 0 };
    },

    async create(inputs) {
      const c = client();
      const password = resolvePassword(inputs);
      let created: Credential;
      try {
        created = await c.createCredential({ username: inputs.username, password });
      } catch (e) {
        if (e instanceof VobizConflictError && inputs.adoptExisting) {
          const adopted = await adopt(c, inputs, password);
          return { id: adopted.id, outs: outputsOf(inputs, adopted, c.authId) };
        }
        throw e;
      }
      const patch: CredentialPatch = {};
      if (inputs.enabled === false && created.enabled !== false) patch.enabled = false;
      if (inputs.description !== undefined && inputs.description !== (created.description ?? "")) {
        patch.description = inputs.description;
      }
      if (Object.keys(patch).length > 0) {
        try {
          created = await c.updateCredential(created.id, patch);
        } catch (e) {
          throw await rollBack(c, created, e);
        }
      }
      return { id: created.id, outs: outputsOf(inputs, created, c.authId) };
    },

    async read(id, props) {
      const c = client();
      const state = (props ?? {}) as Partial<CredentialOutputs>;
      assertSameAccount(c, state, id, "read");
      const live = await c.findCredentialById(id);
      if (!live) return {}; // gone: the engine drops it from state
      const inputs = inputsFromLive(state, live);
      return { id, props: outputsOf(inputs, live, c.authId), inputs: { ...inputs } };
    },

    async update(id, olds, news) {
      const c = client();
      assertSameAccount(c, olds, id, "update");
      const patch: CredentialPatch = {};
      if (passwordChanged(olds, news)) patch.password = resolvePassword(news);
      if ((olds.enabled ?? true) !== news.enabled) patch.enabled = news.enabled;
      const before = normaliseDescription(olds.description);
      const after = normaliseDescription(news.description);
      if (before !== after) patch.description = after ?? "";
      if (Object.keys(patch).length === 0) {
        return { outs: outputsOf(news, credentialFromOutputs(id, olds), c.authId) };
      }
      const updated = await c.updateCredential(id, patch);
      return { outs: outputsOf(news, updated, c.authId, olds) };
    },

    async delete(id, props) {
      const c = client();
      assertSameAccount(c, props ?? {}, id, "delete");
      try {
        await c.deleteCredential(id);
      } catch (e) {
        if (e instanceof VobizNotFoundError) return; // already gone: nothing to do
        throw e;
      }
    },
  };

  function configuredAuthId(): string | undefined {
    try {
      return client().authId;
    } catch (e) {
      if (e instanceof VobizError) return undefined; // not configured (e.g. preview without credentials)
      throw e;
    }
  }

  async function adopt(c: VobizClient, inputs: CredentialInputs, password: string): Promise<Credential> {
    const existing = await c.findCredentialByUsername(inputs.username, { fresh: true });
    if (!existing) {
      throw new VobizConfigError(
        `Vobiz reported username '${inputs.username}' as taken, but no credential with that username is ` +
          "visible to this account. Check vobiz:authId, then run `pulumi up` again.",
      );
    }
    const patch: CredentialPatch = { password };
    if (existing.enabled !== inputs.enabled) patch.enabled = inputs.enabled;
    const wanted = inputs.description ?? "";
    if (existing.description !== undefined ? existing.description !== wanted : wanted !== "") {
      patch.description = wanted;
    }
    return c.updateCredential(existing.id, patch);
  }
}

/** Deletes a just-created credential whose follow-up update failed; returns the error to throw. */
async function rollBack(c: VobizClient, created: Credential, cause: unknown): Promise<Error> {
  const why = cause instanceof Error ? cause.message : "unknown error";
  try {
    await c.deleteCredential(created.id);
  } catch (e) {
    if (!(e instanceof VobizNotFoundError)) {
      const how = e instanceof Error ? e.message : "unknown error";
      return new VobizError(
        `Created Vobiz credential '${created.username}' (id ${created.id}) but could not apply enabled/description: ` +
          `${why} Deleting it again also failed: ${how} Delete it in the Vobiz console, or run \`pulumi up\` again ` +
          "with `adoptExisting: true` to take it over.",
      );
    }
  }
  return new VobizError(
    `Could not apply enabled/description to the new Vobiz credential '${created.username}', so it was deleted ` +
      `again and nothing was left behind: ${why}`,
  );
}

function passwordChanged(olds: Partial<CredentialOutputs>, news: CredentialInputs): boolean {
  if (news.password !== undefined) {
    return isUnknown(news.password) || olds.password !== news.password;
  }
  if (news.passwordFrom !== undefined) {
    if (containsUnknown(news.passwordFrom) || isUnknown(news.passwordVersion)) return true;
    if (olds.passwordFrom === undefined) return true; // switching from password to write-only
    return (
      (olds.passwordVersion ?? 0) !== (news.passwordVersion ?? 0) ||
      JSON.stringify(olds.passwordFrom) !== JSON.stringify(news.passwordFrom)
    );
  }
  return false;
}

/** The inputs that describe the live credential, keeping what Vobiz cannot return (the password). */
function inputsFromLive(state: Partial<CredentialOutputs>, live: Credential): CredentialInputs {
  const inputs: CredentialInputs = {
    username: live.username,
    enabled: live.enabled,
    adoptExisting: state.adoptExisting ?? false,
  };
  if (state.password !== undefined) inputs.password = state.password;
  if (state.passwordFrom !== undefined) {
    inputs.passwordFrom = state.passwordFrom;
    inputs.passwordVersion = state.passwordVersion ?? 0;
  }
  // Newer API responses omit the description: then keep the last known one.
  const description = normaliseDescription(
    live.description !== undefined ? live.description : state.description,
  );
  if (description !== undefined) inputs.description = description;
  return inputs;
}

function credentialFromOutputs(id: string, o: Partial<CredentialOutputs>): Credential {
  const c: Credential = { id, username: o.username ?? "", enabled: o.enabled ?? true };
  if (o.realm) c.realm = o.realm;
  if (o.accountId) c.accountId = o.accountId;
  if (o.createdAt) c.createdAt = o.createdAt;
  if (o.updatedAt) c.updatedAt = o.updatedAt;
  return c;
}

/**
 * The outputs stored in state: plain JSON with no undefined values (the engine's RPC rejects
 * them). The password is marked secret by the resource's `additionalSecretOutputs`.
 */
function outputsOf(
  inputs: CredentialInputs,
  live: Credential,
  authId: string,
  previous?: Partial<CredentialOutputs>,
): CredentialOutputs {
  const outs: CredentialOutputs = {
    username: live.username || inputs.username,
    enabled: live.enabled,
    adoptExisting: inputs.adoptExisting,
  };
  if (inputs.password !== undefined) outs.password = inputs.password;
  if (inputs.passwordFrom !== undefined) {
    outs.passwordFrom = inputs.passwordFrom;
    outs.passwordVersion = inputs.passwordVersion ?? 0;
  }
  const description = normaliseDescription(inputs.description);
  if (description !== undefined) outs.description = description;
  const realm = live.realm ?? previous?.realm;
  if (realm) outs.realm = realm;
  outs.accountId = live.accountId ?? previous?.accountId ?? authId;
  const createdAt = live.createdAt ?? previous?.createdAt;
  if (createdAt) outs.createdAt = createdAt;
  const updatedAt = live.updatedAt ?? previous?.updatedAt;
  if (updatedAt) outs.updatedAt = updatedAt;
  return outs;
}

/** Creates, updates and deletes the engine has asked this process for and not yet been answered. */
let writesInFlight = 0;

async function tracked<T>(write: () => Promise<T>): Promise<T> {
  writesInFlight++;
  try {
    return await write();
  } finally {
    writesInFlight--;
  }
}

/**
 * SIGINT inside Pulumi's dynamic-provider process. A Ctrl-C in a terminal reaches the whole
 * process group; the engine cancels gracefully and waits for the operations in flight, but a
 * provider that died at once would lose creates Vobiz had already applied (orphans). So while a
 * write is in flight the signal is ignored; when idle (which includes the engine's own SIGINT at
 * shutdown, sent once operations are done) the process ends as it would by default, at once.
 */
export function onDynamicProviderInterrupt(): void {
  if (writesInFlight > 0) return;
  process.removeListener("SIGINT", onDynamicProviderInterrupt);
  process.kill(process.pid, "SIGINT");
}

if (require.main && /[\\/]cmd[\\/]dynamic-provider[\\/]/.test(require.main.filename)) {
  process.on("SIGINT", onDynamicProviderInterrupt);
}

/** The provider instance the resource class uses (through the serialized provider). */
export const vobizCredentialProvider: VobizCredentialProvider = createCredentialProvider();

/** Inputs whose value the engine would print next to a check failure ("property X value {...}"). */
const ENGINE_ECHOED_SECRETS = new Set(["password"]);

/** Misspelt inputs that probably hold a password too ("pasword", "Password", "passwd", "sipSecret"). */
const SECRET_LOOKING_NAME = /pa?s+w|pw|secret|token/i;

function engineWouldEchoSecret(property: string): boolean {
  const root = property.split(".")[0];
  if (ENGINE_ECHOED_SECRETS.has(root)) return true;
  return !(INPUT_NAMES as readonly string[]).includes(root) && SECRET_LOOKING_NAME.test(root);
}

/**
 * The provider as the engine drives it (through the serialized provider). Identical to
 * {@link vobizCredentialProvider} except that its writes count as in flight for the SIGINT guard
 * ({@link onDynamicProviderInterrupt}), and that a check failure of a secret input is reported
 * without a property name: the engine prints the value of a failing property next to the reason
 * (even a secret one), so the property is named in the reason instead.
 */
export const engineCredentialProvider: VobizCredentialProvider = {
  ...vobizCredentialProvider,
  create: (inputs) => tracked(() => vobizCredentialProvider.create(inputs)),
  update: (id, olds, news) => tracked(() => vobizCredentialProvider.update(id, olds, news)),
  delete: (id, props) => tracked(() => vobizCredentialProvider.delete(id, props)),
  async check(olds, news) {
    const result = await vobizCredentialProvider.check(olds, news);
    if (!result.failures) return result;
    return {
      failures: result.failures.map((f) =>
        engineWouldEchoSecret(f.property) ? { property: "", reason: `${f.property} ${f.reason}` } : f,
      ),
    };
  },
};
