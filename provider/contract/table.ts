/**
 * The VobizCredential contract: one row per field, saying its type, default, secrecy, who sets it
 * (the program or Vobiz), what a change does (replace, update in place, nothing), its doc and its
 * validation rule. The argument and output types, `check`'s schema and defaults, `diff`'s
 * decisions, the resource's declared and secret outputs, the engine adapter's masking and the
 * README's reference table are all derived from this table: a new field is one new row (plus its
 * behaviour in the lifecycle).
 */
import type * as pulumi from "@pulumi/pulumi";
import { input, vobizSet, type Typed } from "./columns";
import {
  CONFIG_KEY_PATTERN,
  CONTROL_CHARS,
  CONTROL_CHARS_BUT_WHITESPACE,
  characterCount,
  ENV_NAME_PATTERN,
  GENERATED_DEFAULT_LENGTH,
  GENERATED_MAX_LENGTH,
  GENERATED_MIN_LENGTH,
  normaliseDescription,
  normaliseTriggers,
  PASSWORD_MIN_LENGTH,
  PASSWORD_SOURCE_RULE,
  ROTATE_AFTER_PATTERN,
  USERNAME_PATTERN,
} from "./rules";

/** A `rotationTriggers` map: any change of a key or value rotates the password. */
export type RotationTriggers = Record<string, pulumi.Input<string | number | boolean>>;

/**
 * The `adoptExisting` value that takes a credential over without touching its password. A word,
 * not a second boolean: `adoptExisting: "keepPassword"` says in a pull request what it does.
 */
export const KEEP_PASSWORD = "keepPassword";

/** Where the write-only mode reads the password from, each time it creates or rotates. */
export type PasswordSource =
  | {
      /** A stack config key (set it with `pulumi config set --secret <key> <password>`). */
      config: string;
    }
  | {
      /** An environment variable of the process that runs `pulumi`. */
      env: string;
    };

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

