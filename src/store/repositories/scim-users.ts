import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { GroupRef, StoredUser, UserDocument } from '../../core/types.js';
import type { UserProfile } from '../../core/user-profile.js';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import { chunks, containsPattern, fromJson, toJson } from '../json.js';
import type { Dialect } from '../database.js';
import { ResourceRows } from './resource-rows.js';
import type { Database, ScimUserTable } from '../schema.js';

export function toUser(row: ScimUserTable): StoredUser {
  return {
    id: row.id,
    directoryId: row.directory_id,
    attributes: fromJson(row.attributes),
    raw: fromJson(row.raw),
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at ?? null,
  };
}

function columns(user: StoredUser, profile: UserProfile) {
  return {
    user_name: profile.userName,
    user_name_key: profile.userName.toLowerCase(),
    external_id: profile.externalId,
    display_name: profile.displayName,
    given_name: profile.givenName,
    family_name: profile.familyName,
    email: profile.email,
    active: profile.active ? 1 : 0,
    attributes: toJson(user.attributes),
    raw: toJson(user.raw),
    version: user.version,
    updated_at: user.updatedAt,
  };
}

export interface ResourceQuery {
  where?: RawBuilder<SqlBool>;
  /** ORDER BY expressions; created_at, id are always appended for a stable order */
  orderBy?: { expression: RawBuilder<unknown>; descending: boolean }[];
  offset: number;
  limit: number;
}

/**
 * The groups of the user in the current row as a JSON array of {id, name}, in one correlated subquery
 * (unordered: sorting a temp B-tree per row costs more than sorting a handful of groups in JS).
 */
function groupsColumn(dialect: Dialect) {
  return dialect === 'postgres'
    ? sql<string>`(select coalesce(json_agg(json_build_object('id', g.id, 'name', g.display_name)), '[]')::text from scim_group_members m join scim_groups g on g.id = m.group_id where m.user_id = scim_users.id)`
    : sql<string>`(select coalesce(json_group_array(json_object('id', g.id, 'name', g.display_name)), '[]') from scim_group_members m join scim_groups g on g.id = m.group_id where m.user_id = scim_users.id)`;
}

