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
  jumpcloud_connections: JumpCloudConnectionTable;
  jumpcloud_runs: JumpCloudRunTable;
  jumpcloud_run_steps: JumpCloudRunStepTable;
  jumpcloud_entities: JumpCloudEntityTable;
  jumpcloud_relations: JumpCloudRelationTable;
  jumpcloud_findings: JumpCloudFindingTable;
  sso_connections: SsoConnectionTable;
  sso_idp_certificates: SsoIdpCertificateTable;
  sso_sp_keys: SsoSpKeyTable;
  saml_request_ids: SamlRequestIdTable;
  saml_assertion_replays: SamlAssertionReplayTable;
  oauth_login_requests: OAuthLoginRequestTable;
  oauth_codes: OAuthCodeTable;
  oauth_access_tokens: OAuthAccessTokenTable;
  oauth_signing_keys: OAuthSigningKeyTable;
  sso_idp_renewals: SsoIdpRenewalTable;
  sso_metadata_refresh: SsoMetadataRefreshTable;
  sso_certificate_warnings: SsoCertificateWarningTable;
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
  /** overrides of the provider dialect's default settings (JSON text; null = defaults), migration 004 */
  settings: string | null;
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
  /** set when SCIM DELETE soft-deleted the user (migration 004): hidden from SCIM, reactivated by a POST */
  deleted_at: string | null;
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
  /** after a rotation with a grace period: the previous secret, sealed, and when it stops signing (migration 004) */
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: string | null;
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

/** A JumpCloud pull connection (migration 007). The API key is sealed, never stored in the clear. */
export interface JumpCloudConnectionTable {
  id: string;
  organization_id: string;
  name: string;
  api_base_url: string;
  /** x-org-id for multi-tenant keys */
  jc_org_id: string | null;
  api_key_ciphertext: string;
  api_key_hint: string;
  /** periodic syncs every this many minutes; null: only on demand */
  sync_interval_minutes: number | null;
  /** JSON array of {directoryId, applicationId}: which JumpCloud app provisions which SCIM directory */
  links: string;
  created_at: string;
  updated_at: string;
}

/** One pull run. At most one per connection is `running` (partial unique index). */
export interface JumpCloudRunTable {
  id: string;
  connection_id: string;
  state: string;
  trigger: string;
  progress: string;
  counts: string;
  error: string | null;
  cancel_requested: number;
  /** the node executing the run, and until when its lease holds (renewed while it works) */
  node_id: string | null;
  lease_until: string | null;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
  created_at: string;
}

/** A step a run finished (a list, or one group's or app's graph): skipped when the run resumes. */
export interface JumpCloudRunStepTable {
  run_id: string;
  step: string;
  done_at: string;
}

/** One pulled JumpCloud record (user, group, admin, role, application); `deleted_at` is its tombstone. */
export interface JumpCloudEntityTable {
  connection_id: string;
  kind: string;
  jc_id: string;
  name: string;
  email: string | null;
  data: string;
  seen_run_id: string;
  first_seen_at: string;
  last_seen_at: string;
  deleted_at: string | null;
}

/** One list of related records: a group's members, an app's bindings or its effective access. */
export interface JumpCloudRelationTable {
  connection_id: string;
  kind: string;
  from_id: string;
  /** JSON array: target ids, or objects with an `id` (effective access carries its paths) */
  targets: string;
  target_count: number;
  seen_run_id: string;
}

/** A finding of a connection; `finding_key` (type + subject) is unique per connection. */
export interface JumpCloudFindingTable {
  id: string;
  connection_id: string;
  organization_id: string;
  finding_key: string;
  type: string;
  severity: string;
  state: string;
  subject_type: string;
  subject_id: string;
  subject_label: string;
  evidence: string;
  first_seen_at: string;
  last_seen_at: string;
  resolved_at: string | null;
}

