import type { Dialect } from '../database.js';

/**
 * Issue 5, provisioning semantics: per-directory settings (the overrides of the provider dialect's
 * defaults, JSON; null = all defaults) and soft-deleted SCIM users (`deleted_at` set: gone from SCIM,
 * kept for the admin API and for reactivation by a later POST of the same userName or externalId), and
 * the previous webhook signing secret during a rotation's grace period.
 */
export function directorySettingsSchema(_dialect: Dialect): string[] {
  return [
    `alter table directories add column settings text`,
    `alter table scim_users add column deleted_at text`,
    `create index scim_users_deleted on scim_users (directory_id, deleted_at)`,
    // webhook secret rotation with a grace period: the previous secret (sealed) still signs until it expires
    `alter table webhook_endpoints add column previous_secret_ciphertext text`,
    `alter table webhook_endpoints add column previous_secret_expires_at text`,
  ];
}
