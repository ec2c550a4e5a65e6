import type { UserGroup } from '../../tenant/types.js';

/**
 * A user group as `/api/v2/usergroups` returns it: the recorded keys (attributes, id, name, type, email,
 * description) plus `membershipMethod` from the current spec (the 2021 recordings predate it).
 */
export function presentUserGroup(g: UserGroup): Record<string, unknown> {
  return {
    attributes: g.attributes === null ? null : structuredClone(g.attributes),
    id: g.id,
    name: g.name,
    type: 'user_group',
    email: g.email,
    description: g.description,
    membershipMethod: g.membershipMethod,
  };
}
