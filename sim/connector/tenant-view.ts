import type { Tenant } from '../tenant/tenant.js';
import type { SystemUser, UserGroup } from '../tenant/types.js';

/**
 * What a push reads of the tenant, from the point of view of one app. A queued push must send what the
 * tenant held when its change happened, not what it holds when the push runs (a suspension followed at
 * once by a reactivation is two pushes, as in JumpCloud), so each change event captures a snapshot of the
 * facts its push needs; a full sync reads the live tenant.
 */
export interface TenantView {
  /** the user record, or undefined when it does not exist (deleted) */
  user(userId: string): SystemUser | undefined;
  /** true when the user reaches the app (bound directly or through a bound group) */
  reaches(userId: string): boolean;
  group(groupId: string): UserGroup | undefined;
  /** true when the group is bound to the app */
  isBound(groupId: string): boolean;
  /** the group's members */
  members(groupId: string): readonly string[];
  /** the groups the user is a member of */
  groupsOf(userId: string): readonly string[];
}

/** The tenant as it is now. */
export function liveView(tenant: Tenant, appId: string): TenantView {
  return {
    user: (id) => tenant.users.get(id),
    reaches: (id) => tenant.users.has(id) && tenant.canReach(appId, id),
    group: (id) => tenant.groups.get(id),
    isBound: (id) => tenant.graph.bindings('application', appId, 'user_group').has(id),
    members: (id) => [...tenant.graph.members(id)],
    groupsOf: (id) => [...tenant.graph.groupsOf(id)],
  };
}

/**
 * A snapshot of the given users (record, reach, groups) and groups (record, bound, members), taken now.
 * Records are safe to keep: the tenant replaces a record on change, it never mutates one. Anything not
 * captured is read live.
 */
export function captureView(tenant: Tenant, appId: string, ids: { users?: Iterable<string>; groups?: Iterable<string> }): TenantView {
  const live = liveView(tenant, appId);
  const users = new Map<string, { user: SystemUser | undefined; reaches: boolean; groups: string[] }>();
  const groups = new Map<string, { group: UserGroup | undefined; bound: boolean; members: string[] }>();
  for (const id of ids.users ?? []) if (!users.has(id)) users.set(id, { user: live.user(id), reaches: live.reaches(id), groups: [...live.groupsOf(id)] });
  for (const id of ids.groups ?? []) if (!groups.has(id)) groups.set(id, { group: live.group(id), bound: live.isBound(id), members: [...live.members(id)] });
  return {
    user: (id) => (users.has(id) ? users.get(id)!.user : live.user(id)),
    reaches: (id) => (users.has(id) ? users.get(id)!.reaches : live.reaches(id)),
    group: (id) => (groups.has(id) ? groups.get(id)!.group : live.group(id)),
    isBound: (id) => (groups.has(id) ? groups.get(id)!.bound : live.isBound(id)),
    members: (id) => (groups.has(id) ? groups.get(id)!.members : live.members(id)),
    groupsOf: (id) => (users.has(id) ? users.get(id)!.groups : live.groupsOf(id)),
  };
}
