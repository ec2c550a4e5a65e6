import type { FastifyError, FastifyInstance } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import { BodyError } from '../http/json-body.js';
import { isUnstorableText } from '../http/error-handler.js';
import { ssoScope } from '../http/limits.js';
import { registerFormBodies, type FormBody } from '../http/form-body.js';
import { bindBrowser, browserHash } from '../oauth/browser-binding.js';
import { AssertionConsumer } from './acs.js';
import { AcsRejection } from './acs-rejection.js';
import { startSpInitiatedLogin } from './login-start.js';
import { spMetadataXml } from './sp-metadata.js';
import { sendUniformSsoError } from './uniform-error.js';

/** The ACS body limit: a larger SAMLResponse is refused with 413 before it is read in full. */
export const ACS_BODY_LIMIT = 1024 * 1024;

const connParams = { type: 'object', required: ['connId'], properties: { connId: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' } } } as const;

/**
 * The browser-facing SAML routes under /sso/:connId: the SP metadata, the ACS (HTTP-POST binding, strict
 * size-capped form parser of its own) and the login URL (SP-initiated start for the JumpCloud portal tile).
 * Every failure is the uniform SSO error; the precise reason goes to the log and the sso.login.failed event.
 */
export function samlRoutes(gatehouse: Gatehouse) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const consumer = new AssertionConsumer(gatehouse.store, gatehouse.ssoConnections, gatehouse.config.sso, renewalRefresher(gatehouse));
    registerFormBodies(app, { bodyLimit: ACS_BODY_LIMIT, maxParameters: 10 });

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const status = error instanceof AcsRejection ? error.status : error instanceof BodyError ? error.statusCode : error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : error.validation || isUnstorableText(error) ? 400 : (error.statusCode ?? 500);
      const reason = error instanceof AcsRejection ? error.reason : (error.code ?? 'invalid_request');
      if (status >= 500) request.log.error({ err: error }, 'SSO request failed');
      else request.log.warn({ reason, detail: error instanceof AcsRejection ? error.detail : error.message }, 'SSO request refused');
      // transport failures at the ACS (too large, not a form) are login failures too
      const connId = (request.params as { connId?: string } | undefined)?.connId;
      if (request.routeOptions.url === '/sso/:connId/acs' && request.method === 'POST') {
        gatehouse.metrics.ssoLogins.inc({ result: 'failure' });
        // a refused response counts against the browser's address on this connection (README "Operations → Limits")
        if (status < 500 && connId) request.server.limits.authFailed(request.ip, 'sso', ssoScope(connId));
      }
      if (!(error instanceof AcsRejection) && request.routeOptions.url === '/sso/:connId/acs' && connId) {
        await consumer.recordTransportFailure(connId, reason, error.message).catch(() => {});
      }
      return sendUniformSsoError(request, reply, status >= 500 ? 500 : status);
    });

    app.get<{ Params: { connId: string } }>('/sso/:connId/metadata.xml', { schema: { hide: true, params: connParams } }, async (request, reply) => {
      const connection = await gatehouse.ssoConnections.runtime(request.params.connId);
      if (!connection) return reply.code(404).type('application/json').send({ error: { code: 'not_found', message: 'SSO connection not found' } });
      return reply
        .type('application/samlmetadata+xml; charset=utf-8')
        .header('content-disposition', `attachment; filename="gatehouse-${connection.row.id}-metadata.xml"`)
        .send(spMetadataXml(connection));
    });

    app.post<{ Params: { connId: string }; Body: FormBody }>('/sso/:connId/acs', { schema: { hide: true, params: connParams } }, async (request, reply) => {
      // an address that keeps posting refused responses is stopped before the work and the event of each
      const wait = request.server.limits.authBlockedFor(request.ip, ssoScope(request.params.connId));
      if (wait > 0) {
        gatehouse.metrics.rateLimited.inc({ limit: 'auth_failures' });
        void reply.header('retry-after', String(wait));
        return sendUniformSsoError(request, reply, 429);
      }
      const result = await consumer.consume(request.params.connId, request.body, browserHash(request));
      request.log.info({ connection: request.params.connId, sub: result.claims.sub, initiatedBy: result.initiatedBy }, 'SSO login succeeded');
      gatehouse.metrics.ssoLogins.inc({ result: 'success' });
      return reply.code(302).header('cache-control', 'no-store').header('location', result.location).send();
    });

    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH'] as const) {
      app.route({ method, url: '/sso/:connId/acs', schema: { hide: true }, handler: async (request, reply) => sendUniformSsoError(request, reply, 405) });
    }

    app.get<{ Params: { connId: string } }>('/sso/:connId/login', { schema: { hide: true, params: connParams } }, async (request, reply) => {
      const connection = await gatehouse.ssoConnections.runtime(request.params.connId);
      if (!connection) throw new AcsRejection('unknown_connection', 'no such connection', 404);
      if (connection.row.state !== 'active') throw new AcsRejection('connection_inactive', 'the connection is inactive');
      const redirectUri = connection.redirectUris[0];
      if (redirectUri === undefined) throw new AcsRejection('no_redirect_uri', 'the connection has no redirect URI');
      const url = await startSpInitiatedLogin(gatehouse.store, gatehouse.config.sso, connection, bindBrowser(request, reply), {
        clientId: connection.row.oauth_client_id,
        redirectUri,
        state: '',
        codeChallenge: '',
        nonce: null,
      });
      return reply.code(302).header('cache-control', 'no-store').header('location', url).send();
    });
  };
}

/** How often (per connection, per node) a failing response may trigger a metadata re-read during a renewal. */
export const RENEWAL_REFRESH_INTERVAL_MS = 10_000;

/**
 * The ACS's "refresh now" for a renewal that waits for the IdP's new certificate: only for such a renewal
 * (started from the metadata URL, no certificate found yet), at most once per connection per
 * RENEWAL_REFRESH_INTERVAL_MS on this node; true when the refresh found the new certificate and trusts it.
 */
function renewalRefresher(gatehouse: Gatehouse): (connectionId: string) => Promise<boolean> {
  const lastTried = new Map<string, number>();
  return async (connectionId) => {
    const renewal = await gatehouse.store.ssoCertificates.renewal(connectionId);
    if (!renewal || renewal.certificate_id !== null) return false;
    const now = Date.now();
    if (now - (lastTried.get(connectionId) ?? 0) < RENEWAL_REFRESH_INTERVAL_MS) return false;
    lastTried.set(connectionId, now);
    if (lastTried.size > 1000) for (const [id, at] of lastTried) if (now - at >= RENEWAL_REFRESH_INTERVAL_MS) lastTried.delete(id);
    const view = await gatehouse.ssoCertificates.refresher.refreshOne(connectionId).catch(() => undefined);
    return view !== undefined && view.renewal !== null && !view.renewal.awaitingCertificate;
  };
}
