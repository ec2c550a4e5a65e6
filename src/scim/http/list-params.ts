import { ScimError, type ScimType } from '../errors.js';
import type { Filter } from '../filter/ast.js';
import { MAX_FILTER_LENGTH, parseFilter } from '../filter/parse-filter.js';
import { URN } from '../schema/urns.js';

/** Page size when the client gives no `count`, and the most one page returns (SPC filter.maxResults). */
export const DEFAULT_COUNT = 100;
export const MAX_RESULTS = 1000;

export interface ListParams {
  filter?: Filter;
  sortBy?: string;
  descending: boolean;
  /** 1-based, as on the wire */
  startIndex: number;
  count: number;
  attributes?: string;
  excludedAttributes?: string;
}

export interface Projection {
  attributes?: string;
  excludedAttributes?: string;
}

function integer(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : /^[+-]?\d{1,15}$/.test(String(value).trim()) ? Number(value) : NaN;
  if (!Number.isInteger(n)) throw ScimError.badRequest('invalidValue', `${name} must be an integer`);
  return n;
}

/** A text parameter; one over `max` characters is a 400 of `tooLong` (a filter's is `invalidFilter`, as in the parser). */
function text(name: string, value: unknown, max = 4096, tooLong: ScimType = 'invalidValue'): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) throw ScimError.badRequest('invalidValue', `${name} must be given once`);
  if (typeof value !== 'string') throw ScimError.badRequest('invalidValue', `${name} must be a string`);
  if (value.length > max) throw ScimError.badRequest(tooLong, `${name} is longer than ${max} characters`);
  return value;
}

/** `attributes` / `excludedAttributes` from a query string (comma list) or a SearchRequest (array). */
function attributeList(name: string, value: unknown): string | undefined {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return text(name, value.join(','));
  return text(name, value);
}

/** Shared by GET query strings and POST .search bodies (RFC 7644 §3.4.2, §3.4.3). */
function listParams(source: Record<string, unknown>): ListParams {
  const filterText = text('filter', source.filter, MAX_FILTER_LENGTH, 'invalidFilter');
  const sortBy = text('sortBy', source.sortBy, 300);
  const sortOrder = text('sortOrder', source.sortOrder, 20);
  if (sortOrder !== undefined && !/^(ascending|descending)$/i.test(sortOrder)) {
    throw ScimError.badRequest('invalidValue', 'sortOrder must be "ascending" or "descending"');
  }
  const startIndex = Math.max(1, integer('startIndex', source.startIndex) ?? 1);
  const count = Math.min(MAX_RESULTS, Math.max(0, integer('count', source.count) ?? DEFAULT_COUNT));
  const attributes = attributeList('attributes', source.attributes);
  const excludedAttributes = attributeList('excludedAttributes', source.excludedAttributes);
  const params: ListParams = { startIndex, count, descending: /^descending$/i.test(sortOrder ?? '') };
  if (filterText !== undefined && filterText.trim() !== '') params.filter = parseFilter(filterText);
  if (sortBy !== undefined && sortBy.trim() !== '') params.sortBy = sortBy.trim();
  if (attributes !== undefined) params.attributes = attributes;
  if (excludedAttributes !== undefined) params.excludedAttributes = excludedAttributes;
  return params;
}

export function listParamsFromQuery(query: unknown): ListParams {
  return listParams((query ?? {}) as Record<string, unknown>);
}

export function listParamsFromSearchRequest(body: unknown): ListParams {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ScimError.badRequest('invalidSyntax', 'the body must be a SearchRequest object');
  }
  const request = body as Record<string, unknown>;
  const schemas = request.schemas;
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.searchRequest.toLowerCase())) {
    throw ScimError.badRequest('invalidSyntax', `schemas must contain "${URN.searchRequest}"`);
  }
  return listParams(request);
}

/** `attributes` / `excludedAttributes` of a single-resource request. */
export function projectionFromQuery(query: unknown): Projection {
  const q = (query ?? {}) as Record<string, unknown>;
  const attributes = attributeList('attributes', q.attributes);
  const excludedAttributes = attributeList('excludedAttributes', q.excludedAttributes);
  return { ...(attributes !== undefined ? { attributes } : {}), ...(excludedAttributes !== undefined ? { excludedAttributes } : {}) };
}
