import type { FastifyInstance } from 'fastify';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { project } from '../list.js';
import { presentRole } from '../present/role.js';
import { listQuery, page, param } from '../respond.js';

/**
 * Admin roles:
 * - `GET /api/v2/roles` — unlike other v2 lists, `{totalCount, results}` (RoleList); the built-in roles
 *   (isCustom false) and then the tenant's custom roles; also sets x-total-count (listed for this
 *   operation in the spec);
 * - `GET /api/v2/roles/:id` — one role.
 */
export function roleRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/v2/roles', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const result = page({ cacheKey: `roles@${tenant.orgId}#${tenant.version}`, records: () => tenant.roles(), view: presentRole }, query, ctx);
    void reply.header('x-total-count', String(result.total));
    return { totalCount: result.total, results: result.items.map((r) => project(presentRole(r), query.fields, ['id'])) };
  });

  app.get('/v2/roles/:id', async (request) => {
    const role = requestTenant(request, ctx)
      .roles()
      .find((r) => r.id === param(request, 'id'));
    if (!role) throw new ConsoleError(404);
    return presentRole(role);
  });
}
