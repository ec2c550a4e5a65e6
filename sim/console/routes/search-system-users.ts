import type { FastifyInstance } from 'fastify';
import type { SystemUser } from '../../tenant/types.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { readField } from '../filter.js';
import { presentSystemUser } from '../present/system-user.js';
import { splitList } from '../query.js';
import { compareValues } from '../sort.js';
import { listQuery, page, refuseHiddenFields, v1List } from '../respond.js';
import { HIDDEN_USER_FIELDS, userView } from './system-users.js';

type Predicate = (record: Record<string, unknown>) => boolean;

const OPERATORS: Record<string, (stored: unknown, operand: unknown) => boolean> = {
  $eq: (s, o) => compareValues(s, o) === 0,
  $ne: (s, o) => compareValues(s, o) !== 0,
  $in: (s, o) => Array.isArray(o) && o.some((v) => compareValues(s, v) === 0),
  $nin: (s, o) => Array.isArray(o) && !o.some((v) => compareValues(s, v) === 0),
  $gt: (s, o) => s !== null && s !== undefined && compareValues(s, o) > 0,
  $gte: (s, o) => s !== null && s !== undefined && compareValues(s, o) >= 0,
  $lt: (s, o) => s !== null && s !== undefined && compareValues(s, o) < 0,
  $lte: (s, o) => s !== null && s !== undefined && compareValues(s, o) <= 0,
  $exists: (s, o) => (s !== undefined && s !== null) === Boolean(o),
};

/** `{field: value}` (equality) or `{field: {$op: operand}}`; several keys must all hold. */
function expression(expr: unknown): Predicate {
  if (!expr || typeof expr !== 'object' || Array.isArray(expr)) throw new ConsoleError(400, 'each filter expression must be an object');
  const checks: Predicate[] = Object.entries(expr as Record<string, unknown>).map(([field, operand]) => {
    if (HIDDEN_USER_FIELDS.includes(field.split('.')[0] as 'password')) throw new ConsoleError(400, `invalid field "${field}"`);
    if (operand && typeof operand === 'object' && !Array.isArray(operand)) {
      const ops = Object.entries(operand as Record<string, unknown>);
      for (const [op] of ops) if (!OPERATORS[op]) throw new ConsoleError(400, `unsupported operator "${op}"`);
      return (r) => ops.every(([op, o]) => OPERATORS[op]!(readField(r, field), o));
    }
    return (r) => {
      const stored = readField(r, field);
      return Array.isArray(stored) ? stored.some((v) => compareValues(v, operand) === 0) : compareValues(stored, operand) === 0;
    };
  });
  return (r) => checks.every((c) => c(r));
}

/** The body `filter`: an array (all must hold), `{and: [...]}`, `{or: [...]}`, or one expression. */
function bodyFilter(filter: unknown): Predicate {
  if (filter === undefined || filter === null) return () => true;
  if (Array.isArray(filter)) {
    const all = filter.map(expression);
    return (r) => all.every((p) => p(r));
  }
  if (typeof filter === 'object') {
    const { and, or } = filter as { and?: unknown; or?: unknown };
    if (Array.isArray(and)) {
      const all = and.map(expression);
      return (r) => all.every((p) => p(r));
    }
    if (Array.isArray(or)) {
      const any = or.map(expression);
      return (r) => any.some((p) => p(r));
    }
    return expression(filter);
  }
  throw new ConsoleError(400, 'filter must be an object or an array');
}

/** The body `searchFilter`: `{searchTerm: text | [texts], fields: [names]}`, a case-insensitive partial match. */
function searchFilter(search: unknown): Predicate {
  if (search === undefined || search === null) return () => true;
  const { searchTerm, fields } = search as { searchTerm?: unknown; fields?: unknown };
  const terms = (Array.isArray(searchTerm) ? searchTerm : [searchTerm]).filter((t) => typeof t === 'string' && t !== '').map((t) => (t as string).toLowerCase());
  if (terms.length === 0) return () => true;
  const names = Array.isArray(fields) && fields.length > 0 ? (fields as string[]) : ['username', 'email', 'firstname', 'lastname', 'displayname'];
  if (names.some((f) => HIDDEN_USER_FIELDS.includes(String(f).split('.')[0] as 'password'))) throw new ConsoleError(400, 'invalid search field');
  return (r) => names.some((f) => terms.some((t) => String(readField(r, f) ?? '').toLowerCase().includes(t)));
}

/**
 * `POST /api/search/systemusers` — body `{filter, searchFilter, fields}` (fields space separated) plus
 * the query's limit, skip, sort, fields and filter; answers `{totalCount, results}`.
 */
export function searchSystemUserRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.post('/search/systemusers', async (request) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v1', ctx);
    refuseHiddenFields(query, HIDDEN_USER_FIELDS);
    const body = (request.body ?? {}) as { filter?: unknown; searchFilter?: unknown; fields?: unknown };
    if (typeof body !== 'object' || Array.isArray(body)) throw new ConsoleError(400, 'the body must be a JSON object');
    const byFilter = bodyFilter(body.filter);
    const bySearch = searchFilter(body.searchFilter);
    if (typeof body.fields === 'string' && body.fields.trim() !== '') query.fields = [...(query.fields ?? []), ...splitList(body.fields)];
    const key = `search@${tenant.orgId}#${tenant.version}|${JSON.stringify([body.filter ?? null, body.searchFilter ?? null])}`;
    const records = (): SystemUser[] => tenant.users.list().filter((u) => byFilter(userView(u)) && bySearch(userView(u)));
    const result = page({ cacheKey: key, records, view: userView }, query, ctx);
    return v1List(result, query, presentSystemUser);
  });
}
