import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';
import { project, runList, type ListSource, type Page } from './list.js';
import { parseListQuery, rawQuery, type ListQuery } from './query.js';

/** The list parameters of a request (v1: `$`-operators, space lists; v2: plain operators, comma lists). */
export function listQuery(request: FastifyRequest, version: 'v1' | 'v2', ctx: ConsoleContext): ListQuery {
  return parseListQuery(rawQuery(request.url), version, {
    limitPolicy: ctx.options.limitPolicy,
    eventuallyConsistent: String(request.headers['x-eventually-consistent'] ?? '').toLowerCase() === 'true',
  });
}

/** Refuses filters and sorts on fields the API never shows (the simulator-only password). */
export function refuseHiddenFields(query: ListQuery, hidden: readonly string[]): void {
  for (const field of [...query.filter.conditions.map((c) => c.field), ...query.sort.map((s) => s.field)]) {
    if (hidden.includes(field.split('.')[0]!)) throw new ConsoleError(400, `invalid field "${field}"`);
  }
}

/** Runs a list request. */
export function page<T>(source: ListSource<T>, query: ListQuery, ctx: ConsoleContext): Page<T> {
  return runList(source, query, ctx.cache);
}

/** The v1 list body: `{"totalCount": N, "results": [...]}` (no x-total-count header). */
export function v1List<T>(result: Page<T>, query: ListQuery, present: (record: T) => Record<string, unknown>): { totalCount: number; results: Record<string, unknown>[] } {
  return { totalCount: result.total, results: result.items.map((r) => project(present(r), query.fields, ['_id', 'id'])) };
}

/**
 * The v2 list answer: a bare array, with the total in `x-total-count`; when the request carries a
 * non-empty `x-unfiltered-total-count`, the same header returns the count without filters.
 */
export function v2List<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  result: Page<T>,
  query: ListQuery,
  present: (record: T) => Record<string, unknown>,
  unfilteredTotal: number,
): Record<string, unknown>[] {
  void reply.header('x-total-count', String(result.total));
  if (String(request.headers['x-unfiltered-total-count'] ?? '') !== '') void reply.header('x-unfiltered-total-count', String(unfilteredTotal));
  return result.items.map((r) => project(present(r), query.fields, ['id']));
}

/** A route parameter. */
export function param(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, string>)[name] ?? '');
}
