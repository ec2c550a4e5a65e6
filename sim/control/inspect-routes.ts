import type { FastifyInstance } from 'fastify';
import { parseSeed } from '../seed/seed.js';
import { body, param, targetTenant, type ControlContext } from './context.js';

const COLLECTIONS = ['users', 'groups', 'apps', 'admins', 'roles', 'ldapServers', 'radiusServers', 'memberships', 'bindings'] as const;

function window<T>(items: readonly T[], query: Record<string, unknown>): { total: number; items: T[] } {
  const skip = Math.max(0, Number(query.skip ?? 0) || 0);
  const limit = Math.min(10_000, Math.max(1, Number(query.limit ?? 1000) || 1000));
  return { total: items.length, items: items.slice(skip, skip + limit) };
}

/**
 * Inspection (every route takes `?org=`; default the primary organization):
 * - `GET /sim` — the ready line (consoleUrl, apiKey, orgId), the organizations with their counts, the API keys;
 * - `GET /sim/state` — counts, version and last event seq of the organization;
 * - `GET /sim/state/:collection` — stored records (users, groups, apps, admins, roles, ldapServers,
 *   radiusServers, memberships `[{groupId,userId}]`, bindings `[{sourceType,sourceId,targetType,targetId,attributes}]`),
 *   `?skip=&limit=` (default 1000), as `{"total","items"}`; users include the simulator-only `password`;
 * - `GET /sim/users/:id` — a stored user with its groupIds and (effective) appIds;
 * - `GET /sim/events?after=<seq>` — the change events after a seq, oldest first (the last 10,000 are kept);
 * - `GET /sim/requests?limit=` — the console request log (last 1000);
 * - `GET /sim/stats` — requests served per route with their statuses; `DELETE /sim/stats` clears counters and log.
 * - `POST /sim/organizations` `{"displayName"?, "seed"?}` → 201 `{"orgId"}`: another organization (for MTP keys);
 * - `POST /sim/api-keys` `{"orgIds":[…], "multiTenant"?, "key"?}` → 201 the key; `DELETE /sim/api-keys/:key` → 204.
 */
export function inspectRoutes(app: FastifyInstance, ctx: ControlContext): void {
  app.get('/', async () => ({
    ...ctx.info(),
    organizations: [...ctx.cloud.tenants.values()].map((t) => ({ ...t.organization, counts: t.counts() })),
    apiKeys: [...ctx.cloud.keys.values()],
  }));

  app.get('/state', async (request) => {
    const tenant = targetTenant(request, ctx);
    return { orgId: tenant.orgId, organization: tenant.organization, version: tenant.version, lastEventSeq: tenant.events.lastSeq, counts: tenant.counts() };
  });

  app.get('/state/:collection', async (request, reply) => {
    const tenant = targetTenant(request, ctx);
    const name = param(request, 'collection') as (typeof COLLECTIONS)[number];
    const query = request.query as Record<string, unknown>;
    switch (name) {
      case 'users':
        return window(tenant.users.list(), query);
      case 'groups':
        return window(tenant.groups.list(), query);
      case 'apps':
        return window(tenant.apps.list(), query);
      case 'admins':
        return window(tenant.admins.list(), query);
      case 'roles':
        return window(tenant.roles(), query);
      case 'ldapServers':
        return window(tenant.ldapServers.list(), query);
      case 'radiusServers':
        return window(tenant.radiusServers.list(), query);
      case 'memberships':
        return window(
          tenant.groups.list().flatMap((g) => [...tenant.graph.members(g.id)].map((userId) => ({ groupId: g.id, userId }))),
          query,
        );
      case 'bindings': {
        const sources: ['application' | 'ldap_server' | 'radius_server', string][] = [
          ...tenant.apps.list().map((a) => ['application', a._id] as ['application', string]),
          ...tenant.ldapServers.list().map((s) => ['ldap_server', s.id] as ['ldap_server', string]),
          ...tenant.radiusServers.list().map((s) => ['radius_server', s._id] as ['radius_server', string]),
        ];
        const edges = sources.flatMap(([sourceType, sourceId]) =>
          (['user_group', 'user'] as const).flatMap((targetType) =>
            [...tenant.graph.bindings(sourceType, sourceId, targetType)].map(([targetId, attributes]) => ({ sourceType, sourceId, targetType, targetId, attributes })),
          ),
        );
        return window(edges, query);
      }
      default:
        return reply.code(404).send({ error: { code: 'not_found', message: `collections: ${COLLECTIONS.join(', ')}` } });
    }
  });

  app.get('/users/:id', async (request) => {
    const tenant = targetTenant(request, ctx);
    const user = tenant.user(param(request, 'id'));
    return { ...user, groupIds: tenant.groupsOfUser(user._id), appIds: tenant.appsOfUser(user._id) };
  });

  app.get('/events', async (request) => {
    const after = Number((request.query as Record<string, unknown>).after ?? 0) || 0;
    return { events: targetTenant(request, ctx).history(after) };
  });

  app.get('/requests', async (request) => {
    const limit = Number((request.query as Record<string, unknown>).limit ?? 1000) || 1000;
    return { requests: ctx.faults.stats.requests(limit) };
  });

  app.get('/stats', async () => ctx.faults.stats.snapshot());
  app.delete('/stats', async (_request, reply) => {
    ctx.faults.stats.reset();
    return reply.code(204).send();
  });

  app.post('/organizations', async (request, reply) => {
    const input = body<{ displayName?: string | null; seed?: unknown }>(request);
    const tenant = ctx.cloud.createOrganization({ displayName: input.displayName ?? null });
    if (input.seed !== undefined) ctx.seed(parseSeed(input.seed), tenant.orgId);
    return reply.code(201).send({ orgId: tenant.orgId, organization: tenant.organization, counts: tenant.counts() });
  });

  app.post('/api-keys', async (request, reply) => {
    const input = body<{ orgIds?: unknown; multiTenant?: unknown; key?: unknown }>(request);
    if (!Array.isArray(input.orgIds) || input.orgIds.some((o) => typeof o !== 'string')) throw Object.assign(new Error('orgIds must be an array of organization ids'), { statusCode: 400 });
    const key = ctx.cloud.addApiKey({
      orgIds: input.orgIds as string[],
      ...(typeof input.multiTenant === 'boolean' ? { multiTenant: input.multiTenant } : {}),
      ...(typeof input.key === 'string' ? { key: input.key } : {}),
    });
    return reply.code(201).send(key);
  });

  app.delete('/api-keys/:key', async (request, reply) => {
    if (!ctx.cloud.removeApiKey(param(request, 'key'))) return reply.code(404).send({ error: { code: 'not_found', message: 'no such API key' } });
    return reply.code(204).send();
  });
}
