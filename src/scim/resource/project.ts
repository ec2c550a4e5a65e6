import type { AttributeDef } from '../schema/attribute.js';
import type { ResourceSchema } from '../schema/resource-types.js';
import { ScimError } from '../errors.js';
import type { AttributeRef } from './document.js';
import { isObject } from './json.js';
import { resolvePath } from './target.js';
import { compileValueFilter, type ValueMatcher } from './value-filter.js';

/** The `attributes` and `excludedAttributes` query (or SearchRequest) parameters, as given. */
export interface ProjectionParams {
  attributes?: string;
  excludedAttributes?: string;
}

/** What a list names of one attribute: all or some sub-attributes, of all values or of the filtered ones. */
interface Pick {
  subs: 'all' | Set<string>;
  matchers: 'all' | ValueMatcher[];
}

interface Selection {
  /** by `refKey` */
  attributes: Map<string, Pick>;
  /** whole extensions named by their URN */
  extensions: Set<string>;
}

const everything: Pick = { subs: 'all', matchers: 'all' };

/**
 * Splits an `attributes` list at the commas that are outside brackets and quotes
 * (`emails[type eq "a,b"],name.givenName`), trimming each name and dropping empty ones. After an
 * unterminated bracket or quote, every comma splits.
 */
export function parseAttributeList(text: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      names.push(text.slice(start, i));
      start = i + 1;
    }
  }
  const rest = text.slice(start);
  // an unterminated bracket or quote must not swallow the names after it
  names.push(...(depth > 0 || quoted ? rest.split(',') : [rest]));
  return names.map((name) => name.trim()).filter((name) => name !== '');
}

/**
 * Whether a projection returns (some of) a `returned: default` attribute such as `members` or `groups`, so
 * that the store can skip loading it: false when `excludedAttributes` names the whole attribute, or when
 * `attributes` is given and does not name it (nor one of its sub-attributes or a filter on it).
 * Names are compared case-insensitively, with any schema URN prefix ignored.
 */
export function wantsAttribute(params: ProjectionParams, name: string): boolean {
  const wanted = name.toLowerCase();
  const excluded = parseAttributeList(params.excludedAttributes ?? '').some((entry) => entry.toLowerCase().replace(/^urn:.*:/, '') === wanted);
  if (excluded) return false;
  const included = parseAttributeList(params.attributes ?? '');
  return included.length === 0 || included.some((entry) => baseName(entry) === wanted);
}

/**
 * Projects a full resource (with `id`, `meta`, `schemas`, `members`/`groups`) for a response (RFC 7644
 * §3.4.2.5, §3.9; checklist F11, F12, C9):
 * - names are comma-separated, case-insensitive, optionally URN-qualified, and may name a sub-attribute
 *   (`name.givenName`, `emails.value`, `meta.lastModified`), a whole extension by its URN, or a filtered
 *   attribute: `emails[type eq "work"]` returns only the matching emails (MS sends this);
 * - unknown or malformed names are ignored;
 * - `schemas` and `returned: always` attributes (`id`) are always returned, `returned: never` ones
 *   (`password`) never, `returned: request` ones only when named in `attributes`;
 * - `meta` is returned unless excluded, whatever `attributes` says;
 * - with `attributes`, only the named attributes are returned (and unknown keys of the resource are dropped);
 *   `excludedAttributes` then removes what it names from the result.
 */
export function projectResource(resource: Record<string, unknown>, schema: ResourceSchema, params: ProjectionParams): Record<string, unknown> {
  const include = selectionOf(schema, params.attributes);
  const exclude = selectionOf(schema, params.excludedAttributes);
  const projected: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    const extension = schema.extensions.find((ext) => ext.id === key);
    let result: unknown;
    if (key === 'schemas') result = value;
    else if (!extension) result = projectMember(value, schema.coreAttributes, undefined, key, include, exclude);
    else if (isObject(value) && !exclude?.extensions.has(extension.id)) {
      const container: Record<string, unknown> = {};
      for (const [name, inner] of Object.entries(value)) {
        const v = projectMember(inner, extension.attributes, extension.id, name, include, exclude);
        if (v !== undefined) container[name] = v;
      }
      if (Object.keys(container).length > 0) result = container;
    }
    if (result !== undefined) projected[key] = result;
  }
  return projected;
}

/** `emails[type eq "x"].value` → `emails`; `urn:…:Group:members.value` → `members` (lower case). */
function baseName(entry: string): string {
  const path = entry.split('[', 1)[0]!.toLowerCase();
  return path.slice(path.lastIndexOf(':') + 1).split('.', 1)[0]!;
}

function refKey(ref: AttributeRef): string {
  return `${ref.extension ?? ''}|${ref.attribute.name}`;
}

