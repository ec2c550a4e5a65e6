import { sameDocument } from './same-document.js';
import { directoryEvent, previousValues } from './events.js';
import { presentUser } from './presenters.js';
import { effectiveRoles, isActive, roleContext } from './roles.js';
import type { Directory, NewEvent, StoredUser } from './types.js';
import type { Repositories } from '../store/store.js';

/**
 * user.deactivated / user.reactivated for `active` transitions, user.updated for every other change of the
 * document, including attributes the directory user shows only in `raw` (title, addresses…): a change that
 * bumps the version is always announced.
 */
export async function userChangeEvents(tx: Repositories, directory: Directory, before: StoredUser, after: StoredUser, at: string): Promise<NewEvent[]> {
  const groups = (await tx.users.groupsOf([after.id])).get(after.id) ?? [];
  // roles depend on `active` (the default role goes to active users only), so they can change here too
  await tx.roleMappings.lockForRoleRead(directory.organizationId);
  const context = await roleContext(tx, directory.organizationId, groups.map((g) => g.id));
  const groupIds = groups.map((g) => g.id);
  const b = presentUser(before, groups, effectiveRoles(context, groupIds, isActive(before)));
  const a = presentUser(after, groups, effectiveRoles(context, groupIds, isActive(after)));
  const previous = previousValues(b, a, ['updatedAt', 'state', 'raw']);
  const { active: _activeBefore, ...restBefore } = before.attributes;
  const { active: _activeAfter, ...restAfter } = after.attributes;
  const otherChanges = !sameDocument(restBefore, restAfter) || b.state === a.state;
  const events: NewEvent[] = [];
  if (Object.keys(previous).length > 0 || otherChanges) events.push(directoryEvent(directory, 'user.updated', a, at, previous));
  if (b.state !== a.state) {
    events.push(directoryEvent(directory, a.state === 'active' ? 'user.reactivated' : 'user.deactivated', a, at, { state: b.state }));
  }
  return events;
}
