import type { FastifyInstance } from 'fastify';
import type { Directory } from '../core/types.js';
import type { Gatehouse } from '../gatehouse.js';
import { directorySettingsSchema, errorResponses, idParam, pageOf, pageQuery } from './schemas.js';

/** The settings body schema, inline (body validation does not resolve shared `$ref`s). */
const { $id: _settingsId, ...settingsBody } = directorySettingsSchema;

async function presentDirectory(gatehouse: Gatehouse, directory: Directory, token?: string) {
  const [stats, activity] = await Promise.all([gatehouse.directories.stats(directory.id), gatehouse.activity.get(directory.id)]);
  return {
    id: directory.id,
    organizationId: directory.organizationId,
    provider: directory.provider,
    name: directory.name,
    state: directory.state,
    ...stats,
    settings: gatehouse.directories.settingsOf(directory),
    activity,
    scim: {
      endpoint: gatehouse.scimEndpoint(directory.id),
      ...(token !== undefined ? { token } : {}),
      tokenHint: directory.tokenHint,
      tokenCreatedAt: directory.tokenCreatedAt,
    },
    createdAt: directory.createdAt,
    updatedAt: directory.updatedAt,
  };
}

export function directoryRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.post<{ Params: { orgId: string }; Body: { provider: string; name?: string } }>(
    '/organizations/:orgId/directories',
    {
      schema: {
        tags: ['directories'],
        summary: 'Create a SCIM directory; the answer carries the Endpoint URL and the bearer token (shown once)',
        params: idParam('orgId'),
        body: {
          type: 'object',
          required: ['provider'],
          properties: {
            provider: { type: 'string', enum: ['jumpcloud', 'okta', 'entra', 'generic'] },
            name: { type: 'string', minLength: 1, maxLength: 200 },
          },
        },
        response: { 201: { $ref: 'Directory#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { directory, token } = await gatehouse.directories.create(request.params.orgId, request.body.provider, request.body.name);
      return reply.code(201).send(await presentDirectory(gatehouse, directory, token));
    },
  );

  app.get<{ Params: { orgId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/organizations/:orgId/directories',
    {
      schema: {
        tags: ['directories'],
        summary: "List an organization's directories",
        params: idParam('orgId'),
        querystring: { type: 'object', properties: pageQuery },
        response: { 200: pageOf('Directory'), ...errorResponses },
      },
    },
    async (request) => {
      const page = await gatehouse.directories.list(request.params.orgId, request.query.limit, request.query.cursor);
      return { data: await Promise.all(page.data.map((d) => presentDirectory(gatehouse, d))), next: page.next };
    },
  );

  app.get<{ Params: { dirId: string } }>(
    '/directories/:dirId',
    {
      schema: {
        tags: ['directories'],
        summary: 'Get a directory with its user and group counts and its SCIM activity (last request, last success, errors)',
        params: idParam('dirId'),
        response: { 200: { $ref: 'Directory#' }, ...errorResponses },
      },
    },
    async (request) => presentDirectory(gatehouse, await gatehouse.directories.get(request.params.dirId)),
  );

  app.patch<{ Params: { dirId: string }; Body: { settings: Record<string, unknown> } }>(
    '/directories/:dirId',
    {
      schema: {
        tags: ['directories'],
        summary: "Change a directory's provisioning settings: given keys replace, null resets one to the provider dialect's default",
        params: idParam('dirId'),
        body: {
          type: 'object',
          required: ['settings'],
          additionalProperties: false,
          properties: { settings: settingsBody },
        },
        response: { 200: { $ref: 'Directory#' }, ...errorResponses },
      },
    },
    async (request) => presentDirectory(gatehouse, await gatehouse.directories.updateSettings(request.params.dirId, request.body.settings)),
  );

  app.delete<{ Params: { dirId: string } }>(
    '/directories/:dirId',
    {
      schema: {
        tags: ['directories'],
        summary: 'Delete a directory with its users and groups; its token stops working',
        params: idParam('dirId'),
        response: { 204: { type: 'null' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      await gatehouse.directories.delete(request.params.dirId);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { dirId: string } }>(
    '/directories/:dirId/token',
    {
      schema: {
        tags: ['directories'],
        summary: 'Rotate the SCIM bearer token: the new one is returned once, the old one stops working at once',
        params: idParam('dirId'),
        response: {
          200: { type: 'object', required: ['endpoint', 'token'], properties: { endpoint: { type: 'string' }, token: { type: 'string' }, tokenHint: { type: 'string' } } },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { directory, token } = await gatehouse.directories.rotateToken(request.params.dirId);
      return { endpoint: gatehouse.scimEndpoint(directory.id), token, tokenHint: directory.tokenHint };
    },
  );
}
