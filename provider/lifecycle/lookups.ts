/**
 * The look-ups' core (what Terraform calls data sources): reading credentials a stack does not
 * manage, by username or all of them (optionally filtered by a username pattern and `enabled`),
 * from one list of the account. What a look-up returns of each credential is the contract's
 * (contract/wire.ts `lookupFields`): everything the API tells, never a password. Both engine
 * adapters call these: the dynamic adapter's `getCredential`/`getCredentials` in the program, the
 * plugin's `invoke`.
 */
import { VobizError } from "../common/errors";
import type { InputFailure } from "./checkFailures";
import { lookupFields, type Credential, type LookupFields } from "../contract/wire";

/** A credential as a look-up returns it: everything Vobiz tells about it, never a password. */
export interface CredentialInfo extends LookupFields {
  /** Vobiz's id of the credential (a UUID). */
  id: string;
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

/**
 * A username filter: `*` matches any run of characters, `?` one character; several patterns
 * separated by commas select a username matching any of them. Case-sensitive, like usernames.
 */
export function usernameMatcher(filter: string | undefined): (username: string) => boolean {
  if (filter === undefined) return () => true;
  const patterns = filter
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map(
      (p) =>
        new RegExp(
          `^${p
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        ),
    );
  return (username) => patterns.some((re) => re.test(username));
}

/** What a look-up returns of a live credential. */
export function credentialInfo(c: Credential, authId: string): CredentialInfo {
  return { id: c.id, ...lookupFields(c, authId) };
}

/** The credential with this username among `all`; a VobizError naming the account when none has it. */
export function findCredential(
  all: readonly Credential[],
  authId: string,
  args: GetCredentialArgs,
): CredentialInfo {
  const found = all.find((c) => c.username === args.username);
  if (!found) {
    throw new VobizError(
      `getCredential: account ${authId} has no credential '${args.username}' ` +
        `(${all.length} credential(s) on the account). Check the username and vobiz:authId / VOBIZ_AUTH_ID.`,
    );
  }
  return credentialInfo(found, authId);
}

/** The credentials among `all` that match (sorted by username); `[]` when none match. */
export function selectCredentials(
  all: readonly Credential[],
  authId: string,
  args: GetCredentialsArgs,
): CredentialInfo[] {
  const matches = usernameMatcher(args.filter);
  return all
    .filter((c) => matches(c.username) && (args.enabled === undefined || c.enabled === args.enabled))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0))
    .map((c) => credentialInfo(c, authId));
}

/** One argument of a look-up, as data (for the package schema and untyped callers). */
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
