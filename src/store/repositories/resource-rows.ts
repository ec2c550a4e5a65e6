import type { Kysely, RawBuilder, SqlBool } from 'kysely';
import type { Dialect } from '../database.js';
import { toJson } from '../json.js';
import type { Database, ScimGroupTable, ScimUserTable } from '../schema.js';

/** The two SCIM resource tables. They share these columns: id, directory_id, raw, created_at. */
export type ResourceTable = 'scim_users' | 'scim_groups';

/**
 * Row operations common to users and groups. Kysely cannot type a query over a union of tables, so each
 * function names one table for the type checker; only the shared columns are used.
 */
export class ResourceRows<Row extends ScimUserTable | ScimGroupTable> {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly table: ResourceTable,
  ) {}

  private get t(): 'scim_users' {
    return this.table as 'scim_users';
  }

  /**
   * One row of a directory. With `lock` (inside a transaction that will change the resource), PostgreSQL
   * locks the row until commit, so that concurrent changes run one after the other, each with its own
   * version, instead of failing or writing the same version twice (SQLite runs writers one at a time).
   */
  async get(directoryId: string, id: string, lock = false): Promise<Row | undefined> {
    let q = this.db.selectFrom(this.t).selectAll().where('id', '=', id).where('directory_id', '=', directoryId);
    if (lock && this.dialect === 'postgres') q = q.forNoKeyUpdate();
    return (await q.executeTakeFirst()) as Row | undefined;
  }

  /** Replaces only the last-received body (no new version: the resource did not change). */
  async setRaw(id: string, raw: Record<string, unknown>): Promise<void> {
    await this.db.updateTable(this.t).set({ raw: toJson(raw) }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom(this.t).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async count(directoryId: string, where?: RawBuilder<SqlBool>): Promise<number> {
    let q = this.db.selectFrom(this.t).select((eb) => eb.fn.countAll<number>().as('n')).where('directory_id', '=', directoryId);
    if (where) q = q.where(where);
    return Number((await q.executeTakeFirstOrThrow()).n);
  }
}
