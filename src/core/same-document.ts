/**
 * Structural equality of two JSON documents, ignoring object key order: a PUT that sends the same
 * attributes in another order is no change, and PostgreSQL's jsonb hands documents back with its own key
 * order, so comparing serialisations would make every PUT a change there.
 */
export function sameDocument(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameDocument(item, b[i]));
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => Object.hasOwn(y, key) && sameDocument(x[key], y[key]));
}
