import type { GroupRef, StoredUser } from './types.js';
import { userProfile } from './user-profile.js';
import type { Repositories } from '../store/store.js';

/**
 * Effective roles (issue 5, item 2): a user's roles are the union of the roles their groups map to, plus
 * the organization's default role when the user is active, sorted. Roles are derived, never stored per
 * user: a change recomputes them for the users it touches only (O(changed users)).
 */
export interface RoleContext {
  defaultRole: string | null;
  /** group id → the roles it maps to; groups without a mapping are absent */
  byGroup: Map<string, readonly string[]>;
}

/** Loads what effectiveRoles needs for users of `organizationId` whose groups are among `groupIds`. */
export async function roleContext(tx: Repositories, organizationId: string, groupIds: Iterable<string>): Promise<RoleContext> {
  const ids = [...new Set(groupIds)];
  const [defaultRole, byGroup] = await Promise.all([
    tx.roleMappings.defaultRole(organizationId),
    ids.length > 0 ? tx.roleMappings.rolesOfGroups(ids) : Promise.resolve(new Map<string, string[]>()),
  ]);
  return { defaultRole, byGroup };
}

export function effectiveRoles(context: RoleContext, groupIds: Iterable<string>, active: boolean): string[] {
  const roles = new Set<string>();
  for (const id of groupIds) for (const role of context.byGroup.get(id) ?? []) roles.add(role);
  if (active && context.defaultRole !== null) roles.add(context.defaultRole);
  return [...roles].sort(compareRoles);
}

/** Roles sort by code unit (the same on every node and in every locale). */
export function compareRoles(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

/** Active: `active` is true and the user is not soft-deleted. */
export function isActive(user: StoredUser): boolean {
  return !user.deletedAt && userProfile(user.attributes).active;
}

/** Effective roles of several users of one organization, given their groups. */
export async function rolesOfUsers(
  tx: Repositories,
  organizationId: string,
  users: readonly StoredUser[],
  groups: Map<string, GroupRef[]>,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (users.length === 0) return out;
  const context = await roleContext(tx, organizationId, users.flatMap((u) => (groups.get(u.id) ?? []).map((g) => g.id)));
  for (const u of users) out.set(u.id, effectiveRoles(context, (groups.get(u.id) ?? []).map((g) => g.id), isActive(u)));
  return out;
}
