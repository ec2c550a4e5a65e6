import type { GroupRef, StoredGroup, UserDocument } from '../../core/types.js';
import { URN } from '../schema/urns.js';

/** Weak ETag of a resource version (RFC 7644 §3.14). */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

function meta(resourceType: 'User' | 'Group', location: string, r: { createdAt: string; updatedAt: string; version: number }) {
  return { resourceType, created: r.createdAt, lastModified: r.updatedAt, location, version: etagOf(r.version) };
}

/** The full SCIM User: stored attributes plus id, groups (derived, read-only) and meta. */
export function userResource(user: UserDocument, groups: GroupRef[] | undefined, baseUrl: string): Record<string, unknown> {
  const location = `${baseUrl}/Users/${user.id}`;
  return {
    ...user.attributes,
    schemas: user.attributes.schemas ?? [URN.user],
    id: user.id,
    ...(groups && groups.length > 0
      ? { groups: groups.map((g) => ({ value: g.id, display: g.name, $ref: `${baseUrl}/Groups/${g.id}`, type: 'direct' })) }
      : {}),
    meta: meta('User', location, user),
  };
}

/** The full SCIM Group; `members` only when loaded (they are omitted when the client excluded them). */
export function groupResource(
  group: StoredGroup,
  members: { value: string; display: string }[] | undefined,
  baseUrl: string,
): Record<string, unknown> {
  const location = `${baseUrl}/Groups/${group.id}`;
  return {
    ...group.attributes,
    schemas: group.attributes.schemas ?? [URN.group],
    id: group.id,
    ...(members && members.length > 0
      ? { members: members.map((m) => ({ value: m.value, display: m.display, $ref: `${baseUrl}/Users/${m.value}`, type: 'User' })) }
      : {}),
    meta: meta('Group', location, group),
  };
}
