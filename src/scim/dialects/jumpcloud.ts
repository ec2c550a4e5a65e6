import type { ProviderDialect } from './settings.js';

/**
 * JumpCloud's custom SCIM connector (../shared/notes/jumpcloud-wire.md):
 * - §A.4 "JumpCloud takes over management of existing groups … when the user group name matches": a POST of
 *   an existing group name adopts the group (`groupNameConflict: takeover`), even if its lookup missed it;
 * - §A.4 unbinding: "All members of that user group are deactivated … unless they are associated with
 *   another … group that is managed from JumpCloud" (`orphanedMembers: deactivate`);
 * - §A.2 Test Connection creates a test user and a test group, then deletes them, or deactivates the user
 *   when DELETE is refused; the test user's address is the admin's "test email" (`testConnection.userNames`,
 *   empty until the admin sets it), and §A.4 "empty groups are not created" except by the test, so the
 *   timing rule (`windowSeconds`: a user deleted, or deactivated after an empty group appeared, within
 *   30 s of its creation, unchanged and never in a group) recognises both without knowing any name.
 * - §A.3 which JumpCloud action sends DELETE is not confirmed: soft delete keeps the user reactivatable.
 */
export const jumpcloudDialect: ProviderDialect = {
  provider: 'jumpcloud',
  defaults: {
    userDelete: 'soft',
    onSuspend: 'deactivate',
    orphanedMembers: 'deactivate',
    groupNameConflict: 'takeover',
    unmatchedFilter: 'create',
    testConnection: { purge: true, userNames: [], windowSeconds: 30 },
  },
};
