import type { AttributeDef } from '../schema/attribute.js';
import type { ResourceSchema } from '../schema/resource-types.js';
import { isObject } from './json.js';

/**
 * Where an attribute lives in a stored resource document: at the top level (core and common attributes),
 * or in the container of an extension, keyed by its full URN. Keys are always canonical names.
 */
export interface AttributeRef {
  /** the extension URN, for an extension attribute */
  extension: string | undefined;
  attribute: AttributeDef;
}

export function readAttribute(doc: Record<string, unknown>, ref: AttributeRef): unknown {
  const holder = ref.extension === undefined ? doc : doc[ref.extension];
  return isObject(holder) ? holder[ref.attribute.name] : undefined;
}

/** Sets (or, for undefined, removes) an attribute; an extension container is created or dropped as needed. */
export function writeAttribute(doc: Record<string, unknown>, ref: AttributeRef, value: unknown): void {
  const name = ref.attribute.name;
  if (ref.extension === undefined) {
    if (value === undefined) delete doc[name];
    else doc[name] = value;
    return;
  }
  const container = isObject(doc[ref.extension]) ? (doc[ref.extension] as Record<string, unknown>) : {};
  if (value === undefined) delete container[name];
  else container[name] = value;
  if (Object.keys(container).length > 0) doc[ref.extension] = container;
  else delete doc[ref.extension];
}

/** Every attribute of a resource type with its location: core and common attributes, then extensions. */
export function attributeRefs(schema: ResourceSchema): AttributeRef[] {
  return [
    ...schema.coreAttributes.map((attribute) => ({ extension: undefined, attribute })),
    ...schema.extensions.flatMap((ext) => ext.attributes.map((attribute) => ({ extension: ext.id, attribute }))),
  ];
}

/**
 * The `schemas` of a stored document: the core URN, then, in resource-type order, each extension that the
 * client listed or whose container is present (a container whose URN was not listed is accepted).
 */
export function schemasOf(doc: Record<string, unknown>, schema: ResourceSchema, listed: ReadonlySet<string>): string[] {
  const extensions = schema.extensions.filter((ext) => listed.has(ext.id) || isObject(doc[ext.id]));
  return [schema.core.id, ...extensions.map((ext) => ext.id)];
}
