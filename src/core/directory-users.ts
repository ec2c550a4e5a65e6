import { DomainError, notFound } from './errors.js';
import { directoryEvent } from './events.js';
import { newResourceId } from './ids.js';
import { presentGroup, presentUser, type DirectoryUser } from './presenters.js';
import { checkVersion, type ExpectedVersion, type ResourceSearch } from './resource-search.js';
import type { Directory, GroupRef, NewEvent, Page, StoredUser, UserDocument } from './types.js';
import { isTestConnectionUser, removeFromAllGroups } from './provisioning-policies.js';
import { effectiveRoles, isActive, roleContext, rolesOfUsers, sameRoles } from './roles.js';
import { sameDocument } from './same-document.js';
import { userChangeEvents } from './user-events.js';
import { userProfile } from './user-profile.js';
import { effectiveSettings } from '../scim/dialects/index.js';
import type { Repositories, Store } from '../store/store.js';

export interface UserInput {
  attributes: Record<string, unknown>;
  raw: Record<string, unknown>;
}

export { sameDocument } from './same-document.js';

/** Users of a directory: create, replace/patch, delete, read, with their events in the same transaction. */
export class DirectoryUsers {
  constructor(private readonly store: Store) {}

  /**
   * Creates a user; a soft-deleted user with the same userName (else externalId) is revived instead: same
   * id, the new document, `user.reactivated` with `previous.state = "deleted"`.
   */
  async create(directory: Directory, input: UserInput): Promise<StoredUser> {
    const at = new Date().toISOString();
    const profile = userProfile(input.attributes);
    return this.store.transaction(async (tx) => {
      const deleted = await tx.users.findDeleted(directory.id, profile.userName.toLowerCase(), profile.externalId);
      if (deleted) {
        const user: StoredUser = { ...deleted, ...input, version: deleted.version + 1, updatedAt: at, deletedAt: null };
        await tx.users.restore(user, profile);
        await tx.roleMappings.lockForRoleRead(directory.organizationId);
        const roles = effectiveRoles(await roleContext(tx, directory.organizationId, []), [], isActive(user));
        await tx.events.append([directoryEvent(directory, 'user.reactivated', presentUser(user, [], roles), at, { state: 'deleted' })]);
        return user;
      }
      const user: StoredUser = { id: newResourceId(), directoryId: directory.id, ...input, version: 1, createdAt: at, updatedAt: at, deletedAt: null };
      await tx.users.insert(user, profile);
      // a new user has no groups: only the default role can apply (read under the organization's role lock,
      // so a concurrent role-mapping change is either seen here or sees this user)
      await tx.roleMappings.lockForRoleRead(directory.organizationId);
      const roles = effectiveRoles(await roleContext(tx, directory.organizationId, []), [], isActive(user));
      await tx.events.append([directoryEvent(directory, 'user.created', presentUser(user, [], roles), at)]);
      return user;
    });
  }

