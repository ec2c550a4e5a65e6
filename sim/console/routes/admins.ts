import type { FastifyInstance } from 'fastify';
import type { Admin } from '../../tenant/types.js';
import { requestAuth, requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { project } from '../list.js';
import { presentAdmin } from '../present/admin.js';
import { parseFields, rawQuery } from '../query.js';
import { listQuery, page, param, v1List } from '../respond.js';

/**
 * Console admins (undocumented in the spec; used by JumpCloud's PowerShell module and baton-jumpcloud):
 * - `GET /api/users` — `{totalCount, results:[UserReturn]}`, v1 paging, sort, filter, fields;
 * - `GET /api/users/:id` — one admin.
 * For a multi-tenant key, `organization` is left out of the records.
 */
export function adminRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const present = (orgId: string | null) => (a: Admin) => presentAdmin(a, orgId);

  app.get('/users', async (request) => {
    const tenant = requestTenant(request, ctx);
    const orgId = requestAuth(request).key.multiTenant ? null : tenant.orgId;
    const query = listQuery(request, 'v1', ctx);
    const result = page({ cacheKey: `admins@${tenant.orgId}#${tenant.version}`, records: () => tenant.admins.list(), view: present(orgId) }, query, ctx);
    return v1List(result, query, present(orgId));
  });

  app.get('/users/:id', async (request) => {
    const tenant = requestTenant(request, ctx);
    const admin = tenant.admins.get(param(request, 'id'));
    if (!admin) throw new ConsoleError(404);
    const orgId = requestAuth(request).key.multiTenant ? null : tenant.orgId;
    return project(presentAdmin(admin, orgId), parseFields(rawQuery(request.url)), ['_id', 'id']);
  });
}
