import type { Organization } from '../../tenant/types.js';

/** An organization as `/api/organizations` returns it (recorded shape). */
export function presentOrganization(o: Organization): Record<string, unknown> {
  return { _id: o._id, id: o._id, displayName: o.displayName, logoUrl: o.logoUrl, created: o.created };
}
