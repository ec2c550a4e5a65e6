import type { FastifyInstance } from 'fastify';
import type { RoleMappingInput } from '../core/role-mappings.js';
import type { Gatehouse } from '../gatehouse.js';
import { errorResponses, idParam } from './schemas.js';

const roleString = { type: 'string', minLength: 1, maxLength: 1000, description: 'a role name: 1 to 100 characters after trimming' } as const;

const roleMappingSet = {
  type: 'object',
  required: ['mappings', 'defaultRole'],
  properties: {
    mappings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['directoryGroupId', 'role'],
        properties: { directoryGroupId: { type: 'string' }, role: { type: 'string' } },
      },
    },
    defaultRole: { type: ['string', 'null'], description: "given to every active user of the organization's directories" },
  },
} as const;

/**
 * Group → role mappings of an organization (issue 5, item 2). A user's effective roles are the union of
 * the roles of their groups, plus the default role when the user is active, sorted.
 */
export function roleMappingRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.put<{ Params: { orgId: string }; Body: RoleMappingInput }>(
    '/organizations/:orgId/role-mappings',
    {
      schema: {
        tags: ['roles'],
        summary: "Replace an organization's group → role mappings and default role; every affected user's roles follow (user.updated events)",
        params: idParam('orgId'),
        body: {
          type: 'object',
          required: ['mappings'],
          additionalProperties: false,
          properties: {
            mappings: {
              type: 'array',
              maxItems: 10_000,
              items: {
                type: 'object',
                required: ['directoryGroupId', 'role'],
                additionalProperties: false,
                properties: { directoryGroupId: { type: 'string', minLength: 1, maxLength: 100 }, role: roleString },
              },
            },
            defaultRole: { anyOf: [roleString, { type: 'null' }], description: 'absent or null: no default role' },
          },
        },
        response: { 200: roleMappingSet, ...errorResponses },
      },
    },
    async (request) => gatehouse.roleMappings.replace(request.params.orgId, request.body),
  );

  app.get<{ Params: { orgId: string } }>(
    '/organizations/:orgId/role-mappings',
    {
      schema: {
        tags: ['roles'],
        summary: "An organization's group → role mappings and default role",
        params: idParam('orgId'),
        response: { 200: roleMappingSet, ...errorResponses },
      },
    },
    async (request) => gatehouse.roleMappings.get(request.params.orgId),
  );
}
