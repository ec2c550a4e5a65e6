import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class SecretKeyError extends Error {}

/**
 * The 256-bit key that encrypts secrets at rest. From GATEHOUSE_SECRET_KEY when set (any string of at
 * least 32 characters; it is hashed to 32 bytes). Otherwise, with SQLite, generated once into
 * `<data dir>/secret.key` (mode 0600) beside the database; with PostgreSQL it is required, because every
 * node must share it.
 */
export function loadSecretKey(configured: string | undefined, database: { dialect: 'sqlite'; path: string } | { dialect: 'postgres' }): Buffer {
  if (configured !== undefined) {
    if (configured.length < 32) throw new SecretKeyError('GATEHOUSE_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)');
    return createHash('sha256').update(configured, 'utf8').digest();
  }
  if (database.dialect === 'postgres') {
    throw new SecretKeyError('GATEHOUSE_SECRET_KEY is required with PostgreSQL, and must be the same on every node (e.g. `openssl rand -base64 32`)');
  }
  if (database.path === ':memory:') return randomBytes(32);
  const file = join(dirname(database.path), 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  chmodSync(file, 0o600);
  const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new SecretKeyError(`${file} does not hold a 32-byte base64 key`);
  return key;
}
