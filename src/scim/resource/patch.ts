import type { ResourceSchema } from '../schema/resource-types.js';
import { URN } from '../schema/urns.js';
import { ScimError } from '../errors.js';
import { applyToAttribute, type OperationKind } from './attribute-ops.js';
import { schemasOf } from './document.js';
import { deepEqual, describe, field, isObject } from './json.js';
import { hasMembers, isMembersTarget, memberFilterIds, memberIds, type MemberOp } from './members.js';
import { checkImmutable, checkRequired } from './normalize.js';
import { forEachAttribute, resolvePath, type AttributeTarget, type Target } from './target.js';

export type { MemberOp } from './members.js';

/** The most operations one PATCH request may carry; more is a 400 `invalidValue`. */
export const maxPatchOperations = 1000;

export interface PatchOptions {
  /** whether `members` may be changed; defaults to whether the resource type has members (Group) */
  memberSupport?: boolean;
  /**
   * add/replace through a value filter that matches nothing: `create` (default; Entra, checklist P8) adds a
   * value from the filter's `eq` terms, `noTarget` is RFC 7644's 400 (the directory's dialect setting)
   */
  unmatchedFilter?: 'create' | 'noTarget';
}

export interface PatchResult {
  /** the new stored document (a new object; the input is never modified) */
  attributes: Record<string, unknown>;
  /** whether `attributes` differs from the input; member operations are not counted (the store knows) */
  changed: boolean;
  /** membership changes for the store to apply, in order */
  memberOps: MemberOp[];
}

interface PatchContext {
  schema: ResourceSchema;
  doc: Record<string, unknown>;
  /** extension URNs listed in `schemas` (a removed extension leaves the list) */
  listed: Set<string>;
  memberSupport: boolean;
  unmatchedFilter: 'create' | 'noTarget';
  memberOps: MemberOp[];
}

/**
 * Applies a SCIM PatchOp body (RFC 7644 §3.5.2) to a stored document, all or nothing (checklist P11):
 * the first failing operation throws a ScimError naming it, and nothing is returned.
 * - The body needs `schemas` with the PatchOp URN and an `Operations` array (else 400 `invalidSyntax`);
 *   `Operations: []` is a successful no-op (Entra's validator sends it); more than 1000 is `invalidValue`.
 * - `op` is case-insensitive (Entra sends `Replace`); anything but add/replace/remove is `invalidSyntax`.
 *   add and replace need a `value` (`invalidValue`); an empty `path` counts as no path.
 * - Paths: see `resolvePath`; an unknown attribute is 400 `invalidPath`.
 * - Without path, add/replace take an object of attributes (as in a resource body: dotted and URN keys,
 *   extension containers; unknown keys, `schemas` and readOnly keys such as `id` and `meta` are ignored);
 *   remove without path is 400 `noTarget`.
 * - A path to a readOnly attribute (`id`, `meta`, `groups`, `manager.displayName`) is 400 `mutability`,
 *   so is removing a required attribute (`userName`) or changing an immutable one; a required attribute
 *   replaced by null or "" is 400 `invalidValue`. `password` is accepted and ignored: it is never stored.
 * - Values are typed as in `normalizeResource` (booleans from "True"/"False", checklist P13); attribute
 *   semantics are those of `applyToAttribute` (merge, append without duplicates, valuePaths, P4–P8).
 * - Group `members` become `memberOps` (checklist P9): add → add, replace → replace, remove with a value
 *   array → remove (Entra, JumpCloud), remove `members[value eq "a" or value eq "b"]` → remove (Okta),
 *   remove without value → removeAll. Member sub-attributes cannot be targeted (`invalidPath`).
 */
export function applyPatch(
  attributes: Record<string, unknown>,
  body: unknown,
  schema: ResourceSchema,
  options?: PatchOptions,
): PatchResult {
  const operations = readOperations(body);
  const doc = structuredClone(attributes);
  const listed = new Set(Array.isArray(doc.schemas) ? doc.schemas.filter((s): s is string => typeof s === 'string') : []);
  const context: PatchContext = { schema, doc, listed, memberSupport: options?.memberSupport ?? hasMembers(schema), unmatchedFilter: options?.unmatchedFilter ?? 'create', memberOps: [] };
  operations.forEach((operation, index) => {
    try {
      applyOperation(context, operation);
    } catch (error) {
      throw error instanceof ScimError ? new ScimError(error.status, `Operations[${index}]: ${error.message}`, error.scimType) : error;
    }
  });
  doc.schemas = schemasOf(doc, schema, listed);
  checkRequired(doc, schema);
  checkImmutable(attributes, doc, schema);
  return { attributes: doc, changed: !deepEqual(attributes, doc), memberOps: context.memberOps };
}