/** Every field of a VobizCredential, in the order the README and `check`'s messages list them. */
export const CREDENTIAL_FIELDS = {
  /**
   * The SIP username. Letters, digits, `_` and `-`; unique per Vobiz account.
   * **Changing it replaces the credential**: the new one is created first, then the old one is
   * deleted.
   */
  username: input<string>()({
    required: true,
    missing: "is required: give the SIP username of the credential",
    type: "string",
    rules: "letters, digits, `_`, `-`; unique per account",
    onChange: "replace",
    valueType: "string",
    wire: { api: "username", create: "body", read: "always" },
    secret: false,
    doc: "the SIP username",
    schema: ({ z }) =>
      z
        .string({ error: "must be a string" })
        .min(1, { error: "must not be empty: give the SIP username, e.g. 'office_desk-1'" })
        .regex(USERNAME_PATTERN, {
          error:
            "may contain only letters A-Z/a-z, digits, '_' and '-' (no spaces, dots or other characters)",
        }),
  }),
  /**
   * The SIP password, at least 8 characters. Stored encrypted (as a secret) in state, never
   * shown in plain text; Vobiz never returns it. Changing it updates in place (one PUT).
   * Set exactly one of `password`, `passwordFrom` and `generatePassword` (or none, to adopt with
   * `adoptExisting: "keepPassword"`). With `generatePassword`, this output holds the generated
   * password.
   */
  password: input<string>()({
    type: "string",
    defaultText: '(required unless `passwordFrom`, `generatePassword` or `adoptExisting: "keepPassword"`)',
    rules: "at least 8 characters, no control characters",
    onChange: "rotate",
    valueType: "string",
    wire: { api: "password", create: "body", update: true, read: "never" },
    secret: true,
    doc: "the declared value, or the generated one as an output (Vobiz never returns it)",
    schema: ({ z }) =>
      z
        .string({ error: "must be a string" })
        .refine((s) => characterCount(s) >= PASSWORD_MIN_LENGTH, {
          error: `must be at least ${PASSWORD_MIN_LENGTH} characters long (Vobiz rule)`,
        })
        .refine((s) => !CONTROL_CHARS.test(s), {
          error: "must not contain control characters (newlines, tabs, NUL)",
        }),
  }),
  /**
   * Write-only mode: the provider reads the password from this source at create and rotation
   * time, and state holds only the reference. Rotate by changing the value at the source and
   * bumping `passwordVersion`. No drift detection of the value (Vobiz cannot return it).
   */
  passwordFrom: input<PasswordSource>()({
    type: "`{ config: string }` or `{ env: string }`",
    rules: "exactly one of `password`/`passwordFrom`/`generatePassword`",
    onChange: "rotate",
    valueType: "passwordSource",
    secret: false,
    secretText: "reference only",
    doc: "where the write-only mode reads the password from",
    shapeError: PASSWORD_SOURCE_RULE,
    schema: ({ z, orUnknown }) =>
      z.union(
        [
          z.strictObject({
            // During preview the key itself may be an unknown output (a nested sentinel).
            config: orUnknown(
              z.string().regex(CONFIG_KEY_PATTERN, {
                error: "must be a stack config key such as 'sipPassword' or 'myproject:sipPassword'",
              }),
            ),
          }),
          z.strictObject({
            env: orUnknown(
              z.string().regex(ENV_NAME_PATTERN, {
                error: "must be an environment variable name such as SIP_PASSWORD",
              }),
            ),
          }),
        ],
        { error: PASSWORD_SOURCE_RULE },
      ),
  }),
  /**
   * Write-only mode's rotation trigger: bump it (any new whole number) to send the password from
   * `passwordFrom` again. Default 0.
   */
  passwordVersion: input<number>()({
    type: "integer >= 0",
    default: 0,
    defaultOnlyWith: "passwordFrom",
    rules: "only with `passwordFrom`",
    onChange: "rotate",
    valueType: "integer",
    changeText: "update: re-sends the password",
    secret: false,
    doc: "the write-only mode's rotation counter",
    schema: ({ z }) =>
      z
        .number({ error: "must be a number" })
        .int({ error: "must be a whole number" })
        .nonnegative({ error: "must be 0 or more" }),
  }),
  /**
   * Generated mode: the provider generates the password (node:crypto) at create and at each
   * rotation, and returns it only as the secret `password` output. Each value meets both Vobiz
   * rules: `passwordLength` characters with at least one of `~!@#$%^&*()_+`. `false` is the same
   * as leaving it out. Switching to or from it updates in place (one PUT).
   */
  generatePassword: input<boolean>()({
    type: "boolean",
    defaultText: "`false`",
    rules: "exactly one of `password`/`passwordFrom`/`generatePassword`",
    onChange: "rotate",
    valueType: "boolean",
    changeText: "update: sets a new password",
    secret: false,
    doc: "whether the provider generates the password (read it from the `password` output)",
    normalise: (value) =>
      value === true ? true : value === false ? undefined : (value as boolean | undefined),
    schema: ({ z }) => z.boolean({ error: "must be true or false" }),
  }),
  /** Length of a generated password, 8 to 20 characters (the Vobiz rules). Default 20. */
  passwordLength: input<number>()({
    type: "integer 8..20",
    default: GENERATED_DEFAULT_LENGTH,
    defaultOnlyWith: "generatePassword",
    rules: "only with `generatePassword`",
    onChange: "rotate",
    valueType: "integer",
    changeText: "update: sets a new password",
    secret: false,
    doc: "the length of a generated password",
    schema: ({ z }) =>
      z
        .number({ error: "must be a number" })
        .int({ error: "must be a whole number" })
        .min(GENERATED_MIN_LENGTH, {
          error: `must be at least ${GENERATED_MIN_LENGTH} (Vobiz API rule)`,
        })
        .max(GENERATED_MAX_LENGTH, {
          error: `must be at most ${GENERATED_MAX_LENGTH} (Vobiz Console rule: 5 to 20 characters)`,
        }),
  }),
  /**
   * Rotation on change: a map of arbitrary values (like `keepers` of `random_password`); any
   * change of a key or value rotates the password with one PUT. Key order does not matter, and
   * an empty map is the same as none. A config counter here gives rotation on demand. Only with
   * `generatePassword` or `passwordFrom`: `check` refuses it next to a declared `password`.
   */
  rotationTriggers: input<RotationTriggers>()({
    type: "map of string, number or boolean",
    rules: "not with a declared `password`: `check` refuses it (see the guide)",
    onChange: "rotate",
    valueType: "triggerMap",
    changeText: "update: rotates the password",
    secret: false,
    doc: "values whose change rotates the password",
    normalise: (value) => normaliseTriggers(value) as RotationTriggers | undefined,
    shapeError: 'must be a map of strings, numbers or booleans, e.g. { rotation: "3" }',
    schema: ({ z, orUnknown }) =>
      z.record(z.string(), orUnknown(z.union([z.string(), z.number(), z.boolean()])), {
        error: "must be a map of strings, numbers or booleans",
      }),
  }),
  /**
   * Rotation by age: once the password is older than this (counted from `passwordSetAt`), the
   * next preview shows an update and the next `up` rotates it with one PUT. A whole number and a
   * unit: `s`, `m`, `h`, `d` or `w`, e.g. `"90d"`. The plan changes with the clock.
   */
  rotateAfter: input<string>()({
    type: 'duration, e.g. `"90d"`',
    rules: "a whole number and `s`/`m`/`h`/`d`/`w`",
    onChange: "state",
    valueType: "string",
    changeText: "update: state only, unless the password is now too old",
    secret: false,
    doc: "the age after which the password rotates",
    schema: ({ z }) =>
      z.string({ error: "must be a string" }).regex(ROTATE_AFTER_PATTERN, {
        error: "must be a whole number and a unit (s, m, h, d or w), e.g. '90d' or '12h'",
      }),
  }),
  /** `false` blocks SIP authentication without deleting the credential. Default `true`. Updates in place. */
  enabled: input<boolean>()({
    type: "boolean",
    default: true,
    onChange: "update",
    valueType: "boolean",
    wire: { api: "enabled", create: "followUp", update: true, read: "always" },
    secret: false,
    doc: "whether the credential can authenticate",
    schema: ({ z }) => z.boolean({ error: "must be true or false" }),
  }),
  /** Free text shown in the Vobiz console. Absent, `""` and `null` all mean none. Updates in place. */
  description: input<string>()({
    type: "string",
    rules: 'absent, `""` and `null` are the same',
    onChange: "update",
    valueType: "string",
    wire: { api: "description", create: "followUp", update: true, read: "whenReturned", cleared: "" },
    secret: false,
    doc: "free text shown in the Vobiz console",
    normalise: normaliseDescription,
    schema: ({ z }) =>
      z
        .string({ error: "must be a string" })
        .refine((s) => !CONTROL_CHARS_BUT_WHITESPACE.test(s), {
          error: "must not contain control characters",
        })
        .nullish(),
  }),
  /**
   * Take over a credential that already exists on the account instead of failing. `true`: when
   * the username is taken (HTTP 409 at create), one PUT sets the declared password, `enabled` and
   * `description`. `"keepPassword"`: never creates and never sends a password: the credential
   * must already exist (checked at preview), its live password stays as the devices know it,
   * state holds no password, and only `enabled`/`description` that differ are written (nothing
   * when they match). A later `password` or `passwordFrom` rotates it as usual. Either way
   * Pulumi manages it from then on (and deletes it on destroy, unless `retainOnDelete`).
   * Default `false`.
   */
  adoptExisting: input<boolean | "keepPassword">()({
    type: '`boolean` or `"keepPassword"`',
    default: false,
    rules: '`"keepPassword"`: the username must exist; no password at first adoption',
    onChange: "none",
    valueType: "booleanOrKeepPassword",
    secret: false,
    doc: "whether create takes over an existing credential of the same username (and its password)",
    schema: ({ z }) => {
      const error = `must be true, false or "${KEEP_PASSWORD}"`;
      return z.union([z.boolean({ error }), z.literal(KEEP_PASSWORD, { error })], { error });
    },
  }),
  /** The SIP digest realm a device must present, `{accountId}.sip.vobiz.ai`. */
  realm: vobizSet<string>()({
    type: "string",
    onChange: "none",
    valueType: "string",
    wire: { api: "realm", read: "whenReturned" },
    secret: false,
    doc: "SIP digest realm, `{accountId}.sip.vobiz.ai`",
  }),
  /**
   * The Vobiz account (Auth ID) the credential lives on. Credentials cannot move between
   * accounts: configuring another account replaces the credential.
   */
  accountId: vobizSet<string>()({
    type: "string",
    onChange: "replace",
    valueType: "string",
    wire: { api: "account_id", read: "whenReturned", orConfiguredAccount: true },
    secret: false,
    doc: "the Vobiz account the credential lives on",
  }),
  /** When Vobiz created the credential (ISO 8601 UTC). */
  createdAt: vobizSet<string>()({
    type: "string",
    onChange: "none",
    valueType: "string",
    wire: { api: "created_at", read: "whenReturned" },
    secret: false,
    doc: "when Vobiz created the credential (ISO 8601 UTC)",
  }),
  /** When Vobiz last changed the credential (ISO 8601 UTC). */
  updatedAt: vobizSet<string>()({
    type: "string",
    onChange: "none",
    valueType: "string",
    wire: { api: "updated_at", read: "whenReturned" },
    secret: false,
    doc: "when Vobiz last changed the credential (ISO 8601 UTC)",
  }),
  /**
   * When the provider last set the password (ISO 8601 UTC, the provider's clock), for every
   * password mode; `rotateAfter` counts from it.
   */
  passwordSetAt: vobizSet<string>()({
    type: "string",
    onChange: "none",
    valueType: "string",
    secret: false,
    doc: "when the provider last set the password (ISO 8601 UTC); `rotateAfter` counts from it",
  }),
};

