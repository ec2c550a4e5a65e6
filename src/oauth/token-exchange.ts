import { randomBytes } from 'node:crypto';
import { hashSecret, secretMatches } from '../core/secrets.js';
import type { SsoConnectionRow } from '../store/repositories/sso-connections.js';
import type { Store } from '../store/store.js';
import type { LoginClaims } from './claims.js';
import { OAuthError } from './oauth-error.js';
import { verifierMatches } from './pkce.js';
import type { SigningKeys } from './signing-keys.js';

export const ACCESS_TOKEN_TTL_SECONDS = 600;
export const ID_TOKEN_TTL_SECONDS = 300;

export interface TokenRequest {
  grantType: string | undefined;
  code: string | undefined;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  /** from the body or HTTP Basic */
  clientId: string | undefined;
  clientSecret: string | undefined;
}

export interface TokenResponse {
  access_token: string;
  id_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

// compared against when the client id is unknown, so an unknown client costs the same as a wrong secret
const DUMMY_HASH = hashSecret('gatehouse-unknown-client');

/**
 * The token endpoint's authorization_code grant: client authentication (secret compared in constant
 * time), then the code — single use (atomic), unexpired (≤ 60 s), issued to this client for this
 * redirect_uri, and its PKCE verifier (S256) when the login had a challenge. A code presented a second
 * time revokes the access tokens already issued from it (RFC 6749 §4.1.2).
 */
export class TokenExchange {
  constructor(
    private readonly store: Store,
    private readonly keys: SigningKeys,
    private readonly issuer: string,
  ) {}

  async authenticateClient(clientId: string | undefined, clientSecret: string | undefined): Promise<SsoConnectionRow> {
    if (clientId === undefined || clientSecret === undefined || clientId.length > 200 || clientSecret.length > 200) {
      throw new OAuthError('invalid_client', 'client authentication failed', 401);
    }
    const connection = await this.store.ssoConnections.getByClientId(clientId);
    const ok = secretMatches(clientSecret, connection?.oauth_secret_hash ?? DUMMY_HASH);
    if (!connection || !ok) throw new OAuthError('invalid_client', 'client authentication failed', 401);
    return connection;
  }

  async exchange(request: TokenRequest): Promise<TokenResponse> {
    if (request.grantType !== 'authorization_code') throw new OAuthError('unsupported_grant_type', 'only grant_type=authorization_code is supported');
    const connection = await this.authenticateClient(request.clientId, request.clientSecret);
    if (request.code === undefined || request.code.length > 200) throw new OAuthError('invalid_request', 'code is required');
    if (request.redirectUri === undefined) throw new OAuthError('invalid_request', 'redirect_uri is required');
    const codeHash = hashSecret(request.code);
    const now = new Date();
    const at = now.toISOString();
    const code = await this.store.oauth.getCode(codeHash);
    if (!code) throw new OAuthError('invalid_grant', 'the code is not valid');
    if (code.consumed_at !== null) {
      await this.store.oauth.revokeTokensOfCode(codeHash, at);
      throw new OAuthError('invalid_grant', 'the code was already used; the tokens issued from it are revoked');
    }
    if (code.expires_at <= at) throw new OAuthError('invalid_grant', 'the code has expired');
    if (code.client_id !== connection.oauth_client_id || code.connection_id !== connection.id) throw new OAuthError('invalid_grant', 'the code was issued to another client');
    if (code.redirect_uri !== request.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri differs from the one the code was issued for');
    if (code.code_challenge !== null) {
      if (request.codeVerifier === undefined || !verifierMatches(request.codeVerifier, code.code_challenge)) throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    } else if (request.codeVerifier !== undefined) {
      throw new OAuthError('invalid_grant', 'code_verifier given, but the login had no code_challenge');
    }
    if (!(await this.store.oauth.consumeCode(codeHash, at))) {
      await this.store.oauth.revokeTokensOfCode(codeHash, at);
      throw new OAuthError('invalid_grant', 'the code was already used; the tokens issued from it are revoked');
    }
    const claims = JSON.parse(code.profile) as LoginClaims;
    const accessToken = `ghat_${randomBytes(32).toString('base64url')}`;
    await this.store.oauth.insertAccessToken({
      token_hash: hashSecret(accessToken),
      code_hash: codeHash,
      connection_id: connection.id,
      client_id: connection.oauth_client_id,
      profile: code.profile,
      expires_at: new Date(now.getTime() + ACCESS_TOKEN_TTL_SECONDS * 1000).toISOString(),
      revoked_at: null,
      created_at: at,
    });
    const { sub, ...rest } = claims;
    const idToken = await this.keys.sign(
      { ...rest, ...(code.nonce !== null ? { nonce: code.nonce } : {}), auth_time: Math.floor(Date.parse(code.created_at) / 1000) },
      { issuer: this.issuer, audience: connection.oauth_client_id, subject: sub, expiresInSeconds: ID_TOKEN_TTL_SECONDS },
    );
    return { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS };
  }

  /** The claims behind an access token (userinfo); invalid_token when unknown, expired or revoked. */
  async userinfo(accessToken: string | undefined): Promise<LoginClaims> {
    if (accessToken === undefined || accessToken.length > 200) throw new OAuthError('invalid_token', 'an access token is required', 401);
    const row = await this.store.oauth.getAccessToken(hashSecret(accessToken));
    if (!row || row.revoked_at !== null || row.expires_at <= new Date().toISOString()) throw new OAuthError('invalid_token', 'the access token is not valid', 401);
    return JSON.parse(row.profile) as LoginClaims;
  }
}
