import type { FastifyInstance } from 'fastify';
import type { SystemUser } from '../../tenant/types.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { project } from '../list.js';
import { presentSystemUser } from '../present/system-user.js';
import { parseFields, rawQuery } from '../query.js';
import { listQuery, page, param, refuseHiddenFields, v1List } from '../respond.js';

/** Fields that exist only inside the simulator. */
export const HIDDEN_USER_FIELDS = ['password'] as const;

/** What a user looks like to filters and sorts: the stored record (its field names are the API's). */
export const userView = (u: SystemUser): Record<string, unknown> => u as unknown as Record<string, unknown>;

/**
 * v1 system users:
 * - `GET /api/systemusers` — `{totalCount, results}`; limit (default 10, max 100), skip, sort (space
 *   separated, `-` descending; default creation order), fields, filter (`field:$op:value`).
 * - `GET /api/systemusers/:id` — one user (404 when unknown); `fields` applies.
 */
export function systemUserRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/systemusers', async (request) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v1', ctx);
    refuseHiddenFields(query, HIDDEN_USER_FIELDS);
    const result = page({ cacheKey: `users@${tenant.orgId}#${tenant.version}`, records: () => tenant.users.list(), view: userView }, query, ctx);
    return v1List(result, query, presentSystemUser);
  });

  app.get('/systemusers/:id', async (request) => {
    const tenant = requestTenant(request, ctx);
    const user = tenant.users.get(param(request, 'id'));
    if (!user) throw new ConsoleError(404);
    return project(presentSystemUser(user), parseFields(rawQuery(request.url)), ['_id', 'id']);
  });
}
