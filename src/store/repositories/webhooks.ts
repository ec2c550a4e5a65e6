import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import type { Database, WebhookAttemptTable, WebhookDeliveryTable, WebhookEndpointTable } from '../schema.js';

export type EndpointRow = WebhookEndpointTable;
export type DeliveryRow = WebhookDeliveryTable;
export type AttemptRow = WebhookAttemptTable;

/** An outbox row as the enqueuer needs it. */
export interface OutboxEvent {
  seq: number;
  id: string;
  type: string;
  organization_id: string | null;
  directory_id: string | null;
  /** the event's data (parsed), for its ordering key */
  data: unknown;
}

/** Webhook endpoints, deliveries and attempts (migration 002). */
export class WebhooksRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insertEndpoint(row: EndpointRow): Promise<void> {
    await this.db.insertInto('webhook_endpoints').values(row).execute();
  }

  async getEndpoint(id: string): Promise<EndpointRow | undefined> {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async updateEndpoint(id: string, set: Partial<Omit<EndpointRow, 'id'>>): Promise<boolean> {
    const r = await this.db.updateTable('webhook_endpoints').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Oldest first. Returns undefined for an undecodable cursor. */
  async listEndpoints(limit: number, cursor: string | undefined, organizationId?: string): Promise<{ rows: EndpointRow[]; next: string | null } | undefined> {
    let q = this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id').limit(limit + 1);
    if (organizationId !== undefined) q = q.where('organization_id', '=', organizationId);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where(afterKeyset(key, 'webhook_endpoints'));
    }
    return toPage(await q.execute(), limit, (r) => ({ k: r.created_at, id: r.id }));
  }

  async enabledEndpoints(): Promise<EndpointRow[]> {
    return this.db.selectFrom('webhook_endpoints').selectAll().where('state', '=', 'enabled').execute();
  }

  async maxEventSeq(): Promise<number> {
    const row = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    return Number(row?.m ?? 0);
  }

  /** Events after `seq` that match an endpoint's filters, oldest first. */
  async eventsAfter(seq: number, filter: { organizationId: string | null; types: string[] | null }, limit: number): Promise<OutboxEvent[]> {
    let q = this.db
      .selectFrom('events')
      .select(['seq', 'id', 'type', 'organization_id', 'directory_id', 'data'])
      .where('seq', '>', seq)
      .orderBy('seq')
      .limit(limit);
    if (filter.organizationId !== null) q = q.where('organization_id', '=', filter.organizationId);
    if (filter.types !== null) q = q.where('type', 'in', filter.types.length > 0 ? filter.types : ['-']);
    return (await q.execute()).map((row) => ({ ...row, seq: Number(row.seq), data: JSON.parse(row.data) as unknown }));
  }

  /** Inserts deliveries; one already there for the same endpoint and event is left alone. */
  async insertDeliveries(rows: DeliveryRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('webhook_deliveries')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
        .execute();
    }
  }

  /** Moves an endpoint's outbox cursor forward (never back). */
  async advanceCursor(endpointId: string, seq: number): Promise<void> {
    await this.db
      .updateTable('webhook_endpoints')
      .set({ last_enqueued_seq: seq })
      .where('id', '=', endpointId)
      .where('last_enqueued_seq', '<', seq)
      .execute();
  }

  /**
   * Claims up to `limit` due deliveries of enabled endpoints with a lease until `leaseUntil`. A delivery is
   * due only when no earlier delivery of the same endpoint and ordering key is still pending (that one goes
   * first). PostgreSQL: `FOR UPDATE SKIP LOCKED`, so several nodes never claim the same row.
   */
  async claimDue(now: string, leaseUntil: string, limit: number): Promise<DeliveryRow[]> {
    const lock = this.dialect === 'postgres' ? sql`for update of d skip locked` : sql``;
    const result = await sql<DeliveryRow>`
      update webhook_deliveries set locked_until = ${leaseUntil}
      where id in (
        select d.id from webhook_deliveries d
        join webhook_endpoints e on e.id = d.endpoint_id and e.state = 'enabled'
        where d.state = 'pending' and d.next_attempt_at <= ${now}
          and (d.locked_until is null or d.locked_until < ${now})
          and not exists (
            select 1 from webhook_deliveries p
            where p.endpoint_id = d.endpoint_id and p.ordering_key = d.ordering_key
              and p.state = 'pending' and p.event_seq < d.event_seq
          )
        order by d.next_attempt_at, d.event_seq
        limit ${limit}
        ${lock}
      )
      returning *`.execute(this.db);
    return result.rows;
  }

  /** Drops every lease (SQLite: one process, so at start no delivery can be in flight). */
  async releaseAllLeases(): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({ locked_until: null }).where('locked_until', 'is not', null).execute();
  }

  async releaseLease(id: string): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({ locked_until: null }).where('id', '=', id).execute();
  }

  async getDelivery(endpointId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('id', '=', id).executeTakeFirst();
  }

  async findDeliveryByEvent(endpointId: string, eventId: string): Promise<DeliveryRow | undefined> {
    return this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).where('event_id', '=', eventId).executeTakeFirst();
  }

  async updateDelivery(id: string, set: Partial<Omit<DeliveryRow, 'id'>>): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set(set).where('id', '=', id).execute();
  }

  /**
   * Updates a delivery only while it still holds the lease `lease` its sender claimed it with; false when
   * the lease is gone — a redelivery requested meanwhile (which clears it), or another node's claim after
   * it lapsed — so a finished attempt never overwrites the newer state.
   */
  async updateLeasedDelivery(id: string, lease: string | null, set: Partial<Omit<DeliveryRow, 'id'>>): Promise<boolean> {
    let q = this.db.updateTable('webhook_deliveries').set(set).where('id', '=', id);
    q = lease === null ? q.where('locked_until', 'is', null) : q.where('locked_until', '=', lease);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Pending deliveries of an endpoint become due now (re-enabling an endpoint). */
  async makePendingDue(endpointId: string, now: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: now, updated_at: now })
      .where('endpoint_id', '=', endpointId)
      .where('state', '=', 'pending')
      .execute();
  }

  /** Oldest first. Returns undefined for an undecodable cursor. */
  async listDeliveries(
    endpointId: string,
    limit: number,
    cursor: string | undefined,
    filter: { state?: string; eventId?: string } = {},
  ): Promise<{ rows: DeliveryRow[]; next: string | null } | undefined> {
    let q = this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit + 1);
    if (filter.state !== undefined) q = q.where('state', '=', filter.state);
    if (filter.eventId !== undefined) q = q.where('event_id', '=', filter.eventId);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where(afterKeyset(key, 'webhook_deliveries'));
    }
    return toPage(await q.execute(), limit, (r) => ({ k: r.created_at, id: r.id }));
  }

  async insertAttempt(row: AttemptRow): Promise<void> {
    await this.db.insertInto('webhook_attempts').values(row).execute();
  }

  /** Inserts several attempts at once (the worker records finished attempts in batches). */
  async insertAttempts(rows: AttemptRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await this.db.insertInto('webhook_attempts').values(rows.slice(i, i + 200)).execute();
    }
  }

  async listAttempts(deliveryId: string, limit = 100): Promise<AttemptRow[]> {
    return this.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('at').orderBy('id').limit(limit).execute();
  }

  /** Counts a failure on the endpoint; returns the updated row. */
  async countFailure(endpointId: string, now: string): Promise<EndpointRow | undefined> {
    await this.db
      .updateTable('webhook_endpoints')
      .set((eb) => ({
        consecutive_failures: eb('consecutive_failures', '+', 1),
        failing_since: eb.fn.coalesce('failing_since', eb.val(now)),
      }))
      .where('id', '=', endpointId)
      .execute();
    return this.getEndpoint(endpointId);
  }

  async countSuccess(endpointId: string): Promise<void> {
    await this.db
      .updateTable('webhook_endpoints')
      .set({ consecutive_failures: 0, failing_since: null })
      .where('id', '=', endpointId)
      .where((eb) => eb.or([eb('consecutive_failures', '>', 0), eb('failing_since', 'is not', null)]))
      .execute();
  }

  /** Disables an enabled endpoint; false when it was not enabled (someone else did it first). */
  async disableIfEnabled(endpointId: string, reason: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('webhook_endpoints')
      .set({ state: 'disabled', disabled_reason: reason, updated_at: now })
      .where('id', '=', endpointId)
      .where('state', '=', 'enabled')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** The outbox at a glance, for /metrics: enqueue lag of the furthest-behind enabled endpoint, pending deliveries and the oldest one's age. */
  async outboxReading(now: Date): Promise<{ lagEvents: number; pendingDeliveries: number; oldestPendingSeconds: number }> {
    const cursor = await this.db
      .selectFrom('webhook_endpoints')
      .select((eb) => eb.fn.min('last_enqueued_seq').as('m'))
      .where('state', '=', 'enabled')
      .executeTakeFirst();
    const slowest = cursor?.m === null || cursor?.m === undefined ? undefined : Number(cursor.m);
    const lagEvents = slowest === undefined ? 0 : Math.max(0, (await this.maxEventSeq()) - slowest);
    const pending = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
      .where('state', '=', 'pending')
      .executeTakeFirst();
    const oldest = pending?.oldest ? Date.parse(String(pending.oldest)) : NaN;
    return {
      lagEvents,
      pendingDeliveries: Number(pending?.n ?? 0),
      oldestPendingSeconds: Number.isNaN(oldest) ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
    };
  }
}
