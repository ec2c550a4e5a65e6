import type { FastifyInstance } from 'fastify';
import { requestAuth } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { project } from '../list.js';
import { presentOrganization } from '../present/organization.js';
import { parseFields, rawQuery } from '../query.js';
import { listQuery, page, param, v1List } from '../respond.js';

/**
 * Organizations:
 * - `GET /api/organizations` — the organizations the key reaches (one for a single-tenant key, all of an
 *   MTP key's; MTP keys call it without x-org-id), `{totalCount, results}`;
 * - `GET /api/organizations/:id` — one of them; an MTP key whose x-org-id differs from the path id gets
 *   400 "x-org-id and Organization path ID do not match".
 */
export function organizationRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/organizations', async (request) => {
    const auth = requestAuth(request);
    const query = listQuery(request, 'v1', ctx);
    const orgs = () => auth.key.orgIds.map((id) => ctx.cloud.tenant(id).organization);
    const result = page({ records: orgs, view: presentOrganization }, query, ctx);
    return v1List(result, query, presentOrganization);
  });

  app.get('/organizations/:id', async (request) => {
    const auth = requestAuth(request);
    const id = param(request, 'id');
    if (auth.key.multiTenant && auth.tenant && auth.tenant.orgId !== id) throw new ConsoleError(400, 'x-org-id and Organization path ID do not match');
    if (!auth.key.orgIds.includes(id)) throw new ConsoleError(404);
    return project(presentOrganization(ctx.cloud.tenant(id).organization), parseFields(rawQuery(request.url)), ['_id', 'id']);
  });
}
