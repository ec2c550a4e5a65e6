import type { Kysely } from 'kysely';
import type { Directory, Provider } from '../../core/types.js';
import type { SettingsOverrides } from '../../scim/dialects/index.js';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import type { Database, DirectoryTable } from '../schema.js';

function toDirectory(row: DirectoryTable): Directory {
  return {
    id: row.id,
    organizationId: row.organization_id,
    provider: row.provider as Provider,
    name: row.name,
    state: row.state as 'active',
    tokenHint: row.token_hint,
    tokenCreatedAt: row.token_created_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    settings: row.settings ? (JSON.parse(row.settings) as SettingsOverrides) : null,
  };
}

export class DirectoriesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(dir: Directory, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('directories')
      .values({
        id: dir.id,
        organization_id: dir.organizationId,
        provider: dir.provider,
        name: dir.name,
        state: dir.state,
        token_hash: tokenHash,
        token_hint: dir.tokenHint,
        token_created_at: dir.tokenCreatedAt,
        created_at: dir.createdAt,
        updated_at: dir.updatedAt,
        settings: dir.settings ? JSON.stringify(dir.settings) : null,
      })
      .execute();
  }

  /** Replaces the directory's settings overrides (null: back to the dialect's defaults). */
  async setSettings(id: string, settings: SettingsOverrides | null, at: string): Promise<void> {
    await this.db
      .updateTable('directories')
      .set({ settings: settings && Object.keys(settings).length > 0 ? JSON.stringify(settings) : null, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async get(id: string): Promise<Directory | undefined> {
    const row = await this.db.selectFrom('directories').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDirectory(row);
  }

  /** The directory whose token hashes to `tokenHash`, with the stored hash for a constant-time re-check. */
  async getByTokenHash(tokenHash: string): Promise<{ directory: Directory; tokenHash: string } | undefined> {
    const row = await this.db.selectFrom('directories').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && { directory: toDirectory(row), tokenHash: row.token_hash };
  }

  async setToken(id: string, tokenHash: string, hint: string, at: string): Promise<void> {
    await this.db
      .updateTable('directories')
      .set({ token_hash: tokenHash, token_hint: hint, token_created_at: at, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('directories').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Every directory, oldest first (the Test Connection sweep reads each one's settings). */
  async listAll(): Promise<Directory[]> {
    return (await this.db.selectFrom('directories').selectAll().orderBy('created_at').execute()).map(toDirectory);
  }

  async listByOrganization(organizationId: string, limit: number, cursor?: string): Promise<{ rows: Directory[]; next: string | null } | undefined> {
    let query = this.db
      .selectFrom('directories')
      .selectAll()
      .where('organization_id', '=', organizationId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      query = query.where(afterKeyset(key, 'directories'));
    }
    const rows = (await query.execute()).map(toDirectory);
    return toPage(rows, limit, (o) => ({ k: o.createdAt, id: o.id }));
  }

  /** Live users (deleted ones apart), active ones, soft-deleted ones, and groups. */
  async counts(id: string): Promise<{ users: number; activeUsers: number; deletedUsers: number; groups: number }> {
    const users = await this.db
      .selectFrom('scim_users')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('active').as('active')])
      .where('directory_id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    const deleted = await this.db
      .selectFrom('scim_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('directory_id', '=', id)
      .where('deleted_at', 'is not', null)
      .executeTakeFirstOrThrow();
    const groups = await this.db
      .selectFrom('scim_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('directory_id', '=', id)
      .executeTakeFirstOrThrow();
    return { users: Number(users.n), activeUsers: Number(users.active ?? 0), deletedUsers: Number(deleted.n), groups: Number(groups.n) };
  }
}
