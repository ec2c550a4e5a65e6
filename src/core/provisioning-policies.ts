import { DomainError } from './errors.js';
import { directoryEvent } from './events.js';
import { presentGroup, type DirectoryUser } from './presenters.js';
import { isActive } from './roles.js';
import type { Directory, NewEvent, StoredUser } from './types.js';
import { userChangeEvents } from './user-events.js';
import { userProfile } from './user-profile.js';
import type { DirectorySettings } from '../scim/dialects/index.js';
import type { Repositories } from '../store/store.js';

/**
 * Whether `user`, being deleted or deactivated now, is a Test Connection artifact to purge (README
 * "Provider dialects and provisioning policies"): with `testConnection.purge`, a user whose userName is one
 * of `userNames`; or, for a delete only, one deleted within `windowSeconds` of its creation, unchanged since
 * (version 1), that never was in a group (none now, and no `group.user_added` since its creation). A
 * deactivation is purged only by name: JumpCloud deactivates its test user only where DELETE is refused,
 * which Gatehouse never does, while real provisioning (create users, create empty groups, then add
 * members) can suspend a fresh user before its first group — no timing rule tells the two apart.
 */
export async function isTestConnectionUser(
  tx: Repositories,
  directory: Directory,
  settings: DirectorySettings,
  user: StoredUser,
  now: string,
  via: 'delete' | 'deactivate',
): Promise<boolean> {
  const test = settings.testConnection;
  if (!test.purge) return false;
  const userName = userProfile(user.attributes).userName.toLowerCase();
  if (test.userNames.some((name) => name.toLowerCase() === userName)) return true;
  if (via === 'deactivate') return false;
  const age = Date.parse(now) - Date.parse(user.createdAt);
  if (test.windowSeconds === 0 || age > test.windowSeconds * 1000 || user.version !== 1) return false;
  if ((await tx.groups.groupIdsOf(user.id)).length > 0) return false;
  return !(await tx.events.wasAddedToGroupSince(directory.id, user.id, user.createdAt));
}

/**
 * Removes a user from every group it belongs to: one new version and one `group.user_removed` (carrying
 * `presented`) per group, in the caller's transaction.
 */
export async function removeFromAllGroups(tx: Repositories, directory: Directory, userId: string, presented: DirectoryUser, at: string): Promise<NewEvent[]> {
  const events: NewEvent[] = [];
  for (const groupId of await tx.groups.groupIdsOf(userId)) {
    const group = await tx.groups.get(directory.id, groupId, { lock: true });
    if (!group) continue;
    await tx.groups.removeMembers(groupId, [userId]);
    await tx.groups.touch(groupId, group.version + 1, at, -1);
    const after = { ...group, version: group.version + 1, memberCount: group.memberCount - 1, updatedAt: at };
    events.push(directoryEvent(directory, 'group.user_removed', { group: presentGroup(after), user: presented }, at));
  }
  return events;
}

/**
 * The `orphanedMembers: deactivate` policy: each of `userIds` (just removed from a group that is now empty
 * or deleted) that is active and left in no group is deactivated, with its user.deactivated (and
 * user.updated when its roles change) in the caller's transaction.
 */
export async function deactivateOrphans(tx: Repositories, directory: Directory, userIds: readonly string[], at: string): Promise<NewEvent[]> {
  if (userIds.length === 0) return [];
  const groups = await tx.users.groupsOf(userIds);
  const events: NewEvent[] = [];
  for (const id of userIds) {
    if ((groups.get(id)?.length ?? 0) > 0) continue;
    const user = await tx.users.get(directory.id, id, { lock: true });
    if (!user || !isActive(user)) continue;
    const updated: StoredUser = { ...user, attributes: { ...user.attributes, active: false }, version: user.version + 1, updatedAt: at };
    if (!(await tx.users.update(updated, userProfile(updated.attributes), user.version))) {
      throw new DomainError('precondition_failed', 'a member changed meanwhile; retry');
    }
    events.push(...(await userChangeEvents(tx, directory, user, updated, at)));
  }
  return events;
}
