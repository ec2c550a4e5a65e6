import { DomainError, notFound } from './errors.js';
import { directoryEvent } from './events.js';
import { newId } from './ids.js';
import { presentUser } from './presenters.js';
import { compareRoles, effectiveRoles, isActive, sameRoles, type RoleContext } from './roles.js';
import type { NewEvent } from './types.js';
import { chunks } from '../store/json.js';
import type { RoleMapping } from '../store/repositories/role-mappings.js';
import type { Store } from '../store/store.js';

export type { RoleMapping };

export interface RoleMappingSet {
  mappings: RoleMapping[];
  defaultRole: string | null;
}

export interface RoleMappingInput {
  mappings: { directoryGroupId: string; role: string }[];
  /** absent or null: no default role (PUT replaces the whole set) */
  defaultRole?: string | null;
}

const MAX_ROLE_LENGTH = 100;

function cleanRole(role: string, where: string): string {
  const trimmed = role.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_ROLE_LENGTH) throw new DomainError('invalid', `${where}: a role is 1 to ${MAX_ROLE_LENGTH} characters (after trimming)`);
  return trimmed;
}

function byGroupOf(mappings: readonly RoleMapping[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of mappings) out.set(m.directoryGroupId, [...(out.get(m.directoryGroupId) ?? []), m.role]);
  for (const roles of out.values()) roles.sort(compareRoles);
  return out;
}

/**
 * Group → role mappings of an organization, managed through the admin API. A PUT replaces the set and,
 * in the same transaction, announces `role_mappings.updated` and a `user.updated` (with
 * `previous.roles`) for each user whose effective roles changed; only members of groups whose roles
 * changed are recomputed (all active users when the default role changed).
 */
export class RoleMappings {
  constructor(private readonly store: Store) {}

  async get(organizationId: string): Promise<RoleMappingSet> {
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const [mappings, defaultRole] = await Promise.all([this.store.roleMappings.list(organizationId), this.store.roleMappings.defaultRole(organizationId)]);
    return { mappings, defaultRole };
  }

  async replace(organizationId: string, input: RoleMappingInput): Promise<RoleMappingSet> {
    const defaultRole = input.defaultRole === undefined || input.defaultRole === null ? null : cleanRole(input.defaultRole, 'defaultRole');
    const seen = new Set<string>();
    const mappings: RoleMapping[] = [];
    input.mappings.forEach((m, i) => {
      const role = cleanRole(m.role, `mappings[${i}].role`);
      const key = JSON.stringify([m.directoryGroupId, role]);
      if (seen.has(key)) return;
      seen.add(key);
      mappings.push({ directoryGroupId: m.directoryGroupId, role });
    });
    mappings.sort((a, b) => compareRoles(a.directoryGroupId, b.directoryGroupId) || compareRoles(a.role, b.role));

    return this.store.transaction(async (tx) => {
      // exclusive role lock of the organization first: PUTs of one organization run one at a time (so
      // `before` is what this PUT replaces), and every change that computes roles either committed before
      // (its memberships are read below) or reads the new mappings after this commits
      await tx.roleMappings.lockForRoleWrite(organizationId);
      if (!(await tx.organizations.get(organizationId))) throw notFound('organization');
      const groupIds = [...new Set(mappings.map((m) => m.directoryGroupId))];
      const known = await tx.roleMappings.groupsOfOrganization(organizationId, groupIds);
      const unknown = groupIds.find((id) => !known.has(id));
      if (unknown !== undefined) throw new DomainError('invalid', `directoryGroupId "${unknown}" is not a group of this organization's directories`);

      const before: RoleMappingSet = { mappings: await tx.roleMappings.list(organizationId), defaultRole: await tx.roleMappings.defaultRole(organizationId) };
      const oldByGroup = byGroupOf(before.mappings);
      const newByGroup = byGroupOf(mappings);
      const changedGroups = [...new Set([...oldByGroup.keys(), ...newByGroup.keys()])].filter(
        (id) => !sameRoles(oldByGroup.get(id) ?? [], newByGroup.get(id) ?? []),
      );
      const at = new Date().toISOString();
      await tx.roleMappings.replace(organizationId, mappings, defaultRole, at);
      const affected = new Set(await tx.roleMappings.memberIdsOfGroups(changedGroups));
      if (before.defaultRole !== defaultRole) for (const id of await tx.roleMappings.activeUserIdsOfOrganization(organizationId)) affected.add(id);
      const after: RoleMappingSet = { mappings, defaultRole };
      const events: NewEvent[] = [
        {
          id: newId('evt'),
          type: 'role_mappings.updated',
          organizationId,
          directoryId: null,
          occurredAt: at,
          data: { organizationId, ...after },
          previous: { ...before },
        },
      ];
      const oldContext: RoleContext = { defaultRole: before.defaultRole, byGroup: oldByGroup };
      const newContext: RoleContext = { defaultRole, byGroup: newByGroup };
      for (const part of chunks([...affected])) {
        const users = await tx.users.getByIds(part);
        const groups = await tx.users.groupsOf(part);
        for (const u of users) {
          const ids = (groups.get(u.id) ?? []).map((g) => g.id);
          const active = isActive(u);
          const previousRoles = effectiveRoles(oldContext, ids, active);
          const roles = effectiveRoles(newContext, ids, active);
          if (sameRoles(previousRoles, roles)) continue;
          const directory = { id: u.directoryId, organizationId };
          events.push(directoryEvent(directory, 'user.updated', presentUser(u, groups.get(u.id) ?? [], roles), at, { roles: previousRoles }));
        }
      }
      await tx.events.append(events);
      return after;
    });
  }
}
