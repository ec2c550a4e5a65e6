import { DomainError, notFound } from './errors.js';
import { sameDocument } from './same-document.js';
import { directoryEvent } from './events.js';
import { newResourceId } from './ids.js';
import { presentGroup, presentUser, type DirectoryGroup, type DirectoryUser } from './presenters.js';
import { checkVersion, type ExpectedVersion, type ResourceSearch } from './resource-search.js';
import type { Directory, NewEvent, Page, StoredGroup } from './types.js';
import { deactivateOrphans } from './provisioning-policies.js';
import { effectiveRoles, isActive, roleContext, rolesOfUsers, sameRoles } from './roles.js';
import { groupDisplayName } from './user-profile.js';
import { effectiveSettings } from '../scim/dialects/index.js';
import type { Repositories, Store } from '../store/store.js';

/** A change to a group's membership, in the order the client asked for it. */
export type MemberOp =
  | { op: 'add'; values: string[] }
  | { op: 'remove'; values: string[] }
  | { op: 'removeAll' }
  | { op: 'replace'; values: string[] };

export interface GroupInput {
  attributes: Record<string, unknown>;
  raw: Record<string, unknown>;
  memberOps: MemberOp[];
}

function externalIdOf(attributes: Record<string, unknown>): string | null {
  return typeof attributes.externalId === 'string' ? attributes.externalId : null;
}

/**
 * Groups of a directory. Membership is stored as rows: adding or removing one member costs the same for
 * a group of 10 or of 100,000; only `replace` and `removeAll` read the whole membership.
 */
export class DirectoryGroups {
  constructor(private readonly store: Store) {}

  /**
   * Creates a group. With `groupNameConflict: takeover` (JumpCloud), a POST of an existing group's name
   * adopts that group instead: its attributes become the posted ones, the posted members are added, its
   * other members stay (`group.updated` and member events; `takenOver` is true).
   */
  async create(directory: Directory, input: GroupInput): Promise<StoredGroup & { takenOver?: boolean }> {
    return this.store.transaction(async (tx) => {
      if (effectiveSettings(directory.provider, directory.settings).groupNameConflict === 'takeover') {
        const existing = await tx.groups.idByDisplayName(directory.id, groupDisplayName(input.attributes));
        if (existing !== undefined) {
          const memberOps: MemberOp[] = input.memberOps.map((op) => (op.op === 'replace' ? { op: 'add', values: op.values } : op));
          const group = await applyUpdate(tx, directory, existing, () => ({ ...input, memberOps }));
          return { ...group, takenOver: true };
        }
      }
      const at = new Date().toISOString();
      const group: StoredGroup = {
        id: newResourceId(),
        directoryId: directory.id,
        attributes: input.attributes,
        raw: input.raw,
        version: 1,
        memberCount: 0,
        createdAt: at,
        updatedAt: at,
      };
      await tx.groups.insert(group, groupDisplayName(group.attributes), externalIdOf(group.attributes));
      const members = await applyMemberOps(tx, directory, group, input.memberOps, at, true);
      // group.created carries the group as created, members included; the user_added events follow it
      await tx.events.append([directoryEvent(directory, 'group.created', presentGroup(members.group), at), ...members.events]);
      return members.group;
    });
  }

  async get(directoryId: string, id: string): Promise<StoredGroup> {
    const group = await this.store.groups.get(directoryId, id);
    if (!group) throw notFound('group');
    return group;
  }

  /** Applies a PUT or PATCH: attribute changes and member operations, all or nothing. */
  async update(
    directory: Directory,
    id: string,
    change: (current: StoredGroup) => GroupInput,
    expected?: ExpectedVersion,
  ): Promise<StoredGroup> {
    return this.store.transaction((tx) => applyUpdate(tx, directory, id, change, expected));
  }

