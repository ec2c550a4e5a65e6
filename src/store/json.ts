/** JSON columns are strings in both dialects (see schema.ts). */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T = Record<string, unknown>>(text: string | null): T {
  return (text === null ? null : JSON.parse(text)) as T;
}

/** Splits a list for `IN (…)` so no statement exceeds the drivers' bound-parameter limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A `LIKE` pattern matching `needle` anywhere, with %, _ and \ escaped (use with `escape '\'`). */
export function containsPattern(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
