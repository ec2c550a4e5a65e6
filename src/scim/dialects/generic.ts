import type { ProviderDialect } from './settings.js';

/**
 * Any SCIM 2.0 client: RFC 7644 where it decides (409 on a duplicate group name), Gatehouse's choices where
 * it does not (soft delete; an emptied group leaves its members alone; Entra-compatible unmatched filters,
 * which no strict client ever sends). No Test Connection heuristics: nothing is known of the client.
 */
export const genericDialect: ProviderDialect = {
  provider: 'generic',
  defaults: {
    userDelete: 'soft',
    onSuspend: 'deactivate',
    orphanedMembers: 'keep',
    groupNameConflict: 'conflict',
    unmatchedFilter: 'create',
    testConnection: { purge: false, userNames: [], windowSeconds: 0 },
  },
};
