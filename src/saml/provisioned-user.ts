import { effectiveRoles, roleContext } from '../core/roles.js';
import type { Repositories } from '../store/store.js';
import { AcsRejection } from './acs-rejection.js';
import type { SamlProfile } from './attribute-mapping.js';

/** The SCIM-provisioned user a login was linked to. */
export interface LinkedUser {
  directoryId: string;
  directoryUserId: string;
  userName: string;
  roles: string[];
}

/**
 * Links a SAML login to the SCIM-provisioned user of the same organization whose userName or email equals
 * the NameID or the mapped email (case-insensitively); another organization's users are never considered.
 * An active match wins; when every match is deactivated and the connection refuses deactivated users, the
 * login is refused (`user_deactivated`); a user provisioning deleted (soft delete) is refused likewise
 * (`user_deleted`), or goes ahead unlinked when the connection admits deactivated users. No match: the login
 * goes ahead unlinked (JIT, no provisioning).
 * Reads through `store` (the database, or the ACS's transaction).
 */
export async function linkProvisionedUser(store: Repositories, organizationId: string, profile: SamlProfile, refuseDeactivated: boolean): Promise<LinkedUser | null> {
  const keys = [profile.nameId, ...(profile.email !== null ? [profile.email] : [])];
  const matches = await store.ssoConnections.provisionedUsers(organizationId, keys);
  if (matches.length === 0) return null;
  const live = matches.filter((m) => m.deleted_at === null);
  const chosen = live.find((m) => m.active === 1) ?? live[0];
  if (chosen === undefined) {
    // only soft-deleted users match: provisioning removed this person from the app
    if (refuseDeactivated) throw new AcsRejection('user_deleted', `the provisioned user ${matches[0]!.id} was deleted by provisioning`, 403);
    return null;
  }
  if (chosen.active !== 1 && refuseDeactivated) throw new AcsRejection('user_deactivated', `the provisioned user ${chosen.id} is deactivated`, 403);
  const groups = (await store.users.groupsOf([chosen.id])).get(chosen.id) ?? [];
  const groupIds = groups.map((g) => g.id);
  const context = await roleContext(store, organizationId, groupIds);
  return { directoryId: chosen.directory_id, directoryUserId: chosen.id, userName: chosen.user_name, roles: effectiveRoles(context, groupIds, chosen.active === 1) };
}
