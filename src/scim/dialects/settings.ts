/**
 * The provisioning switches of one directory. Each provider dialect (./jumpcloud.ts, ./okta.ts, ./entra.ts,
 * ./generic.ts) gives the defaults; a directory stores only its overrides (`PATCH /api/directories/:dirId`
 * `{"settings":{…}}`), and the effective settings are the dialect's defaults with the overrides on top.
 */
export interface DirectorySettings {
  /**
   * SCIM `DELETE /Users/{id}`: `soft` marks the user `deleted` (gone from SCIM, kept in the admin API under
   * `?state=deleted`, reactivated by a later POST of the same userName or externalId); `hard` removes the row.
   */
  userDelete: 'soft' | 'hard';
  /**
   * `active:false` (suspension): `deactivate` keeps the user's groups; `deactivate-and-remove-memberships`
   * also removes the user from every group (group.user_removed events; mapped roles go with them).
   */
  onSuspend: 'deactivate' | 'deactivate-and-remove-memberships';
  /**
   * A group emptied by the IdP (a request that removes its last members: JumpCloud's unbind) or deleted:
   * `deactivate` deactivates each removed member that is left with no group at all; `keep` leaves them.
   */
  orphanedMembers: 'deactivate' | 'keep';
  /**
   * `POST /Groups` with the displayName of an existing group: `takeover` adopts that group (its attributes
   * replaced, the posted members added, its other members kept; 201 with its id); `conflict` answers 409.
   */
  groupNameConflict: 'takeover' | 'conflict';
  /**
   * PATCH add/replace through a value filter that matches nothing (`emails[type eq "work"].value`):
   * `create` adds a value built from the filter's `eq` terms (what Entra expects); `noTarget` is RFC 7644's
   * strict 400 `noTarget`. A remove that matches nothing is always a no-op.
   */
  unmatchedFilter: 'create' | 'noTarget';
  /** Recognising the users and groups a "Test Connection" creates, so that none stays as a real one. */
  testConnection: TestConnectionSettings;
}

export interface TestConnectionSettings {
  /** purge recognised artifacts (hard delete, `user.deleted`) instead of keeping them as users */
  purge: boolean;
  /**
   * userNames (case-insensitive) that are always Test Connection users: the "test email" the admin types
   * into the IdP's form. Deleted or deactivated, such a user is purged; never deleted, it is purged
   * `windowSeconds` after its creation.
   */
  userNames: string[];
  /**
   * A user deleted within this many seconds of its creation, unchanged since and never in a group, is a
   * Test Connection user (JumpCloud creates, then deletes it, in one go); so is one deactivated so, when a
   * group was created empty meanwhile (the test group). 0 turns this off. An empty group (POST without
   * members, never changed since) this old is a test group and is purged by the sweep.
   */
  windowSeconds: number;
}

/** A dialect: the defaults of one provider, and the evidence each rests on (see README). */
export interface ProviderDialect {
  provider: 'jumpcloud' | 'okta' | 'entra' | 'generic';
  defaults: DirectorySettings;
}
