import type { Store } from '../store/store.js';
import { inactiveReason, JumpCloudSide } from './counterparts.js';
import type { DirectoryLink } from './findings.js';

/** An active app user that JumpCloud says should be gone, and why. */
export interface DeactivationCandidate {
  scimUserId: string;
  userName: string;
  jumpcloudUserId: string;
  reason: 'deleted' | 'suspended' | 'password_expired' | 'unbound';
}

/** What differs between one SCIM directory and the JumpCloud inventory. */
export interface DriftReport {
  directoryId: string;
  /** the JumpCloud app linked to the directory (null: none linked, so "unbound" is not evaluated) */
  applicationId: string | null;
  /** the pull the report is based on */
  basedOnRunId: string;
  generatedAt: string;
  /** safe to heal: deactivating them is what JumpCloud itself would push */
  deactivate: DeactivationCandidate[];
  /** active app users with no JumpCloud counterpart (reported, never healed: their origin is unknown) */
  unmatched: { scimUserId: string; userName: string }[];
  /** JumpCloud users reaching the linked app, activated, but absent from the directory (reported only) */
  missingInApp: { jumpcloudUserId: string; username: string | null; email: string | null }[];
  /** SCIM groups whose members differ from their JumpCloud group's (users present on both sides) */
  groups: { scimGroupId: string; name: string; jumpcloudGroupId: string; missingInApp: string[]; extraInApp: string[] }[];
  summary: { deactivate: number; unmatched: number; missingInApp: number; groups: number };
}

/**
 * The drift of one directory against the connection's inventory. Only the safe direction is ever healed
 * (deactivation of `deactivate`); everything else is reported.
 */
export async function driftReport(store: Store, connection: { id: string; links: DirectoryLink[] }, directoryId: string, basedOnRunId: string): Promise<DriftReport> {
  const side = await JumpCloudSide.load(store, connection.id);
  const appId = connection.links.find((l) => l.directoryId === directoryId)?.applicationId ?? null;
  const users = await store.jumpcloud.scimUsers(directoryId);
  const report: DriftReport = {
    directoryId,
    applicationId: appId,
    basedOnRunId,
    generatedAt: new Date().toISOString(),
    deactivate: [],
    unmatched: [],
    missingInApp: [],
    groups: [],
    summary: { deactivate: 0, unmatched: 0, missingInApp: 0, groups: 0 },
  };
  const scimByJc = new Map<string, string>();
  const jcByScim = new Map<string, string>();
  for (const user of users) {
    const jc = side.counterpart(user);
    if (jc !== null) {
      scimByJc.set(jc.id, user.id);
      jcByScim.set(user.id, jc.id);
    }
    if (!user.active) continue;
    if (jc === null) {
      report.unmatched.push({ scimUserId: user.id, userName: user.userName });
      continue;
    }
    const reason = inactiveReason(jc, appId, side);
    if (reason !== null) report.deactivate.push({ scimUserId: user.id, userName: user.userName, jumpcloudUserId: jc.id, reason });
  }
  if (appId !== null) {
    for (const jcId of side.access.get(appId) ?? []) {
      const jc = side.users.get(jcId);
      if (!jc || jc.deleted || jc.state !== 'ACTIVATED' || jc.passwordExpired || scimByJc.has(jcId)) continue;
      report.missingInApp.push({ jumpcloudUserId: jcId, username: jc.username, email: jc.email });
    }
  }
  for (const group of await store.jumpcloud.scimGroups(directoryId)) {
    const jcGroupId = side.groupFor(group.externalId, group.name);
    if (jcGroupId === null) continue;
    const jcMembers = side.groups.get(jcGroupId)?.members ?? new Set<string>();
    const scimMembers = new Set(group.members);
    const missingInApp = [...jcMembers].map((id) => scimByJc.get(id)).filter((id): id is string => id !== undefined && !scimMembers.has(id));
    const extraInApp = group.members.filter((id) => {
      const jcId = jcByScim.get(id);
      return jcId === undefined || !jcMembers.has(jcId);
    });
    if (missingInApp.length > 0 || extraInApp.length > 0) report.groups.push({ scimGroupId: group.id, name: group.name, jumpcloudGroupId: jcGroupId, missingInApp, extraInApp });
  }
  report.summary = { deactivate: report.deactivate.length, unmatched: report.unmatched.length, missingInApp: report.missingInApp.length, groups: report.groups.length };
  return report;
}
