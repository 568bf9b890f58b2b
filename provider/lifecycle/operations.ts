/**
 * The VobizCredential lifecycle: check, diff, create, read, update and delete, as Pulumi's
 * dynamic-provider interface calls them. Which inputs replace and which update comes from the
 * contract; talking to Vobiz is the client's job, and the engine's quirks are provider.ts's.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { VobizClient } from "../api/client";
import type { VobizClientOptions } from "../api/options";
import {
  inUseAdvice,
  VobizConfigError,
  VobizConflictError,
  VobizError,
  VobizNotFoundError,
  withAdvice,
} from "../common/errors";
import { fieldChanges } from "../contract/fields";
import type { CredentialInputs, CredentialOutputs } from "../contract/table";
import { containsUnknown } from "../contract/unknown";
import {
  changedFieldsPatch,
  FOLLOW_UP_NAMES,
  patchToMatch,
  type Credential,
  type CredentialPatch,
} from "../contract/wire";
import { findSetting, type ConfigSource } from "../settings/settings";
import {
  adoptKeepingPassword,
  adoptSettingPassword,
  declaresPassword,
  findForAdoption,
  findForImport,
  IMPORTED_DECLARATION,
  isImport,
  keepsPassword,
  missingUsernameMessage,
  PASSWORD_AT_ADOPTION_MESSAGE,
} from "./adoption";
import type { InputFailure } from "./checkFailures";
import { createClientCache } from "./clients";
import { parseCredentialInputs } from "./inputs";
import { partialCreateProperties, VobizPartialCreateError } from "./partialCreate";
import { passwordToSend } from "./passwordModes";
import { passwordWillBeSent, resolvePassword, type PasswordSourceContext } from "./passwordSource";
import {
  assertCanRotate,
  isGenerated,
  rotationFailed,
  sendsPassword,
  withPasswordOutputs,
  withRotation,
} from "./rotation";
import { credentialFromOutputs, inputsFromLive, outputsOf } from "./state";
import {
  findCredential,
  selectCredentials,
  type CredentialInfo,
  type GetCredentialArgs,
  type GetCredentialsArgs,
} from "./lookups";

/** Options of a provider instance ({@link createCredentialProvider}); the default instance uses none. */
export interface CredentialProviderOptions {
  /** Client options merged over the resolved connection settings (tests, custom tuning). */
  clientOptions?: Partial<VobizClientOptions>;
  /** Environment for `VOBIZ_*` and `passwordFrom: { env }`; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The provider's clock for password ages, in ms; defaults to the system clock (tests inject theirs). */
  now?: () => number;
}

/** The VobizCredential provider, typed as Pulumi's dynamic-provider interface calls it. */
export interface VobizCredentialProvider extends Required<
  Omit<dynamic.ResourceProvider<CredentialInputs, CredentialOutputs>, "check" | "diff" | "configure">
> {
  /**
   * Receives the stack config (connection settings, `passwordFrom: { config }`): the dynamic
   * host's `ConfigureRequest`, or the plugin's view of its provider's configuration.
   */
  configure(req: dynamic.ConfigureRequest | { config: ConfigSource }): Promise<void>;
  /**
   * Validates and normalises the inputs. Calls the API only for a first adoption keeping the
   * password (the username must exist), through the process's one shared list scan.
   */
  check(
    olds: Record<string, unknown>,
    news: Record<string, unknown>,
  ): Promise<dynamic.CheckResult<CredentialInputs>>;
  /** Says what replaces and what updates in place; never calls the API. */
  diff(id: string, olds: CredentialOutputs, news: CredentialInputs): Promise<dynamic.DiffResult>;
}

/**
 * The look-ups through a provider instance's own connection settings (the plugin's `invoke`),
 * sharing its client and list snapshots with the resource operations.
 */
export interface CredentialLookups {
  /** The credential with this username; a VobizError when the account has none. */
  getCredential(args: GetCredentialArgs): Promise<CredentialInfo>;
  /** Every credential of the account (sorted by username), optionally filtered. */
  getCredentials(args: GetCredentialsArgs): Promise<CredentialInfo[]>;
}

/**
 * Creates a VobizCredential provider with its own configuration and client cache: the provider
 * factory for tests and custom tuning (`clientOptions`, `env`).
 */
