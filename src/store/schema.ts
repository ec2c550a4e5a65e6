import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. The same shape on SQLite and PostgreSQL:
 * - timestamps are ISO-8601 strings in UTC with milliseconds (`2026-11-24T10:00:00.000Z`), so they compare
 *   and sort correctly as text in both dialects;
 * - JSON documents are `text` on SQLite and `jsonb` on PostgreSQL, always read and written as strings
 *   (the PostgreSQL pool returns jsonb unparsed);
 * - booleans are integers 0/1 in both dialects.
 */
export interface Database {
  organizations: OrganizationTable;
  directories: DirectoryTable;
  scim_users: ScimUserTable;
  scim_groups: ScimGroupTable;
  scim_group_members: ScimGroupMemberTable;
  events: EventTable;
  settings: SettingTable;
}

export interface OrganizationTable {
  id: string;
  name: string;
  /** JSON array of domain names */
  domains: string;
  created_at: string;
  updated_at: string;
}

export interface DirectoryTable {
  id: string;
  organization_id: string;
  provider: string;
  name: string;
  state: string;
  /** SHA-256 (hex) of the bearer token; the token itself is never stored */
  token_hash: string;
  /** the last four characters of the token, to help an admin recognise it */
  token_hint: string;
  token_created_at: string;
  created_at: string;
  updated_at: string;
}

/** One SCIM User of one directory. */
export interface ScimUserTable {
  id: string;
  directory_id: string;
  user_name: string;
  /** lower(user_name): userName is caseExact:false and unique per directory */
  user_name_key: string;
  external_id: string | null;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  /** the primary (else first) email value */
  email: string | null;
  active: number;
  /** the stored SCIM resource without id, meta and groups (JSON) */
  attributes: string;
  /** the last full body received for this user (JSON) */
  raw: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One SCIM Group of one directory. Members live in scim_group_members, never in `attributes`. */
export interface ScimGroupTable {
  id: string;
  directory_id: string;
  display_name: string;
  /** lower(display_name): unique per directory */
  display_name_key: string;
  external_id: string | null;
  member_count: number;
  /** the stored SCIM resource without id, meta and members (JSON) */
  attributes: string;
  raw: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ScimGroupMemberTable {
  group_id: string;
  user_id: string;
  directory_id: string;
  created_at: string;
}

/** The event log and transactional outbox. `seq` orders events; `id` is the public idempotency key. */
export interface EventTable {
  seq: Generated<number>;
  id: string;
  type: string;
  organization_id: string | null;
  directory_id: string | null;
  occurred_at: string;
  /** the resource after the change (JSON) */
  data: string;
  /** changed fields' previous values, for updates (JSON or null) */
  previous: string | null;
}

export interface SettingTable {
  key: string;
  value: string;
}
