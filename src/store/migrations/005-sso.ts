import type { Dialect } from '../database.js';

/**
 * SAML SSO connections (issue 6): one connection per IdP of an organization, its trusted IdP signing
 * certificates (several, each with a rollover state), its SP signing keys (several: next/active/retiring),
 * the outstanding AuthnRequest ids (InResponseTo, bound to a browser) and the assertion-id replay store.
 */
export function ssoSchema(_dialect: Dialect): string[] {
  return [
    `create table sso_connections (
      id text primary key,
      organization_id text not null references organizations (id) on delete cascade,
      name text not null,
      state text not null,
      idp_entity_id text not null,
      idp_sso_url text not null,
      idp_metadata_url text,
      idp_metadata_fetched_at text,
      sp_entity_id text not null,
      allow_idp_initiated integer not null,
      want_assertions_signed integer not null,
      want_response_signed integer not null,
      allow_sha1 integer not null,
      refuse_deactivated_users integer not null,
      attribute_mapping text not null,
      redirect_uris text not null,
      oauth_client_id text not null,
      oauth_secret_hash text not null,
      oauth_secret_hint text not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create unique index sso_connections_client on sso_connections (oauth_client_id)`,
    `create index sso_connections_org on sso_connections (organization_id, created_at, id)`,
    `create index sso_connections_created on sso_connections (created_at, id)`,

    `create table sso_idp_certificates (
      id text primary key,
      connection_id text not null references sso_connections (id) on delete cascade,
      certificate_pem text not null,
      fingerprint_sha256 text not null,
      not_before text not null,
      not_after text not null,
      state text not null,
      source text not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create unique index sso_idp_certificates_fp on sso_idp_certificates (connection_id, fingerprint_sha256)`,

    `create table sso_sp_keys (
      id text primary key,
      connection_id text not null references sso_connections (id) on delete cascade,
      certificate_pem text not null,
      private_key_ciphertext text not null,
      fingerprint_sha256 text not null,
      not_after text not null,
      state text not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create index sso_sp_keys_connection on sso_sp_keys (connection_id, state)`,

    `create table saml_request_ids (
      connection_id text not null references sso_connections (id) on delete cascade,
      request_id text not null,
      browser_hash text not null,
      login_request_id text,
      expires_at text not null,
      primary key (connection_id, request_id)
    )`,
    `create index saml_request_ids_expiry on saml_request_ids (expires_at)`,

    `create table saml_assertion_replays (
      connection_id text not null references sso_connections (id) on delete cascade,
      assertion_id text not null,
      expires_at text not null,
      primary key (connection_id, assertion_id)
    )`,
    `create index saml_assertion_replays_expiry on saml_assertion_replays (expires_at)`,
  ];
}
