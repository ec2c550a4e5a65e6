import type { AttributeDef, SchemaDef } from '../schema/attribute.js';
import type { ResourceSchema } from '../schema/resource-types.js';
import { PathError, resolveAttributePath, resolveSubAttribute, splitUrn } from '../schema/resolve-path.js';
import type { AttrPath, Filter } from '../filter/ast.js';
import { parsePatchPath } from '../filter/parse-path.js';
import { ScimError } from '../errors.js';
import type { AttributeRef } from './document.js';
import { isObject } from './json.js';

/** One attribute, or one of its sub-attributes, optionally narrowed by a valuePath filter. */
export interface AttributeTarget {
  kind: 'attribute';
  ref: AttributeRef;
  sub?: AttributeDef;
  /** `emails[type eq "work"]`: only on multi-valued complex attributes */
  filter?: Filter;
  /** the canonical path, for error messages */
  label: string;
}

/** A whole extension container (`urn:…:enterprise:2.0:User`). */
export interface ExtensionTarget {
  kind: 'extension';
  schema: SchemaDef;
}

export type Target = AttributeTarget | ExtensionTarget;

/**
 * Resolves a PATCH `path` (also used for `attributes=` names): case-insensitive, optionally URN-qualified,
 * `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`, or a bare extension URN.
 * Throws 400 `invalidPath` for malformed paths and unknown attributes.
 */
export function resolvePath(schema: ResourceSchema, text: string): Target {
  const parsed = parsePatchPath(text);
  const target = resolveOrThrow(schema, pathText(parsed.path));
  if (parsed.filter === undefined && parsed.sub === undefined) return target;
  if (target.kind !== 'attribute' || target.sub || !target.ref.attribute.multiValued || target.ref.attribute.type !== 'complex') {
    throw ScimError.badRequest('invalidPath', `"${text}": a value filter applies only to a multi-valued complex attribute`);
  }
  if (parsed.filter !== undefined) target.filter = parsed.filter;
  if (parsed.sub !== undefined) {
    try {
      target.sub = resolveSubAttribute(target.ref.attribute, parsed.sub);
    } catch (error) {
      throw pathError(error);
    }
    target.label += `.${target.sub.name}`;
  }
  return target;
}

/**
 * Calls `visit` for each attribute named by the keys of a client object: a resource body, or the value of
 * a PATCH add/replace without path. Keys are case-insensitive and may be dotted (`name.givenName`) or
 * URN-qualified; an extension container (`"urn:…:User": {…}`) is expanded into its attributes, and a null
 * container is visited as an ExtensionTarget. Skipped silently: `schemas`, unknown names (checklist C10),
 * readOnly attributes (`id`, `meta`, `groups`; RFC 7644 §3.5.1) and writeOnly ones (`password`, never stored).
 */
export function forEachAttribute(
  schema: ResourceSchema,
  object: Record<string, unknown>,
  visit: (target: Target, value: unknown) => void,
  extension?: SchemaDef,
): void {
  for (const [key, value] of Object.entries(object)) {
    if (key.toLowerCase() === 'schemas') continue;
    const target = resolveKey(schema, extension ? `${extension.id}:${key}` : key);
    if (target === undefined) continue;
    if (target.kind === 'extension') {
      if (extension) continue;
      if (isObject(value)) forEachAttribute(schema, value, visit, target.schema);
      else if (value === null) visit(target, null);
      else throw ScimError.badRequest('invalidValue', `${target.schema.id} must be an object of extension attributes`);
    } else if (isWritable(target)) {
      visit(target, value);
    }
  }
}

/** Resolves a key of a client object to a target, or undefined for an unknown name. */
export function resolveKey(schema: ResourceSchema, key: string): Target | undefined {
  try {
    return resolveName(schema, key);
  } catch (error) {
    if (error instanceof PathError) return undefined;
    throw error;
  }
}

function isWritable(target: AttributeTarget): boolean {
  const { mutability } = target.sub ?? target.ref.attribute;
  return target.ref.attribute.mutability !== 'readOnly' && mutability !== 'readOnly' && mutability !== 'writeOnly';
}

function resolveOrThrow(schema: ResourceSchema, name: string): Target {
  try {
    return resolveName(schema, name);
  } catch (error) {
    throw pathError(error);
  }
}

function resolveName(schema: ResourceSchema, name: string): Target {
  const { urn, extension, rest } = splitUrn(schema, name);
  if (rest === '') {
    const ext = extension ? schema.extensions.find((s) => s.id === urn) : undefined;
    if (!ext) throw new PathError(`"${name}" names the core schema, not an attribute`);
    return { kind: 'extension', schema: ext };
  }
  const resolved = resolveAttributePath(schema, name);
  const prefix = resolved.extension ? `${resolved.schema}:` : '';
  return {
    kind: 'attribute',
    ref: { extension: resolved.extension ? resolved.schema : undefined, attribute: resolved.attribute },
    ...(resolved.sub ? { sub: resolved.sub } : {}),
    label: `${prefix}${resolved.attribute.name}${resolved.sub ? `.${resolved.sub.name}` : ''}`,
  };
}

/** `uri:name.sub` from its parts (the parser keeps the URN apart; a bare URN has an empty name). */
function pathText({ uri, name, sub }: AttrPath): string {
  const qualified = uri === undefined ? name : name === '' ? uri : `${uri}:${name}`;
  return sub === undefined ? qualified : `${qualified}.${sub}`;
}

function pathError(error: unknown): unknown {
  return error instanceof PathError ? ScimError.badRequest('invalidPath', error.message) : error;
}
