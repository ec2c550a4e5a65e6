import type { Dialect } from '../database.js';

/**
 * Setup links (issue 8): an organization-scoped, expiring bearer token for a customer's IT admin, stored
 * only as its SHA-256 hash.
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
  ];
}
