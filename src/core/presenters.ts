import type { GroupRef, StoredGroup, StoredUser } from './types.js';
import { groupDisplayName, userProfile } from './user-profile.js';

/** The directory user of the admin API and of event data (CONTRACT.md "Directory user"). */
export interface DirectoryUser {
  id: string;
  directoryId: string;
  externalId: string | null;
  userName: string;
  email: string | null;
  emails: string[];
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  /** `deleted`: soft-deleted by SCIM DELETE (admin API only; SCIM no longer finds the user) */
  state: 'active' | 'inactive' | 'deleted';
  groups: GroupRef[];
  roles: string[];
  raw: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface DirectoryGroup {
  id: string;
  directoryId: string;
  externalId: string | null;
  name: string;
  memberCount: number;
  raw: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** `roles` are the effective roles (core/roles.ts): required, so that no caller forgets them. */
export function presentUser(user: StoredUser, groups: GroupRef[], roles: string[]): DirectoryUser {
  const p = userProfile(user.attributes);
  return {
    id: user.id,
    directoryId: user.directoryId,
    externalId: p.externalId,
    userName: p.userName,
    email: p.email,
    emails: p.emails,
    firstName: p.givenName,
    lastName: p.familyName,
    displayName: p.displayName,
    state: user.deletedAt ? 'deleted' : p.active ? 'active' : 'inactive',
    groups,
    roles,
    raw: user.raw,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

export function presentGroup(group: StoredGroup): DirectoryGroup {
  const externalId = group.attributes.externalId;
  return {
    id: group.id,
    directoryId: group.directoryId,
    externalId: typeof externalId === 'string' ? externalId : null,
    name: groupDisplayName(group.attributes),
    memberCount: group.memberCount,
    raw: group.raw,
    createdAt: group.createdAt,
    updatedAt: group.updatedAt,
  };
}
