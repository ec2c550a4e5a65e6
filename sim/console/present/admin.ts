import type { Admin } from '../../tenant/types.js';

/**
 * A console admin as the undocumented `GET /api/users` returns it (the spec's UserReturn schema). For a
 * multi-tenant key `organization` is left out, as JumpCloud does (jumpcloud-wire.md §C.3). Like the other
 * v1 records it carries `id` next to `_id` (an assumption: no admin record was captured).
 */
export function presentAdmin(a: Admin, orgId: string | null): Record<string, unknown> {
  const record: Record<string, unknown> = {
    _id: a._id,
    email: a.email,
    firstname: a.firstname,
    lastname: a.lastname,
    roleName: a.roleName,
    roleNames: [a.roleName],
    role: a.role,
    roles: [a.role],
  };
  if (orgId !== null) record.organization = orgId;
  Object.assign(record, {
    suspended: a.suspended,
    enableMultiFactor: a.enableMultiFactor,
    totpEnrolled: a.totpEnrolled,
    apiKeyAllowed: a.apiKeyAllowed,
    apiKeySet: a.apiKeySet,
  });
  if (a.apiKey !== null) {
    record.apiKeyHash = { prefix: a.apiKey.prefix, createdAt: a.apiKey.createdAt, ...(a.apiKey.expireAt === null ? {} : { expireAt: a.apiKey.expireAt }) };
    record.apiKeyUpdatedAt = a.apiKey.createdAt;
  }
  if (a.provider !== null) record.provider = a.provider;
  if (a.passwordUpdatedAt !== null) record.passwordUpdatedAt = a.passwordUpdatedAt;
  record.created = a.created;
  record.id = a._id;
  return record;
}
