import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { chunks } from '../json.js';
import type { Database } from '../schema.js';

const ROLE_LOCK_CLASS = 727_274;

export interface RoleMapping {
  directoryGroupId: string;
  role: string;
}

/** Group → role mappings and the default role of an organization (migration 003). */
export class RoleMappingsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

  private readLocked = new Set<string>();

  /**
   * PostgreSQL, per organization, until commit: a change that computes effective roles for its events
   * takes this lock shared before it reads them; a role-mapping PUT takes it exclusive first. So either
   * the PUT commits first and the change reads the new mappings, or the change commits first and the PUT
   * finds its members. Changes do not wait for each other (shared), only for a PUT of their organization.
   * (Two-key advisory locks never collide with the one-key event-order lock.)
   */
  async lockForRoleRead(organizationId: string): Promise<void> {
    if (this.dialect !== 'postgres' || this.readLocked.has(organizationId)) return;
    await sql`select pg_advisory_xact_lock_shared(${ROLE_LOCK_CLASS}, hashtext(${organizationId}))`.execute(this.db);
    this.readLocked.add(organizationId);
  }

  async lockForRoleWrite(organizationId: string): Promise<void> {
    if (this.dialect !== 'postgres') return;
    await sql`select pg_advisory_xact_lock(${ROLE_LOCK_CLASS}, hashtext(${organizationId}))`.execute(this.db);
  }

  /** Every mapping of the organization, ordered by group then role. */
  async list(organizationId: string): Promise<RoleMapping[]> {
    const rows = await this.db
      .selectFrom('role_mappings')
      .select(['group_id', 'role'])
      .where('organization_id', '=', organizationId)
      .orderBy('group_id')
      .orderBy('role')
      .execute();
    return rows.map((r) => ({ directoryGroupId: r.group_id, role: r.role }));
  }

  async defaultRole(organizationId: string): Promise<string | null> {
    const row = await this.db.selectFrom('role_defaults').select('default_role').where('organization_id', '=', organizationId).executeTakeFirst();
    return row?.default_role ?? null;
  }

  /** The roles each of `groupIds` maps to (groups without a mapping are absent). */
  async rolesOfGroups(groupIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks([...new Set(groupIds)])) {
      const rows = await this.db.selectFrom('role_mappings').select(['group_id', 'role']).where('group_id', 'in', part).execute();
      for (const r of rows) {
        const list = out.get(r.group_id) ?? [];
        list.push(r.role);
        out.set(r.group_id, list);
      }
    }
    return out;
  }

  /** Replaces the organization's mappings and default role. */
  async replace(organizationId: string, mappings: readonly RoleMapping[], defaultRole: string | null, at: string): Promise<void> {
    await this.db.deleteFrom('role_mappings').where('organization_id', '=', organizationId).execute();
    for (const part of chunks(mappings, 200)) {
      await this.db
        .insertInto('role_mappings')
        .values(part.map((m) => ({ organization_id: organizationId, group_id: m.directoryGroupId, role: m.role, created_at: at })))
        .execute();
    }
    await this.db.deleteFrom('role_defaults').where('organization_id', '=', organizationId).execute();
    if (defaultRole !== null) {
      await this.db.insertInto('role_defaults').values({ organization_id: organizationId, default_role: defaultRole, updated_at: at }).execute();
    }
  }

  /** Which of `groupIds` are groups of one of the organization's directories. */
  async groupsOfOrganization(organizationId: string, groupIds: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const part of chunks([...new Set(groupIds)])) {
      const rows = await this.db
        .selectFrom('scim_groups as g')
        .innerJoin('directories as d', 'd.id', 'g.directory_id')
        .select('g.id')
        .where('d.organization_id', '=', organizationId)
        .where('g.id', 'in', part)
        .execute();
      for (const r of rows) found.add(r.id);
    }
    return found;
  }

  /** The distinct members of several groups. */
  async memberIdsOfGroups(groupIds: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    for (const part of chunks([...new Set(groupIds)])) {
      const rows = await this.db.selectFrom('scim_group_members').select('user_id').distinct().where('group_id', 'in', part).execute();
      for (const r of rows) found.add(r.user_id);
    }
    return [...found];
  }

  /** Every active user of the organization's directories (a default-role change concerns them all). */
  async activeUserIdsOfOrganization(organizationId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('scim_users as u')
      .innerJoin('directories as d', 'd.id', 'u.directory_id')
      .select('u.id')
      .where('d.organization_id', '=', organizationId)
      .where('u.active', '=', 1)
      .execute();
    return rows.map((r) => r.id);
  }
}
