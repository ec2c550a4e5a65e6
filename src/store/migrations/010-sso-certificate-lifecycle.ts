import type { Dialect } from '../database.js';

/**
 * Certificate lifecycle of SSO connections (issue 6, items 1 and 3): the IdP certificate renewal in progress
 * (one per connection), the metadata-URL refresh state (when it last ran, its error, when it is due), and
 * the expiry warnings already emitted — one row per (certificate or SP key, threshold), so that however many
 * nodes run the daily check, each warning is written once.
 */
export function ssoCertificateLifecycleSchema(_dialect: Dialect): string[] {
  return [
    `create table sso_idp_renewals (
      connection_id text primary key references sso_connections (id) on delete cascade,
      certificate_id text,
      started_at text not null
    )`,
    `create table sso_metadata_refresh (
      connection_id text primary key references sso_connections (id) on delete cascade,
      next_at text not null,
      attempted_at text,
      succeeded_at text,
      error text
    )`,
    `create index sso_metadata_refresh_due on sso_metadata_refresh (next_at)`,
    `create table sso_certificate_warnings (
      certificate_id text not null,
      threshold_days integer not null,
      connection_id text not null references sso_connections (id) on delete cascade,
      emitted_at text not null,
      primary key (certificate_id, threshold_days)
    )`,
    `create index sso_idp_certificates_expiry on sso_idp_certificates (not_after)`,
    `create index sso_sp_keys_expiry on sso_sp_keys (not_after)`,
  ];
}
