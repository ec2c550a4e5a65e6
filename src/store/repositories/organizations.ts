import type { Kysely } from 'kysely';
import type { Organization } from '../../core/types.js';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import { fromJson, toJson } from '../json.js';
import type { Database, OrganizationTable } from '../schema.js';
import { ssoConnectionWrites } from '../sso-connection-writes.js';

function toOrganization(row: OrganizationTable): Organization {
  return { id: row.id, name: row.name, domains: fromJson<string[]>(row.domains), createdAt: row.created_at, updatedAt: row.updated_at };
}

export class OrganizationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(org: Organization): Promise<void> {
    await this.db
      .insertInto('organizations')
      .values({ id: org.id, name: org.name, domains: toJson(org.domains), created_at: org.createdAt, updated_at: org.updatedAt })
      .execute();
  }

  async get(id: string): Promise<Organization | undefined> {
    const row = await this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toOrganization(row);
  }

  async update(org: Organization): Promise<void> {
    await this.db
      .updateTable('organizations')
      .set({ name: org.name, domains: toJson(org.domains), updated_at: org.updatedAt })
      .where('id', '=', org.id)
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
    ssoConnectionWrites.bump(); // its SSO connections went with it (cascade)
    return Number(result.numDeletedRows) > 0;
  }

  /** Oldest first; `cursor` from a previous page. Returns undefined for an undecodable cursor. */
  async list(limit: number, cursor?: string): Promise<{ rows: Organization[]; next: string | null } | undefined> {
    let query = this.db.selectFrom('organizations').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      query = query.where(afterKeyset(key, 'organizations'));
    }
    const rows = (await query.execute()).map(toOrganization);
    return toPage(rows, limit, (o) => ({ k: o.createdAt, id: o.id }));
  }
}
