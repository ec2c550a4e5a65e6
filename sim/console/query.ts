import { ConsoleError } from './errors.js';
import { parseCondition, type Filter } from './filter.js';

/** One sort key; `desc` when written with a leading `-`. */
export interface SortKey {
  field: string;
  desc: boolean;
}

/** The list parameters of a console request. */
export interface ListQuery {
  limit: number;
  skip: number;
  sort: SortKey[];
  /** null: every field */
  fields: string[] | null;
  filter: Filter;
}

/** How to treat `limit` above 100 ("Limited to 100" in the specs). */
export type LimitPolicy = 'reject' | 'clamp';

/** `limit` when none is given. */
export const DEFAULT_LIMIT = 10;
/** The largest `limit` ("Limited to 100"). */
export const MAX_LIMIT = 100;

/** The query string of a request URL, with `+` read as a space (form encoding, as JumpCloud's v1 sort uses). */
export function rawQuery(url: string): URLSearchParams {
  const i = url.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : url.slice(i + 1));
}

function integer(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new ConsoleError(400, `request parameter "${name}" must be a non-negative integer`);
  return Number(raw.trim());
}

/**
 * `limit`: default 10; above 100 → 400 `request parameter "limit" exceeds maximum value of 100` (as
 * observed on v1) or, with the "clamp" policy, 100; 0 → the default (an assumption).
 */
export function parseLimit(params: URLSearchParams, policy: LimitPolicy): number {
  const limit = integer(params, 'limit');
  if (limit === undefined || limit === 0) return DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) {
    if (policy === 'clamp') return MAX_LIMIT;
    throw new ConsoleError(400, `request parameter "limit" exceeds maximum value of ${MAX_LIMIT}`);
  }
  return limit;
}

/** Splits a sort or fields value: v1 documents spaces, v2 commas; both are accepted in both. */
export function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Reads every `sort` parameter ("-name" descending, "name" or "+name" ascending). */
export function parseSort(params: URLSearchParams): SortKey[] {
  return params
    .getAll('sort')
    .flatMap(splitList)
    .map((token) => (token.startsWith('-') ? { field: token.slice(1), desc: true } : { field: token.replace(/^\+/, ''), desc: false }))
    .filter((k) => k.field !== '');
}

/** Reads every `fields` parameter; null when absent. */
export function parseFields(params: URLSearchParams): string[] | null {
  const fields = params.getAll('fields').flatMap(splitList);
  return fields.length === 0 ? null : fields;
}

/**
 * Reads the filters: `filter=` (repeatable), `filter[0]=`, `filter[and][0]=` (all must hold) or
 * `filter[or][0]=` (any may hold); mixing "or" with the others is refused.
 */
export function parseFilter(params: URLSearchParams, version: 'v1' | 'v2', eventuallyConsistent: boolean): Filter {
  const and: string[] = [];
  const or: string[] = [];
  for (const [key, value] of params) {
    if (key === 'filter' || /^filter\[\d+\]$/.test(key) || /^filter\[and\]\[\d+\]$/.test(key)) and.push(value);
    else if (/^filter\[or\]\[\d+\]$/.test(key)) or.push(value);
  }
  if (or.length > 0 && and.length > 0) throw new ConsoleError(400, 'cannot combine filter[or] with other filters');
  const terms = (or.length > 0 ? or : and).filter((t) => t !== '');
  return { mode: or.length > 0 ? 'or' : 'and', conditions: terms.map((t) => parseCondition(t, version, eventuallyConsistent)) };
}

/** Parses limit, skip, sort, fields and filter of a list request. */
export function parseListQuery(params: URLSearchParams, version: 'v1' | 'v2', options: { limitPolicy: LimitPolicy; eventuallyConsistent: boolean }): ListQuery {
  return {
    limit: parseLimit(params, options.limitPolicy),
    skip: integer(params, 'skip') ?? 0,
    sort: parseSort(params),
    fields: parseFields(params),
    filter: parseFilter(params, version, options.eventuallyConsistent),
  };
}

/** A stable text form of the parts that change which records match and their order (a cache key). */
export function selectionKey(query: Pick<ListQuery, 'sort' | 'filter'>): string {
  return JSON.stringify([query.filter, query.sort]);
}
