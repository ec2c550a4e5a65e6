import type { Kysely } from 'kysely';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import type { Database, SetupLinkTable } from '../schema.js';

/** A setup link as stored (without its token, which exists only in the answer that issued it). */
export interface SetupLinkRecord {
  id: string;
  organizationId: string;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
}

function toRecord(row: SetupLinkTable): SetupLinkRecord {
  return { id: row.id, organizationId: row.organization_id, expiresAt: row.expires_at, revokedAt: row.revoked_at, createdAt: row.created_at };
}

export class SetupLinksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(link: SetupLinkRecord, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('setup_links')
      .values({
        id: link.id,
        organization_id: link.organizationId,
        token_hash: tokenHash,
        expires_at: link.expiresAt,
        revoked_at: link.revokedAt,
        created_at: link.createdAt,
      })
      .execute();
  }

  async byTokenHash(tokenHash: string): Promise<SetupLinkRecord | undefined> {
    const row = await this.db.selectFrom('setup_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row && toRecord(row);
  }

  async get(id: string): Promise<SetupLinkRecord | undefined> {
    const row = await this.db.selectFrom('setup_links').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Marks a link revoked (once); false when there is no such link. */
  async revoke(id: string, at: string): Promise<boolean> {
    const result = await this.db.updateTable('setup_links').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    return (await this.get(id)) !== undefined;
  }

  /** An organization's links, oldest first; undefined for an undecodable cursor. */
  async list(organizationId: string, limit: number, cursor?: string): Promise<{ rows: SetupLinkRecord[]; next: string | null } | undefined> {
    let query = this.db.selectFrom('setup_links').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      query = query.where(afterKeyset(key, 'setup_links'));
    }
    return toPage((await query.execute()).map(toRecord), limit, (l) => ({ k: l.createdAt, id: l.id }));
  }
}
