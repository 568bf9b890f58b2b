/**
 * The look-ups (`getCredential`, `getCredentials`) as every engine adapter serves them: what a
 * look-up returns for a live credential (never a password), which credentials it selects, and
 * the error for a username the account does not have. Where the list comes from (one scan per
 * connection) is the caller's: the dynamic adapter runs them in the program's process, the
 * plugin in the provider's. Its arguments are also stated as data (`LOOKUP_ARGS`) for the
 * package schema.
 */
import type { Credential } from "../api/schemas";
import { VobizError } from "../common/errors";
import type { FieldName } from "../contract/table";
import type { InputFailure } from "./inputs";
import { usernameMatcher } from "../onboard/declarations";

/** A credential as a look-up returns it: everything Vobiz tells about it, never a password. */
export interface CredentialInfo {
  /** Vobiz's id of the credential (a UUID). */
  id: string;
  /** The SIP username. */
  username: string;
  /** Whether the credential can authenticate. */
  enabled: boolean;
  /** Free text shown in the Vobiz console; absent when none (or when the API does not return it). */
  description?: string;
  /** The SIP digest realm a device must present, when the API returns it. */
  realm?: string;
  /** The Vobiz account (Auth ID) the credential lives on. */
  accountId: string;
  /** When Vobiz created the credential (ISO 8601 UTC), when the API returns it. */
  createdAt?: string;
  /** When Vobiz last changed the credential (ISO 8601 UTC), when the API returns it. */
  updatedAt?: string;
}

/** Arguments of `getCredential`. */
export interface GetCredentialArgs {
  /** The SIP username to find. */
  username: string;
}

/** Arguments of `getCredentials`. */
export interface GetCredentialsArgs {
  /** Only usernames matching this pattern (`*` any run, `?` one character; several separated by commas). */
  filter?: string;
  /** Only enabled (`true`) or disabled (`false`) credentials. */
  enabled?: boolean;
}

/** The fields of a {@link CredentialInfo} besides `id`: every one is a field of the contract. */
type InfoFieldName =
  Exclude<keyof CredentialInfo, "id"> extends FieldName ? Exclude<keyof CredentialInfo, "id"> : never;

/**
 * The fields of {@link CredentialInfo} besides `id`, as data (for the package schema): each is a
 * field of the contract (its type and doc are the row's), and whether a look-up always returns it.
 */
export const CREDENTIAL_INFO_FIELDS = {
  username: { required: true },
  enabled: { required: true },
  description: { required: false },
  realm: { required: false },
  accountId: { required: true },
  createdAt: { required: false },
  updatedAt: { required: false },
} as const satisfies { readonly [K in InfoFieldName]: { required: boolean } };

/** One argument of a look-up, as data (for the package schema). */
export interface LookupArg {
  readonly type: "string" | "boolean";
  readonly required: boolean;
  readonly doc: string;
  /** The failure's reason when a required argument is left out. */
  readonly missing?: string;
}

type ArgsTable<T> = { readonly [K in keyof Required<T>]: LookupArg };

/** The look-ups, their one-line docs and their arguments (keys checked against the TS types above). */
export const LOOKUPS = {
  getCredential: {
    doc: "The credential with this username on the account (never its password); fails when there is none.",
    args: {
      username: {
        type: "string",
        required: true,
        doc: "The SIP username to find.",
        missing: "is required: give the SIP username to find",
      },
    } satisfies ArgsTable<GetCredentialArgs>,
  },
  getCredentials: {
    doc: "Every credential of the account (sorted by username), optionally filtered; never a password.",
    args: {
      filter: {
        type: "string",
        required: false,
        doc: "Only usernames matching this pattern (`*` any run, `?` one character; several separated by commas).",
      },
      enabled: {
        type: "boolean",
        required: false,
        doc: "Only enabled (`true`) or disabled (`false`) credentials.",
      },
    } satisfies ArgsTable<GetCredentialsArgs>,
  },
} as const;

/** The name of a look-up. */
export type LookupName = keyof typeof LOOKUPS;

/** What a look-up returns for one live credential. */
export function credentialInfo(c: Credential, authId: string): CredentialInfo {
  const out: CredentialInfo = {
    id: c.id,
    username: c.username,
    enabled: c.enabled,
    accountId: c.accountId ?? authId,
  };
  if (c.description) out.description = c.description;
  if (c.realm) out.realm = c.realm;
  if (c.createdAt) out.createdAt = c.createdAt;
  if (c.updatedAt) out.updatedAt = c.updatedAt;
  return out;
}

/** `getCredential`: the credential with this username, or a VobizError naming it and the account. */
export function findCredential(all: Credential[], args: GetCredentialArgs, authId: string): CredentialInfo {
  const found = all.find((c) => c.username === args.username);
  if (!found) {
    throw new VobizError(
      `getCredential: account ${authId} has no credential '${args.username}' ` +
        `(${all.length} credential(s) on the account). Check the username and vobiz:authId / VOBIZ_AUTH_ID.`,
    );
  }
  return credentialInfo(found, authId);
}

/** `getCredentials`: the matching credentials, sorted by username; `[]` when none match. */
export function selectCredentials(
  all: Credential[],
  args: GetCredentialsArgs,
  authId: string,
): CredentialInfo[] {
  const matches = usernameMatcher(args.filter);
  return all
    .filter((c) => matches(c.username) && (args.enabled === undefined || c.enabled === args.enabled))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
    .map((c) => credentialInfo(c, authId));
}

const TYPE_RULES: Record<LookupArg["type"], { test: (v: unknown) => boolean; reason: string }> = {
  string: { test: (v) => typeof v === "string", reason: "must be a string" },
  boolean: { test: (v) => typeof v === "boolean", reason: "must be true or false" },
};

/**
 * A look-up's arguments checked against {@link LOOKUPS}, for callers that receive them untyped
 * (the plugin's `invoke`): a missing required one, a wrong type, an unknown name. Failures name
 * the argument and the rule, never the value.
 */
export function lookupArgFailures(name: LookupName, args: Record<string, unknown>): InputFailure[] {
  const table: Record<string, LookupArg> = LOOKUPS[name].args;
  const failures: InputFailure[] = [];
  for (const [arg, rule] of Object.entries(table)) {
    const value = args[arg];
    if (value === undefined || value === null) {
      if (rule.required) failures.push({ property: arg, reason: rule.missing ?? "is required" });
    } else if (!TYPE_RULES[rule.type].test(value)) {
      failures.push({ property: arg, reason: TYPE_RULES[rule.type].reason });
    }
  }
  for (const arg of Object.keys(args)) {
    if (!(arg in table)) {
      failures.push({
        property: arg,
        reason: `is not an argument of ${name}; valid arguments are ${Object.keys(table).join(", ")}`,
      });
    }
  }
  return failures;
}
