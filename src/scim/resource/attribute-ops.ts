import type { AttributeDef } from '../schema/attribute.js';
import type { Filter } from '../filter/ast.js';
import { ScimError } from '../errors.js';
import { checkValueCount, coerceValue, complexInput, mergeComplex } from './coerce.js';
import { readAttribute, writeAttribute } from './document.js';
import { isObject } from './json.js';
import { canonicalizeValues, matchesTemplate } from './multi-valued.js';
import type { AttributeTarget } from './target.js';
import { compileValueFilter, equalityTerms } from './value-filter.js';

export type OperationKind = 'add' | 'replace' | 'remove';

type Doc = Record<string, unknown>;

/**
 * Applies one add/replace/remove to one attribute target of a stored document (RFC 7644 §3.5.2), in place.
 * `value` is the operation's value (undefined when absent; add and replace always have one). Semantics:
 * - null means "unset": replace with null removes, add with null changes nothing;
 * - single-valued: add and replace set a simple value and merge into a complex one (siblings are kept);
 * - multi-valued: add appends, replace replaces all values, remove removes all values, or, when a value is
 *   given (Entra), the values that match it; `attr.sub` without a filter applies to every value;
 * - valuePath `attr[filter]`: add merges into, replace replaces, remove (or replace with null) removes the
 *   matching values (or the sub-attribute of them); an add/replace that matches nothing creates a value from
 *   the filter's `eq` terms (Entra, checklist P8; `unmatched: noTarget` refuses instead) or, when the filter
 *   has none, fails with 400 `noTarget`;
 *   a remove that matches nothing is a no-op;
 * - multi-valued results are canonicalised, the values just written winning the `primary` flag.
 * Mutability and required-ness are the caller's concern.
 */
export function applyToAttribute(doc: Doc, op: OperationKind, target: AttributeTarget, value: unknown, unmatched: 'create' | 'noTarget' = 'create'): void {
  if (op === 'add' && value === null) return;
  if (!target.ref.attribute.multiValued) applySingleValued(doc, op, target, value);
  else if (target.filter) applyFiltered(doc, op, target, target.filter, value, unmatched);
  else applyMultiValued(doc, op, target, value);
}

function applySingleValued(doc: Doc, op: OperationKind, target: AttributeTarget, value: unknown): void {
  const { ref, sub, label } = target;
  const current = readAttribute(doc, ref);
  if (sub) {
    const complex = isObject(current) ? current : undefined;
    writeAttribute(doc, ref, withSub(complex, sub, op === 'remove' ? undefined : coerceValue(value, sub, label)));
  } else if (op === 'remove' || value === null) {
    writeAttribute(doc, ref, undefined);
  } else if (ref.attribute.type === 'complex') {
    const complex = isObject(current) ? current : undefined;
    writeAttribute(doc, ref, mergeComplex(complex, complexInput(value, ref.attribute, label), ref.attribute, label));
  } else {
    writeAttribute(doc, ref, coerceValue(value, ref.attribute, label));
  }
}

function applyMultiValued(doc: Doc, op: OperationKind, target: AttributeTarget, value: unknown): void {
  const { ref, sub, label } = target;
  const current = values(doc, target);
  if (sub) {
    const subValue = op === 'remove' ? undefined : coerceValue(value, sub, label);
    if (current.length === 0) {
      if (subValue !== undefined) writeValues(doc, target, [{ [sub.name]: subValue }]);
      return;
    }
    writeValues(doc, target, current.map((element) => withSub(element, sub, subValue)));
  } else if (op === 'remove') {
    const templates = value === undefined || value === null ? undefined : asArray(coerceValue(value, ref.attribute, label));
    writeValues(doc, target, templates ? current.filter((element) => !templates.some((t) => matchesTemplate(element, t, ref.attribute))) : []);
  } else {
    const incoming = asArray(coerceValue(value, ref.attribute, label));
    writeValues(doc, target, op === 'add' ? [...current, ...incoming] : incoming, new Set(incoming));
  }
}

function applyFiltered(doc: Doc, op: OperationKind, target: AttributeTarget, filter: Filter, value: unknown, unmatched: 'create' | 'noTarget'): void {
  const { ref, sub, label } = target;
  const attribute = ref.attribute;
  const matches = compileValueFilter(filter, attribute);
  const current = values(doc, target);
  if (op === 'remove' || value === null) {
    const next = sub ? current.map((e) => (matches(e) ? withSub(e, sub, undefined) : e)) : current.filter((e) => !matches(e));
    writeValues(doc, target, next);
    return;
  }
  const update = updater(target, value);
  const written = new Set<unknown>();
  const next = current.map((element) => {
    if (!matches(element)) return element;
    const updated = update(element, op === 'add');
    written.add(updated);
    return updated;
  });
  if (written.size === 0) {
    if (unmatched === 'noTarget') throw ScimError.badRequest('noTarget', `no value of ${attribute.name} matches the filter`);
    const terms = equalityTerms(filter, attribute);
    if (!terms) {
      throw ScimError.badRequest('noTarget', `no value of ${attribute.name} matches the filter, and it has no "eq" terms to create one from`);
    }
    const created = update(mergeComplex(undefined, terms, attribute, label), true);
    written.add(created);
    next.push(created);
  }
  writeValues(doc, target, next, written);
}

/**
 * How an add/replace rewrites one value selected by a valuePath: sets the targeted sub-attribute, or merges
 * the given object into the value (`merge`: add, and creation) or replaces the value with it (replace).
 */
function updater(target: AttributeTarget, value: unknown): (element: unknown, merge: boolean) => unknown {
  const { ref, sub, label } = target;
  if (sub) {
    const subValue = coerceValue(value, sub, label);
    return (element) => withSub(element, sub, subValue);
  }
  const input = complexInput(value, ref.attribute, label);
  return (element, merge) => mergeComplex(merge && isObject(element) ? element : undefined, input, ref.attribute, label);
}

/** The current values of a multi-valued attribute (an empty list when unset). */
function values(doc: Doc, target: AttributeTarget): unknown[] {
  return asArray(readAttribute(doc, target.ref));
}

function writeValues(doc: Doc, target: AttributeTarget, list: unknown[], written?: ReadonlySet<unknown>): void {
  const kept = canonicalizeValues(list.filter((v) => v !== undefined), target.ref.attribute, written);
  checkValueCount(kept, target.label);
  writeAttribute(doc, target.ref, kept.length > 0 ? kept : undefined);
}

/** A copy of a complex value with one sub-attribute set (or removed, for undefined); undefined when empty. */
function withSub(element: unknown, sub: AttributeDef, value: unknown): Record<string, unknown> | undefined {
  const next: Record<string, unknown> = { ...(isObject(element) ? element : {}) };
  if (value === undefined) delete next[sub.name];
  else next[sub.name] = value;
  return Object.keys(next).length > 0 ? next : undefined;
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
