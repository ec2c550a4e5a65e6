import type { FastifyInstance } from 'fastify';
import { effectiveUsers } from '../../tenant/access.js';
import type { ServerType } from '../../tenant/types.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { presentDirectory, presentLdapServer, presentRadiusServer } from '../present/directory-server.js';
import { presentConnection, presentObjectWithPaths } from '../present/graph.js';
import { listQuery, page, param, v1List, v2List } from '../respond.js';

/**
 * Directories and directory servers (what a directory pull must leave out):
 * - `GET /api/v2/directories` — the tenant's directories (its LDAP servers, type ldap_server);
 * - `GET /api/v2/ldapservers` — LDAP servers (v2 list);
 * - `GET /api/radiusservers` — RADIUS servers (v1 `{totalCount, results}`);
 * - `GET /api/v2/ldapservers/:id/usergroups`, `GET /api/v2/radiusservers/:id/usergroups` — the user groups
 *   bound to a server (GraphObjectWithPaths);
 * - `GET /api/v2/ldapservers/:id/users`, `GET /api/v2/radiusservers/:id/users` — the users reaching it.
 */
export function directoryRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/v2/directories', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const result = page({ records: () => tenant.ldapServers.list(), view: presentDirectory }, query, ctx);
    return v2List(request, reply, result, query, presentDirectory, tenant.ldapServers.size);
  });

  app.get('/v2/ldapservers', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const result = page({ records: () => tenant.ldapServers.list(), view: presentLdapServer }, query, ctx);
    return v2List(request, reply, result, query, presentLdapServer, tenant.ldapServers.size);
  });

  app.get('/radiusservers', async (request) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v1', ctx);
    const present = (s: Parameters<typeof presentRadiusServer>[0]) => presentRadiusServer(s, tenant.orgId);
    const result = page({ records: () => tenant.radiusServers.list(), view: present }, query, ctx);
    return v1List(result, query, present);
  });

  const servers: [string, ServerType][] = [
    ['ldapservers', 'ldap_server'],
    ['radiusservers', 'radius_server'],
  ];
  for (const [path, type] of servers) {
    const exists = (request: Parameters<typeof requestTenant>[0], id: string): void => {
      const tenant = requestTenant(request, ctx);
      if (!(type === 'ldap_server' ? tenant.ldapServers.has(id) : tenant.radiusServers.has(id))) throw new ConsoleError(404);
    };
    app.get(`/v2/${path}/:id/usergroups`, async (request, reply) => {
      const tenant = requestTenant(request, ctx);
      const id = param(request, 'id');
      exists(request, id);
      const query = listQuery(request, 'v2', ctx);
      const bound = [...tenant.graph.bindings(type, id, 'user_group')];
      const present = ([groupId, attributes]: (typeof bound)[number]) => presentObjectWithPaths('user_group', groupId, [[presentConnection('user_group', groupId, attributes)]], [attributes]);
      const result = page({ records: () => bound, view: present }, query, ctx);
      return v2List(request, reply, result, query, present, bound.length);
    });
    app.get(`/v2/${path}/:id/users`, async (request, reply) => {
      const tenant = requestTenant(request, ctx);
      const id = param(request, 'id');
      exists(request, id);
      const query = listQuery(request, 'v2', ctx);
      const users = effectiveUsers(tenant.graph, type, id);
      const present = (e: (typeof users)[number]) =>
        presentObjectWithPaths(
          'user',
          e.userId,
          e.paths.map((p) => (p.via === 'user_group' ? [presentConnection('user_group', p.groupId, null), presentConnection('user', e.userId, null)] : [presentConnection('user', e.userId, null)])),
          [],
        );
      const result = page({ records: () => users, view: present }, query, ctx);
      return v2List(request, reply, result, query, present, users.length);
    });
  }
}
