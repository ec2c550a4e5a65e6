/**
 * Every event type Gatehouse writes (CONTRACT.md's and those added since). No imports: the admin portal
 * (web/) shares this list for its filters and webhook subscriptions.
 */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.user_added',
  'group.user_removed',
  'directory.created',
  'directory.token_rotated',
  'organization.created',
  'role_mappings.updated',
  'webhook.endpoint_disabled',
  'directory.updated',
  'jumpcloud.sync_finished',
  'jumpcloud.sync_failed',
  'jumpcloud.finding_opened',
  'jumpcloud.finding_resolved',
  'sso.login.succeeded',
  'sso.login.failed',
  'connection.certificate_expiring',
  'connection.certificate_renewal_started',
  'connection.certificate_added',
  'connection.certificate_renewal_confirmed',
  'connection.certificate_renewal_cancelled',
  'connection.sp_key_created',
  'connection.sp_key_activated',
  'connection.sp_key_retired',
  'connection.metadata_refresh_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
