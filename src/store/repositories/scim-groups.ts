import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { StoredGroup, StoredUser } from '../../core/types.js';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import { chunks, containsPattern, fromJson, toJson } from '../json.js';
import type { Dialect } from '../database.js';
import { ResourceRows } from './resource-rows.js';
import type { Database, ScimGroupTable } from '../schema.js';
import { toUser, type ResourceQuery } from './scim-users.js';

function toGroup(row: ScimGroupTable): StoredGroup {
  return {
    id: row.id,
    directoryId: row.directory_id,
    attributes: fromJson(row.attributes),
    raw: fromJson(row.raw),
    version: row.version,
    memberCount: row.member_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function columns(group: StoredGroup, displayName: string, externalId: string | null) {
  return {
    display_name: displayName,
    display_name_key: displayName.toLowerCase(),
    external_id: externalId,
    attributes: toJson(group.attributes),
    raw: toJson(group.raw),
    version: group.version,
    updated_at: group.updatedAt,
  };
}

export class ScimGroupsRepository {
  private readonly rows: ResourceRows<ScimGroupTable>;

  constructor(
    private readonly db: Kysely<Database>,
    dialect: Dialect,
  ) {
    this.rows = new ResourceRows(db, dialect, 'scim_groups');
  }

  async insert(group: StoredGroup, displayName: string, externalId: string | null): Promise<void> {
    await this.db
      .insertInto('scim_groups')
      .values({
        id: group.id,
        directory_id: group.directoryId,
        member_count: 0,
        created_at: group.createdAt,
        ...columns(group, displayName, externalId),
      })
      .execute();
  }

  /** Writes the group's attributes if the stored version is still `expectedVersion`. */
  async update(group: StoredGroup, displayName: string, externalId: string | null, expectedVersion: number): Promise<boolean> {
    const result = await this.db
      .updateTable('scim_groups')
      .set(columns(group, displayName, externalId))
      .where('id', '=', group.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Marks a membership-only change: new version and lastModified, no attribute rewrite. */
  async touch(id: string, version: number, at: string, memberDelta: number): Promise<void> {
    await this.db
      .updateTable('scim_groups')
      .set((eb) => ({ version, updated_at: at, member_count: eb('member_count', '+', memberDelta) }))
      .where('id', '=', id)
      .execute();
  }

  /** One group of a directory; `lock` holds the row until commit on PostgreSQL (see ResourceRows.get). */
  async get(directoryId: string, id: string, options: { lock?: boolean } = {}): Promise<StoredGroup | undefined> {
    const row = await this.rows.get(directoryId, id, options.lock);
    return row && toGroup(row);
  }

  /** The id of the group of a directory named `displayName` (case-insensitively), if any. */
  async idByDisplayName(directoryId: string, displayName: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('scim_groups')
      .select('id')
      .where('directory_id', '=', directoryId)
      .where('display_name_key', '=', displayName.toLowerCase())
      .executeTakeFirst();
    return row?.id;
  }


  /** Replaces only the last-received body (no new version: the resource did not change). */
  setRaw(id: string, raw: Record<string, unknown>): Promise<void> {
    return this.rows.setRaw(id, raw);
  }

  delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }

  async search(directoryId: string, query: ResourceQuery): Promise<StoredGroup[]> {
    let q = this.db.selectFrom('scim_groups').selectAll().where('directory_id', '=', directoryId);
    if (query.where) q = q.where(query.where);
    for (const o of query.orderBy ?? []) q = q.orderBy(o.expression, o.descending ? 'desc' : 'asc');
    q = q.orderBy('created_at').orderBy('id').limit(query.limit).offset(query.offset);
    return (await q.execute()).map(toGroup);
  }

  count(directoryId: string, where?: RawBuilder<SqlBool>): Promise<number> {
    return this.rows.count(directoryId, where);
  }


  async list(
    directoryId: string,
    options: { search?: string; limit: number; cursor?: string },
  ): Promise<{ rows: StoredGroup[]; next: string | null } | undefined> {
    let q = this.db
      .selectFrom('scim_groups')
      .selectAll()
      .where('directory_id', '=', directoryId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(options.limit + 1);
    if (options.search) q = q.where(sql<SqlBool>`display_name_key like ${containsPattern(options.search.toLowerCase())} escape '\\'`);
    if (options.cursor !== undefined) {
      const key = decodeCursor(options.cursor);
      if (!key) return undefined;
      q = q.where(afterKeyset(key, 'scim_groups'));
    }
    return toPage((await q.execute()).map(toGroup), options.limit, (g) => ({ k: g.createdAt, id: g.id }));
  }

  /** Adds memberships; returns the user ids that were not members before (in input order). */
  async addMembers(groupId: string, directoryId: string, userIds: readonly string[], at: string): Promise<string[]> {
    const added: string[] = [];
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .insertInto('scim_group_members')
        .values(part.map((userId) => ({ group_id: groupId, user_id: userId, directory_id: directoryId, created_at: at })))
        .onConflict((oc) => oc.columns(['group_id', 'user_id']).doNothing())
        .returning('user_id')
        .execute();
      const inserted = new Set(rows.map((r) => r.user_id));
      for (const id of part) if (inserted.has(id)) added.push(id);
    }
    return added;
  }

  /** Removes memberships; returns the user ids that were members. */
  async removeMembers(groupId: string, userIds: readonly string[]): Promise<string[]> {
    const removed: string[] = [];
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .deleteFrom('scim_group_members')
        .where('group_id', '=', groupId)
        .where('user_id', 'in', part)
        .returning('user_id')
        .execute();
      removed.push(...rows.map((r) => r.user_id));
    }
    return removed;
  }

  async removeAllMembers(groupId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('scim_group_members').where('group_id', '=', groupId).returning('user_id').execute();
    return rows.map((r) => r.user_id);
  }

  /** All member ids, oldest membership first (for a full SCIM Group representation). */
  async memberIds(groupId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('scim_group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .orderBy('created_at')
      .orderBy('user_id')
      .execute();
    return rows.map((r) => r.user_id);
  }

  /** Member ids with their display for SCIM `members[].display`, for several groups at once. */
  async membersOf(groupIds: readonly string[]): Promise<Map<string, { value: string; display: string }[]>> {
    const out = new Map<string, { value: string; display: string }[]>();
    for (const part of chunks(groupIds)) {
      const rows = await this.db
        .selectFrom('scim_group_members as m')
        .innerJoin('scim_users as u', 'u.id', 'm.user_id')
        .select(['m.group_id', 'u.id', 'u.user_name', 'u.display_name'])
        .where('m.group_id', 'in', part)
        .orderBy('m.created_at')
        .orderBy('m.user_id')
        .execute();
      for (const r of rows) {
        const list = out.get(r.group_id) ?? [];
        list.push({ value: r.id, display: r.display_name ?? r.user_name });
        out.set(r.group_id, list);
      }
    }
    return out;
  }

  /** Admin listing of a group's members as users, keyset-paginated by membership. */
  async listMembers(groupId: string, limit: number, cursor?: string): Promise<{ rows: StoredUser[]; next: string | null } | undefined> {
    let q = this.db
      .selectFrom('scim_group_members as m')
      .innerJoin('scim_users as u', 'u.id', 'm.user_id')
      .selectAll('u')
      .select('m.created_at as joined_at')
      .where('m.group_id', '=', groupId)
      .orderBy('m.created_at')
      .orderBy('m.user_id')
      .limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where(sql<SqlBool>`(m.created_at > ${key.k} or (m.created_at = ${key.k} and m.user_id > ${key.id}))`);
    }
    const rows = await q.execute();
    const page = toPage(rows, limit, (r) => ({ k: r.joined_at, id: r.id }));
    return { rows: page.rows.map(toUser), next: page.next };
  }

  /** The groups a user belongs to (ids), for removing a deleted user everywhere. */
  async groupIdsOf(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('scim_group_members').select('group_id').where('user_id', '=', userId).execute();
    return rows.map((r) => r.group_id);
  }
}
