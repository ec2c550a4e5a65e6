import { randomFillSync, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

/**
 * Random bytes drawn from the CSPRNG a pool at a time (as Node's randomUUID does): an id takes 16 of them
 * instead of a Buffer and a call of its own. Each byte is handed out once.
 */
const POOL_SIZE = 16 * 256;
const pool = Buffer.alloc(POOL_SIZE);
let poolOffset = POOL_SIZE;

/** Reserves `count` unused bytes of the pool (refilled when spent); returns where they start. */
function takeRandom(count: number): number {
  if (poolOffset + count > POOL_SIZE) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += count;
  return at;
}

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
  const at = takeRandom(16);
  let rand = '';
  for (let i = at; i < at + 16; i++) rand += ALPHABET[pool[i]! % 32];
  return `${prefix}_${time}${rand}`;
}

/** SCIM resource ids are UUIDs (what Entra and Okta expect to see). */
export function newResourceId(): string {
  return randomUUID();
}
