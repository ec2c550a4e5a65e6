import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The databases every suite runs against. PostgreSQL comes from `test/run.ts`, which starts a real server
 * (or uses DATABASE_URL_PG) and passes its URL as GATEHOUSE_TEST_PG. Running a test file without it is an
 * error, never a silent skip.
 */
export type TestDialect = 'sqlite' | 'postgres';

export const dialects: TestDialect[] = ['sqlite', 'postgres'];

function postgresAdminUrl(): string {
  const url = process.env.GATEHOUSE_TEST_PG;
  if (!url) throw new Error('GATEHOUSE_TEST_PG is not set: run the suite with `npm test` (test/run.ts starts PostgreSQL)');
  return url;
}

/** A fresh, empty database of the given dialect; returns its DATABASE_URL. */
export async function freshDatabaseUrl(dialect: TestDialect): Promise<string> {
  if (dialect === 'sqlite') return 'sqlite::memory:';
  const admin = postgresAdminUrl();
  const name = `gh_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}
