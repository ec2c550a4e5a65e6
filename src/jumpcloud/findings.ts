import type { Store } from '../store/store.js';
import { fromJson } from '../store/json.js';
import { inactiveReason, JumpCloudSide } from './counterparts.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_TYPES = [
  'admin_without_mfa',
  'user_suspended_still_active',
  'user_password_expired_still_active',
  'user_unbound_still_active',
  'user_deleted_still_active',
  'app_user_without_jumpcloud_user',
  'group_membership_mismatch',
  'app_certificate_expiring',
] as const;
export type FindingType = (typeof FINDING_TYPES)[number];

/** A finding as one evaluation sees it (before it is stored with its first/last seen times). */
export interface FindingDraft {
  key: string;
  type: FindingType;
  severity: Severity;
  subject: { type: 'admin' | 'scim_user' | 'scim_group' | 'application'; id: string; label: string };
  evidence: Record<string, unknown>;
}

/** A directory ↔ application link: which JumpCloud app provisions which SCIM directory. */
export interface DirectoryLink {
  directoryId: string;
  applicationId: string;
}

const DAY = 86_400_000;
const REASON_TYPE = {
  deleted: 'user_deleted_still_active',
  suspended: 'user_suspended_still_active',
  password_expired: 'user_password_expired_still_active',
  unbound: 'user_unbound_still_active',
} as const;
const REASON_SEVERITY = { deleted: 'high', suspended: 'high', password_expired: 'medium', unbound: 'high' } as const;
const MAX_LISTED = 50;

/** Certificate severity by days left: expired critical, ≤ 7 high, ≤ 30 medium, ≤ 60 low. */
export function certificateSeverity(daysLeft: number): Severity {
  return daysLeft < 0 ? 'critical' : daysLeft <= 7 ? 'high' : daysLeft <= 30 ? 'medium' : 'low';
}

/**
 * Evaluates every finding of a connection from its inventory and its organization's SCIM directories:
 * admins without MFA; active app users whom JumpCloud has suspended, let the password expire, deleted, or
 * (when the directory is linked to an app) no longer lets reach the app; active app users with no
 * JumpCloud counterpart; SCIM groups whose members differ from the JumpCloud group's; and app certificates
 * expiring within 60 days.
 */
export async function evaluateFindings(store: Store, connection: { id: string; organizationId: string; links: DirectoryLink[] }, now = new Date()): Promise<FindingDraft[]> {
  const out: FindingDraft[] = [];
  const repo = store.jumpcloud;

  for (const row of await repo.allEntities(connection.id, 'admin')) {
    if (row.deleted_at !== null) continue;
    const a = fromJson<Record<string, unknown>>(row.data);
    if (a.suspended === true) continue;
    const enforced = a.enableMultiFactor === true;
    const enrolled = a.totpEnrolled === true;
    if (enforced && enrolled) continue;
    out.push({
      key: `admin_without_mfa:${row.jc_id}`,
      type: 'admin_without_mfa',
      severity: enrolled ? 'medium' : 'high',
      subject: { type: 'admin', id: row.jc_id, label: row.name },
      evidence: { email: a.email ?? null, roleName: a.roleName ?? null, enableMultiFactor: enforced, totpEnrolled: enrolled },
    });
  }

  for (const row of await repo.allEntities(connection.id, 'application')) {
    if (row.deleted_at !== null) continue;
    const app = fromJson<Record<string, unknown>>(row.data);
    const expiry = typeof app.certificateExpiresAt === 'string' ? Date.parse(app.certificateExpiresAt) : Number.NaN;
    if (Number.isNaN(expiry) || expiry - now.getTime() > 60 * DAY) continue;
    const daysLeft = Math.floor((expiry - now.getTime()) / DAY);
    out.push({
      key: `app_certificate_expiring:${row.jc_id}`,
      type: 'app_certificate_expiring',
      severity: certificateSeverity(daysLeft),
      subject: { type: 'application', id: row.jc_id, label: row.name },
      evidence: { certificateExpiresAt: app.certificateExpiresAt, daysLeft, ssoUrl: app.ssoUrl ?? null },
    });
  }

  const directories = await repo.directoryIdsOf(connection.organizationId);
  if (directories.length === 0) return out;
  const side = await JumpCloudSide.load(store, connection.id);
  for (const directoryId of directories) {
    const appId = connection.links.find((l) => l.directoryId === directoryId)?.applicationId ?? null;
    const users = await repo.scimUsers(directoryId);
    const counterpartOf = new Map<string, string | null>();
    for (const user of users) {
      const jc = side.counterpart(user);
      counterpartOf.set(user.id, jc?.id ?? null);
      if (!user.active) continue;
      const label = user.email ?? user.userName;
      if (jc === null) {
        out.push({
          key: `app_user_without_jumpcloud_user:${directoryId}:${user.id}`,
          type: 'app_user_without_jumpcloud_user',
          severity: 'medium',
          subject: { type: 'scim_user', id: user.id, label },
          evidence: { directoryId, userName: user.userName, externalId: user.externalId, emails: user.emails },
        });
        continue;
      }
      const reason = inactiveReason(jc, appId, side);
      if (reason === null) continue;
      out.push({
        key: `${REASON_TYPE[reason]}:${directoryId}:${user.id}`,
        type: REASON_TYPE[reason],
        severity: REASON_SEVERITY[reason],
        subject: { type: 'scim_user', id: user.id, label },
        evidence: { directoryId, userName: user.userName, jumpcloudUserId: jc.id, jumpcloudState: jc.state, suspended: jc.suspended, passwordExpired: jc.passwordExpired, deleted: jc.deleted, ...(reason === 'unbound' ? { applicationId: appId } : {}) },
      });
    }

    // the SCIM side of each group vs the JumpCloud group's direct members, for users present on both sides
    const scimByJc = new Map<string, string>();
    for (const [scimId, jcId] of counterpartOf) if (jcId !== null) scimByJc.set(jcId, scimId);
    for (const group of await repo.scimGroups(directoryId)) {
      const jcGroupId = side.groupFor(group.externalId, group.name);
      if (jcGroupId === null) continue;
      const jcMembers = side.groups.get(jcGroupId)?.members ?? new Set<string>();
      const scimMembers = new Set(group.members);
      const missing: { scimUserId: string; jumpcloudUserId: string }[] = [];
      for (const jcUserId of jcMembers) {
        const scimId = scimByJc.get(jcUserId);
        const jc = side.users.get(jcUserId);
        if (scimId === undefined || !jc || jc.deleted || jc.state !== 'ACTIVATED') continue;
        if (!scimMembers.has(scimId)) missing.push({ scimUserId: scimId, jumpcloudUserId: jcUserId });
      }
      const extra: { scimUserId: string; jumpcloudUserId: string | null }[] = [];
      for (const scimId of group.members) {
        const jcId = counterpartOf.get(scimId) ?? null;
        if (jcId === null || !jcMembers.has(jcId)) extra.push({ scimUserId: scimId, jumpcloudUserId: jcId });
      }
      if (missing.length === 0 && extra.length === 0) continue;
      out.push({
        key: `group_membership_mismatch:${directoryId}:${group.id}`,
        type: 'group_membership_mismatch',
        severity: 'medium',
        subject: { type: 'scim_group', id: group.id, label: group.name },
        evidence: {
          directoryId,
          jumpcloudGroupId: jcGroupId,
          missingInAppCount: missing.length,
          extraInAppCount: extra.length,
          missingInApp: missing.slice(0, MAX_LISTED),
          extraInApp: extra.slice(0, MAX_LISTED),
        },
      });
    }
  }
  return out;
}
