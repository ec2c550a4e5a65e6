import { readField } from './filter.js';
import type { SortKey } from './query.js';

/** Type rank for mixed values, after MongoDB: null/missing < numbers < strings < objects < booleans. */
function rank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 4;
  return 3;
}

/** Compares two field values the way a MongoDB sort without collation does (binary string order). */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) return 0;
  if (ra === 1 || ra === 4) return Number(a) - Number(b);
  const sa = ra === 2 ? (a as string) : JSON.stringify(a);
  const sb = rb === 2 ? (b as string) : JSON.stringify(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Sorts records by the keys, stably (ties keep the natural, creation order). `view` gives the record's
 * API-shaped fields.
 */
export function sortRecords<T>(records: readonly T[], keys: SortKey[], view: (record: T) => Record<string, unknown>): T[] {
  if (keys.length === 0) return [...records];
  const decorated = records.map((record, index) => ({ record, index, values: keys.map((k) => readField(view(record), k.field)) }));
  decorated.sort((x, y) => {
    for (let i = 0; i < keys.length; i++) {
      const c = compareValues(x.values[i], y.values[i]);
      if (c !== 0) return keys[i]!.desc ? -c : c;
    }
    return x.index - y.index;
  });
  return decorated.map((d) => d.record);
}
