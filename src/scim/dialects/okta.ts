import type { ProviderDialect } from './settings.js';

/**
 * Okta: looks a user up (`userName eq`) before creating it, deactivates with
 * `{"op":"replace","value":{"active":false}}` and never DELETEs users; Group Push looks a group up by
 * displayName and links it itself, so a duplicate POST is a real conflict (409). Unlinking a pushed group
 * does not deprovision its members (Okta unassigns users explicitly): `orphanedMembers: keep`. Okta's
 * "Test Connector Configuration" only reads, so there are no artifacts to recognise. All PATCH shapes
 * (`members[value eq "…"]` removal, path-less replace) are accepted whatever the dialect.
 */
export const oktaDialect: ProviderDialect = {
  provider: 'okta',
  defaults: {
    userDelete: 'soft',
    onSuspend: 'deactivate',
    orphanedMembers: 'keep',
    groupNameConflict: 'conflict',
    unmatchedFilter: 'create',
    testConnection: { purge: false, userNames: [], windowSeconds: 0 },
  },
};
