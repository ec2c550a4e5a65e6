import { sql, type Kysely } from 'kysely';
import type { Dialect } from './database.js';
import { initialSchema } from './migrations/001-initial.js';
import { webhooksSchema } from './migrations/002-webhooks.js';
import { roleMappingsSchema } from './migrations/003-role-mappings.js';
import { directorySettingsSchema } from './migrations/004-directory-settings.js';
import { ssoSchema } from './migrations/005-sso.js';
import { oauthSchema } from './migrations/006-oauth.js';
import { jumpcloudPullSchema } from './migrations/007-jumpcloud-pull.js';
import { setupLinksSchema } from './migrations/008-setup-links.js';
import { ssoCertificateLifecycleSchema } from './migrations/010-sso-certificate-lifecycle.js';
import { ssoUserLookupSchema } from './migrations/011-sso-user-lookup.js';

interface Migration {
  id: string;
  statements: (dialect: Dialect) => string[];
}

/** Append-only: never edit a migration that has shipped; add a new one. */
const migrations: Migration[] = [
  { id: '001-initial', statements: initialSchema },
  { id: '002-webhooks', statements: webhooksSchema },
  { id: '003-role-mappings', statements: roleMappingsSchema },
  { id: '004-directory-settings', statements: directorySettingsSchema },
  { id: '005-sso', statements: ssoSchema },
  { id: '006-oauth', statements: oauthSchema },
  { id: '007-jumpcloud-pull', statements: jumpcloudPullSchema },
  { id: '008-setup-links', statements: setupLinksSchema },
  { id: '010-sso-certificate-lifecycle', statements: ssoCertificateLifecycleSchema },
  { id: '011-sso-user-lookup', statements: ssoUserLookupSchema },
];

const LOCK_KEY = 727_274_001; // PostgreSQL advisory lock: one node migrates at a time

/**
 * Brings the schema up to date, each migration in its own transaction. Safe to run concurrently from
 * several nodes on PostgreSQL (advisory lock) and idempotent.
 */
export async function migrate(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    if (dialect === 'postgres') await sql`select pg_advisory_lock(${LOCK_KEY})`.execute(conn);
    try {
      await sql`create table if not exists gatehouse_migrations (id text primary key, applied_at text not null)`.execute(conn);
      const done = new Set(
        (await sql<{ id: string }>`select id from gatehouse_migrations`.execute(conn)).rows.map((r) => r.id),
      );
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        await conn.transaction().execute(async (tx) => {
          for (const statement of m.statements(dialect)) await sql.raw(statement).execute(tx);
          await sql`insert into gatehouse_migrations (id, applied_at) values (${m.id}, ${new Date().toISOString()})`.execute(tx);
        });
        applied.push(m.id);
      }
    } finally {
      if (dialect === 'postgres') await sql`select pg_advisory_unlock(${LOCK_KEY})`.execute(conn);
    }
  });
  return applied;
}
