import type { FastifyInstance } from 'fastify';
import { MAX_SETUP_LINK_HOURS, type SetupLink } from '../core/setup-links.js';
import type { Gatehouse } from '../gatehouse.js';
import { principalOf } from './auth.js';
import { errorResponses, idParam, pageQuery } from './schemas.js';

const setupLinkSchema = {
  type: 'object',
  required: ['id', 'organizationId', 'expiresAt', 'revokedAt', 'createdAt'],
  properties: {
    id: { type: 'string' },
    organizationId: { type: 'string' },
    url: { type: 'string', description: 'the link to send: present only in the answer that issued it' },
    token: { type: 'string', description: 'the bearer token inside the link: present only in the answer that issued it' },
    expiresAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The portal URL of a setup link; the token travels in the fragment, which browsers never send to a server. */
export function setupLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/admin/setup#token=${encodeURIComponent(token)}`;
}

/** Setup links for a customer's IT admin, and `GET /session` (who the caller is) for the portal. */
export function setupLinkRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.get(
    '/session',
    {
      schema: {
        tags: ['portal'],
        summary: 'Who the bearer token is: the admin, or a setup link with its organization and expiry',
        response: {
          200: {
            type: 'object',
            required: ['kind', 'organizationId', 'expiresAt'],
            properties: { kind: { type: 'string', enum: ['admin', 'setup'] }, organizationId: { type: ['string', 'null'] }, expiresAt: { type: ['string', 'null'] } },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal?.kind === 'setup') return { kind: 'setup', organizationId: principal.grant.organizationId, expiresAt: principal.grant.expiresAt };
      return { kind: 'admin', organizationId: null, expiresAt: null };
    },
  );

  app.post<{ Params: { orgId: string }; Body: { expiresInHours?: number } }>(
    '/organizations/:orgId/setup-links',
    {
      schema: {
        tags: ['portal'],
        summary: "Create a setup link for the organization's IT admin (SCIM and SSO setup of this organization only); the link appears only in this answer",
        params: idParam('orgId'),
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            expiresInHours: { type: 'number', exclusiveMinimum: 0, maximum: MAX_SETUP_LINK_HOURS, default: 72, description: `hours until the link stops working (default 72, at most ${MAX_SETUP_LINK_HOURS})` },
          },
        },
        response: { 201: setupLinkSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { link, token } = await gatehouse.setupLinks.create(request.params.orgId, request.body?.expiresInHours ?? 72);
      return reply.code(201).send({ ...link, url: setupLinkUrl(gatehouse.config.publicUrl, token), token });
    },
  );

  app.get<{ Params: { orgId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/organizations/:orgId/setup-links',
    {
      schema: {
        tags: ['portal'],
        summary: "An organization's setup links, oldest first (never their tokens)",
        params: idParam('orgId'),
        querystring: { type: 'object', properties: pageQuery },
        response: { 200: { type: 'object', required: ['data', 'next'], properties: { data: { type: 'array', items: setupLinkSchema }, next: { type: ['string', 'null'] } } }, ...errorResponses },
      },
    },
    async (request): Promise<{ data: SetupLink[]; next: string | null }> => gatehouse.setupLinks.list(request.params.orgId, request.query.limit, request.query.cursor),
  );

  app.delete<{ Params: { id: string } }>(
    '/setup-links/:id',
    {
      schema: { tags: ['portal'], summary: 'Revoke a setup link: it stops working at once', params: idParam('id'), response: { 204: { type: 'null' }, ...errorResponses } },
    },
    async (request, reply) => {
      await gatehouse.setupLinks.revoke(request.params.id);
      return reply.code(204).send();
    },
  );
}
