import type { AttributeDef } from '../schema/attribute.js';
import { findAttribute } from '../schema/resolve-path.js';
import { isObject } from './json.js';

/**
 * Canonical form of a multi-valued attribute (checklist C12, RFC 7643 §2.4, RFC 7644 §3.5.2):
 * - equal values collapse into the first one; two complex values are equal when their `type` and `value`
 *   are (or, without a `value`, all their sub-attributes but `primary`), strings compared as `caseExact` says;
 *   a dropped duplicate that was primary passes the flag to the value it collapsed into;
 * - at most one value keeps `primary: true`: the first of `preferred` (the values an operation just wrote, so
 *   that setting a new primary unsets the others), else the first one; the others get `primary: false`.
 * Values are complex objects owned by the caller and may be updated in place.
 */
export function canonicalizeValues(values: unknown[], def: AttributeDef, preferred: ReadonlySet<unknown> = new Set()): unknown[] {
  const kept: unknown[] = [];
  const byKey = new Map<string, number>();
  const winners = new Set<unknown>();
  for (const value of values) {
    const key = identityKey(value, def);
    const index = byKey.get(key);
    if (index === undefined) {
      byKey.set(key, kept.length);
      kept.push(value);
      if (preferred.has(value)) winners.add(value);
      continue;
    }
    const first = kept[index];
    if (isPrimary(value) && isObject(first)) first.primary = true;
    if (preferred.has(value)) winners.add(first);
  }
  const primaries = kept.filter(isPrimary) as Record<string, unknown>[];
  const winner = primaries.find((value) => winners.has(value)) ?? primaries[0];
  for (const value of primaries) if (value !== winner) value.primary = false;
  return kept;
}

/**
 * Whether one value of a multi-valued attribute matches a template: every sub-attribute of the template
 * has an equal value in it. Used by `remove` operations that carry the values to remove.
 */
export function matchesTemplate(value: unknown, template: unknown, def: AttributeDef): boolean {
  if (!isObject(template) || !isObject(value)) return sameScalar(value, template, def);
  return Object.entries(template).every(([name, expected]) => {
    const sub = findAttribute(def.subAttributes ?? [], name);
    return sub !== undefined && sameScalar(value[sub.name], expected, sub);
  });
}

/** Equality of two simple values of an attribute, case-insensitive for strings unless `caseExact`. */
function sameScalar(a: unknown, b: unknown, def: AttributeDef): boolean {
  return JSON.stringify(comparable(a, def)) === JSON.stringify(comparable(b, def));
}

function isPrimary(value: unknown): boolean {
  return isObject(value) && value.primary === true;
}

function comparable(value: unknown, def: AttributeDef): unknown {
  return typeof value === 'string' && !def.caseExact ? value.toLowerCase() : (value ?? null);
}

function identityKey(value: unknown, def: AttributeDef): string {
  if (!isObject(value)) return JSON.stringify(comparable(value, def));
  const subs = def.subAttributes ?? [];
  const identity = value.value !== undefined ? subs.filter((s) => s.name === 'value' || s.name === 'type') : subs.filter((s) => s.name !== 'primary');
  return JSON.stringify(identity.map((sub) => comparable(value[sub.name], sub)));
}
