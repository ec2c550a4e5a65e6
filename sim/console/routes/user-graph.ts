import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Tenant } from '../../tenant/tenant.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { presentConnection, presentObjectWithPaths } from '../present/graph.js';
import { listQuery, page, param, v2List } from '../respond.js';
import { parseTargets } from './application-graph.js';
import { associations, GROUP_TARGETS } from './user-groups.js';

function userOf(request: FastifyRequest, ctx: ConsoleContext): { tenant: Tenant; userId: string } {
  const tenant = requestTenant(request, ctx);
  const userId = param(request, 'id');
  if (!tenant.users.has(userId)) throw new ConsoleError(404);
  return { tenant, userId };
}

/**
 * The graph around a system user (v2 lists):
 * - `GET /api/v2/users/:id/memberof` — its groups as GraphObjectWithPaths; filter on `type`, `object_id`;
 * - `GET /api/v2/users/:id/associations?targets=…` — its direct applications, LDAP and RADIUS bindings;
 * - `GET /api/v2/users/:id/applications` — every application it reaches, with paths (direct, or through a group).
 */
export function userGraphRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/v2/users/:id/memberof', async (request, reply) => {
    const { tenant, userId } = userOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const groups = [...tenant.graph.groupsOf(userId)];
    const present = (groupId: string) => presentObjectWithPaths('user_group', groupId, [[presentConnection('user_group', groupId, null)]], []);
    const view = (groupId: string) => ({ ...present(groupId), object_id: groupId });
    const result = page({ records: () => groups, view }, query, ctx);
    return v2List(request, reply, result, query, present, groups.length);
  });

  app.get('/v2/users/:id/associations', async (request, reply) => {
    const { tenant, userId } = userOf(request, ctx);
    const targets = parseTargets(request, GROUP_TARGETS);
    const query = listQuery(request, 'v2', ctx);
    const edges = associations(tenant, 'user', userId, targets);
    const present = (e: (typeof edges)[number]) => presentConnection(e.type, e.id, e.attributes);
    const result = page({ records: () => edges, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, edges.length);
  });

  app.get('/v2/users/:id/applications', async (request, reply) => {
    const { tenant, userId } = userOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const appIds = tenant.appsOfUser(userId);
    const present = (appId: string) => {
      const paths: Record<string, unknown>[][] = [];
      const attributeSets = [];
      const direct = tenant.graph.bindings('application', appId, 'user');
      if (direct.has(userId)) {
        paths.push([presentConnection('application', appId, direct.get(userId) ?? null)]);
        attributeSets.push(direct.get(userId) ?? null);
      }
      const bound = tenant.graph.bindings('application', appId, 'user_group');
      for (const groupId of tenant.graph.groupsOf(userId)) {
        if (!bound.has(groupId)) continue;
        paths.push([presentConnection('user_group', groupId, null), presentConnection('application', appId, bound.get(groupId) ?? null)]);
        attributeSets.push(bound.get(groupId) ?? null);
      }
      return presentObjectWithPaths('application', appId, paths, attributeSets);
    };
    const result = page({ records: () => appIds, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, appIds.length);
  });
}
