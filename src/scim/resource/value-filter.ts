import type { AttributeDef } from '../schema/attribute.js';
import { findAttribute } from '../schema/resolve-path.js';
import type { AttrPath, CompareOp, Filter, FilterValue } from '../filter/ast.js';
import { ScimError } from '../errors.js';
import { isObject } from './json.js';

/** Decides whether one value of a multi-valued complex attribute matches a valuePath filter. */
export type ValueMatcher = (element: unknown) => boolean;

/**
 * Compiles the filter of a valuePath (`emails[type eq "work" and value co "@corp"]`) against the
 * sub-attributes of `parent`, so that errors do not depend on the data: unknown sub-attributes, nested
 * valuePaths, ordering operators on booleans or binaries, substring operators on numbers and booleans, and
 * values of the wrong type are 400 `invalidFilter`. Strings compare as the sub-attribute's `caseExact` says,
 * dateTimes as instants; a missing sub-attribute matches only `ne` (and `eq null`).
 */
export function compileValueFilter(filter: Filter, parent: AttributeDef): ValueMatcher {
  switch (filter.kind) {
    case 'and': {
      const parts = filter.filters.map((f) => compileValueFilter(f, parent));
      return (element) => parts.every((part) => part(element));
    }
    case 'or': {
      const parts = filter.filters.map((f) => compileValueFilter(f, parent));
      return (element) => parts.some((part) => part(element));
    }
    case 'not': {
      const inner = compileValueFilter(filter.filter, parent);
      return (element) => !inner(element);
    }
    case 'present': {
      const sub = subAttribute(filter.path, parent);
      return (element) => isPresent(read(element, sub));
    }
    case 'compare': {
      const sub = subAttribute(filter.path, parent);
      const test = comparator(filter.op, filter.value, sub, filter.path.text);
      return (element) => test(read(element, sub));
    }
    case 'valuePath':
      throw invalidFilter(`"${filter.path.text}[…]" cannot be nested inside the filter of ${parent.name}`);
  }
}

/** `compileValueFilter` for a single evaluation. */
export function matchesValueFilter(element: unknown, filter: Filter, parent: AttributeDef): boolean {
  return compileValueFilter(filter, parent)(element);
}

/**
 * The value a filter describes, when it is one `eq` term or an `and` of them (`type eq "work"` gives
 * `{type: "work"}`): what an Entra-style add/replace on an unmatched valuePath creates. Otherwise undefined.
 */
export function equalityTerms(filter: Filter, parent: AttributeDef): Record<string, FilterValue> | undefined {
  const terms = filter.kind === 'and' ? filter.filters : [filter];
  const value: Record<string, FilterValue> = {};
  for (const term of terms) {
    if (term.kind !== 'compare' || term.op !== 'eq' || term.value === null) return undefined;
    const { name } = subAttribute(term.path, parent);
    if (Object.hasOwn(value, name) && value[name] !== term.value) return undefined;
    value[name] = term.value;
  }
  return value;
}

function subAttribute(path: AttrPath, parent: AttributeDef): AttributeDef {
  const sub = path.uri === undefined && path.sub === undefined ? findAttribute(parent.subAttributes ?? [], path.name) : undefined;
  if (!sub) throw invalidFilter(`"${path.text}" is not a sub-attribute of ${parent.name}`);
  return sub;
}

function read(element: unknown, sub: AttributeDef): unknown {
  return isObject(element) ? element[sub.name] : undefined;
}

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return !isObject(value) || Object.keys(value).length > 0;
}

type Test = (actual: unknown) => boolean;

function comparator(op: CompareOp, expected: FilterValue, sub: AttributeDef, label: string): Test {
  if (expected === null) {
    if (op === 'eq') return (actual) => !isPresent(actual);
    if (op === 'ne') return isPresent;
    throw invalidFilter(`"${label} ${op} null": null can only be compared with eq or ne`);
  }
  const test = typedComparator(op, expected, sub, label);
  return op === 'ne' ? (actual) => !test(actual) : test;
}

/** The comparison for every operator but `ne`, which negates `eq`. */
function typedComparator(op: CompareOp, expected: string | number | boolean, sub: AttributeDef, label: string): Test {
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  switch (sub.type) {
    case 'boolean': {
      const wanted = typeof expected === 'string' && /^(true|false)$/i.test(expected) ? expected.toLowerCase() === 'true' : expected;
      if (ordering || substring) throw invalidFilter(`"${label}" is a boolean: only eq, ne and pr apply`);
      if (typeof wanted !== 'boolean') throw invalidFilter(`"${label}" is a boolean; compare it with true or false`);
      return (actual) => actual === wanted;
    }
    case 'integer':
    case 'decimal': {
      if (substring) throw invalidFilter(`"${label}" is a number: ${op} does not apply`);
      if (typeof expected !== 'number') throw invalidFilter(`"${label}" is a number; compare it with a number`);
      return (actual) => typeof actual === 'number' && order(op, actual - expected);
    }
    case 'dateTime': {
      if (substring) return stringComparator(op, expected, false, label);
      const instant = typeof expected === 'string' ? Date.parse(expected) : Number.NaN;
      if (Number.isNaN(instant)) throw invalidFilter(`"${label}" is a dateTime; compare it with an ISO 8601 string`);
      return (actual) => typeof actual === 'string' && !Number.isNaN(Date.parse(actual)) && order(op, Date.parse(actual) - instant);
    }
    case 'binary':
      if (ordering) throw invalidFilter(`"${label}" is binary: ${op} does not apply`);
      return stringComparator(op, expected, sub.caseExact, label);
    case 'string':
    case 'reference':
      return stringComparator(op, expected, sub.caseExact, label);
    case 'complex':
      throw invalidFilter(`"${label}" is complex and cannot be compared`);
  }
}

function stringComparator(op: CompareOp, expected: string | number | boolean, caseExact: boolean, label: string): Test {
  if (typeof expected !== 'string') throw invalidFilter(`"${label}" is a string; compare it with a quoted string`);
  const fold = (text: string): string => (caseExact ? text : text.toLowerCase());
  const wanted = fold(expected);
  return (actual) => {
    if (typeof actual !== 'string') return false;
    const value = fold(actual);
    if (op === 'co') return value.includes(wanted);
    if (op === 'sw') return value.startsWith(wanted);
    if (op === 'ew') return value.endsWith(wanted);
    return order(op, value < wanted ? -1 : value > wanted ? 1 : 0);
  };
}

/** Applies eq/ne/gt/ge/lt/le to the sign of a difference (ne is handled by the caller as not-eq). */
function order(op: CompareOp, difference: number): boolean {
  switch (op) {
    case 'gt':
      return difference > 0;
    case 'ge':
      return difference >= 0;
    case 'lt':
      return difference < 0;
    case 'le':
      return difference <= 0;
    default:
      return difference === 0;
  }
}

function invalidFilter(detail: string): ScimError {
  return ScimError.badRequest('invalidFilter', detail);
}
