import { matchesFilter, readField } from './filter.js';
import { selectionKey, type ListQuery } from './query.js';
import type { SelectionCache } from './selection-cache.js';
import { sortRecords } from './sort.js';

/** A page of a list: the records of the page and the total that matched. */
export interface Page<T> {
  total: number;
  items: T[];
}

/** Where a list comes from: the records in natural order and how to read their API fields. */
export interface ListSource<T> {
  /** a cache key naming the collection and the tenant version it was read at (omit: no caching) */
  cacheKey?: string;
  records: () => readonly T[];
  /** the API-shaped fields filters and sorts read (for most records the stored record itself) */
  view: (record: T) => Record<string, unknown>;
  /** the sort used when the request has none (default: natural order) */
  defaultSort?: ListQuery['sort'];
}

/** Filters, sorts and pages records. */
export function runList<T>(source: ListSource<T>, query: Pick<ListQuery, 'filter' | 'sort' | 'skip' | 'limit'>, cache: SelectionCache): Page<T> {
  const sort = query.sort.length > 0 ? query.sort : (source.defaultSort ?? []);
  const select = (): readonly T[] => {
    const all = source.records();
    const matching = query.filter.conditions.length === 0 ? all : all.filter((r) => matchesFilter(source.view(r), query.filter));
    return sort.length === 0 ? matching : sortRecords(matching, sort, source.view);
  };
  const selected = source.cacheKey === undefined ? select() : cache.get(`${source.cacheKey}|${selectionKey({ filter: query.filter, sort })}`, select);
  return { total: selected.length, items: selected.slice(query.skip, query.skip + query.limit) };
}

/**
 * Keeps only the requested fields of a presented record (dotted paths keep nested parts), plus the id
 * fields, which are always returned (`_id` and `id` on v1 records, `id` on v2).
 */
export function project(record: Record<string, unknown>, fields: string[] | null, idFields: readonly string[]): Record<string, unknown> {
  if (fields === null) return record;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = readField(record, field);
    if (value === undefined) continue;
    const parts = field.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) {
      if (typeof target[part] !== 'object' || target[part] === null) target[part] = {};
      target = target[part] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]!] = value;
  }
  for (const id of idFields) if (id in record) out[id] = record[id];
  return out;
}
