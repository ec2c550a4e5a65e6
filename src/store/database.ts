import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite-connection.js';

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** a human-readable description without credentials, for logs */
  description: string;
  close(): Promise<void>;
}

const PG_INT8 = 20;
const PG_JSONB = 3802;
const PG_JSON = 114;

/** pg type parsers: jsonb/json come back as the JSON text (as on SQLite), bigint as a JS number. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === PG_JSONB || oid === PG_JSON) return (value: string) => value;
    if (oid === PG_INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export class DatabaseUrlError extends Error {}

/** Parses DATABASE_URL: `sqlite:<path>`, `sqlite::memory:`, or `postgres://…` / `postgresql://…`. */
export function parseDatabaseUrl(url: string): { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string } {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new DatabaseUrlError('DATABASE_URL "sqlite:" needs a path, e.g. sqlite:./data/gatehouse.db');
    return { dialect: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { dialect: 'postgres', url };
  throw new DatabaseUrlError(`DATABASE_URL must start with sqlite: or postgres:// (got "${url.split(':')[0]}:…")`);
}

/**
 * Opens the database. `timeoutMs` (PostgreSQL): a statement running longer fails (`statement_timeout`), as
 * does a query whose answer does not arrive (`query_timeout`, e.g. a network partition) and a wait for a
 * connection (capped at 5 s) — so a stuck database turns into 503s, never into requests that hang.
 */
export function openDatabase(url: string, options: { poolSize?: number; timeoutMs?: number } = {}): DatabaseHandle {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect === 'sqlite') {
    const sqlite = openSqlite(parsed.path);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', description: `sqlite:${parsed.path}`, close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: parsed.url,
    max: options.poolSize ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: Math.min(5000, options.timeoutMs ?? 5000),
    ...(options.timeoutMs !== undefined ? { statement_timeout: options.timeoutMs, query_timeout: options.timeoutMs + 1000 } : {}),
    keepAlive: true,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that loses its connection emits 'error' on the pool; without a listener that kills the
  // process. The next checkout reconnects, and /readyz reports the outage meanwhile.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(parsed.url);
  return {
    db,
    dialect: 'postgres',
    description: `postgres://${safe.hostname}:${safe.port || 5432}${safe.pathname}`,
    close: () => db.destroy(),
  };
}
