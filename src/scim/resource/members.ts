import type { ResourceSchema } from '../schema/resource-types.js';
import type { Filter } from '../filter/ast.js';
import { ScimError } from '../errors.js';
import { field, isObject } from './json.js';
import type { Target } from './target.js';

/**
 * A change to a Group's membership, for the store to apply in order. Members are rows, never part of the
 * stored document; removing an id that is not a member is a no-op (checklist P9).
 */
export type MemberOp =
  | { op: 'add'; values: string[] }
  | { op: 'remove'; values: string[] }
  | { op: 'removeAll' }
  | { op: 'replace'; values: string[] };

/** Whether a resource type keeps a `members` attribute (Group). */
export function hasMembers(schema: ResourceSchema): boolean {
  return schema.core.attributes.some((a) => a.name === 'members');
}

/** Whether a target is the core `members` attribute of a resource type that has one. */
export function isMembersTarget(target: Target, schema: ResourceSchema): boolean {
  return target.kind === 'attribute' && target.ref.extension === undefined && target.ref.attribute.name === 'members' && hasMembers(schema);
}

/**
 * The member ids in a `members` value: an array (or a single one) of `{value}` objects, de-duplicated in
 * order. `display`, `type` and `$ref` are ignored. An entry without a non-empty string `value` is a
 * 400 `invalidValue`. null gives no ids.
 */
export function memberIds(value: unknown, label = 'members'): string[] {
  if (value === null || value === undefined) return [];
  const entries = Array.isArray(value) ? value : [value];
  const ids = new Set<string>();
  entries.forEach((entry, i) => {
    const id = isObject(entry) ? field(entry, 'value') : undefined;
    if (typeof id !== 'string' || id.trim() === '') {
      throw ScimError.badRequest('invalidValue', `${label}[${i}] must be an object with a non-empty string "value" (the member's id)`);
    }
    ids.add(id);
  });
  return [...ids];
}

/**
 * The member ids named by a member filter: `value eq "a"`, or a disjunction of such terms
 * (`members[value eq "a" or value eq "b"]`, Okta). Any other filter is a 400 `invalidFilter`.
 */
export function memberFilterIds(filter: Filter): string[] {
  const terms = filter.kind === 'or' ? filter.filters : [filter];
  const ids = new Set<string>();
  for (const term of terms) {
    const isValueEq =
      term.kind === 'compare' && term.op === 'eq' && term.path.uri === undefined && term.path.sub === undefined && term.path.name.toLowerCase() === 'value';
    if (!isValueEq || typeof term.value !== 'string' || term.value.trim() === '') {
      throw ScimError.badRequest('invalidFilter', 'a members filter must be `value eq "<id>"`, or several such terms joined by "or"');
    }
    ids.add(term.value);
  }
  return [...ids];
}
