import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Config } from '../config.js';
import { parseDatabaseUrl } from '../store/database.js';

/**
 * `gatehouse backup <file>`: a consistent copy of the SQLite database while Gatehouse keeps serving
 * (`VACUUM INTO` reads one snapshot in WAL mode; writers are not blocked). Written to `<file>.partial` and
 * renamed, so `<file>` is either absent or complete. Refuses to overwrite. PostgreSQL is backed up with its
 * own tools (pg_dump, or base backups + WAL archiving); the command says so.
 */
export async function backupCommand(config: Config, args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]!.startsWith('-')) {
    process.stderr.write('Usage: gatehouse backup <file>   (a consistent copy of the SQLite database, taken while serving)\n');
    return 2;
  }
  const parsed = parseDatabaseUrl(config.databaseUrl);
  if (parsed.dialect !== 'sqlite') {
    process.stderr.write('gatehouse backup copies a SQLite database; for PostgreSQL use pg_dump --format=custom (or base backups with WAL archiving), see README "Operations → Backups"\n');
    return 2;
  }
  if (parsed.path === ':memory:') {
    process.stderr.write('gatehouse backup: the database is in memory; there is nothing to copy\n');
    return 2;
  }
  if (!existsSync(parsed.path)) {
    process.stderr.write(`gatehouse backup: no database at ${parsed.path}\n`);
    return 1;
  }
  const target = resolve(args[0]!);
  if (existsSync(target)) {
    process.stderr.write(`gatehouse backup: ${target} exists; choose a new file\n`);
    return 1;
  }
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  mkdirSync(dirname(target), { recursive: true });
  const source = new BetterSqlite3(parsed.path, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 10000');
    source.prepare('vacuum into ?').run(partial);
  } finally {
    source.close();
  }
  const check = new BetterSqlite3(partial, { readonly: true });
  try {
    const result = check.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`the copy failed its integrity check: ${String(result)}`);
  } finally {
    check.close();
  }
  renameSync(partial, target);
  process.stdout.write(`backed up ${parsed.path} to ${target}\n`);
  return 0;
}
