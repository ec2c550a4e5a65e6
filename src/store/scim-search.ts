import type { ResourceSearch } from '../core/resource-search.js';
import type { Dialect } from './database.js';
import type { ResourceQuery } from './repositories/scim-users.js';
import { compileScimFilter, compileScimSort } from './scim-filter-sql.js';

/** Turns a domain search (SCIM filter AST, sortBy) into the repositories' parameterised SQL pieces. */
export function toResourceQuery(search: ResourceSearch, resource: 'User' | 'Group', dialect: Dialect): ResourceQuery {
  const query: ResourceQuery = { offset: search.offset, limit: search.limit };
  if (search.filter) query.where = compileScimFilter(search.filter, { resource, dialect });
  if (search.sortBy) {
    const descending = search.descending === true;
    query.orderBy = compileScimSort(search.sortBy, { resource, dialect }).map((expression) => ({ expression, descending }));
  }
  return query;
}
