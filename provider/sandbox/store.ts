/**
 * Accounts and their credentials, and (optionally) their persistence to a JSON file.
 *
 * Every account sees only its own credentials. Passwords and auth tokens are kept only as salted
 * hashes (see secrets.ts), in memory and on disk. With a `persistPath`, the state is loaded at
 * start when the file exists and written after every mutation, atomically (temp file + rename).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { ERROR_CODES, SandboxError } from "./errors";
import { fingerprint, hashSecret, isSecretHash, verifySecret } from "./secrets";
import { TEXT_FIELD_NAMES, type ConsolePatch, type CreateInput, type TextValues } from "./validation";

/**
 * A stored credential. Timestamps are epoch milliseconds. Each text field (`description`, ...) is
 * undefined until it was set once.
 */
export interface CredentialRecord extends TextValues {
  readonly id: string;
  readonly accountId: string;
  readonly username: string;
  enabled: boolean;
  passwordHash: string;
  /** Out-of-band flag: "in use by active calls" (delete answers 409). */
  inUse: boolean;
  readonly createdAt: number;
  updatedAt: number;
}

interface AccountRecord {
  readonly authId: string;
  tokenHash: string;
  /** sha256 of the last token that passed scrypt verification, so each request is cheap. */
  verifiedToken?: string;
  readonly credentials: Map<string, CredentialRecord>;
}

/** Version of the data file format. */
const DATA_FILE_VERSION = 1;

interface DataFile {
  version: number;
  accounts: {
    authId: string;
    tokenHash: string;
    credentials: (TextValues & {
      id: string;
      username: string;
      enabled: boolean;
      passwordHash: string;
      inUse: boolean;
      createdAt: string;
      updatedAt: string;
    })[];
  }[];
}

/** Copies the text fields `from` sets; whether any was set. */
function copyTexts(from: TextValues, into: TextValues): boolean {
  let any = false;
  for (const field of TEXT_FIELD_NAMES) {
    if (from[field] !== undefined) {
      into[field] = from[field];
      any = true;
    }
  }
  return any;
}

/** The text fields of a record (or a data file entry) that are strings. */
function texts(c: TextValues): TextValues {
  const out: TextValues = {};
  for (const field of TEXT_FIELD_NAMES) if (typeof c[field] === "string") out[field] = c[field];
  return out;
}

