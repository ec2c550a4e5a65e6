import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/**
 * A sortable, prefixed identifier: 10 characters of millisecond time then 16 random characters
 * (80 bits), e.g. `org_01jd8x5m2c4r7t9v1w3y5z7b9d`.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 32];
  return `${prefix}_${time}${rand}`;
}

/** SCIM resource ids are UUIDs (what Entra and Okta expect to see). */
export function newResourceId(): string {
  return randomUUID();
}