  async delete(directory: Directory, id: string, expected?: ExpectedVersion): Promise<void> {
    await this.store.transaction(async (tx) => {
      const group = await tx.groups.get(directory.id, id, { lock: true });
      if (!group) throw notFound('group');
      checkVersion(expected, group.version);
      const at = new Date().toISOString();
      const removed = await tx.groups.removeAllMembers(id);
      const after = { ...group, memberCount: 0, updatedAt: at };
      const events = await memberEvents(tx, directory, after, removed, 'group.user_removed', at);
      await tx.groups.delete(id);
      events.push(directoryEvent(directory, 'group.deleted', presentGroup(after), at));
      if (effectiveSettings(directory.provider, directory.settings).orphanedMembers === 'deactivate') {
        events.push(...(await deactivateOrphans(tx, directory, removed, at)));
      }
      await tx.events.append(events);
    });
  }

  async search(directoryId: string, search: ResourceSearch): Promise<{ total: number; groups: StoredGroup[] }> {
    return this.store.searchGroups(directoryId, search);
  }

  /** `members` of several groups for SCIM representations. */
  async membersOf(groupIds: readonly string[]): Promise<Map<string, { value: string; display: string }[]>> {
    return this.store.groups.membersOf(groupIds);
  }

  async list(directoryId: string, options: { search?: string; limit: number; cursor?: string }): Promise<Page<DirectoryGroup>> {
    const page = await this.store.groups.list(directoryId, options);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows.map(presentGroup), next: page.next };
  }

  async listMembers(directoryId: string, groupId: string, limit: number, cursor?: string): Promise<Page<DirectoryUser>> {
    await this.get(directoryId, groupId);
    const page = await this.store.groups.listMembers(groupId, limit, cursor);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    const groups = await this.store.users.groupsOf(page.rows.map((u) => u.id));
    const directory = await this.store.directories.get(directoryId);
    const roles = directory ? await rolesOfUsers(this.store, directory.organizationId, page.rows, groups) : new Map<string, string[]>();
    return { data: page.rows.map((u) => presentUser(u, groups.get(u.id) ?? [], roles.get(u.id) ?? [])), next: page.next };
  }
}

/** A PUT or PATCH (or a takeover) applied in the caller's transaction: attributes, then member operations. */
async function applyUpdate(
  tx: Repositories,
  directory: Directory,
  id: string,
  change: (current: StoredGroup) => GroupInput,
  expected?: ExpectedVersion,
): Promise<StoredGroup> {
  const current = await tx.groups.get(directory.id, id, { lock: true });
  if (!current) throw notFound('group');
  checkVersion(expected, current.version);
  const next = change(current);
  const at = new Date().toISOString();
  const attributesChanged = !sameDocument(next.attributes, current.attributes);
  let group = current;
  if (attributesChanged) {
    group = { ...current, attributes: next.attributes, raw: next.raw, version: current.version + 1, updatedAt: at };
    if (!(await tx.groups.update(group, groupDisplayName(group.attributes), externalIdOf(group.attributes), current.version))) {
      throw new DomainError('precondition_failed', 'the group changed meanwhile; retry');
    }
  } else if (!sameDocument(next.raw, current.raw)) {
    // same attributes, another body (e.g. unknown attributes): keep `raw` as last received, no new version
    await tx.groups.setRaw(id, next.raw);
    group = { ...current, raw: next.raw };
  }
  const members = await applyMemberOps(tx, directory, group, next.memberOps, at, attributesChanged);
  const events = members.events;
  if (attributesChanged) {
    const before = presentGroup(current);
    const after = presentGroup(members.group);
    const previous: Record<string, unknown> = {};
    if (before.name !== after.name) previous.name = before.name;
    if (before.externalId !== after.externalId) previous.externalId = before.externalId;
    events.unshift(directoryEvent(directory, 'group.updated', after, at, previous));
  }
  await tx.events.append(events);
  return members.group;
}

async function requireUsers(tx: Repositories, directory: Directory, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx.users.existingIds(directory.id, ids, { lock: true });
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new DomainError('invalid', `members: "${missing}" is not a user of this directory`, 'members');
}

/**
 * Applies member operations in order; writes one new version if membership changed, unless this request
 * already wrote one (`versionWritten`: the group was created, or its attributes updated, just now).
 * Returns the group after the change and its member events, for the caller to append after its own.
 */
