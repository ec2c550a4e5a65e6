import type { Dialect } from '../database.js';

/**
 * Group → role mappings per organization (many-to-many), the organization's default role, per-directory
 * SCIM activity (flushed from memory every few seconds), and an index for event retention.
 */
export function roleMappingsSchema(_dialect: Dialect): string[] {
  return [
    `create table role_mappings (
      organization_id text not null references organizations (id) on delete cascade,
      group_id text not null references scim_groups (id) on delete cascade,
      role text not null,
      created_at text not null,
      primary key (organization_id, group_id, role)
    )`,
    `create index role_mappings_group on role_mappings (group_id, role)`,

    `create table role_defaults (
      organization_id text primary key references organizations (id) on delete cascade,
      default_role text not null,
      updated_at text not null
    )`,

    `create table directory_activity (
      directory_id text primary key references directories (id) on delete cascade,
      last_request_at text,
      last_success_at text,
      request_count integer not null,
      error_count integer not null,
      last_error_status integer,
      last_error_message text,
      last_error_at text
    )`,

    `create index events_occurred on events (occurred_at)`,
  ];
}
