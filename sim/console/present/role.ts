import type { Role } from '../../tenant/types.js';

/** A role as `/api/v2/roles` returns it (the Role schema). */
export function presentRole(r: Role): Record<string, unknown> {
  const record: Record<string, unknown> = { id: r.id, name: r.name, scopes: [...r.scopes], description: r.description, organizationIds: [...r.organizationIds] };
  if (r.providerId !== null) record.providerId = r.providerId;
  record.createdBy = r.createdBy;
  record.lastUpdatedBy = r.lastUpdatedBy;
  record.isCustom = r.isCustom;
  return record;
}
