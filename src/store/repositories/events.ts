import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Dialect } from '../database.js';
import type { EventRecord, NewEvent } from '../../core/types.js';
import { fromJson, toJson } from '../json.js';
import type { Database, EventTable } from '../schema.js';

function toEvent(row: EventTable & { seq: number }): EventRecord {
  return {
    id: row.id,
    seq: row.seq,
    type: row.type,
    organizationId: row.organization_id,
    directoryId: row.directory_id,
    occurredAt: row.occurred_at,
    data: fromJson(row.data),
    previous: row.previous === null ? null : fromJson(row.previous),
  };
}

export interface EventQuery {
  afterSeq?: number;
  organizationId?: string;
  directoryId?: string;
  types?: string[];
  limit: number;
  /** only events strictly before this seq (paging the newest-first order backwards) */
  beforeSeq?: number;
  /** newest first instead of oldest first */
  newestFirst?: boolean;
}

/**
 * PostgreSQL transaction-level advisory lock taken right before a transaction inserts events: event-writing
 * transactions then insert and commit one after the other, so `seq` order is commit order and a reader
 * paging with `after` can never skip an event that commits later with a lower seq. (SQLite has one
 * writer at a time already.) Held until commit or rollback; only the tail of a write (events insert →
 * commit) is serialized.
 */
export const EVENT_ORDER_LOCK = 727_274_003;

export class EventsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect = 'sqlite',
  ) {}

  private ordered = false;

  /**
   * Takes the event-order lock for the rest of this transaction (PostgreSQL; once per transaction: each
   * transaction has its own repositories). append() takes it, as late as possible: everything between
   * the lock and the commit is serialized across the cluster.
   */
  async lockOrder(): Promise<void> {
    if (this.dialect !== 'postgres' || this.ordered) return;
    await sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`.execute(this.db);
    this.ordered = true;
  }

  /** Appends events; call it inside the transaction of the change, as its last write. */
  async append(events: readonly NewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.lockOrder();
    // one statement per 200 events keeps every insert under the drivers' parameter limits
    for (let i = 0; i < events.length; i += 200) {
      await this.db
        .insertInto('events')
        .values(
          events.slice(i, i + 200).map((e) => ({
            id: e.id,
            type: e.type,
            organization_id: e.organizationId,
            directory_id: e.directoryId,
            occurred_at: e.occurredAt,
            data: toJson(e.data),
            previous: e.previous === null ? null : toJson(e.previous),
          })),
        )
        .execute();
    }
  }

  /** Oldest first (or newest first), strictly after `afterSeq` and before `beforeSeq`. */
  async list(query: EventQuery): Promise<EventRecord[]> {
    let q = this.db.selectFrom('events').selectAll().orderBy('seq', query.newestFirst ? 'desc' : 'asc').limit(query.limit);
    if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq);
    if (query.beforeSeq !== undefined) q = q.where('seq', '<', query.beforeSeq);
    if (query.organizationId !== undefined) q = q.where('organization_id', '=', query.organizationId);
    if (query.directoryId !== undefined) q = q.where('directory_id', '=', query.directoryId);
    if (query.types !== undefined && query.types.length > 0) q = q.where('type', 'in', query.types);
    return (await q.execute()).map((r) => toEvent(r as EventTable & { seq: number }));
  }

  /**
   * Deletes events that occurred before `cutoff` (ISO), in batches; returns how many. Events the webhook
   * outbox still needs are kept: those an enabled endpoint has not enqueued yet (after its cursor), and those
   * with a pending delivery (the worker reads the event when it sends it).
   */
  async pruneBefore(cutoff: string, batch = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.db
        .deleteFrom('events')
        .where('seq', 'in', (eb) =>
          eb
            .selectFrom('events as e')
            .select('e.seq')
            .where('e.occurred_at', '<', cutoff)
            .where(
              sql<SqlBool>`e.seq <= coalesce((select min(w.last_enqueued_seq) from webhook_endpoints w where w.state = 'enabled'), e.seq)`,
            )
            .where(sql<SqlBool>`not exists (select 1 from webhook_deliveries d where d.event_seq = e.seq and d.state = 'pending')`)
            .orderBy('e.seq')
            .limit(batch),
        )
        .executeTakeFirst();
      const n = Number(result.numDeletedRows);
      total += n;
      if (n < batch) return total;
    }
  }

  async get(id: string): Promise<EventRecord | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEvent(row as EventTable & { seq: number });
  }


  async wasAddedToGroupSince(directoryId: string, userId: string, since: string): Promise<boolean> {
    const userIdOfEvent = this.dialect === 'postgres' ? sql<string>`data->'user'->>'id'` : sql<string>`json_extract(data, '$.user.id')`;
    const row = await this.db
      .selectFrom('events')
      .select('seq')
      .where('occurred_at', '>=', since)
      .where('directory_id', '=', directoryId)
      .where('type', '=', 'group.user_added')
      .where(sql<SqlBool>`${userIdOfEvent} = ${userId}`)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
