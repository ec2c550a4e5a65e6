import type { Dialect } from '../database.js';

/**
 * The ACS links a login to a SCIM user by userName or email, case-insensitively (provisionedUsers): the
 * userName side has `scim_users_user_name (directory_id, user_name_key)`; this index is the email side's,
 * so that a login costs an index lookup per directory, not a scan of every user of the organization.
 */
export function ssoUserLookupSchema(_dialect: Dialect): string[] {
  return [`create index scim_users_email_key on scim_users (directory_id, lower(email), deleted_at)`];
}
