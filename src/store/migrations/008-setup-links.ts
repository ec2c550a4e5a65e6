import type { Dialect } from '../database.js';

/**
 * Setup links (issue 8): an organization-scoped, expiring bearer token for a customer's IT admin, stored
 * only as its SHA-256 hash. Also the index the admin API's member listing pages by (group, joined, user):
 * without it every page of a 100,000-member group sorted the whole membership (≈430 ms a page).
 */
export function setupLinksSchema(_dialect: Dialect): string[] {
  return [
    `create table setup_links (
      id text primary key,
      organization_id text not null references organizations (id) on delete cascade,
      token_hash text not null unique,
      expires_at text not null,
      revoked_at text,
      created_at text not null
    )`,
    `create index setup_links_organization on setup_links (organization_id, created_at, id)`,
    `create index scim_group_members_page on scim_group_members (group_id, created_at, user_id)`,
  ];
}
