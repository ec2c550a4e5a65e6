/**
 * The SCIM filter syntax tree (RFC 7644 §3.4.2.2), as produced by `parseFilter` and `parsePatchPath`.
 * It is schema-agnostic: attribute names are kept as written and resolved later against a resource schema.
 */

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterValue = string | number | boolean | null;

/**
 * An attribute path, `[uri ":"] name ["." sub]`. `uri` is the schema URN prefix when the path is
 * qualified; `text` is the path exactly as written (for error messages).
 */
export interface AttrPath {
  uri?: string;
  name: string;
  sub?: string;
  text: string;
}

export type Filter =
  | { kind: 'compare'; path: AttrPath; op: CompareOp; value: FilterValue }
  | { kind: 'present'; path: AttrPath }
  /** flattened: at least two filters, none of them an `and` */
  | { kind: 'and'; filters: Filter[] }
  /** flattened: at least two filters, none of them an `or` */
  | { kind: 'or'; filters: Filter[] }
  | { kind: 'not'; filter: Filter }
  /** `attr[filter]`: the paths inside `filter` name sub-attributes of `path` */
  | { kind: 'valuePath'; path: AttrPath; filter: Filter };

export const compareOps: readonly CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
