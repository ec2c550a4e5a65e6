/** Escapes a value for a SCIM filter string literal (RFC 7644 §3.4.2.2: JSON string rules). */
export function scimString(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * Fills a lookup filter template: each `{name}` becomes the escaped value of `values[name]` (an unknown
 * placeholder stays as written). `fillFilter('userName eq "{username}"', {username: 'a"b'})` →
 * `userName eq "a\"b"`.
 */
export function fillFilter(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? scimString(values[name]!) : whole));
}

/** `?filter=…` for a path. */
export function filterQuery(filter: string): string {
  return `?filter=${encodeURIComponent(filter)}`;
}
