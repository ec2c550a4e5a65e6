import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { decodeCursor, toPage } from '../cursor.js';
import { isUniqueViolation } from '../errors.js';
import { chunks, fromJson } from '../json.js';
import type {
  Database,
  JumpCloudConnectionTable,
  JumpCloudEntityTable,
  JumpCloudFindingTable,
  JumpCloudRelationTable,
  JumpCloudRunTable,
} from '../schema.js';

export type ConnectionRow = JumpCloudConnectionTable;
export type RunRow = JumpCloudRunTable;
export type EntityRow = JumpCloudEntityTable;
export type RelationRow = JumpCloudRelationTable;
export type FindingRow = JumpCloudFindingTable;

/** A SCIM user as the JumpCloud comparison needs it. */
export interface ScimUserFacts {
  id: string;
  userName: string;
  externalId: string | null;
  email: string | null;
  /** every email value of the user */
  emails: string[];
  active: boolean;
}

/** A SCIM group with its member ids. */
export interface ScimGroupFacts {
  id: string;
  name: string;
  externalId: string | null;
  members: string[];
}

type Page<T> = { rows: T[]; next: string | null };

/** Connections, runs, inventory and findings of the JumpCloud pull (migration 007). */
export class JumpCloudRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  // ---- connections

  async insertConnection(row: ConnectionRow): Promise<void> {
    await this.db.insertInto('jumpcloud_connections').values(row).execute();
  }

  async getConnection(id: string): Promise<ConnectionRow | undefined> {
    return this.db.selectFrom('jumpcloud_connections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateConnection(id: string, set: Partial<Omit<ConnectionRow, 'id' | 'organization_id'>>): Promise<boolean> {
    const r = await this.db.updateTable('jumpcloud_connections').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteConnection(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('jumpcloud_connections').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Oldest first; undefined for an undecodable cursor. */
  async listConnections(limit: number, cursor: string | undefined, organizationId?: string): Promise<Page<ConnectionRow> | undefined> {
    let q = this.db.selectFrom('jumpcloud_connections').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
    if (organizationId !== undefined) q = q.where('organization_id', '=', organizationId);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where((eb) => eb.or([eb('created_at', '>', key.k), eb.and([eb('created_at', '=', key.k), eb('id', '>', key.id)])]));
    }
    return toPage(await q.execute(), limit, (r) => ({ k: r.created_at, id: r.id }));
  }

  /** Connections with periodic syncs. */
  async scheduledConnections(): Promise<ConnectionRow[]> {
    return this.db.selectFrom('jumpcloud_connections').selectAll().where('sync_interval_minutes', 'is not', null).execute();
  }

  // ---- runs

  /** Inserts a running run; false when the connection already has one (the partial unique index). */
  async insertRun(row: RunRow): Promise<boolean> {
    try {
      await this.db.insertInto('jumpcloud_runs').values(row).execute();
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  async getRun(connectionId: string, id: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('jumpcloud_runs').selectAll().where('connection_id', '=', connectionId).where('id', '=', id).executeTakeFirst();
  }

  async runningRun(connectionId: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('jumpcloud_runs').selectAll().where('connection_id', '=', connectionId).where('state', '=', 'running').executeTakeFirst();
  }

  /** The latest run of a connection (any state). */
  async latestRun(connectionId: string): Promise<RunRow | undefined> {
    return this.db.selectFrom('jumpcloud_runs').selectAll().where('connection_id', '=', connectionId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  }

  /** The latest succeeded run of a connection. */
  async latestSucceededRun(connectionId: string): Promise<RunRow | undefined> {
    return this.db
      .selectFrom('jumpcloud_runs')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .where('state', '=', 'succeeded')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Newest first; undefined for an undecodable cursor. */
  async listRuns(connectionId: string, limit: number, cursor: string | undefined, state?: string): Promise<Page<RunRow> | undefined> {
    let q = this.db
      .selectFrom('jumpcloud_runs')
      .selectAll()
      .where('connection_id', '=', connectionId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (state !== undefined) q = q.where('state', '=', state);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where((eb) => eb.or([eb('created_at', '<', key.k), eb.and([eb('created_at', '=', key.k), eb('id', '<', key.id)])]));
    }
    return toPage(await q.execute(), limit, (r) => ({ k: r.created_at, id: r.id }));
  }

  /**
   * Saves progress and renews the lease of a run this node holds; returns whether cancellation was
   * requested, or null when the node no longer holds the run (another node took it over, or it ended).
   */
  async heartbeat(runId: string, nodeId: string, progress: string, counts: string, leaseUntil: string, at: string): Promise<{ cancelRequested: boolean } | null> {
    const row = await this.db
      .updateTable('jumpcloud_runs')
      .set({ progress, counts, lease_until: leaseUntil, updated_at: at })
      .where('id', '=', runId)
      .where('node_id', '=', nodeId)
      .where('state', '=', 'running')
      .returning(['cancel_requested'])
      .executeTakeFirst();
    return row ? { cancelRequested: row.cancel_requested === 1 } : null;
  }

  /** Ends a run this node holds; false when it does not hold it any more. */
  async finishRun(runId: string, nodeId: string, set: Pick<RunRow, 'state' | 'progress' | 'counts' | 'error' | 'finished_at' | 'updated_at'>): Promise<boolean> {
    const r = await this.db
      .updateTable('jumpcloud_runs')
      .set({ ...set, lease_until: null })
      .where('id', '=', runId)
      .where('node_id', '=', nodeId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Lets go of a run this node holds without ending it (shutdown): another node, or the next start, resumes it. */
  async releaseRun(runId: string, nodeId: string): Promise<void> {
    await this.db.updateTable('jumpcloud_runs').set({ lease_until: null }).where('id', '=', runId).where('node_id', '=', nodeId).where('state', '=', 'running').execute();
  }

  /** Asks a running run to stop (its node sees the flag at its next heartbeat); false when it is not running. */
  async requestCancel(connectionId: string, runId: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('jumpcloud_runs')
      .set({ cancel_requested: 1, updated_at: at })
      .where('connection_id', '=', connectionId)
      .where('id', '=', runId)
      .where('state', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Running runs whose lease has lapsed (their node died): candidates to resume. */
  async staleRuns(now: string, limit = 10): Promise<RunRow[]> {
    return this.db
      .selectFrom('jumpcloud_runs')
      .selectAll()
      .where('state', '=', 'running')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /** Takes over a running run whose lease lapsed; false when another node was first. */
  async claimRun(runId: string, nodeId: string, now: string, leaseUntil: string): Promise<boolean> {
    const r = await this.db
      .updateTable('jumpcloud_runs')
      .set({ node_id: nodeId, lease_until: leaseUntil, updated_at: now })
      .where('id', '=', runId)
      .where('state', '=', 'running')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async doneSteps(runId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('jumpcloud_run_steps').select('step').where('run_id', '=', runId).execute();
    return new Set(rows.map((r) => r.step));
  }

  async markStep(runId: string, step: string, at: string): Promise<void> {
    await this.db
      .insertInto('jumpcloud_run_steps')
      .values({ run_id: runId, step, done_at: at })
      .onConflict((oc) => oc.columns(['run_id', 'step']).doNothing())
      .execute();
  }

  // ---- inventory

  /** Inserts or refreshes entities; a tombstoned one seen again comes back. */
  async upsertEntities(rows: readonly EntityRow[]): Promise<void> {
    for (const part of chunks(rows, 400)) {
      await this.db
        .insertInto('jumpcloud_entities')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['connection_id', 'kind', 'jc_id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            data: eb.ref('excluded.data'),
            seen_run_id: eb.ref('excluded.seen_run_id'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
            deleted_at: null,
          })),
        )
        .execute();
    }
  }

  /** Tombstones the live entities of a kind that the run did not see; returns how many. */
  async tombstoneUnseen(connectionId: string, kind: string, runId: string, at: string): Promise<number> {
    const r = await this.db
      .updateTable('jumpcloud_entities')
      .set({ deleted_at: at })
      .where('connection_id', '=', connectionId)
      .where('kind', '=', kind)
      .where('seen_run_id', '<>', runId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Live (or also tombstoned) entities of a kind, by JumpCloud id; undefined for an undecodable cursor. */
  async listEntities(connectionId: string, kind: string, limit: number, cursor: string | undefined, options: { includeDeleted?: boolean; ids?: string[] } = {}): Promise<Page<EntityRow> | undefined> {
    let q = this.db.selectFrom('jumpcloud_entities').selectAll().where('connection_id', '=', connectionId).where('kind', '=', kind).orderBy('jc_id').limit(limit + 1);
    if (!options.includeDeleted) q = q.where('deleted_at', 'is', null);
    if (options.ids !== undefined) q = q.where('jc_id', 'in', options.ids.length > 0 ? options.ids : ['']);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where('jc_id', '>', key.id);
    }
    return toPage(await q.execute(), limit, (r) => ({ k: '', id: r.jc_id }));
  }

  async getEntity(connectionId: string, kind: string, jcId: string): Promise<EntityRow | undefined> {
    return this.db.selectFrom('jumpcloud_entities').selectAll().where('connection_id', '=', connectionId).where('kind', '=', kind).where('jc_id', '=', jcId).executeTakeFirst();
  }

  /** Every entity of a kind, tombstoned ones included (for findings and drift). */
  async allEntities(connectionId: string, kind: string): Promise<EntityRow[]> {
    return this.db.selectFrom('jumpcloud_entities').selectAll().where('connection_id', '=', connectionId).where('kind', '=', kind).execute();
  }

  /** The JumpCloud ids of a kind the run has seen so far. */
  async seenIds(connectionId: string, kind: string, runId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('jumpcloud_entities').select('jc_id').where('connection_id', '=', connectionId).where('kind', '=', kind).where('seen_run_id', '=', runId).orderBy('jc_id').execute();
    return rows.map((r) => r.jc_id);
  }

  /** Live entity counts per kind. */
  async entityCounts(connectionId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('jumpcloud_entities')
      .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
      .where('connection_id', '=', connectionId)
      .where('deleted_at', 'is', null)
      .groupBy('kind')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  }

  /** Inserts or replaces relation lists. */
  async upsertRelations(rows: readonly RelationRow[]): Promise<void> {
    for (const part of chunks(rows, 200)) {
      await this.db
        .insertInto('jumpcloud_relations')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['connection_id', 'kind', 'from_id']).doUpdateSet((eb) => ({
            targets: eb.ref('excluded.targets'),
            target_count: eb.ref('excluded.target_count'),
            seen_run_id: eb.ref('excluded.seen_run_id'),
          })),
        )
        .execute();
    }
  }

  /** Deletes every relation list the run did not write (groups and apps gone; after a complete run). */
  async deleteUnseenRelations(connectionId: string, runId: string): Promise<number> {
    const r = await this.db.deleteFrom('jumpcloud_relations').where('connection_id', '=', connectionId).where('seen_run_id', '<>', runId).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** One relation list (undefined when never pulled). */
  async relation(connectionId: string, kind: string, fromId: string): Promise<RelationRow | undefined> {
    return this.db.selectFrom('jumpcloud_relations').selectAll().where('connection_id', '=', connectionId).where('kind', '=', kind).where('from_id', '=', fromId).executeTakeFirst();
  }

  /** Every relation list of a kind. */
  async relations(connectionId: string, kind: string): Promise<RelationRow[]> {
    return this.db.selectFrom('jumpcloud_relations').selectAll().where('connection_id', '=', connectionId).where('kind', '=', kind).execute();
  }

  /** The length of each listed source's list of a kind (sources without one are left out). */
  async relationLengths(connectionId: string, kind: string, fromIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks(fromIds)) {
      const rows = await this.db
        .selectFrom('jumpcloud_relations')
        .select(['from_id', 'target_count'])
        .where('connection_id', '=', connectionId)
        .where('kind', '=', kind)
        .where('from_id', 'in', part)
        .execute();
      for (const r of rows) out.set(r.from_id, r.target_count);
    }
    return out;
  }

  /** Related pairs per kind (the sum of the lists' lengths). */
  async relationCounts(connectionId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('jumpcloud_relations')
      .select(['kind', (eb) => eb.fn.sum<number>('target_count').as('n')])
      .where('connection_id', '=', connectionId)
      .groupBy('kind')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  }

  // ---- findings

  async allFindings(connectionId: string): Promise<FindingRow[]> {
    return this.db.selectFrom('jumpcloud_findings').selectAll().where('connection_id', '=', connectionId).execute();
  }

  async insertFindings(rows: readonly FindingRow[]): Promise<void> {
    for (const part of chunks(rows, 200)) await this.db.insertInto('jumpcloud_findings').values(part).execute();
  }

  async updateFinding(id: string, set: Partial<Omit<FindingRow, 'id' | 'connection_id' | 'finding_key'>>): Promise<void> {
    await this.db.updateTable('jumpcloud_findings').set(set).where('id', '=', id).execute();
  }

  /** Oldest first; undefined for an undecodable cursor. */
  async listFindings(connectionId: string, limit: number, cursor: string | undefined, filter: { severity?: string; state?: string; type?: string }): Promise<Page<FindingRow> | undefined> {
    let q = this.db.selectFrom('jumpcloud_findings').selectAll().where('connection_id', '=', connectionId).orderBy('first_seen_at').orderBy('id').limit(limit + 1);
    if (filter.severity !== undefined) q = q.where('severity', '=', filter.severity);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.type !== undefined) q = q.where('type', '=', filter.type);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where((eb) => eb.or([eb('first_seen_at', '>', key.k), eb.and([eb('first_seen_at', '=', key.k), eb('id', '>', key.id)])]));
    }
    return toPage(await q.execute(), limit, (r) => ({ k: r.first_seen_at, id: r.id }));
  }

  async findingCounts(connectionId: string): Promise<{ severity: string; state: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('jumpcloud_findings')
      .select(['severity', 'state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('connection_id', '=', connectionId)
      .groupBy(['severity', 'state'])
      .execute();
    return rows.map((r) => ({ severity: r.severity, state: r.state, n: Number(r.n) }));
  }

  // ---- the organization's SCIM side, as the comparisons need it

  async directoryIdsOf(organizationId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('directories').select('id').where('organization_id', '=', organizationId).orderBy('created_at').execute();
    return rows.map((r) => r.id);
  }

  async scimUsers(directoryId: string): Promise<ScimUserFacts[]> {
    const rows = await this.db.selectFrom('scim_users').select(['id', 'user_name', 'external_id', 'email', 'active', 'attributes']).where('directory_id', '=', directoryId).execute();
    return rows.map((r) => {
      const emails = fromJson<{ emails?: { value?: unknown }[] }>(r.attributes).emails;
      return {
        id: r.id,
        userName: r.user_name,
        externalId: r.external_id,
        email: r.email,
        emails: Array.isArray(emails) ? emails.map((e) => e?.value).filter((v): v is string => typeof v === 'string') : [],
        active: r.active === 1,
      };
    });
  }

  async scimGroups(directoryId: string): Promise<ScimGroupFacts[]> {
    const groups = await this.db.selectFrom('scim_groups').select(['id', 'display_name', 'external_id']).where('directory_id', '=', directoryId).execute();
    const members = await this.db.selectFrom('scim_group_members').select(['group_id', 'user_id']).where('directory_id', '=', directoryId).execute();
    const byGroup = new Map<string, string[]>();
    for (const m of members) {
      const list = byGroup.get(m.group_id) ?? [];
      list.push(m.user_id);
      byGroup.set(m.group_id, list);
    }
    return groups.map((g) => ({ id: g.id, name: g.display_name, externalId: g.external_id, members: byGroup.get(g.id) ?? [] }));
  }
}
