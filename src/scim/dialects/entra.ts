import type { ProviderDialect } from './settings.js';

/**
 * Microsoft Entra ID: `Replace emails[type eq "work"].value` on a user without a work e-mail expects the
 * value to be created (scim-checklist P8: `unmatchedFilter: create`); soft-deletes with `active:false` and
 * DELETEs only after its deletion window; removes group members with value arrays. Entra reconciles
 * memberships and deprovisions users itself, so an emptied group leaves its members (`keep`). Its
 * validator sends `Operations: []` and `"False"` strings — accepted for every dialect.
 */
export const entraDialect: ProviderDialect = {
  provider: 'entra',
  defaults: {
    userDelete: 'soft',
    onSuspend: 'deactivate',
    orphanedMembers: 'keep',
    groupNameConflict: 'conflict',
    unmatchedFilter: 'create',
    testConnection: { purge: false, userNames: [], windowSeconds: 0 },
  },
};
