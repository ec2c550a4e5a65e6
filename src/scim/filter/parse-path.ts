import { ScimError } from '../errors.js';
import type { AttrPath, Filter } from './ast.js';
import { FilterParser } from './parse-filter.js';

/** A PATCH operation's target, RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`. */
export interface PatchPath {
  /** the attribute; a bare schema URN (the whole extension) gives `{ uri: <URN>, name: '' }` */
  path: AttrPath;
  /** the valuePath filter selecting values of a multi-valued attribute: `members[value eq "a"]` */
  filter?: Filter;
  /** the sub-attribute after the valuePath: `emails[type eq "work"].value` → `value` */
  sub?: string;
}

/**
 * Parses a PATCH path: `members`, `name.givenName`, `emails[type eq "work"].value`,
 * `urn:…:enterprise:2.0:User:manager.value`, or a bare extension URN. Throws a 400 ScimError with scimType
 * `invalidPath` (also for syntax errors inside the valuePath filter).
 */
export function parsePatchPath(text: string): PatchPath {
  const parser = new FilterParser(text, 'invalidPath');
  if (parser.atEnd) throw new ScimError(400, 'Empty PATCH path', 'invalidPath');
  const path = parser.attrPath(true);
  const filter = parser.valueFilter(path);
  const sub = filter === undefined ? undefined : parser.subAttr();
  parser.expectEnd('the end of the path');
  return { path, ...(filter === undefined ? {} : { filter }), ...(sub === undefined ? {} : { sub: sub.name }) };
}
