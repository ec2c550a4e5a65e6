import type { EdgeAttributes, Graph } from './graph.js';
import type { ServerType } from './types.js';

/** One way a user reaches an application: bound directly, or through a bound group it is a member of. */
export type AccessPath = { via: 'user'; attributes: EdgeAttributes } | { via: 'user_group'; groupId: string; attributes: EdgeAttributes };

/** A user that can reach an application, with every path that grants it. */
export interface EffectiveUser {
  userId: string;
  paths: AccessPath[];
}

/**
 * The users that can reach a source (an application, or an LDAP / RADIUS server), through its bound groups
 * (in binding order, members in membership order) and then its directly bound users; a user reached several
 * ways appears once, at its first position, with all its paths. User groups do not nest in JumpCloud, so
 * paths have at most two hops.
 */
export function effectiveUsers(graph: Graph, sourceType: 'application' | ServerType, sourceId: string): EffectiveUser[] {
  const byUser = new Map<string, EffectiveUser>();
  const add = (userId: string, path: AccessPath): void => {
    const entry = byUser.get(userId);
    if (entry) entry.paths.push(path);
    else byUser.set(userId, { userId, paths: [path] });
  };
  for (const [groupId, attributes] of graph.bindings(sourceType, sourceId, 'user_group')) {
    for (const userId of graph.members(groupId)) add(userId, { via: 'user_group', groupId, attributes });
  }
  for (const [userId, attributes] of graph.bindings(sourceType, sourceId, 'user')) add(userId, { via: 'user', attributes });
  return [...byUser.values()];
}

/** The ids of the applications a user reaches, directly or through its groups, without duplicates. */
export function appsOfUser(graph: Graph, userId: string): string[] {
  const apps = new Set(graph.sourcesOf('user', userId, 'application'));
  for (const groupId of graph.groupsOf(userId)) for (const appId of graph.sourcesOf('user_group', groupId, 'application')) apps.add(appId);
  return [...apps];
}

/** true when the user reaches the application (directly or through a group). */
export function canReach(graph: Graph, appId: string, userId: string): boolean {
  if (graph.bindings('application', appId, 'user').has(userId)) return true;
  const bound = graph.bindings('application', appId, 'user_group');
  for (const groupId of graph.groupsOf(userId)) if (bound.has(groupId)) return true;
  return false;
}