  /** A live user (SCIM); with `includeDeleted`, a soft-deleted one too (the admin API). */
  async get(directoryId: string, id: string, options: { includeDeleted?: boolean } = {}): Promise<StoredUser> {
    const user = await this.store.users.get(directoryId, id, options);
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
      const profile = userProfile(updated.attributes);
      const settings = effectiveSettings(directory.provider, directory.settings);
      if (isActive(current) && !isActive(updated)) {
        if (await isTestConnectionUser(tx, directory, settings, current, at, 'deactivate')) {
          // a Test Connection user deactivated instead of deleted: purged, so that no residue stays
          await tx.events.append(await this.purge(tx, directory, current, at));
          return updated;
        }
      }
      // a soft-deleted user may hold the new userName: it is purged (it could not be revived by that name anyway)
      if (profile.userName.toLowerCase() !== userProfile(current.attributes).userName.toLowerCase()) {
        await tx.users.purgeDeletedByUserName(directory.id, profile.userName.toLowerCase());
      }
      if (!(await tx.users.update(updated, profile, current.version))) {
        throw new DomainError('precondition_failed', 'the user changed meanwhile; retry');
      }
      const events = await userChangeEvents(tx, directory, current, updated, at);
      if (settings.onSuspend === 'deactivate-and-remove-memberships' && isActive(current) && !isActive(updated)) {
        events.push(...(await this.leaveAllGroups(tx, directory, updated, at)));
      }
      await tx.events.append(events);
      return updated;
    });
  }

  /**
   * Suspension with `onSuspend: deactivate-and-remove-memberships`: the (now inactive) user leaves every
   * group; a `user.updated` with `previous.roles` follows when the group roles it had are gone.
   */
  private async leaveAllGroups(tx: Repositories, directory: Directory, user: StoredUser, at: string): Promise<NewEvent[]> {
    const groups = await tx.users.groupsOf([user.id]);
    if ((groups.get(user.id)?.length ?? 0) === 0) return [];
    const rolesBefore = (await rolesOfUsers(tx, directory.organizationId, [user], groups)).get(user.id) ?? [];
    const events = await removeFromAllGroups(tx, directory, user.id, presentUser(user, [], rolesBefore), at);
    const rolesAfter = (await rolesOfUsers(tx, directory.organizationId, [user], new Map())).get(user.id) ?? [];
    if (!sameRoles(rolesBefore, rolesAfter)) {
      events.push(directoryEvent(directory, 'user.updated', presentUser(user, [], rolesAfter), at, { roles: rolesBefore }));
    }
    return events;
  }

  /** Removes a user for good (its memberships first), with `user.deleted` carrying the user as it was. */
  private async purge(tx: Repositories, directory: Directory, user: StoredUser, at: string): Promise<NewEvent[]> {
    const groups = await tx.users.groupsOf([user.id]);
    await tx.roleMappings.lockForRoleRead(directory.organizationId);
    const roles = (await rolesOfUsers(tx, directory.organizationId, [user], groups)).get(user.id) ?? [];
    const presented = presentUser(user, groups.get(user.id) ?? [], roles);
    const events = await removeFromAllGroups(tx, directory, user.id, presented, at);
    await tx.users.delete(user.id);
    events.push(directoryEvent(directory, 'user.deleted', presented, at));
    return events;
  }

  /**
   * SCIM DELETE. With `userDelete: soft` (the default) the user leaves its groups and becomes `deleted`:
   * gone from SCIM, kept for the admin API and for a later POST to revive; with `hard`, or for a Test
   * Connection user, the row is removed. Either way `user.deleted` carries the user as it was.
   */
  async delete(directory: Directory, id: string, expected?: ExpectedVersion): Promise<void> {
    const settings = effectiveSettings(directory.provider, directory.settings);
    await this.store.transaction(async (tx) => {
      const user = await tx.users.get(directory.id, id, { lock: true });
      if (!user) throw notFound('user');
      checkVersion(expected, user.version);
      const at = new Date().toISOString();
      if (settings.userDelete === 'hard' || (await isTestConnectionUser(tx, directory, settings, user, at, 'delete'))) {
        await tx.events.append(await this.purge(tx, directory, user, at));
        return;
      }
      const groups = await tx.users.groupsOf([id]);
      await tx.roleMappings.lockForRoleRead(directory.organizationId);
      const roles = (await rolesOfUsers(tx, directory.organizationId, [user], groups)).get(id) ?? [];
      const presented = presentUser(user, groups.get(id) ?? [], roles);
      const events = await removeFromAllGroups(tx, directory, id, presented, at);
      await tx.users.markDeleted(id, user.version + 1, at);
      events.push(directoryEvent(directory, 'user.deleted', presented, at));
      await tx.events.append(events);
    });
  }

  /**
   * Test Connection users left behind (the delete never came): with `testConnection.purge`, live users
   * named in `userNames`, older than `windowSeconds`, are purged with their `user.deleted`. Empty groups are
   * never swept by age: a real group bound before its first member looks the same (and may carry a role
   * mapping). Returns how many.
   */
  async sweepTestArtifacts(directory: Directory, now: Date = new Date()): Promise<number> {
    const test = effectiveSettings(directory.provider, directory.settings).testConnection;
    if (!test.purge || test.userNames.length === 0) return 0;
    const before = new Date(now.getTime() - test.windowSeconds * 1000).toISOString();
    let purged = 0;
    const users = await this.store.users.liveByUserNames(directory.id, test.userNames.map((n) => n.toLowerCase()), before);
    if (users.length === 0) return 0;
    await this.store.transaction(async (tx) => {
      const at = new Date().toISOString();
      const events: NewEvent[] = [];
      for (const candidate of users) {
        const user = await tx.users.get(directory.id, candidate.id, { lock: true });
        if (!user) continue;
        events.push(...(await this.purge(tx, directory, user, at)));
        purged++;
      }
      await tx.events.append(events);
    });
    return purged;
  }

  /** One page of a SCIM search, each user with its groups. */
  async search(directoryId: string, search: ResourceSearch): Promise<{ total: number; users: { user: UserDocument; groups: GroupRef[] }[] }> {
    return this.store.searchUsers(directoryId, search);
  }

  async groupsOf(userIds: readonly string[]): Promise<Map<string, GroupRef[]>> {
    return this.store.users.groupsOf(userIds);
  }

  /** Admin API listing. */
  /** Admin API listing: live users (optionally active or inactive only), or the soft-deleted ones. */
  async list(directoryId: string, options: { state?: 'active' | 'inactive' | 'deleted'; search?: string; limit: number; cursor?: string }): Promise<Page<DirectoryUser>> {
    const page = await this.store.users.list(directoryId, {
      ...(options.state === 'deleted' ? { deleted: true } : options.state ? { active: options.state === 'active' } : {}),
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
