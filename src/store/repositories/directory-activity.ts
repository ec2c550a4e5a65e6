import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { Database, DirectoryActivityTable } from '../schema.js';

/** SCIM activity of one directory as stored (see core/directory-activity.ts). */
export interface ActivityRecord {
  lastRequestAt: string | null;
  lastSuccessAt: string | null;
  requestCount: number;
  errorCount: number;
  lastError: { status: number; message: string; at: string } | null;
}

function toActivity(row: DirectoryActivityTable): ActivityRecord {
  return {
    lastRequestAt: row.last_request_at,
    lastSuccessAt: row.last_success_at,
    requestCount: Number(row.request_count),
    errorCount: Number(row.error_count),
    lastError:
      row.last_error_status !== null && row.last_error_at !== null
        ? { status: Number(row.last_error_status), message: row.last_error_message ?? '', at: row.last_error_at }
        : null,
  };
}

export class DirectoryActivityRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async get(directoryId: string): Promise<ActivityRecord | undefined> {
    const row = await this.db.selectFrom('directory_activity').selectAll().where('directory_id', '=', directoryId).executeTakeFirst();
    return row && toActivity(row);
  }

  /**
   * Adds a delta (counts add up, timestamps keep the later one, so several nodes can flush into the same
   * row). A directory deleted meanwhile is skipped.
   */
  async add(directoryId: string, delta: ActivityRecord): Promise<void> {
    const later = (column: 'last_request_at' | 'last_success_at' | 'last_error_at') => {
      const fn = this.dialect === 'postgres' ? 'greatest' : 'max';
      return sql<string | null>`${sql.raw(fn)}(coalesce(excluded.${sql.ref(column)}, directory_activity.${sql.ref(column)}), coalesce(directory_activity.${sql.ref(column)}, excluded.${sql.ref(column)}))`;
    };
    // the newer error wins (compare its time with the stored one)
    const newerError = sql<boolean>`(excluded.last_error_at is not null and (directory_activity.last_error_at is null or excluded.last_error_at >= directory_activity.last_error_at))`;
    const exists = await this.db.selectFrom('directories').select('id').where('id', '=', directoryId).executeTakeFirst();
    if (!exists) return;
    await this.db
      .insertInto('directory_activity')
      .values({
        directory_id: directoryId,
        last_request_at: delta.lastRequestAt,
        last_success_at: delta.lastSuccessAt,
        request_count: delta.requestCount,
        error_count: delta.errorCount,
        last_error_status: delta.lastError?.status ?? null,
        last_error_message: delta.lastError?.message ?? null,
        last_error_at: delta.lastError?.at ?? null,
      })
      .onConflict((oc) =>
        oc.column('directory_id').doUpdateSet({
          last_request_at: later('last_request_at'),
          last_success_at: later('last_success_at'),
          request_count: sql<number>`directory_activity.request_count + excluded.request_count`,
          error_count: sql<number>`directory_activity.error_count + excluded.error_count`,
          last_error_status: sql<number | null>`case when ${newerError} then excluded.last_error_status else directory_activity.last_error_status end`,
          last_error_message: sql<string | null>`case when ${newerError} then excluded.last_error_message else directory_activity.last_error_message end`,
          last_error_at: later('last_error_at'),
        }),
      )
      .execute();
  }
}
