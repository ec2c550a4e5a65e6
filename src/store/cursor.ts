import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Opaque keyset cursors for the admin API: base64url of the last row's sort key. A cursor that does not
 * decode is a client error, reported by the caller.
 */
export interface Keyset {
  /** created_at (or seq for events, as a string) */
  k: string;
  id: string;
}

export function encodeCursor(key: Keyset): string {
  return Buffer.from(JSON.stringify([key.k, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): Keyset | undefined {
  if (cursor.length > 512 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { k: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  return undefined;
}

/** `(created_at, id) > (k, id)` for a single-table query ordered by created_at, id. */
export function afterKeyset(key: Keyset, table: string): RawBuilder<SqlBool> {
  const created = sql.ref(`${table}.created_at`);
  const id = sql.ref(`${table}.id`);
  return sql<SqlBool>`(${created} > ${key.k} or (${created} = ${key.k} and ${id} > ${key.id}))`;
}

/** Cuts a `limit + 1` fetch to one page and encodes the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): { rows: T[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, next: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
