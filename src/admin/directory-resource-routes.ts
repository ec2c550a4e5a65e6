import type { FastifyInstance } from 'fastify';
import { presentGroup } from '../core/presenters.js';
import type { Gatehouse } from '../gatehouse.js';
import { errorResponses, pageOf, pageQuery } from './schemas.js';

const dirParams = { type: 'object', required: ['dirId'], properties: { dirId: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const dirItemParams = (name: string) =>
  ({
    type: 'object',
    required: ['dirId', name],
    properties: { dirId: { type: 'string', minLength: 1, maxLength: 100 }, [name]: { type: 'string', minLength: 1, maxLength: 100 } },
  }) as const;
const search = { type: 'string', minLength: 1, maxLength: 200, description: 'case-insensitive substring of userName, email or name' } as const;

/** Users, groups and members of a directory, as the admin (and the portal) verifies the sync. */
export function directoryResourceRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.get<{ Params: { dirId: string }; Querystring: { state?: 'active' | 'inactive' | 'deleted'; search?: string; limit: number; cursor?: string } }>(
    '/directories/:dirId/users',
    {
      schema: {
        tags: ['users'],
        summary: "List a directory's users, oldest first (soft-deleted users only with `?state=deleted`)",
        params: dirParams,
        querystring: { type: 'object', properties: { state: { type: 'string', enum: ['active', 'inactive', 'deleted'] }, search, ...pageQuery } },
        response: { 200: pageOf('DirectoryUser'), ...errorResponses },
      },
    },
    async (request) => {
      await gatehouse.directories.get(request.params.dirId);
      const { state, search: text, limit, cursor } = request.query;
      return gatehouse.users.list(request.params.dirId, {
        limit,
        ...(state ? { state } : {}),
        ...(text ? { search: text } : {}),
        ...(cursor !== undefined ? { cursor } : {}),
      });
    },
  );

  app.get<{ Params: { dirId: string; userId: string } }>(
    '/directories/:dirId/users/:userId',
    {
      schema: { tags: ['users'], summary: 'Get one directory user (a soft-deleted one too, with state `deleted`)', params: dirItemParams('userId'), response: { 200: { $ref: 'DirectoryUser#' }, ...errorResponses } },
    },
    async (request) => {
      const user = await gatehouse.users.get(request.params.dirId, request.params.userId, { includeDeleted: true });
      const [presented] = await gatehouse.users.present([user]);
      return presented;
    },
  );

  app.get<{ Params: { dirId: string }; Querystring: { search?: string; limit: number; cursor?: string } }>(
    '/directories/:dirId/groups',
    {
      schema: {
        tags: ['groups'],
        summary: "List a directory's groups, oldest first",
        params: dirParams,
        querystring: { type: 'object', properties: { search: { ...search, description: 'case-insensitive substring of the name' }, ...pageQuery } },
        response: { 200: pageOf('DirectoryGroup'), ...errorResponses },
      },
    },
    async (request) => {
      await gatehouse.directories.get(request.params.dirId);
      const { search: text, limit, cursor } = request.query;
      return gatehouse.groups.list(request.params.dirId, { limit, ...(text ? { search: text } : {}), ...(cursor !== undefined ? { cursor } : {}) });
    },
  );

  app.get<{ Params: { dirId: string; groupId: string } }>(
    '/directories/:dirId/groups/:groupId',
    {
      schema: { tags: ['groups'], summary: 'Get one directory group', params: dirItemParams('groupId'), response: { 200: { $ref: 'DirectoryGroup#' }, ...errorResponses } },
    },
    async (request) => presentGroup(await gatehouse.groups.get(request.params.dirId, request.params.groupId)),
  );

  app.get<{ Params: { dirId: string; groupId: string }; Querystring: { limit: number; cursor?: string } }>(
    '/directories/:dirId/groups/:groupId/members',
    {
      schema: {
        tags: ['groups'],
        summary: "List a group's members as directory users",
        params: dirItemParams('groupId'),
        querystring: { type: 'object', properties: pageQuery },
        response: { 200: pageOf('DirectoryUser'), ...errorResponses },
      },
    },
    async (request) => gatehouse.groups.listMembers(request.params.dirId, request.params.groupId, request.query.limit, request.query.cursor),
  );
}
