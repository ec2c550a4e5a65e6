import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import { principalOf } from './auth.js';

/** How a route's organization is found from its parameters (or, for the event feed, imposed on its query). */
type Scope = 'none' | 'org' | 'directory' | 'event' | 'event-feed' | 'sso-connection' | 'jumpcloud-connection' | 'jumpcloud-list';

/**
 * What a setup link may call: the SCIM, SSO and JumpCloud setup of its organization, and reading back what was
 * provisioned (users, groups, role mapping, its own events). Everything else — other organizations,
 * creating organizations, webhooks, setup links, deleting anything — is refused with 403. The table is
 * keyed by method and route pattern, so a route added later is refused until it is listed here.
 */
const SETUP_ROUTES: Record<string, Scope> = {
  'GET /api/session': 'none',
  'GET /api/organizations/:orgId': 'org',
  'GET /api/organizations/:orgId/directories': 'org',
  'POST /api/organizations/:orgId/directories': 'org',
  'GET /api/directories/:dirId': 'directory',
  'POST /api/directories/:dirId/token': 'directory',
  'GET /api/directories/:dirId/users': 'directory',
  'GET /api/directories/:dirId/users/:userId': 'directory',
  'GET /api/directories/:dirId/groups': 'directory',
  'GET /api/directories/:dirId/groups/:groupId': 'directory',
  'GET /api/directories/:dirId/groups/:groupId/members': 'directory',
  'GET /api/organizations/:orgId/role-mappings': 'org',
  'PUT /api/organizations/:orgId/role-mappings': 'org',
  'GET /api/events': 'event-feed',
  'GET /api/events/:eventId': 'event',
  // SSO setup: connections, IdP certificate renewal, metadata refresh, SP key rollover (not deleting a
  // connection, not the global id_token signing key). Routes keyed by a connection id look the connection
  // up and answer 404 when it belongs to another organization.
  'GET /api/organizations/:orgId/sso-connections': 'org',
  'POST /api/organizations/:orgId/sso-connections': 'org',
  'GET /api/sso-connections/:id': 'sso-connection',
  'PATCH /api/sso-connections/:id': 'sso-connection',
  'GET /api/sso-connections/:id/idp-certificates': 'sso-connection',
  'POST /api/sso-connections/:id/idp-certificates/renewal': 'sso-connection',
  'POST /api/sso-connections/:id/idp-certificates/renewal/confirm': 'sso-connection',
  'DELETE /api/sso-connections/:id/idp-certificates/renewal': 'sso-connection',
  'POST /api/sso-connections/:id/idp-certificates/:certId/dismiss': 'sso-connection',
  'POST /api/sso-connections/:id/idp-metadata/refresh': 'sso-connection',
  'GET /api/sso-connections/:id/sp-keys': 'sso-connection',
  'POST /api/sso-connections/:id/sp-keys': 'sso-connection',
  'POST /api/sso-connections/:id/sp-keys/:keyId/activate': 'sso-connection',
  'POST /api/sso-connections/:id/sp-keys/:keyId/retire': 'sso-connection',
  // JumpCloud pull: the customer's IT admin holds the JumpCloud API key, so the link may connect it, pull,
  // read the inventory, findings and drift, and heal (it only deactivates, which the same admin's SCIM
  // token can do anyway). Not: deleting a connection, or listing another organization's connections.
  'GET /api/jumpcloud': 'jumpcloud-list',
  'POST /api/organizations/:orgId/jumpcloud': 'org',
  'GET /api/jumpcloud/:id': 'jumpcloud-connection',
  'PATCH /api/jumpcloud/:id': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/organizations': 'jumpcloud-connection',
  'POST /api/jumpcloud/:id/sync': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/runs': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/runs/:runId': 'jumpcloud-connection',
  'POST /api/jumpcloud/:id/runs/:runId/cancel': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/inventory/:kind': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/applications/:appId/access': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/findings': 'jumpcloud-connection',
  'GET /api/jumpcloud/:id/drift': 'jumpcloud-connection',
  'POST /api/jumpcloud/:id/drift/heal': 'jumpcloud-connection',
};

function forbidden(reply: FastifyReply) {
  return reply.code(403).send({ error: { code: 'forbidden', message: "a setup link reaches only its organization's SCIM, SSO and JumpCloud setup" } });
}

function notFound(reply: FastifyReply, what: string) {
  return reply.code(404).send({ error: { code: 'not_found', message: `${what} not found` } });
}

function scopeOf(request: FastifyRequest): Scope | undefined {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return SETUP_ROUTES[`${method} ${request.routeOptions.url ?? ''}`];
}

/**
 * An onRequest hook (after authentication, before the body is parsed): a setup token calling a route
 * that is not in SETUP_ROUTES gets 403 at once.
 */
export function gateSetupRoutes() {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = principalOf(request);
    if (principal?.kind === 'setup' && scopeOf(request) === undefined) return forbidden(reply);
  };
}

/**
 * A preHandler (after validation, so parameters are well-formed) that keeps a setup token inside its
 * organization: another organization's resource answers 404 as if it did not exist; the event feed is
 * narrowed to the organization. A route outside SETUP_ROUTES is refused again here (defence in depth).
 */
export function enforceSetupScope(gatehouse: Gatehouse) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = principalOf(request);
    if (!principal) return reply.code(401).send({ error: { code: 'unauthorized', message: 'not authenticated' } });
    if (principal.kind === 'admin') return;
    const orgId = principal.grant.organizationId;
    const scope = scopeOf(request);
    if (scope === undefined) return forbidden(reply);
    const params = request.params as Record<string, string | undefined>;
    switch (scope) {
      case 'none':
        return;
      case 'org':
        if (params.orgId !== orgId) return notFound(reply, 'organization');
        return;
      case 'directory': {
        const directory = params.dirId === undefined ? undefined : await gatehouse.store.directories.get(params.dirId);
        if (!directory || directory.organizationId !== orgId) return notFound(reply, 'directory');
        return;
      }
      case 'event': {
        const event = params.eventId === undefined ? undefined : await gatehouse.store.events.get(params.eventId);
        if (!event || event.organizationId !== orgId) return notFound(reply, 'event');
        return;
      }
      case 'sso-connection': {
        const connection = params.id === undefined ? undefined : await gatehouse.store.ssoConnections.get(params.id);
        if (!connection || connection.organization_id !== orgId) return notFound(reply, 'SSO connection');
        return;
      }
      case 'jumpcloud-connection': {
        const connection = params.id === undefined ? undefined : await gatehouse.store.jumpcloud.getConnection(params.id);
        if (!connection || connection.organization_id !== orgId) return notFound(reply, 'JumpCloud connection');
        return;
      }
      case 'jumpcloud-list':
      case 'event-feed': {
        const query = request.query as { organization?: string };
        if (query.organization !== undefined && query.organization !== orgId) return forbidden(reply);
        query.organization = orgId;
        return;
      }
    }
  };
}
