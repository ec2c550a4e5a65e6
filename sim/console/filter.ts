import { ConsoleError } from './errors.js';

/** A comparison operator, named without the v1 `$`. */
export type FilterOp = 'eq' | 'ne' | 'in' | 'nin' | 'lt' | 'lte' | 'gt' | 'gte' | 'sw' | 'ew' | 'co' | 'nco' | 'between' | 'search';

/** One `field:op:value` condition; `values` holds the `|`-separated terms of in/nin (and of sw/ew/co/nco when allowed). */
export interface Condition {
  field: string;
  op: FilterOp;
  values: string[];
}

/** All conditions must hold ("and"), or any one ("or"). */
export interface Filter {
  mode: 'and' | 'or';
  conditions: Condition[];
}

const V1_OPS: Record<string, FilterOp> = { eq: 'eq', ne: 'ne', in: 'in', nin: 'nin', lt: 'lt', lte: 'lte', gt: 'gt', gte: 'gte', sw: 'sw', ew: 'ew', co: 'co', nco: 'nco' };
const V2_OPS: Record<string, FilterOp> = { eq: 'eq', ne: 'ne', gt: 'gt', ge: 'gte', lt: 'lt', le: 'lte', between: 'between', search: 'search', in: 'in' };
/** v1 operators that need `x-eventually-consistent: true` (sw needs it only for several terms). */
const EVENTUALLY_CONSISTENT = new Set<FilterOp>(['ew', 'co', 'nco']);

/** Splits on `|` except where escaped as `\|`. */
export function splitTerms(value: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && value[i + 1] === '|') {
      current += '|';
      i++;
    } else if (c === '|') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/**
 * Parses one filter term. v1: `field:$op:value` (ops $eq $ne $in $nin $lt $lte $gt $gte $sw, and $ew $co
 * $nco which need `x-eventually-consistent: true`); the value may contain ':'. A v1 operator without its
 * `$` is accepted as if it had one (JumpCloud calls that "undefined behavior"). v2: `field:op:value` with
 * ops eq ne gt ge lt le between search in; `between` takes `low,high` (an assumption: the format is not
 * documented); `in` takes `|`-separated terms as in v1.
 */
export function parseCondition(term: string, version: 'v1' | 'v2', eventuallyConsistent: boolean): Condition {
  const first = term.indexOf(':');
  const second = first < 0 ? -1 : term.indexOf(':', first + 1);
  if (first <= 0 || second < 0) throw new ConsoleError(400, `invalid filter "${term}": expected <field>:<operator>:<value>`);
  const field = term.slice(0, first);
  const rawOp = term.slice(first + 1, second);
  const value = term.slice(second + 1);
  const op = version === 'v1' ? V1_OPS[rawOp.replace(/^\$/, '')] : V2_OPS[rawOp];
  if (!op) throw new ConsoleError(400, `invalid filter operator "${rawOp}"`);
  if (version === 'v1' && EVENTUALLY_CONSISTENT.has(op) && !eventuallyConsistent) {
    throw new ConsoleError(400, `filter operator "${rawOp}" requires the x-eventually-consistent header`);
  }
  let values: string[];
  if (op === 'in' || op === 'nin' || EVENTUALLY_CONSISTENT.has(op) || (op === 'sw' && eventuallyConsistent)) values = splitTerms(value);
  else if (op === 'between') {
    const parts = value.split(',');
    if (parts.length !== 2) throw new ConsoleError(400, `invalid filter "${term}": between takes <low>,<high>`);
    values = parts;
  } else values = [value.replace(/\\\|/g, '|')];
  return { field, op, values };
}

/** Reads a dotted path; `id` falls back to `_id` and back (v1 records carry both). */
export function readField(record: Record<string, unknown>, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    const obj = value as Record<string, unknown>;
    value = part in obj ? obj[part] : part === 'id' ? obj._id : part === '_id' ? obj.id : undefined;
  }
  return value;
}

/** Compares a stored value with a query term, typed after the stored value. */
function compare(stored: unknown, term: string): number | null {
  if (stored === null || stored === undefined) return term === 'null' ? 0 : null;
  if (typeof stored === 'number') {
    const n = Number(term);
    return Number.isNaN(n) ? null : stored - n;
  }
  if (typeof stored === 'boolean') {
    if (term !== 'true' && term !== 'false') return null;
    return Number(stored) - Number(term === 'true');
  }
  const s = String(stored);
  return s < term ? -1 : s > term ? 1 : 0;
}

function test(stored: unknown, op: FilterOp, values: string[]): boolean {
  if (Array.isArray(stored)) {
    // Mongo semantics: a condition on an array field holds when it holds for an element (negations: for none)
    if (op === 'ne' || op === 'nin' || op === 'nco') return stored.every((item) => test(item, op, values));
    return stored.some((item) => test(item, op, values));
  }
  const text = stored === null || stored === undefined ? '' : String(stored);
  switch (op) {
    case 'eq':
      return compare(stored, values[0]!) === 0;
    case 'ne':
      return compare(stored, values[0]!) !== 0;
    case 'in':
      return values.some((v) => compare(stored, v) === 0);
    case 'nin':
      return !values.some((v) => compare(stored, v) === 0);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const c = compare(stored, values[0]!);
      if (c === null) return false;
      return op === 'lt' ? c < 0 : op === 'lte' ? c <= 0 : op === 'gt' ? c > 0 : c >= 0;
    }
    case 'between': {
      const lo = compare(stored, values[0]!);
      const hi = compare(stored, values[1]!);
      return lo !== null && hi !== null && lo >= 0 && hi <= 0;
    }
    case 'sw':
      return values.some((v) => text.startsWith(v));
    case 'ew':
      return values.some((v) => text.endsWith(v));
    case 'co':
      return values.some((v) => text.includes(v));
    case 'nco':
      return !values.some((v) => text.includes(v));
    case 'search':
      return text.toLowerCase().includes(values[0]!.toLowerCase());
  }
}

/** true when the record satisfies the condition. */
export function matchesCondition(record: Record<string, unknown>, condition: Condition): boolean {
  return test(readField(record, condition.field), condition.op, condition.values);
}

/** true when the record satisfies the filter (an empty filter matches everything). */
export function matchesFilter(record: Record<string, unknown>, filter: Filter): boolean {
  if (filter.conditions.length === 0) return true;
  return filter.mode === 'and' ? filter.conditions.every((c) => matchesCondition(record, c)) : filter.conditions.some((c) => matchesCondition(record, c));
}
