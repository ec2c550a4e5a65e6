import type { Kysely } from 'kysely';
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
}

export class EventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(events: readonly NewEvent[]): Promise<void> {
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

  /** Oldest first, strictly after `afterSeq`. */
  async list(query: EventQuery): Promise<EventRecord[]> {
    let q = this.db.selectFrom('events').selectAll().orderBy('seq').limit(query.limit);
    if (query.afterSeq !== undefined) q = q.where('seq', '>', query.afterSeq);
    if (query.organizationId !== undefined) q = q.where('organization_id', '=', query.organizationId);
    if (query.directoryId !== undefined) q = q.where('directory_id', '=', query.directoryId);
    if (query.types !== undefined && query.types.length > 0) q = q.where('type', 'in', query.types);
    return (await q.execute()).map((r) => toEvent(r as EventTable & { seq: number }));
  }

  async get(id: string): Promise<EventRecord | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toEvent(row as EventTable & { seq: number });
  }
}