function selectionOf(schema: ResourceSchema, text: string | undefined): Selection | undefined {
  const names = parseAttributeList(text ?? '');
  if (names.length === 0) return undefined;
  const selection: Selection = { attributes: new Map(), extensions: new Set() };
  for (const name of names) {
    try {
      const target = resolvePath(schema, name);
      if (target.kind === 'extension') {
        selection.extensions.add(target.schema.id);
        continue;
      }
      const pick: Pick = {
        subs: target.sub ? new Set([target.sub.name]) : 'all',
        matchers: target.filter ? [compileValueFilter(target.filter, target.ref.attribute)] : 'all',
      };
      const key = refKey(target.ref);
      selection.attributes.set(key, merge(selection.attributes.get(key), pick));
    } catch (error) {
      if (!(error instanceof ScimError)) throw error;
    }
  }
  return selection;
}

function merge(a: Pick | undefined, b: Pick): Pick {
  if (!a) return b;
  return {
    subs: a.subs === 'all' || b.subs === 'all' ? 'all' : new Set([...a.subs, ...b.subs]),
    matchers: a.matchers === 'all' || b.matchers === 'all' ? 'all' : [...a.matchers, ...b.matchers],
  };
}

/** The projection of one key of the resource (or of an extension container), or undefined to drop it. */
function projectMember(
  value: unknown,
  definitions: readonly AttributeDef[],
  extension: string | undefined,
  key: string,
  include: Selection | undefined,
  exclude: Selection | undefined,
): unknown {
  const attribute = definitions.find((a) => a.name === key);
  if (!attribute) return include ? undefined : value;
  if (attribute.returned === 'never') return undefined;
  if (attribute.returned === 'always') return value;
  const ref = { extension, attribute };
  const pick = includedPick(ref, include);
  if (!pick) return undefined;
  const excluded = exclude?.attributes.get(refKey(ref));
  const kept = keep(value, attribute, pick);
  return excluded && kept !== undefined ? drop(kept, attribute, excluded) : kept;
}

function includedPick(ref: AttributeRef, include: Selection | undefined): Pick | undefined {
  const { attribute, extension } = ref;
  const named = include?.attributes.get(refKey(ref));
  if (named) return named;
  if (attribute.returned === 'request') return undefined;
  if (!include || (extension === undefined && attribute.name === 'meta')) return everything;
  return extension !== undefined && include.extensions.has(extension) ? everything : undefined;
}

/** The part of a value that a pick names (returned rules of sub-attributes applied). */
function keep(value: unknown, attribute: AttributeDef, pick: Pick): unknown {
  if (attribute.type !== 'complex') return value;
  const narrow = (element: unknown): unknown => (isObject(element) ? restrict(element, attribute, pick.subs) : element);
  if (!attribute.multiValued) return isObject(value) ? narrow(value) : undefined;
  return nonEmptyList(elements(value).filter((element) => selects(pick, element)).map(narrow));
}

/** A value without what an `excludedAttributes` pick names (`returned: always` sub-attributes stay). */
function drop(value: unknown, attribute: AttributeDef, pick: Pick): unknown {
  const { subs } = pick;
  if (subs === 'all' && pick.matchers === 'all') return undefined;
  if (attribute.type !== 'complex') return value;
  const strip = (element: unknown): unknown => {
    if (!isObject(element)) return element;
    if (subs === 'all') return undefined;
    return nonEmpty(Object.fromEntries(Object.entries(element).filter(([name]) => !subs.has(name) || isAlways(attribute, name))));
  };
  if (!attribute.multiValued) return strip(value);
  return nonEmptyList(elements(value).map((element) => (selects(pick, element) ? strip(element) : element)));
}

function selects(pick: Pick, element: unknown): boolean {
  return pick.matchers === 'all' || pick.matchers.some((match) => match(element));
}

function elements(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function nonEmptyList(values: unknown[]): unknown[] | undefined {
  const kept = values.filter((value) => value !== undefined);
  return kept.length > 0 ? kept : undefined;
}

function restrict(element: Record<string, unknown>, attribute: AttributeDef, subs: 'all' | Set<string>): Record<string, unknown> | undefined {
  const kept = Object.entries(element).filter(([name]) => {
    const sub = attribute.subAttributes?.find((s) => s.name === name);
    if (!sub) return subs === 'all';
    if (sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    return subs === 'all' ? sub.returned !== 'request' : subs.has(name);
  });
  return nonEmpty(Object.fromEntries(kept));
}

function isAlways(attribute: AttributeDef, name: string): boolean {
  return attribute.subAttributes?.find((s) => s.name === name)?.returned === 'always';
}

function nonEmpty(object: Record<string, unknown>): Record<string, unknown> | undefined {
  return Object.keys(object).length > 0 ? object : undefined;
}