export function createCredentialProvider(
  options: CredentialProviderOptions = {},
): VobizCredentialProvider & CredentialLookups {
  let stackConfig: ConfigSource | undefined;
  const context: PasswordSourceContext = { config: () => stackConfig, env: () => options.env ?? process.env };
  const client = createClientCache({ ...context, clientOptions: options.clientOptions });
  const password = (inputs: CredentialInputs) => resolvePassword(inputs, context);
  const now = options.now ?? Date.now;

  /**
   * Whether the credential lives on another account than the configured one: `released` when the
   * stack's `releaseAccount` setting names that account (it is then dropped from the state and
   * never touched); otherwise the action is refused with the ways out.
   */
  function otherAccount(
    c: VobizClient,
    props: Partial<CredentialOutputs>,
    id: string,
    action: "read" | "update" | "delete",
  ): "released" | undefined {
    if (!props.accountId || props.accountId === c.authId) return undefined;
    const release = findSetting("releaseAccount", { config: stackConfig, env: context.env() });
    if (release === props.accountId && action !== "update") return "released";
    throw new VobizConfigError(
      `Cannot ${action} Vobiz credential ${id}: it lives on account ${props.accountId}, but the provider is ` +
        `configured for ${c.authId} (vobiz:authId / VOBIZ_AUTH_ID); credentials cannot move between accounts. ` +
        `To manage it, configure ${props.accountId}'s Auth ID and Token again. To move this stack to ` +
        `${c.authId} and leave the credential on ${props.accountId} (it keeps working there until you delete ` +
        `it in that account), run \`pulumi config set vobiz:releaseAccount ${props.accountId}\` and ` +
        "`pulumi up` again: it drops such credentials from the state without deleting them.",
    );
  }

  function configuredAuthId(): string | undefined {
    try {
      return client().authId;
    } catch (e) {
      if (e instanceof VobizError) return undefined; // not configured (e.g. preview without credentials)
      throw e;
    }
  }

  return {
    async configure(req) {
      stackConfig = req.config;
    },

    async check(olds, news) {
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
      // The source is read only when this plan sends the password (a create or a rotation); an
      // unknown source (or key, during preview) is resolved at create/update time instead.
      if (
        inputs.passwordFrom &&
        !containsUnknown(inputs.passwordFrom) &&
        stackConfig !== undefined &&
        passwordWillBeSent(olds, inputs)
      ) {
        try {
          password(inputs);
        } catch (e) {
          if (!(e instanceof VobizConfigError)) throw e;
          failures.push({ property: "passwordFrom", reason: e.message.replace(/^passwordFrom: /, "") });
        }
      }
      // A first adoption keeping the password (no prior state): the username must exist. Known at
      // preview from the process's one shared list scan, never one scan per resource.
      if (failures.length === 0 && keepsPassword(inputs) && !olds?.username) {
        if (declaresPassword(inputs)) {
          failures.push({ property: "adoptExisting", reason: PASSWORD_AT_ADOPTION_MESSAGE });
        } else if (stackConfig !== undefined && !containsUnknown(inputs.username)) {
          try {
            const c = client();
            if (!(await findForAdoption(c, inputs.username))) {
              failures.push({
                property: "username",
                reason: missingUsernameMessage(inputs.username, c.authId),
              });
            }
          } catch (e) {
            if (!(e instanceof VobizError)) throw e;
            failures.push({ property: "", reason: e.message });
          }
        }
      }
      if (failures.length > 0) return { failures };
      return { inputs: stackConfig !== undefined ? withAccount(inputs, configuredAuthId()) : inputs };
    },

    async diff(_id, olds, news) {
      const { replaces, updates } = fieldChanges(olds, news, { accountId: configuredAuthId() });
      if (replaces.length > 0) return { changes: true, replaces, deleteBeforeReplace: false };
      return { changes: withRotation(updates, olds, news, now()).length > 0 };
    },

    async create(inputs) {
      const c = client();
      if (keepsPassword(inputs)) {
        // Sends no password, so the password outputs carry nothing new (no passwordSetAt).
        const adopted = await adoptKeepingPassword(c, inputs);
        const outs = outputsOf(inputs, adopted, c.authId);
        return { id: adopted.id, outs: withPasswordOutputs(outs, inputs, undefined, undefined, now()) };
      }
      const pw = passwordToSend(inputs, context);
      const stamp = (outs: CredentialOutputs) => withPasswordOutputs(outs, inputs, undefined, pw, now());
      let created: Credential;
      try {
        created = await c.createCredential({ username: inputs.username, password: pw });
      } catch (e) {
        if (e instanceof VobizConflictError && inputs.adoptExisting) {
          const adopted = await adoptSettingPassword(c, inputs, pw);
          return { id: adopted.id, outs: stamp(outputsOf(inputs, adopted, c.authId)) };
        }
        throw e;
      }
      // Create sends only what its body may carry (vobiz-api.md, item 3): the rest is one PUT.
      const patch = patchToMatch(inputs, created, { followUpOnly: true });
      if (Object.keys(patch).length > 0) {
        try {
          created = await c.updateCredential(created.id, patch);
        } catch (e) {
          throw await rollBack(c, created, e, inputs);
        }
      }
      return { id: created.id, outs: stamp(outputsOf(inputs, created, c.authId)) };
    },

    async read(id, props) {
      const c = client();
      const state = (props ?? {}) as Partial<CredentialOutputs>;
      if (otherAccount(c, state, id, "read") === "released") return {}; // dropped from the state
      // An import (no prior state) adopts the credential keeping its live password, found through
      // the process's one adoption scan (N imports, one scan).
      const importing = isImport(state);
      const live = importing ? await findForImport(c, id) : await c.findCredentialById(id);
      if (!live) return {}; // gone: the engine drops it from state (an import: "does not exist")
      const inputs = inputsFromLive(importing ? IMPORTED_DECLARATION : state, live);
      const outs = withPasswordOutputs(outputsOf(inputs, live, c.authId), inputs, state, undefined, 0);
      if (isGenerated(inputs)) delete (inputs as Partial<CredentialInputs>).password; // an output, not an input
      // An import's inputs are what the generated program declares: no account among them.
      return { id, props: outs, inputs: importing ? inputs : withAccount(inputs, outs.accountId) };
    },

    async update(id, olds, news) {
      const c = client();
      otherAccount(c, olds, id, "update");
      const nowMs = now();
      const updates = withRotation(fieldChanges(olds, news).updates, olds, news, nowMs);
      assertCanRotate(news.username, updates, news);
      // The fields that update in place, by their wire mapping; a rotation (a changed password
      // input, a trigger, the age) sends the password again, unless the program declares none
      // (adoptExisting: "keepPassword" after the source was dropped: the live one stays).
      const patch: CredentialPatch = changedFieldsPatch(updates, news);
      if (sendsPassword(updates, news) && declaresPassword(news))
        patch.password = passwordToSend(news, context);
      const sent = patch.password;
      if (Object.keys(patch).length === 0) {
        const outs = outputsOf(news, credentialFromOutputs(id, olds), c.authId);
        return { outs: withPasswordOutputs(outs, news, olds, undefined, nowMs) };
      }
      let updated: Credential;
      try {
        updated = await c.updateCredential(id, patch);
      } catch (e) {
        throw sent !== undefined ? rotationFailed(e, news.username, isGenerated(news)) : e;
      }
      return { outs: withPasswordOutputs(outputsOf(news, updated, c.authId, olds), news, olds, sent, nowMs) };
    },

    async delete(id, props) {
      const c = client();
      // A credential of a released account is dropped from the state and left as it is on Vobiz.
      if (otherAccount(c, props ?? {}, id, "delete") === "released") return;
      try {
        await c.deleteCredential(id);
      } catch (e) {
        if (e instanceof VobizNotFoundError) return; // already gone: nothing to do
        // In use by active calls: advise by what state knows (disabling helps only an enabled one).
        if (e instanceof VobizConflictError && e.status === 409)
          throw withAdvice(e, inUseAdvice(props?.enabled));
        throw e;
      }
    },

    async getCredential(args) {
      const c = client();
      return findCredential(await c.listAllCredentials(), c.authId, args);
    },

    async getCredentials(args) {
      const c = client();
      return selectCredentials(await c.listAllCredentials(), c.authId, args);
    },
  };
}

