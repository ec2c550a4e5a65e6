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
  role_mappings: RoleMappingTable;
  role_defaults: RoleDefaultTable;
  directory_activity: DirectoryActivityTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  setup_links: SetupLinkTable;
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

/** One group → role mapping of an organization (migration 003). A group may map to several roles. */
export interface RoleMappingTable {
  organization_id: string;
  group_id: string;
  role: string;
  created_at: string;
}

/** The organization's default role, given to every active user of its directories. */
export interface RoleDefaultTable {
  organization_id: string;
  default_role: string;
  updated_at: string;
}

/** SCIM activity of a directory, aggregated in memory and flushed every few seconds (counts add up). */
export interface DirectoryActivityTable {
  directory_id: string;
  last_request_at: string | null;
  last_success_at: string | null;
  request_count: number;
  error_count: number;
  last_error_status: number | null;
  last_error_message: string | null;
  last_error_at: string | null;
}

/** A webhook endpoint (migration 002). `organization_id` null = every organization. */
export interface WebhookEndpointTable {
  id: string;
  organization_id: string | null;
  url: string;
  /** JSON array of event types, or null for every type */
  event_types: string | null;
  /** the signing secret, sealed with the secret key (src/core/secret-box.ts) */
  secret_ciphertext: string;
  secret_hint: string;
  state: string;
  disabled_reason: string | null;
  consecutive_failures: number;
  /** when the current run of failures began (null while healthy) */
  failing_since: string | null;
  /** the outbox cursor: events up to this seq have been considered for this endpoint */
  last_enqueued_seq: number;
  created_at: string;
  updated_at: string;
}

/** One event to deliver to one endpoint. */
export interface WebhookDeliveryTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_seq: number;
  event_type: string;
  /** deliveries of one endpoint with the same key go out in event_seq order */
  ordering_key: string;
  state: string;
  attempts: number;
  next_attempt_at: string;
  /** a worker's lease while it delivers (null when not claimed) */
  locked_until: string | null;
  first_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  updated_at: string;
}

/** The log of every delivery attempt. */
export interface WebhookAttemptTable {
  id: string;
  delivery_id: string;
  endpoint_id: string;
  attempt: number;
  status: number | null;
  duration_ms: number;
  /** the first 1 KB of the response body */
  response_snippet: string | null;
  error: string | null;
  at: string;
}

/** An organization-scoped, expiring token for a customer's IT admin (migration 008). */
export interface SetupLinkTable {
  id: string;
  organization_id: string;
  /** SHA-256 (hex) of the token; the token itself is never stored */
  token_hash: string;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}
