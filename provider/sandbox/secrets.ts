/**
 * Hashing of passwords and auth tokens, and generation of random ids and tokens.
 *
 * The sandbox keeps only salted scrypt hashes of passwords and tokens, in memory and in its data
 * file, so not even the sandbox's own state holds a plain secret. The scrypt cost is deliberately
 * low: this is a test double that hashes on every create and authentication, not a password store.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";

/** scrypt parameters for new hashes (stored in each hash, so older hashes keep verifying). */
const SCRYPT_PARAMS = { N: 1024, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;
const SCHEME = "scrypt";

/** Hashes a secret as `scrypt$N$r$p$<salt base64>$<key base64>`. */
export function hashSecret(secret: string): string {
  const { N, r, p, keyLength, saltLength } = SCRYPT_PARAMS;
  const salt = randomBytes(saltLength);
  const key = scryptSync(secret, salt, keyLength, { N, r, p });
  return [SCHEME, N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Whether a string looks like a hash made by {@link hashSecret}. */
export function isSecretHash(encoded: unknown): encoded is string {
  return typeof encoded === "string" && parseHash(encoded) !== undefined;
}

/** Compares a secret with a hash made by {@link hashSecret}, in constant time. */
export function verifySecret(secret: string, encoded: string): boolean {
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  const actual = scryptSync(secret, parsed.salt, parsed.key.length, {
    N: parsed.N,
    r: parsed.r,
    p: parsed.p,
  });
  return timingSafeEqual(actual, parsed.key);
}

/** A fast, unsalted digest, used only to remember an already verified token in memory. */
export function fingerprint(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** A random auth token for a generated account. */
export function generateToken(): string {
  return randomBytes(24).toString("base64url");
}

/** A request id in the documented `req_<random>` form. */
export function generateRequestId(): string {
  return `req_${randomBytes(12).toString("hex")}`;
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== SCHEME) return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return undefined;
  // A power of two N is required by scrypt; bound it so a hand-edited file cannot stall the server.
  if (N > 1 << 20 || (N & (N - 1)) !== 0 || r > 32 || p > 16) return undefined;
  const salt = Buffer.from(parts[4], "base64");
  const key = Buffer.from(parts[5], "base64");
  if (salt.length === 0 || key.length === 0) return undefined;
  return { N, r, p, salt, key };
}
