import type { AttributeDef } from './attribute.js';
import type { ResourceSchema } from './resource-types.js';

/**
 * A resolved attribute reference. `schema` is the URN of the schema that holds the attribute: the core
 * schema for core and common attributes, or an extension URN. Names are the canonical spelling from the
 * schema definition, whatever case the client used (RFC 7643 §2.1: attribute names are case-insensitive).
 */
export interface ResolvedAttribute {
  schema: string;
  /** true when the attribute lives in an extension container (`"urn:…": {…}`) */
  extension: boolean;
  attribute: AttributeDef;
  sub?: AttributeDef;
}

export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

export function findAttribute(list: readonly AttributeDef[], name: string): AttributeDef | undefined {
  const wanted = name.toLowerCase();
  return list.find((a) => a.name.toLowerCase() === wanted);
}

/**
 * Splits an optional schema URN prefix from an attribute path: `urn:…:enterprise:2.0:User:manager.value`
 * → { urn: 'urn:…:enterprise:2.0:User', rest: 'manager.value' }. A path that *is* a schema URN (a PATCH
 * target for the whole extension) gives rest ''.
 */
export function splitUrn(resource: ResourceSchema, path: string): { urn: string | undefined; extension: boolean; rest: string } {
  const lower = path.toLowerCase();
  if (!lower.startsWith('urn:')) return { urn: undefined, extension: false, rest: path };
  // longest schema id first, so that an extension URN that extends the core URN text is not mistaken
  const candidates = [
    ...resource.extensions.map((s) => ({ id: s.id, extension: true })),
    { id: resource.core.id, extension: false },
  ].sort((a, b) => b.id.length - a.id.length);
  for (const c of candidates) {
    const id = c.id.toLowerCase();
    if (lower === id) return { urn: c.id, extension: c.extension, rest: '' };
    if (lower.startsWith(id + ':')) return { urn: c.id, extension: c.extension, rest: path.slice(id.length + 1) };
  }
  throw new PathError(`unknown schema in attribute path "${path}"`);
}

/**
 * Resolves `attr`, `attr.sub`, or a URN-qualified form of either, against a resource type's schemas.
 * Throws PathError for unknown attributes, unknown sub-attributes or too deep a path.
 */
export function resolveAttributePath(resource: ResourceSchema, path: string): ResolvedAttribute {
  const { urn, extension, rest } = splitUrn(resource, path);
  if (rest === '') throw new PathError(`attribute path "${path}" names a schema, not an attribute`);
  const parts = rest.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new PathError(`invalid attribute path "${path}"`);
  const [name, subName] = parts as [string, string | undefined];

  let attribute: AttributeDef | undefined;
  let schema: string;
  let inExtension = false;
  if (extension && urn) {
    const ext = resource.extensions.find((s) => s.id === urn);
    attribute = ext ? findAttribute(ext.attributes, name) : undefined;
    schema = urn;
    inExtension = true;
  } else {
    attribute = findAttribute(resource.coreAttributes, name);
    schema = resource.core.id;
  }
  if (!attribute) throw new PathError(`unknown attribute "${path}"`);
  if (subName === undefined) return { schema, extension: inExtension, attribute };
  const sub = attribute.subAttributes ? findAttribute(attribute.subAttributes, subName) : undefined;
  if (!sub) throw new PathError(`unknown sub-attribute "${path}"`);
  return { schema, extension: inExtension, attribute, sub };
}

/** Resolves a sub-attribute name inside a complex attribute (used inside valuePath filters). */
export function resolveSubAttribute(parent: AttributeDef, name: string): AttributeDef {
  const sub = parent.subAttributes ? findAttribute(parent.subAttributes, name) : undefined;
  if (!sub) throw new PathError(`unknown sub-attribute "${parent.name}.${name}"`);
  return sub;
}
