import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import { bearerToken } from '../http/bearer-token.js';
import { BodyError } from '../http/json-body.js';
import { isUnstorableText } from '../http/error-handler.js';
import { registerFormBodies, type FormBody } from '../http/form-body.js';
import { OAUTH_TOKEN_SCOPE } from '../http/limits.js';
import { AcsRejection } from '../saml/acs-rejection.js';
import { startSpInitiatedLogin } from '../saml/login-start.js';
import { sendUniformSsoError } from '../saml/uniform-error.js';
import { bindBrowser } from './browser-binding.js';
import { OAuthError } from './oauth-error.js';
import { CODE_CHALLENGE } from './pkce.js';
import { TokenExchange } from './token-exchange.js';

const TOKEN_BODY_LIMIT = 16 * 1024;

function one(source: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = source?.[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be given once, as a string`);
  return value;
}

/** HTTP Basic client credentials (RFC 6749 §2.3.1: each part form-urlencoded). */
function basicCredentials(request: FastifyRequest): { id: string; secret: string } | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (!match) return undefined;
  const text = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon === -1) throw new OAuthError('invalid_client', 'malformed HTTP Basic credentials', 401);
  try {
    return { id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')), secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')) };
  } catch {
    throw new OAuthError('invalid_client', 'malformed HTTP Basic credentials', 401);
  }
}

function sendOAuthError(reply: FastifyReply, error: OAuthError, basic: boolean): FastifyReply {
  void reply.code(error.status).header('cache-control', 'no-store').header('pragma', 'no-cache');
  if (error.status === 401) void reply.header('www-authenticate', error.error === 'invalid_token' ? 'Bearer error="invalid_token"' : basic ? 'Basic realm="gatehouse"' : 'Bearer');
  return reply.send({ error: error.error, error_description: error.description });
}

/**
 * The OAuth 2.0 / OIDC hand-off: /oauth/authorize (starts the SP-initiated SAML login), /oauth/token
 * (form or JSON; client_secret_post or HTTP Basic), /oauth/userinfo, /oauth/jwks and
 * /.well-known/openid-configuration.
 */
export function oauthRoutes(gatehouse: Gatehouse) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const issuer = gatehouse.config.publicUrl;
    const tokens = new TokenExchange(gatehouse.store, gatehouse.oauthSigningKeys, issuer);
    registerFormBodies(app, { bodyLimit: TOKEN_BODY_LIMIT, maxParameters: 16 });

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error instanceof OAuthError) {
        request.log.info({ error: error.error, detail: error.description }, 'OAuth request refused');
        return sendOAuthError(reply, error, typeof request.headers.authorization === 'string' && /^basic/i.test(request.headers.authorization));
      }
      if (error instanceof AcsRejection) {
        request.log.warn({ reason: error.reason, detail: error.detail }, 'OAuth authorize refused');
        return sendUniformSsoError(request, reply, error.status);
      }
      const status = error instanceof BodyError ? error.statusCode : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : isUnstorableText(error) ? 400 : (error.statusCode ?? 500);
      if (status >= 500) {
        request.log.error({ err: error }, 'OAuth request failed');
        return reply.code(500).send({ error: 'server_error', error_description: 'an internal error occurred; it has been logged' });
      }
      return reply.code(status).header('cache-control', 'no-store').send({ error: 'invalid_request', error_description: error.message.slice(0, 300) });
    });

    app.get('/.well-known/openid-configuration', { schema: { hide: true } }, async () => ({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      jwks_uri: `${issuer}/oauth/jwks`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      scopes_supported: ['openid', 'email', 'profile'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'email', 'given_name', 'family_name', 'name', 'groups', 'roles', 'organization', 'connection', 'name_id', 'directory_user_id', 'directory_id'],
    }));

    app.get('/oauth/jwks', { schema: { hide: true } }, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(await gatehouse.oauthSigningKeys.jwks()));

    app.get<{ Querystring: Record<string, unknown> }>('/oauth/authorize', { schema: { hide: true } }, async (request, reply) => {
      const q = request.query;
      // 1. the client and its exact redirect URI; until both are known good, errors never redirect
      let clientId: string | undefined;
      let redirectUri: string | undefined;
      try {
        clientId = one(q, 'client_id');
        redirectUri = one(q, 'redirect_uri');
      } catch {
        throw new AcsRejection('invalid_request', 'client_id or redirect_uri repeated');
      }
      if (clientId === undefined || redirectUri === undefined || clientId.length > 200 || redirectUri.length > 2048) throw new AcsRejection('invalid_request', 'client_id and redirect_uri are required');
      const row = await gatehouse.ssoConnections.byClientId(clientId);
      if (!row) throw new AcsRejection('unknown_client', 'unknown client_id');
      const connection = await gatehouse.ssoConnections.runtime(row.id);
      if (!connection || !connection.redirectUris.includes(redirectUri)) throw new AcsRejection('redirect_uri_mismatch', 'redirect_uri is not registered for this client (exact match)');
      // 2. everything else is reported to the client at its redirect URI
      const fail = (error: string, description: string, state?: string) => {
        const params = new URLSearchParams({ error, error_description: description, ...(state !== undefined ? { state } : {}) });
        return reply.code(302).header('cache-control', 'no-store').header('location', `${redirectUri}${redirectUri!.includes('?') ? '&' : '?'}${params}`).send();
      };
      let state: string | undefined;
      let params: Record<string, string | undefined>;
      try {
        state = one(q, 'state');
        params = Object.fromEntries(['response_type', 'code_challenge', 'code_challenge_method', 'organization', 'connection', 'nonce', 'scope'].map((n) => [n, one(q, n)]));
      } catch {
        return fail('invalid_request', 'a parameter was repeated');
      }
      if (state === undefined || state === '' || state.length > 512) return fail('invalid_request', 'state is required (1 to 512 characters)');
      if (params.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code', state);
      if (params.code_challenge_method !== 'S256' || params.code_challenge === undefined || !CODE_CHALLENGE.test(params.code_challenge)) return fail('invalid_request', 'PKCE is required: code_challenge (43 base64url characters) with code_challenge_method=S256', state);
      if (params.connection !== undefined && params.connection !== row.id) return fail('invalid_request', 'connection does not belong to this client', state);
      if (params.organization !== undefined && params.organization !== row.organization_id) return fail('invalid_request', 'organization does not belong to this client', state);
      if (params.nonce !== undefined && params.nonce.length > 512) return fail('invalid_request', 'nonce is too long', state);
      if (row.state !== 'active') return fail('access_denied', 'the SSO connection is inactive', state);
      const url = await startSpInitiatedLogin(gatehouse.store, gatehouse.config.sso, connection, bindBrowser(request, reply), {
        clientId,
        redirectUri,
        state,
        codeChallenge: params.code_challenge,
        nonce: params.nonce ?? null,
      });
      return reply.code(302).header('cache-control', 'no-store').header('location', url).send();
    });

    app.post<{ Body: FormBody | Record<string, unknown> | undefined }>('/oauth/token', { schema: { hide: true } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || Array.isArray(body)) throw new OAuthError('invalid_request', 'the body must be a form or a JSON object');
      const basic = basicCredentials(request);
      const bodyId = one(body, 'client_id');
      const bodySecret = one(body, 'client_secret');
      if (basic && bodySecret !== undefined) throw new OAuthError('invalid_request', 'use one client authentication method, not two');
      if (basic && bodyId !== undefined && bodyId !== basic.id) throw new OAuthError('invalid_client', 'client_id differs from the HTTP Basic user', 401);
      // failed client authentications are limited per address (README "Operations → Limits")
      const wait = request.server.limits.authBlockedFor(request.ip, OAUTH_TOKEN_SCOPE);
      if (wait > 0) {
        gatehouse.metrics.rateLimited.inc({ limit: 'auth_failures' });
        return reply
          .code(429)
          .header('retry-after', String(wait))
          .header('cache-control', 'no-store')
          .send({ error: 'invalid_request', error_description: `too many failed client authentications from this address; try again in ${wait} s` });
      }
      let result: Awaited<ReturnType<typeof tokens.exchange>>;
      try {
        result = await tokens.exchange({
          grantType: one(body, 'grant_type'),
          code: one(body, 'code'),
          redirectUri: one(body, 'redirect_uri'),
          codeVerifier: one(body, 'code_verifier'),
          clientId: basic?.id ?? bodyId,
          clientSecret: basic?.secret ?? bodySecret,
        });
      } catch (error) {
        if (error instanceof OAuthError && error.error === 'invalid_client') request.server.limits.authFailed(request.ip, 'oauth', OAUTH_TOKEN_SCOPE);
        throw error;
      }
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(result);
    });

    const userinfo = async (request: FastifyRequest, reply: FastifyReply) => reply.header('cache-control', 'no-store').send(await tokens.userinfo(bearerToken(request)));
    app.get('/oauth/userinfo', { schema: { hide: true } }, userinfo);
    app.post('/oauth/userinfo', { schema: { hide: true } }, userinfo);
  };
}