async function applyMemberOps(
  tx: Repositories,
  directory: Directory,
  group: StoredGroup,
  ops: readonly MemberOp[],
  at: string,
  versionWritten: boolean,
): Promise<{ group: StoredGroup; events: NewEvent[] }> {
  // net effect of the whole request: a user added then removed (or the reverse) is no change
  const added = new Set<string>();
  const removed = new Set<string>();
  const record = (ids: string[], into: Set<string>, cancels: Set<string>) => {
    for (const id of ids) if (!cancels.delete(id)) into.add(id);
  };
  for (const op of ops) {
    if (op.op === 'add') {
      await requireUsers(tx, directory, op.values);
      record(await tx.groups.addMembers(group.id, directory.id, op.values, at), added, removed);
    } else if (op.op === 'remove') {
      record(await tx.groups.removeMembers(group.id, op.values), removed, added);
    } else if (op.op === 'removeAll') {
      record(await tx.groups.removeAllMembers(group.id), removed, added);
    } else {
      await requireUsers(tx, directory, op.values);
      const wanted = new Set(op.values);
      const current = await tx.groups.memberIds(group.id);
      const currentSet = new Set(current);
      record(await tx.groups.removeMembers(group.id, current.filter((id) => !wanted.has(id))), removed, added);
      record(await tx.groups.addMembers(group.id, directory.id, [...wanted].filter((id) => !currentSet.has(id)), at), added, removed);
    }
  }
  if (added.size === 0 && removed.size === 0) return { group, events: [] };
  const delta = added.size - removed.size;
  // (comparing updatedAt with `at` cannot tell: the previous change may have committed in the same millisecond)
  const version = versionWritten ? group.version : group.version + 1;
  await tx.groups.touch(group.id, version, at, delta);
  const after: StoredGroup = { ...group, version, memberCount: group.memberCount + delta, updatedAt: at };
  const events = [
    ...(await memberEvents(tx, directory, after, [...added], 'group.user_added', at)),
    ...(await memberEvents(tx, directory, after, [...removed], 'group.user_removed', at)),
  ];
  // a request that empties the group (JumpCloud's unbind) leaves its removed members orphaned, maybe
  if (after.memberCount === 0 && removed.size > 0 && effectiveSettings(directory.provider, directory.settings).orphanedMembers === 'deactivate') {
    events.push(...(await deactivateOrphans(tx, directory, [...removed], at)));
  }
  return { group: after, events };
}

/**
 * One event per user added to or removed from a group, with the group and the user in `data`; when the
 * change altered the user's effective roles, a `user.updated` with `previous.roles` follows it. Only
 * the users in `userIds` are read and recomputed.
 */
async function memberEvents(
  tx: Repositories,
  directory: Directory,
  group: StoredGroup,
  userIds: readonly string[],
  type: 'group.user_added' | 'group.user_removed',
  at: string,
): Promise<NewEvent[]> {
  if (userIds.length === 0) return [];
  // roles are read under the organization's role lock (shared): a concurrent role-mapping PUT either
  // committed before (and is seen here) or finds these memberships after this commits
  await tx.roleMappings.lockForRoleRead(directory.organizationId);
  const users = await tx.users.getMany(directory.id, userIds);
  const groups = await tx.users.groupsOf(userIds);
  const presentedGroup = presentGroup(group);
  // memberships are already written: `groups` is the state after; before = after ∓ this group
  const allGroupIds = [group.id, ...[...groups.values()].flat().map((g) => g.id)];
  const context = await roleContext(tx, directory.organizationId, allGroupIds);
  const events: NewEvent[] = [];
  for (const u of users) {
    const after = (groups.get(u.id) ?? []).map((g) => g.id);
    const before = type === 'group.user_added' ? after.filter((id) => id !== group.id) : [...after, group.id];
    const active = isActive(u);
    const roles = effectiveRoles(context, after, active);
    const previousRoles = effectiveRoles(context, before, active);
    const user = presentUser(u, groups.get(u.id) ?? [], roles);
    events.push(directoryEvent(directory, type, { group: presentedGroup, user }, at));
    if (!sameRoles(roles, previousRoles)) events.push(directoryEvent(directory, 'user.updated', user, at, { roles: previousRoles }));
  }
  return events;
}