function byName(a: GroupRef, b: GroupRef): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export class ScimUsersRepository {
  private readonly rows: ResourceRows<ScimUserTable>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {
    this.rows = new ResourceRows(db, dialect, 'scim_users');
  }

  async insert(user: StoredUser, profile: UserProfile): Promise<void> {
    await this.db
      .insertInto('scim_users')
      .values({ id: user.id, directory_id: user.directoryId, created_at: user.createdAt, ...columns(user, profile) })
      .execute();
  }

  /** Writes `user` if the stored version is still `expectedVersion`; false when someone else won. */
  async update(user: StoredUser, profile: UserProfile, expectedVersion: number): Promise<boolean> {
    const result = await this.db
      .updateTable('scim_users')
      .set(columns(user, profile))
      .where('id', '=', user.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * One user of a directory; `lock` holds the row until commit on PostgreSQL (see ResourceRows.get).
   * A soft-deleted user is found only with `includeDeleted` (the admin API, reactivation).
   */
  async get(directoryId: string, id: string, options: { lock?: boolean; includeDeleted?: boolean } = {}): Promise<StoredUser | undefined> {
    const row = await this.rows.get(directoryId, id, options.lock);
    if (!row || (row.deleted_at != null && !options.includeDeleted)) return undefined;
    return toUser(row);
  }

  /**
   * The soft-deleted user a new POST revives: the one holding `userNameKey` (the unique index allows no
   * other), else the latest deleted one with `externalId`. One statement on the hot path of every create:
   * the two index lookups joined by UNION ALL (at most two rows; a live holder of the userName means
   * nothing is revived).
   */
  async findDeleted(directoryId: string, userNameKey: string, externalId: string | null): Promise<StoredUser | undefined> {
    const byExternalId =
      externalId === null
        ? sql``
        : sql` union all select * from (select * from scim_users where directory_id = ${directoryId} and external_id = ${externalId} and deleted_at is not null order by deleted_at desc limit 1) by_external_id`;
    const { rows } = await sql<ScimUserTable>`select * from scim_users where directory_id = ${directoryId} and user_name_key = ${userNameKey}${byExternalId}`.execute(this.db);
    const byName = rows.find((row) => row.user_name_key === userNameKey);
    if (byName) return byName.deleted_at != null ? toUser(byName) : undefined;
    return rows[0] && toUser(rows[0]);
  }

  /** Marks a user deleted (a new version); its memberships are the caller's to remove first. */
  async markDeleted(id: string, version: number, at: string): Promise<void> {
    await this.db.updateTable('scim_users').set({ deleted_at: at, active: 0, version, updated_at: at }).where('id', '=', id).execute();
  }

  /** Revives a soft-deleted user with a new document (a POST of its userName or externalId). */
  async restore(user: StoredUser, profile: UserProfile): Promise<void> {
    await this.db.updateTable('scim_users').set({ ...columns(user, profile), deleted_at: null }).where('id', '=', user.id).execute();
  }

  /** Removes the soft-deleted user holding `userNameKey`, if any (a live user is being renamed onto it). */
  async purgeDeletedByUserName(directoryId: string, userNameKey: string): Promise<void> {
    await this.db
      .deleteFrom('scim_users')
      .where('directory_id', '=', directoryId)
      .where('user_name_key', '=', userNameKey)
      .where('deleted_at', 'is not', null)
      .execute();
  }

  /** Live users of a directory whose userName is one of `userNameKeys` (lower case) and that are older than `before`. */
  async liveByUserNames(directoryId: string, userNameKeys: readonly string[], before: string): Promise<StoredUser[]> {
    if (userNameKeys.length === 0) return [];
    const rows = await this.db
      .selectFrom('scim_users')
      .selectAll()
      .where('directory_id', '=', directoryId)
      .where('user_name_key', 'in', userNameKeys)
      .where('deleted_at', 'is', null)
      .where('created_at', '<', before)
      .execute();
    return rows.map(toUser);
  }

  /** Replaces only the last-received body (no new version: the resource did not change). */
  setRaw(id: string, raw: Record<string, unknown>): Promise<void> {
    return this.rows.setRaw(id, raw);
  }

  delete(id: string): Promise<boolean> {
    return this.rows.delete(id);
  }

  async getMany(directoryId: string, ids: readonly string[]): Promise<StoredUser[]> {
    const out: StoredUser[] = [];
    for (const part of chunks(ids)) {
      const rows = await this.db.selectFrom('scim_users').selectAll().where('directory_id', '=', directoryId).where('id', 'in', part).execute();
      out.push(...rows.map(toUser));
    }
    return out;
  }

  /** Users by id, whatever their directory (callers scope the ids themselves). */
  async getByIds(ids: readonly string[]): Promise<StoredUser[]> {
    const out: StoredUser[] = [];
    for (const part of chunks(ids)) {
      out.push(...(await this.db.selectFrom('scim_users').selectAll().where('id', 'in', part).execute()).map(toUser));
    }
    return out;
  }

  /**
   * Which of `ids` are live users of this directory. With `lock` (a transaction about to add them to a
   * group), PostgreSQL share-locks the rows until commit, so a concurrent soft delete either commits first
   * (and the user is not found) or waits for the membership and then removes it.
   */
  async existingIds(directoryId: string, ids: readonly string[], options: { lock?: boolean } = {}): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks(ids)) {
      let q = this.db
        .selectFrom('scim_users')
        .select('id')
        .where('directory_id', '=', directoryId)
        .where('id', 'in', part)
        .where('deleted_at', 'is', null);
      if (options.lock && this.dialect === 'postgres') q = q.forShare();
      const rows = await q.execute();
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /** One page of users (without `raw`, which no SCIM response needs) with, in the same query, the groups of each. */
  async search(directoryId: string, query: ResourceQuery): Promise<{ user: UserDocument; groups: GroupRef[] }[]> {
    let q = this.db
      .selectFrom('scim_users')
      .select(['id', 'directory_id', 'attributes', 'version', 'created_at', 'updated_at'])
      .select(groupsColumn(this.dialect).as('groups_json'))
      .where('directory_id', '=', directoryId)
      .where('deleted_at', 'is', null);
    if (query.where) q = q.where(query.where);
    for (const o of query.orderBy ?? []) q = q.orderBy(o.expression, o.descending ? 'desc' : 'asc');
    q = q.orderBy('created_at').orderBy('id').limit(query.limit).offset(query.offset);
    return (await q.execute()).map((row) => ({
      user: {
        id: row.id,
        directoryId: row.directory_id,
        attributes: fromJson(row.attributes),
        version: row.version,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      },
      groups: fromJson<GroupRef[]>(row.groups_json).sort(byName),
    }));
  }

  /** Live (not soft-deleted) users matching `where`. */
  count(directoryId: string, where?: RawBuilder<SqlBool>): Promise<number> {
    const live = sql<SqlBool>`deleted_at is null`;
    return this.rows.count(directoryId, where ? sql<SqlBool>`(${where}) and ${live}` : live);
  }


  /** Admin listing: oldest first, keyset-paginated, optionally by state. undefined for a bad cursor. */
  async list(
    directoryId: string,
    options: { active?: boolean; deleted?: boolean; search?: string; limit: number; cursor?: string },
  ): Promise<{ rows: StoredUser[]; next: string | null } | undefined> {
    let q = this.db
      .selectFrom('scim_users')
      .selectAll()
      .where('directory_id', '=', directoryId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(options.limit + 1);
    q = q.where('deleted_at', options.deleted ? 'is not' : 'is', null);
    if (options.active !== undefined) q = q.where('active', '=', options.active ? 1 : 0);
    if (options.search) {
      const like = containsPattern(options.search.toLowerCase());
      q = q.where(
        sql<SqlBool>`(user_name_key like ${like} escape '\\' or lower(coalesce(email, '')) like ${like} escape '\\' or lower(coalesce(display_name, '')) like ${like} escape '\\')`,
      );
    }
    if (options.cursor !== undefined) {
      const key = decodeCursor(options.cursor);
      if (!key) return undefined;
      q = q.where(afterKeyset(key, 'scim_users'));
    }
    return toPage((await q.execute()).map(toUser), options.limit, (u) => ({ k: u.createdAt, id: u.id }));
  }

  /** The groups each user belongs to, by user id. */
  async groupsOf(userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    const out = new Map<string, GroupRef[]>();
    for (const part of chunks(userIds)) {
      const rows = await this.db
        .selectFrom('scim_group_members as m')
        .innerJoin('scim_groups as g', 'g.id', 'm.group_id')
        .select(['m.user_id', 'g.id', 'g.display_name'])
        .where('m.user_id', 'in', part)
        .orderBy('g.display_name_key')
        .execute();
      for (const r of rows) {
        const list = out.get(r.user_id) ?? [];
        list.push({ id: r.id, name: r.display_name });
        out.set(r.user_id, list);
      }
    }
    return out;
  }
}