/**
 * The inputs the engine stores, with the account the credential lives on (or will). The engine
 * names a replace's reason (`[diff: ~accountId]`, `~ accountId: "MA_A" => "MA_B"`) only from a
 * changed input: a dynamic provider's DiffResult cannot carry the changed keys. So when a stack is
 * pointed at another account (diff replaces on `accountId`), the preview says why. It is not an
 * input of the program (the configured account wins over any value given) and nothing but the
 * display reads it.
 */
function withAccount(inputs: CredentialInputs, accountId: string | undefined): CredentialInputs {
  return accountId === undefined ? inputs : Object.assign({ ...inputs }, { accountId });
}

/**
 * Deletes a just-created credential whose follow-up update failed, and returns the error to
 * throw. Deleting first is deliberate: the credential is live and enabled, and may be meant to
 * be disabled, so removing it puts the account back as it was before the run. Only when that
 * DELETE fails too is the credential reported as created but not initialised, so the engine
 * keeps it in state and the next `up` finishes it (partialCreate.ts).
 */
async function rollBack(
  c: VobizClient,
  created: Credential,
  cause: unknown,
  inputs: CredentialInputs,
): Promise<Error> {
  const why = cause instanceof Error ? cause.message : "unknown error";
  try {
    await c.deleteCredential(created.id);
  } catch (e) {
    if (!(e instanceof VobizNotFoundError)) {
      const how = e instanceof Error ? e.message : "unknown error";
      return new VobizPartialCreateError(
        `Created Vobiz credential '${created.username}' (id ${created.id}) but could not apply enabled/description: ` +
          `${why} Deleting it again also failed: ${how} Pulumi keeps it in the stack as not yet initialised: ` +
          `run \`pulumi up\` again to apply ${FOLLOW_UP} (or \`pulumi destroy\` to delete it).`,
        created.id,
        partialCreateProperties(inputs, created, c.authId),
      );
    }
  }
  return new VobizError(
    `Could not apply ${FOLLOW_UP} to the new Vobiz credential '${created.username}', so it was deleted ` +
      `again and nothing was left behind: ${why}`,
  );
}

/** The fields a create's follow-up PUT applies, for messages (`enabled/description`). */
const FOLLOW_UP = FOLLOW_UP_NAMES.join("/");

/** The provider instance the resource class uses (through the serialized provider). */
export const vobizCredentialProvider: VobizCredentialProvider = createCredentialProvider();
