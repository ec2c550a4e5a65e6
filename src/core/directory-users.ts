import { DomainError, notFound } from './errors.js';
import { directoryEvent, previousValues } from './events.js';
import { newResourceId } from './ids.js';
import { presentGroup, presentUser, type DirectoryUser } from './presenters.js';
import { checkVersion, type ExpectedVersion, type ResourceSearch } from './resource-search.js';
import type { Directory, GroupRef, NewEvent, Page, StoredUser, UserDocument } from './types.js';
import { effectiveRoles, isActive, roleContext, rolesOfUsers } from './roles.js';
import { userProfile } from './user-profile.js';
import type { Repositories, Store } from '../store/store.js';

export interface UserInput {
  attributes: Record<string, unknown>;
  raw: Record<string, unknown>;
}

/**
 * Structural equality of two JSON documents, ignoring object key order: a PUT that sends the same
 * attributes in another order is no change, and PostgreSQL's jsonb hands documents back with its own key
 * order, so comparing serialisations would make every PUT a change there.
 */
export function sameDocument(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameDocument(item, b[i]));
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null || Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  return keys.length === Object.keys(y).length && keys.every((key) => Object.hasOwn(y, key) && sameDocument(x[key], y[key]));
}

/** Users of a directory: create, replace/patch, delete, read, with their events in the same transaction. */
export class DirectoryUsers {
  constructor(private readonly store: Store) {}

  async create(directory: Directory, input: UserInput): Promise<StoredUser> {
    const at = new Date().toISOString();
    const user: StoredUser = { id: newResourceId(), directoryId: directory.id, ...input, version: 1, createdAt: at, updatedAt: at };
    await this.store.transaction(async (tx) => {
      await tx.users.insert(user, userProfile(user.attributes));
      // a new user has no groups: only the default role can apply (read under the organization's role lock,
      // so a concurrent role-mapping change is either seen here or sees this user)
      await tx.roleMappings.lockForRoleRead(directory.organizationId);
      const roles = effectiveRoles(await roleContext(tx, directory.organizationId, []), [], isActive(user));
      await tx.events.append([directoryEvent(directory, 'user.created', presentUser(user, [], roles), at)]);
    });
    return user;
  }

  async get(directoryId: string, id: string): Promise<StoredUser> {
    const user = await this.store.users.get(directoryId, id);
    if (!user) throw notFound('user');
    return user;
  }

  /**
   * Applies `change` to the current user (a PUT body or a PATCH) in one transaction. A change that leaves
   * the document as it was writes nothing and keeps version and lastModified.
   */
  async update(
    directory: Directory,
    id: string,
    change: (current: StoredUser) => UserInput,
    expected?: ExpectedVersion,
  ): Promise<StoredUser> {
    return this.store.transaction(async (tx) => {
      const current = await tx.users.get(directory.id, id, { lock: true });
      if (!current) throw notFound('user');
      checkVersion(expected, current.version);
      const next = change(current);
      if (sameDocument(next.attributes, current.attributes)) {
        // same attributes, another body (e.g. unknown attributes): keep `raw` as last received, no new version
        if (sameDocument(next.raw, current.raw)) return current;
        await tx.users.setRaw(id, next.raw);
        return { ...current, raw: next.raw };
      }
      const at = new Date().toISOString();
      const updated: StoredUser = { ...current, ...next, version: current.version + 1, updatedAt: at };
      if (!(await tx.users.update(updated, userProfile(updated.attributes), current.version))) {
        throw new DomainError('precondition_failed', 'the user changed meanwhile; retry');
      }
      await tx.events.append(await userChangeEvents(tx, directory, current, updated, at));
      return updated;
    });
  }

  async delete(directory: Directory, id: string, expected?: ExpectedVersion): Promise<void> {
    await this.store.transaction(async (tx) => {
      const user = await tx.users.get(directory.id, id, { lock: true });
      if (!user) throw notFound('user');
      checkVersion(expected, user.version);
      const at = new Date().toISOString();
      const groups = await tx.users.groupsOf([id]);
      const events: NewEvent[] = [];
      await tx.roleMappings.lockForRoleRead(directory.organizationId);
      const roles = (await rolesOfUsers(tx, directory.organizationId, [user], groups)).get(id) ?? [];
      const presented = presentUser(user, groups.get(id) ?? [], roles);
      for (const groupId of await tx.groups.groupIdsOf(id)) {
        const group = await tx.groups.get(directory.id, groupId, { lock: true });
        if (!group) continue;
        await tx.groups.removeMembers(groupId, [id]);
        await tx.groups.touch(groupId, group.version + 1, at, -1);
        const after = { ...group, version: group.version + 1, memberCount: group.memberCount - 1, updatedAt: at };
        events.push(directoryEvent(directory, 'group.user_removed', { group: presentGroup(after), user: presented }, at));
      }
      await tx.users.delete(id);
      events.push(directoryEvent(directory, 'user.deleted', presented, at));
      await tx.events.append(events);
    });
  }

  /** One page of a SCIM search, each user with its groups. */
  async search(directoryId: string, search: ResourceSearch): Promise<{ total: number; users: { user: UserDocument; groups: GroupRef[] }[] }> {
    return this.store.searchUsers(directoryId, search);
  }

  async groupsOf(userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    return this.store.users.groupsOf(userIds);
  }

  /** Admin API listing. */
  async list(directoryId: string, options: { state?: 'active' | 'inactive'; search?: string; limit: number; cursor?: string }): Promise<Page<DirectoryUser>> {
    const page = await this.store.users.list(directoryId, {
      ...(options.state ? { active: options.state === 'active' } : {}),
      ...(options.search ? { search: options.search } : {}),
      limit: options.limit,
      ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
    });
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: await this.present(page.rows), next: page.next };
  }

  /** Directory users with their groups and effective roles (a few queries per page, not per user). */
  async present(users: StoredUser[]): Promise<DirectoryUser[]> {
    const groups = await this.store.users.groupsOf(users.map((u) => u.id));
    const roles = new Map<string, string[]>();
    for (const directoryId of new Set(users.map((u) => u.directoryId))) {
      const directory = await this.store.directories.get(directoryId);
      if (!directory) continue;
      const of = users.filter((u) => u.directoryId === directoryId);
      for (const [id, r] of await rolesOfUsers(this.store, directory.organizationId, of, groups)) roles.set(id, r);
    }
    return users.map((u) => presentUser(u, groups.get(u.id) ?? [], roles.get(u.id) ?? []));
  }
}

/**
 * user.deactivated / user.reactivated for `active` transitions, user.updated for every other change of the
 * document, including attributes the directory user shows only in `raw` (title, addresses…): a change that
 * bumps the version is always announced.
 */
async function userChangeEvents(tx: Repositories, directory: Directory, before: StoredUser, after: StoredUser, at: string): Promise<NewEvent[]> {
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