// ---------------------------------------------------------------------------------------------
// Derived types (each property keeps its row's doc comment; fields.ts derives the runtime lists)
// ---------------------------------------------------------------------------------------------

/** The table's type: every row with its literal columns. */
export type Fields = typeof CREDENTIAL_FIELDS;
/** The name of a field of a VobizCredential. */
export type FieldName = keyof Fields;
/** The names of the fields whose rows match `Row` (e.g. `{ source: "input" }`). */
export type NamesWhere<Row> = { [K in FieldName]: Fields[K] extends Row ? K : never }[FieldName];
/** The name of an input the program sets. */
export type InputName = NamesWhere<{ source: "input" }>;
/** The name of a field Vobiz sets. */
export type VobizSetName = NamesWhere<{ source: "vobiz" }>;
type RequiredInput = NamesWhere<{ required: true }>;
/** Inputs `check` always returns: the required ones and those with an unconditional default. */
type AlwaysChecked = RequiredInput | NamesWhere<{ default: unknown; defaultOnlyWith?: undefined }>;
/** The TypeScript type of a field's value. */
export type FieldValue<K extends FieldName> = Fields[K] extends Typed<infer T> ? T : never;
type ValueOf<K extends FieldName> = FieldValue<K>;

type RequiredArgs = {
  -readonly [K in keyof Fields as K extends RequiredInput ? K : never]: pulumi.Input<ValueOf<K>>;
};
type OptionalArgs = {
  -readonly [K in keyof Fields as K extends Exclude<InputName, RequiredInput> ? K : never]?: pulumi.Input<
    ValueOf<K>
  >;
};
type AlwaysCheckedInputs = {
  -readonly [K in keyof Fields as K extends AlwaysChecked ? K : never]: ValueOf<K>;
};
type SometimesCheckedInputs = {
  -readonly [K in keyof Fields as K extends Exclude<InputName, AlwaysChecked> ? K : never]?: ValueOf<K>;
};
type VobizSetValues = { -readonly [K in keyof Fields as K extends VobizSetName ? K : never]?: ValueOf<K> };

/** Inputs of a {@link VobizCredential}. */
export interface VobizCredentialArgs extends RequiredArgs, OptionalArgs {}

/**
 * The checked, normalised inputs of a VobizCredential (what `check` returns). During preview any
 * field may instead hold the unknown sentinel.
 */
export interface CredentialInputs extends AlwaysCheckedInputs, SometimesCheckedInputs {}

/** The outputs of a VobizCredential in state: every checked input plus what Vobiz sets. */
export interface CredentialOutputs extends CredentialInputs, VobizSetValues {}

type OutputProperties = {
  readonly [K in keyof Fields]: pulumi.Output<
    K extends AlwaysChecked | VobizSetName ? ValueOf<K> : ValueOf<K> | undefined
  >;
};

/** The output properties of a {@link VobizCredential}: an Output per field, `undefined` inside when not set. */
// An interface, not the alias: the class merges it, and typedoc lists its properties with their docs.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VobizCredentialOutputs extends OutputProperties {}

export type { InputRow, OnChange, SchemaKit, VobizRow } from "./columns";