/** A SAML SSO connection of an organization (migration 005): one IdP, our SP side, its OAuth client. */
export interface SsoConnectionTable {
  id: string;
  organization_id: string;
  name: string;
  /** 'active' | 'inactive' */
  state: string;
  idp_entity_id: string;
  idp_sso_url: string;
  /** where the IdP metadata was imported from (null: XML or fields) */
  idp_metadata_url: string | null;
  idp_metadata_fetched_at: string | null;
  sp_entity_id: string;
  allow_idp_initiated: number;
  want_assertions_signed: number;
  want_response_signed: number;
  /** legacy switch: accept rsa-sha1 / sha1 signatures */
  allow_sha1: number;
  /** refuse a login whose SCIM-provisioned user is deactivated */
  refuse_deactivated_users: number;
  /** JSON: {email, firstName, lastName, groups} → attribute names */
  attribute_mapping: string;
  /** JSON array of the registered OAuth redirect URIs; the first is the IdP-initiated default */
  redirect_uris: string;
  oauth_client_id: string;
  /** SHA-256 of the OAuth client secret */
  oauth_secret_hash: string;
  oauth_secret_hint: string;
  created_at: string;
  updated_at: string;
}

/** A trusted IdP signing certificate. state: 'pending' | 'active' | 'retiring' | 'removed'; only active and retiring verify. */
export interface SsoIdpCertificateTable {
  id: string;
  connection_id: string;
  certificate_pem: string;
  fingerprint_sha256: string;
  not_before: string;
  not_after: string;
  state: string;
  /** 'metadata' | 'metadata_url' | 'manual' */
  source: string;
  created_at: string;
  updated_at: string;
}

/** An SP signing key pair. state: 'next' (published, not signing) | 'active' (signs) | 'retiring' (published). */
export interface SsoSpKeyTable {
  id: string;
  connection_id: string;
  certificate_pem: string;
  /** PKCS#8 PEM sealed with the secret key, bound to the key id */
  private_key_ciphertext: string;
  fingerprint_sha256: string;
  not_after: string;
  state: string;
  created_at: string;
  updated_at: string;
}

/** An outstanding AuthnRequest id (node-saml's InResponseTo cache), bound to the browser that started it. */
export interface SamlRequestIdTable {
  connection_id: string;
  request_id: string;
  /** SHA-256 of the browser's login cookie */
  browser_hash: string;
  login_request_id: string | null;
  expires_at: string;
}

/** Accepted assertion ids: a second use of the same id is refused (unique key). */
export interface SamlAssertionReplayTable {
  connection_id: string;
  assertion_id: string;
  expires_at: string;
}

/** A pending SP-initiated login from /oauth/authorize (migration 006); `id` is the RelayState handle. */
export interface OAuthLoginRequestTable {
  id: string;
  connection_id: string;
  browser_hash: string;
  client_id: string;
  redirect_uri: string;
  state: string;
  code_challenge: string;
  nonce: string | null;
  saml_request_id: string;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

/** An authorization code (stored as its SHA-256), single use. */
export interface OAuthCodeTable {
  code_hash: string;
  connection_id: string;
  client_id: string;
  redirect_uri: string;
  /** the S256 challenge; null for IdP-initiated logins (no /authorize request) */
  code_challenge: string | null;
  nonce: string | null;
  /** JSON: the signed-in profile */
  profile: string;
  expires_at: string;
  consumed_at: string | null;
  created_at: string;
}

/** An access token for /oauth/userinfo (stored as its SHA-256). */
export interface OAuthAccessTokenTable {
  token_hash: string;
  code_hash: string;
  connection_id: string;
  client_id: string;
  profile: string;
  expires_at: string;
  revoked_at: string | null;
  created_at: string;
}

/** An id_token signing key. state: 'active' (signs) | 'retired' (still in JWKS until retire_after). */
export interface OAuthSigningKeyTable {
  kid: string;
  algorithm: string;
  public_jwk: string;
  /** PKCS#8 PEM sealed with the secret key, bound to the kid */
  private_key_ciphertext: string;
  state: string;
  created_at: string;
  retire_after: string | null;
}

/** An IdP certificate renewal in progress (migration 010): at most one per connection. */
export interface SsoIdpRenewalTable {
  connection_id: string;
  /** the new certificate, trusted beside the old ones; null while waiting for the metadata URL to publish it */
  certificate_id: string | null;
  started_at: string;
}

/** When a metadata-URL connection's IdP metadata is next re-read, and how the last read went (migration 010). */
export interface SsoMetadataRefreshTable {
  connection_id: string;
  next_at: string;
  attempted_at: string | null;
  succeeded_at: string | null;
  error: string | null;
}

/** An expiry warning already emitted for a certificate or SP key at a threshold (migration 010). */
export interface SsoCertificateWarningTable {
  certificate_id: string;
  threshold_days: number;
  connection_id: string;
  emitted_at: string;
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
