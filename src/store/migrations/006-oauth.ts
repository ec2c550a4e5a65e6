import type { Dialect } from '../database.js';

/**
 * The OAuth 2.0 / OIDC hand-off (issue 6): login requests (the RelayState handle, bound to a browser
 * cookie), single-use authorization codes, access tokens, and the id_token signing keys (rotating).
 * Codes and tokens are stored only as SHA-256 hashes; private keys sealed with the secret key.
 */
export function oauthSchema(_dialect: Dialect): string[] {
  return [
    `create table oauth_login_requests (
      id text primary key,
      connection_id text not null references sso_connections (id) on delete cascade,
      browser_hash text not null,
      client_id text not null,
      redirect_uri text not null,
      state text not null,
      code_challenge text not null,
      nonce text,
      saml_request_id text not null,
      expires_at text not null,
      consumed_at text,
      created_at text not null
    )`,
    `create index oauth_login_requests_expiry on oauth_login_requests (expires_at)`,

    `create table oauth_codes (
      code_hash text primary key,
      connection_id text not null references sso_connections (id) on delete cascade,
      client_id text not null,
      redirect_uri text not null,
      code_challenge text,
      nonce text,
      profile text not null,
      expires_at text not null,
      consumed_at text,
      created_at text not null
    )`,
    `create index oauth_codes_expiry on oauth_codes (expires_at)`,

    `create table oauth_access_tokens (
      token_hash text primary key,
      code_hash text not null,
      connection_id text not null references sso_connections (id) on delete cascade,
      client_id text not null,
      profile text not null,
      expires_at text not null,
      revoked_at text,
      created_at text not null
    )`,
    `create index oauth_access_tokens_code on oauth_access_tokens (code_hash)`,
    `create index oauth_access_tokens_expiry on oauth_access_tokens (expires_at)`,

    `create table oauth_signing_keys (
      kid text primary key,
      algorithm text not null,
      public_jwk text not null,
      private_key_ciphertext text not null,
      state text not null,
      created_at text not null,
      retire_after text
    )`,
  ];
}