function readOperations(body: unknown): unknown[] {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'the request body must be a JSON object');
  const schemas = field(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === URN.patchOp.toLowerCase())) {
    throw ScimError.badRequest('invalidSyntax', `"schemas" must be ["${URN.patchOp}"]`);
  }
  const operations = field(body, 'Operations');
  if (!Array.isArray(operations)) throw ScimError.badRequest('invalidSyntax', '"Operations" must be an array of operations');
  if (operations.length > maxPatchOperations) {
    throw ScimError.badRequest('invalidValue', `a PATCH request may carry at most ${maxPatchOperations} operations, not ${operations.length}`);
  }
  return operations;
}

function applyOperation(context: PatchContext, operation: unknown): void {
  if (!isObject(operation)) throw ScimError.badRequest('invalidSyntax', `an operation must be an object, not ${describe(operation)}`);
  const name = field(operation, 'op');
  const op = typeof name === 'string' ? name.toLowerCase() : undefined;
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw ScimError.badRequest('invalidSyntax', `"op" must be "add", "replace" or "remove", not ${JSON.stringify(name) ?? 'nothing'}`);
  }
  const value = field(operation, 'value');
  if (op !== 'remove' && value === undefined) throw ScimError.badRequest('invalidValue', `"${op}" needs a "value"`);
  const path = field(operation, 'path');
  if (path !== undefined && path !== null && typeof path !== 'string') throw ScimError.badRequest('invalidPath', '"path" must be a string');
  if (path === undefined || path === null || path === '') {
    if (op === 'remove') throw ScimError.badRequest('noTarget', '"remove" needs a "path"');
    if (!isObject(value)) throw ScimError.badRequest('invalidValue', `"${op}" without a path needs an object of attributes as its value`);
    forEachAttribute(context.schema, value, (target, v) => applyToTarget(context, op, target, v));
    return;
  }
  applyToTarget(context, op, resolvePath(context.schema, path), value);
}

function applyToTarget(context: PatchContext, op: OperationKind, target: Target, value: unknown): void {
  if (target.kind === 'extension') {
    const urn = target.schema.id;
    if (op === 'remove' || (op === 'replace' && value === null)) {
      delete context.doc[urn];
      context.listed.delete(urn);
    } else if (isObject(value)) {
      forEachAttribute(context.schema, value, (t, v) => applyToTarget(context, op, t, v), target.schema);
    } else if (value !== null) {
      throw ScimError.badRequest('invalidValue', `${urn} must be an object of extension attributes`);
    }
    return;
  }
  if (isMembersTarget(target, context.schema)) return applyToMembers(context, op, target, value);
  const { attribute } = target.ref;
  const mutability = target.sub?.mutability ?? attribute.mutability;
  if (attribute.mutability === 'readOnly' || mutability === 'readOnly') {
    throw ScimError.badRequest('mutability', `${target.label} is read-only`);
  }
  if (mutability === 'writeOnly') return;
  if (op === 'remove' && attribute.required && !target.sub && !target.filter) {
    throw ScimError.badRequest('mutability', `${target.label} is required and cannot be removed`);
  }
  applyToAttribute(context.doc, op, target, value, context.unmatchedFilter);
}

function applyToMembers(context: PatchContext, op: OperationKind, target: AttributeTarget, value: unknown): void {
  if (!context.memberSupport) throw ScimError.badRequest('invalidPath', 'group membership cannot be changed here');
  if (target.sub) {
    throw ScimError.badRequest('invalidPath', `${target.label} cannot be changed: add, replace or remove whole members`);
  }
  const ops = context.memberOps;
  if (target.filter) {
    if (op !== 'remove') throw ScimError.badRequest('invalidPath', 'a members filter can only be used to remove members');
    ops.push({ op: 'remove', values: memberFilterIds(target.filter) });
    return;
  }
  if (op === 'replace') {
    ops.push({ op: 'replace', values: memberIds(value) });
  } else if (op === 'remove' && (value === undefined || value === null)) {
    ops.push({ op: 'removeAll' });
  } else {
    const values = memberIds(value);
    if (values.length > 0) ops.push({ op, values });
  }
}
