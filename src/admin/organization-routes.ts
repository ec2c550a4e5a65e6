import type { FastifyInstance } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import { errorResponses, idParam, pageOf, pageQuery } from './schemas.js';

const organizationBody = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    domains: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 253 } },
  },
} as const;

export function organizationRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.post<{ Body: { name: string; domains?: string[] } }>(
    '/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization (one per customer of the app)',
        body: { ...organizationBody, required: ['name'] },
        response: { 201: { $ref: 'Organization#' }, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await gatehouse.organizations.create(request.body)),
  );

  app.get<{ Querystring: { limit: number; cursor?: string } }>(
    '/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'List organizations, oldest first',
        querystring: { type: 'object', properties: pageQuery },
        response: { 200: pageOf('Organization'), ...errorResponses },
      },
    },
    async (request) => gatehouse.organizations.list(request.query.limit, request.query.cursor),
  );

  app.get<{ Params: { orgId: string } }>(
    '/organizations/:orgId',
    {
      schema: { tags: ['organizations'], summary: 'Get an organization', params: idParam('orgId'), response: { 200: { $ref: 'Organization#' }, ...errorResponses } },
    },
    async (request) => gatehouse.organizations.get(request.params.orgId),
  );

  app.patch<{ Params: { orgId: string }; Body: { name?: string; domains?: string[] } }>(
    '/organizations/:orgId',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Rename an organization or change its domains',
        params: idParam('orgId'),
        body: organizationBody,
        response: { 200: { $ref: 'Organization#' }, ...errorResponses },
      },
    },
    async (request) => gatehouse.organizations.update(request.params.orgId, request.body),
  );

  app.delete<{ Params: { orgId: string } }>(
    '/organizations/:orgId',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Delete an organization with its directories, users, groups (events are kept)',
        params: idParam('orgId'),
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await gatehouse.organizations.delete(request.params.orgId);
      return reply.code(204).send();
    },
  );

}
