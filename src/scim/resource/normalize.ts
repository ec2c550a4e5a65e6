import type { ResourceSchema } from '../schema/resource-types.js';
import { ScimError } from '../errors.js';
import { applyToAttribute } from './attribute-ops.js';
import { attributeRefs, readAttribute, schemasOf } from './document.js';
import { deepEqual, field, isObject, nestsDeeperThan } from './json.js';
import { hasMembers, isMembersTarget, memberIds } from './members.js';
import { forEachAttribute, resolveKey } from './target.js';

/** The deepest nesting of objects and arrays accepted in a body (a resource needs 4; `raw` keeps the rest). */
export const maxBodyDepth = 32;

/** A client resource body in stored form. */
export interface NormalizedResource {
  /** the stored document: canonical names, extension containers, no id/meta/groups/members/password */
  attributes: Record<string, unknown>;
  /** the body as received, minus the password (a deep copy) */
  raw: Record<string, unknown>;
  /**
   * Group member ids, de-duplicated. On create, always set (`[]` without `members`). On replace, undefined
   * when the body has no `members` key: the store then keeps the current members, so that a rename by PUT
   * does not empty a group; `"members": []` or null empties it.
   */
  members?: string[];
}

/**
 * Validates a POST or PUT body (RFC 7643, RFC 7644 §3.3 and §3.5.1) and returns its stored form.
 * - The body must be an object nesting at most `maxBodyDepth` levels (else 400 `invalidSyntax`).
 * - `schemas` must be an array of strings (else `invalidSyntax`) that is non-empty, names the core schema,
 *   has no duplicates and no unknown URN (else `invalidValue`). Comparisons are case-insensitive. An
 *   extension listed without a container is fine (JumpCloud); a container whose URN is not listed is
 *   accepted and its URN added.
 * - Attribute names are case-insensitive; dotted and URN-qualified keys are accepted. Unknown attributes
 *   are ignored (checklist C10; they stay in `raw`); readOnly ones (`id`, `meta`, `groups`) are ignored
 *   (C3); `password` is never stored.
 * - Values are typed and canonicalised as `coerceValue` says; null and [] mean unset.
 * - Required attributes (`userName`, `displayName`) must be non-empty strings (400 `invalidValue`).
 */
export function normalizeResource(body: unknown, schema: ResourceSchema, mode: 'create' | 'replace'): NormalizedResource {
  if (!isObject(body)) throw ScimError.badRequest('invalidSyntax', 'the request body must be a JSON object');
  if (nestsDeeperThan(body, maxBodyDepth)) throw ScimError.badRequest('invalidSyntax', `the request body nests deeper than ${maxBodyDepth} levels`);
  const listed = listedSchemas(body, schema);
  const doc: Record<string, unknown> = {};
  let members: string[] | undefined = mode === 'create' && hasMembers(schema) ? [] : undefined;
  forEachAttribute(schema, body, (target, value) => {
    if (target.kind === 'extension') return;
    if (isMembersTarget(target, schema)) members = memberIds(value);
    else applyToAttribute(doc, 'replace', target, value);
  });
  const attributes = { schemas: schemasOf(doc, schema, listed), ...doc };
  checkRequired(attributes, schema);
  return { attributes, raw: rawBody(body, schema), ...(members ? { members } : {}) };
}

/**
 * Rejects a document that lacks a required attribute, or has it as an empty string, with 400
 * `invalidValue`; also a missing container of an extension the resource type requires (checklist C13).
 */
export function checkRequired(doc: Record<string, unknown>, schema: ResourceSchema): void {
  for (const ext of schema.type.schemaExtensions) {
    if (ext.required && !isObject(doc[ext.schema])) throw ScimError.badRequest('invalidValue', `the extension ${ext.schema} is required`);
  }
  for (const ref of attributeRefs(schema)) {
    const { attribute } = ref;
    if (!attribute.required || attribute.mutability === 'readOnly') continue;
    if (ref.extension !== undefined && !isObject(doc[ref.extension])) continue;
    const value = readAttribute(doc, ref);
    if (value === undefined || (typeof value === 'string' && value.trim() === '')) {
      throw ScimError.badRequest('invalidValue', `${attribute.name} is required and must not be empty`);
    }
  }
}

/**
 * Rejects a change to an immutable attribute (or to an immutable sub-attribute of a single-valued complex
 * one) that already has a value, with 400 `mutability` (RFC 7643 §2.2, checklist C7). Removing such a
 * value counts as a change; setting it for the first time does not.
 */
export function checkImmutable(existing: Record<string, unknown>, next: Record<string, unknown>, schema: ResourceSchema): void {
  for (const ref of attributeRefs(schema)) {
    const before = readAttribute(existing, ref);
    const after = readAttribute(next, ref);
    const { attribute } = ref;
    if (attribute.mutability === 'immutable') {
      if (before !== undefined && !deepEqual(before, after)) throw immutableChanged(attribute.name);
    } else if (attribute.type === 'complex' && !attribute.multiValued && isObject(before)) {
      for (const sub of attribute.subAttributes ?? []) {
        const changed = sub.mutability === 'immutable' && before[sub.name] !== undefined;
        if (changed && !deepEqual(before[sub.name], isObject(after) ? after[sub.name] : undefined)) {
          throw immutableChanged(`${attribute.name}.${sub.name}`);
        }
      }
    }
  }
}

function immutableChanged(name: string): ScimError {
  return ScimError.badRequest('mutability', `${name} is immutable and cannot be changed`);
}

/** The extension URNs listed in `schemas`, in canonical spelling, after validating the list. */
function listedSchemas(body: Record<string, unknown>, schema: ResourceSchema): Set<string> {
  const list = field(body, 'schemas');
  if (!Array.isArray(list) || !list.every((s) => typeof s === 'string')) {
    throw ScimError.badRequest('invalidSyntax', '"schemas" must be an array of schema URNs');
  }
  const known = [schema.core, ...schema.extensions];
  const seen = new Set<string>();
  for (const urn of list as string[]) {
    const match = known.find((s) => s.id.toLowerCase() === urn.toLowerCase());
    if (!match) throw ScimError.badRequest('invalidValue', `unknown schema "${urn}" for a ${schema.type.name}`);
    if (seen.has(match.id)) throw ScimError.badRequest('invalidValue', `"schemas" lists ${match.id} twice`);
    seen.add(match.id);
  }
  if (!seen.has(schema.core.id)) throw ScimError.badRequest('invalidValue', `"schemas" must include ${schema.core.id}`);
  return seen;
}

/** A deep copy of the body without writeOnly attributes (the password). */
function rawBody(body: Record<string, unknown>, schema: ResourceSchema): Record<string, unknown> {
  const raw = structuredClone(body);
  for (const key of Object.keys(raw)) {
    // `schemas` names no attribute (resolving it would build and throw a PathError on every request)
    if (key.toLowerCase() === 'schemas') continue;
    const target = resolveKey(schema, key);
    if (target?.kind === 'attribute' && target.ref.attribute.mutability === 'writeOnly') delete raw[key];
  }
  return raw;
}
