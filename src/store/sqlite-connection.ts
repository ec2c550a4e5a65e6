import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** The subset of better-sqlite3 that Kysely's SqliteDialect calls. */
interface SqliteStatementLike {
  readonly reader: boolean;
  all(parameters: readonly unknown[]): unknown[];
  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(parameters: readonly unknown[]): IterableIterator<unknown>;
}

export interface CachedSqliteDatabase {
  prepare(sql: string): SqliteStatementLike;
  close(): void;
  readonly raw: BetterSqlite3.Database;
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Opens SQLite in WAL mode and wraps it so that Kysely reuses prepared statements: Kysely prepares every
 * query anew, which costs more than running an indexed lookup. The cache is keyed by SQL text (values are
 * always bound parameters, so the number of distinct texts is bounded by the code's query shapes).
 */
export function openSqlite(path: string): CachedSqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384'); // 16 MiB of page cache per connection
  // SQLite's lower() folds only ASCII; SCIM's caseExact:false means every letter (`Ä` = `ä`), as in JS and
  // in PostgreSQL with a UTF-8 locale. An application function of the same name replaces the built-in.
  db.function('lower', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    raw: db,
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        // refresh recency
        cache.delete(sql);
        cache.set(sql, stmt);
        return stmt as unknown as SqliteStatementLike;
      }
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt as unknown as SqliteStatementLike;
    },
    close() {
      cache.clear();
      db.close();
    },
  };
}
