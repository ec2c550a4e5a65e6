import type { AttributeDef } from '../schema/attribute.js';
import { findAttribute } from '../schema/resolve-path.js';
import { ScimError } from '../errors.js';
import { describe, isObject } from './json.js';
import { canonicalizeValues } from './multi-valued.js';

/** Limits on stored values; a larger value is a 400 `invalidValue`. */
export const valueLimits = { maxStringLength: 2048, maxValues: 100 } as const;

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const base64 = /^[A-Za-z0-9+/\-_\s]*={0,2}\s*$/;

/**
 * Checks a client value against an attribute definition and returns its stored form, or undefined for
 * "unset" (null, an empty array, a complex value with nothing known in it). Throws 400 `invalidValue`.
 * Lenient where the meaning is unambiguous:
 * - booleans may be the strings "true"/"false" in any case (Entra legacy, checklist C11);
 * - a finite number is accepted for a string attribute and stored as its decimal text;
 * - a multi-valued attribute given one value (not an array) is read as a one-value array;
 * - a scalar given for a complex attribute with a `value` sub-attribute is read as `{value}` (Entra sends
 *   the enterprise `manager` as the manager's id);
 * - unknown and readOnly sub-attributes of a complex value are ignored (checklist C10, RFC 7643 §2.2).
 * Multi-valued results are canonicalised (`canonicalizeValues`).
 */
export function coerceValue(value: unknown, def: AttributeDef, label: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (!def.multiValued) return def.type === 'complex' ? mergeComplex(undefined, complexInput(value, def, label), def, label) : coerceScalar(value, def, label);
  const items = Array.isArray(value) ? value : [value];
  checkValueCount(items, label);
  const values: unknown[] = [];
  items.forEach((item, i) => {
    const element = coerceValue(item, { ...def, multiValued: false }, `${label}[${i}]`);
    if (element !== undefined) values.push(element);
  });
  return values.length > 0 ? canonicalizeValues(values, def) : undefined;
}

/**
 * Merges the sub-attributes of a client object into a complex value (`current` is not modified): each
 * known, writable sub-attribute is coerced and set, or removed when the client gives null.
 * Returns undefined when nothing is left.
 */
export function mergeComplex(
  current: Record<string, unknown> | undefined,
  input: Record<string, unknown>,
  def: AttributeDef,
  label: string,
): Record<string, unknown> | undefined {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, raw] of Object.entries(input)) {
    const sub = findAttribute(def.subAttributes ?? [], key);
    if (!sub || sub.mutability === 'readOnly') continue;
    const value = coerceValue(raw, sub, `${label}.${sub.name}`);
    if (value === undefined) delete merged[sub.name];
    else merged[sub.name] = value;
  }
  return Object.keys(merged).length > 0 ? merged : undefined;
}

/** The object a client means for a complex attribute: the object itself, or `{value}` for a bare scalar. */
export function complexInput(value: unknown, def: AttributeDef, label: string): Record<string, unknown> {
  if (isObject(value)) return value;
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (scalar && findAttribute(def.subAttributes ?? [], 'value')) return { value };
  throw invalid(`${label} must be a complex value (an object), not ${describe(value)}`);
}

/** Rejects more values than a multi-valued attribute may hold. */
export function checkValueCount(values: readonly unknown[], label: string): void {
  if (values.length > valueLimits.maxValues) {
    throw invalid(`${label} has ${values.length} values; at most ${valueLimits.maxValues} are accepted`);
  }
}

function coerceScalar(value: unknown, def: AttributeDef, label: string): unknown {
  switch (def.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      throw invalid(`${label} must be a boolean, not ${describe(value)}`);
    case 'integer':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      throw invalid(`${label} must be an integer, not ${describe(value)}`);
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw invalid(`${label} must be a number, not ${describe(value)}`);
    case 'dateTime':
      if (typeof value === 'string' && isoDateTime.test(value) && !Number.isNaN(Date.parse(value))) return value;
      throw invalid(`${label} must be an ISO 8601 date-time such as "2026-11-24T10:00:00Z"`);
    case 'complex':
      throw invalid(`${label} cannot hold a nested complex value`);
    case 'string':
    case 'reference':
    case 'binary': {
      const text = typeof value === 'number' && Number.isFinite(value) && def.type === 'string' ? String(value) : value;
      if (typeof text !== 'string') throw invalid(`${label} must be a string, not ${describe(value)}`);
      if (text.length > valueLimits.maxStringLength) {
        throw invalid(`${label} is ${text.length} characters long; at most ${valueLimits.maxStringLength} are accepted`);
      }
      if (def.type === 'binary' && !base64.test(text)) throw invalid(`${label} must be base64-encoded`);
      return text;
    }
  }
}

function invalid(detail: string): ScimError {
  return ScimError.badRequest('invalidValue', detail);
}
