import type { Dialect } from '../database.js';

/** Organizations, directories, SCIM users/groups/memberships, the event outbox and settings. */
export function initialSchema(dialect: Dialect): string[] {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  const seq = dialect === 'postgres' ? 'bigserial primary key' : 'integer primary key autoincrement';
  return [
    `create table organizations (
      id text primary key,
      name text not null,
      domains ${json} not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create index organizations_created on organizations (created_at, id)`,

    `create table directories (
      id text primary key,
      organization_id text not null references organizations (id) on delete cascade,
      provider text not null,
      name text not null,
      state text not null,
      token_hash text not null,
      token_hint text not null,
      token_created_at text not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create unique index directories_token_hash on directories (token_hash)`,
    `create index directories_organization on directories (organization_id, created_at, id)`,

    `create table scim_users (
      id text primary key,
      directory_id text not null references directories (id) on delete cascade,
      user_name text not null,
      user_name_key text not null,
      external_id text,
      display_name text,
      given_name text,
      family_name text,
      email text,
      active integer not null,
      attributes ${json} not null,
      raw ${json} not null,
      version integer not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create unique index scim_users_user_name on scim_users (directory_id, user_name_key)`,
    `create index scim_users_external_id on scim_users (directory_id, external_id)`,
    `create index scim_users_created on scim_users (directory_id, created_at, id)`,
    `create index scim_users_active on scim_users (directory_id, active, created_at, id)`,

    `create table scim_groups (
      id text primary key,
      directory_id text not null references directories (id) on delete cascade,
      display_name text not null,
      display_name_key text not null,
      external_id text,
      member_count integer not null,
      attributes ${json} not null,
      raw ${json} not null,
      version integer not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create unique index scim_groups_display_name on scim_groups (directory_id, display_name_key)`,
    `create index scim_groups_external_id on scim_groups (directory_id, external_id)`,
    `create index scim_groups_created on scim_groups (directory_id, created_at, id)`,

    `create table scim_group_members (
      group_id text not null references scim_groups (id) on delete cascade,
      user_id text not null references scim_users (id) on delete cascade,
      directory_id text not null,
      created_at text not null,
      primary key (group_id, user_id)
    )`,
    `create index scim_group_members_user on scim_group_members (user_id, group_id)`,

    `create table events (
      seq ${seq},
      id text not null unique,
      type text not null,
      organization_id text,
      directory_id text,
      occurred_at text not null,
      data ${json} not null,
      previous ${json}
    )`,
    `create index events_organization on events (organization_id, seq)`,
    `create index events_directory on events (directory_id, seq)`,
    `create index events_type on events (type, seq)`,

    `create table settings (
      key text primary key,
      value text not null
    )`,
  ];
}
