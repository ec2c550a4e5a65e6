import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A 256-bit random bearer secret, base64url, with a recognisable prefix (e.g. `ghd_` for directory tokens). */
export function generateSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** SHA-256 hex of a secret. Secrets are high-entropy, so a fast hash is the right tool (no salt needed). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
