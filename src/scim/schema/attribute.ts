/**
 * SCIM attribute and schema metadata (RFC 7643 §2, §7).
 * Every protocol behaviour that depends on an attribute (case-exactness of comparisons, mutability in
 * PUT/PATCH, `returned` in projections, typing in filters) reads it from these definitions.
 */

export type AttributeType =
  | 'string'
  | 'boolean'
  | 'decimal'
  | 'integer'
  | 'dateTime'
  | 'reference'
  | 'binary'
  | 'complex';

export type Mutability = 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
export type Returned = 'always' | 'never' | 'default' | 'request';
export type Uniqueness = 'none' | 'server' | 'global';

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export interface ResourceTypeDef {
  id: 'User' | 'Group';
  name: string;
  endpoint: '/Users' | '/Groups';
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

type AttrOptions = Partial<Omit<AttributeDef, 'name' | 'type'>>;

/** Builds an attribute with RFC 7643 §2.2 defaults (readWrite, returned default, not required, caseExact false). */
export function attr(name: string, type: AttributeType, options: AttrOptions = {}): AttributeDef {
  return {
    name,
    type,
    multiValued: options.multiValued ?? false,
    description: options.description ?? '',
    required: options.required ?? false,
    caseExact: options.caseExact ?? false,
    mutability: options.mutability ?? 'readWrite',
    returned: options.returned ?? 'default',
    uniqueness: options.uniqueness ?? 'none',
    ...(options.canonicalValues ? { canonicalValues: options.canonicalValues } : {}),
    ...(options.referenceTypes ? { referenceTypes: options.referenceTypes } : {}),
    ...(options.subAttributes ? { subAttributes: options.subAttributes } : {}),
  };
}

/** The usual sub-attributes of a multi-valued complex attribute: value, display, type, primary (RFC 7643 §2.4). */
export function multiValuedSubAttributes(
  valueType: AttributeType,
  types: string[] | undefined,
  extra: AttributeDef[] = [],
): AttributeDef[] {
  return [
    attr('value', valueType, { description: 'The attribute value.' }),
    attr('display', 'string', { description: 'A human-readable name, primarily used for display purposes.' }),
    attr('type', 'string', {
      description: "A label indicating the attribute's function.",
      ...(types ? { canonicalValues: types } : {}),
    }),
    attr('primary', 'boolean', { description: 'Indicates the primary or preferred value. At most one value is primary.' }),
    ...extra,
  ];
}