/** Sort order of lists: `created_at`, then `id`, so pages are stable. */
function byCreatedThenId(a: CredentialRecord, b: CredentialRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export class Store {
  private readonly accounts = new Map<string, AccountRecord>();

  /** Opens a store; with `persistPath`, loads it when the file exists. */
  constructor(private readonly persistPath?: string) {
    if (persistPath) this.load(persistPath);
  }

  /** Adds an account, or replaces the token of an existing one. */
  putAccount(authId: string, authToken: string): void {
    const existing = this.accounts.get(authId);
    if (existing) {
      existing.tokenHash = hashSecret(authToken);
      existing.verifiedToken = undefined;
    } else {
      this.accounts.set(authId, { authId, tokenHash: hashSecret(authToken), credentials: new Map() });
    }
    this.save();
  }

  listAccounts(): { authId: string }[] {
    return [...this.accounts.keys()].map((authId) => ({ authId }));
  }

  /** Whether `authToken` is the token of account `authId` (false for unknown accounts). */
  authenticate(authId: string, authToken: string): boolean {
    const account = this.accounts.get(authId);
    if (!account) return false;
    const print = fingerprint(authToken);
    if (account.verifiedToken === print) return true;
    if (!verifySecret(authToken, account.tokenHash)) return false;
    account.verifiedToken = print;
    return true;
  }

  /** Credentials of an account in list order (created_at, then id). */
  listCredentials(authId: string): readonly CredentialRecord[] {
    return [...this.account(authId).credentials.values()].sort(byCreatedThenId);
  }

  /** One credential of an account, or 404 `CREDENTIAL_NOT_FOUND`. */
  getCredential(authId: string, id: string): Readonly<CredentialRecord> {
    const credential = this.account(authId).credentials.get(id);
    if (!credential) {
      throw new SandboxError(404, ERROR_CODES.credentialNotFound, `Credential ${id} not found`, { id });
    }
    return credential;
  }

  /** Creates a credential; 409 `DUPLICATE_USERNAME` if the account already has the username. */
  createCredential(authId: string, input: CreateInput): Readonly<CredentialRecord> {
    const account = this.account(authId);
    for (const c of account.credentials.values()) {
      if (c.username === input.username) {
        throw new SandboxError(
          409,
          ERROR_CODES.duplicateUsername,
          `A credential with username "${input.username}" already exists`,
          { field: "username", id: c.id },
        );
      }
    }
    const now = Date.now();
    const record: CredentialRecord = {
      id: randomUUID(),
      accountId: authId,
      username: input.username,
      enabled: input.enabled ?? true,
      passwordHash: hashSecret(input.password),
      inUse: false,
      createdAt: now,
      updatedAt: now,
    };
    copyTexts(input, record);
    account.credentials.set(record.id, record);
    this.save();
    return record;
  }

  /**
   * Changes the given fields. Any change of `password`, `enabled` or a text field moves
   * `updatedAt` strictly forward, even within the same millisecond.
   */
  updateCredential(authId: string, id: string, patch: ConsolePatch): Readonly<CredentialRecord> {
    const record = this.mutable(authId, id);
    if (patch.password !== undefined) record.passwordHash = hashSecret(patch.password);
    if (patch.enabled !== undefined) record.enabled = patch.enabled;
    const textsChanged = copyTexts(patch, record);
    if (patch.password !== undefined || patch.enabled !== undefined || textsChanged) {
      record.updatedAt = Math.max(Date.now(), record.updatedAt + 1);
    }
    if (patch.inUse !== undefined) record.inUse = patch.inUse;
    this.save();
    return record;
  }

  /** Deletes a credential; while it is in use, 409 `CREDENTIAL_IN_USE` unless `force`. */
  deleteCredential(authId: string, id: string, force: boolean): void {
    const record = this.mutable(authId, id);
    if (record.inUse && !force) {
      throw new SandboxError(409, ERROR_CODES.credentialInUse, "Credential is in use by active calls", {
        id,
      });
    }
    this.account(authId).credentials.delete(id);
    this.save();
  }

  /** Whether `password` is the credential's password. */
  verifyPassword(authId: string, id: string, password: string): boolean {
    return verifySecret(password, this.getCredential(authId, id).passwordHash);
  }

  /** Numbers for the health route. */
  counts(): { accounts: number; credentials: number } {
    let credentials = 0;
    for (const a of this.accounts.values()) credentials += a.credentials.size;
    return { accounts: this.accounts.size, credentials };
  }

  private account(authId: string): AccountRecord {
    const account = this.accounts.get(authId);
    if (!account) {
      throw new SandboxError(404, ERROR_CODES.accountNotFound, `Account ${authId} not found`, { authId });
    }
    return account;
  }

  private mutable(authId: string, id: string): CredentialRecord {
    return this.getCredential(authId, id) as CredentialRecord;
  }

  /** Writes the state atomically: a temp file beside the target, then a rename over it. */
  private save(): void {
    if (!this.persistPath) return;
    const data: DataFile = {
      version: DATA_FILE_VERSION,
      accounts: [...this.accounts.values()].map((a) => ({
        authId: a.authId,
        tokenHash: a.tokenHash,
        credentials: [...a.credentials.values()].sort(byCreatedThenId).map((c) => ({
          id: c.id,
          username: c.username,
          enabled: c.enabled,
          ...texts(c),
          passwordHash: c.passwordHash,
          inUse: c.inUse,
          createdAt: new Date(c.createdAt).toISOString(),
          updatedAt: new Date(c.updatedAt).toISOString(),
        })),
      })),
    };
    mkdirSync(dirname(this.persistPath), { recursive: true });
    const temp = `${this.persistPath}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
      renameSync(temp, this.persistPath);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
  }

  private load(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    const fail = (why: string): never => {
      throw new Error(`Sandbox data file ${path} is not usable: ${why}`);
    };
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      fail("not valid JSON");
    }
    const file = data as Partial<DataFile> | null;
    if (!file || file.version !== DATA_FILE_VERSION || !Array.isArray(file.accounts)) {
      fail(`expected {"version": ${DATA_FILE_VERSION}, "accounts": [...]}`);
    }
    for (const a of (file as DataFile).accounts) {
      if (typeof a?.authId !== "string" || !isSecretHash(a.tokenHash) || !Array.isArray(a.credentials)) {
        fail("an account lacks authId, tokenHash or credentials");
      }
      const credentials = new Map<string, CredentialRecord>();
      for (const c of a.credentials) {
        const createdAt = Date.parse(c?.createdAt);
        const updatedAt = Date.parse(c?.updatedAt);
        if (
          typeof c.id !== "string" ||
          typeof c.username !== "string" ||
          typeof c.enabled !== "boolean" ||
          !isSecretHash(c.passwordHash) ||
          Number.isNaN(createdAt) ||
          Number.isNaN(updatedAt)
        ) {
          fail(`credential ${String(c?.id)} of ${a.authId} is malformed`);
        }
        credentials.set(c.id, {
          id: c.id,
          accountId: a.authId,
          username: c.username,
          enabled: c.enabled,
          ...texts(c),
          passwordHash: c.passwordHash,
          inUse: c.inUse === true,
          createdAt,
          updatedAt,
        });
      }
      this.accounts.set(a.authId, { authId: a.authId, tokenHash: a.tokenHash, credentials });
    }
  }
}
