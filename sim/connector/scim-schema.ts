/** The SCIM 2.0 URNs the connector sends (RFC 7643 / 7644). */
export const SCIM = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
} as const;

/** One PATCH operation. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace';
  path: string;
  value?: unknown;
}

/** A PatchOp message. */
export function patchMessage(operations: PatchOperation[]): { schemas: string[]; Operations: PatchOperation[] } {
  return { schemas: [SCIM.patchOp], Operations: operations };
}

/**
 * A copy of a body with its keys in code-point order at every level, as JumpCloud's bodies arrive (the
 * sanitized-real samples are key-sorted, the way Go encodes a map).
 */
export function sortedKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortedKeys) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortedKeys((value as Record<string, unknown>)[key]);
  return out as T;
}

/** The `Resources` of a ListResponse (empty when the body is not one). */
export function listResources(body: unknown): Record<string, unknown>[] {
  const resources = (body as { Resources?: unknown } | null)?.Resources;
  return Array.isArray(resources) ? (resources.filter((r) => typeof r === 'object' && r !== null) as Record<string, unknown>[]) : [];
}

/** The `id` of a SCIM resource body, or null. */
export function resourceId(body: unknown): string | null {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id !== '' ? id : null;
}
