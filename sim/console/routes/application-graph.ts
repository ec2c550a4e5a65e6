import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EffectiveUser } from '../../tenant/access.js';
import type { EdgeAttributes } from '../../tenant/graph.js';
import type { Tenant } from '../../tenant/tenant.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { presentAppUser, presentConnection, presentObjectWithPaths } from '../present/graph.js';
import { rawQuery, splitList } from '../query.js';
import { listQuery, page, param, v2List } from '../respond.js';
import { graphOperation } from './graph-operation.js';

/** The targets an application can be associated to (trait_graphTargetsApplication_targets). */
const APP_TARGETS = ['agent_group', 'user', 'user_group'] as const;

/** Reads the required `targets` parameter and checks it against the allowed values. */
export function parseTargets(request: FastifyRequest, allowed: readonly string[]): string[] {
  const targets = rawQuery(request.url).getAll('targets').flatMap(splitList);
  if (targets.length === 0) throw new ConsoleError(400, 'request parameter "targets" is required');
  for (const t of targets) if (!allowed.includes(t)) throw new ConsoleError(400, `request parameter "targets" has an invalid value "${t}"`);
  return targets;
}

function appOf(request: FastifyRequest, ctx: ConsoleContext): { tenant: Tenant; appId: string } {
  const tenant = requestTenant(request, ctx);
  const appId = param(request, 'id');
  if (!tenant.apps.has(appId)) throw new ConsoleError(404);
  return { tenant, appId };
}

type Edge = { type: string; id: string; attributes: EdgeAttributes };

/**
 * The graph around an application:
 * - `GET /api/v2/applications/:id/associations?targets=user_group|user` — direct bindings
 *   (GraphConnection); `targets` is required (400 without); agent_group is accepted and always empty;
 * - `POST /api/v2/applications/:id/associations` `{op: add|remove|update, type: user_group|user, id,
 *   attributes?}` → 204, through the tenant (so it emits group.bound / user.unbound…);
 * - `GET /api/v2/applications/:id/users` — every user reaching the app, with paths (GraphObjectWithPaths);
 * - `GET /api/v2/applications/:id/usergroups` — the bound groups, with paths.
 * All lists are v2: bare arrays with x-total-count.
 */
export function applicationGraphRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/v2/applications/:id/associations', async (request, reply) => {
    const { tenant, appId } = appOf(request, ctx);
    const targets = parseTargets(request, APP_TARGETS);
    const query = listQuery(request, 'v2', ctx);
    const edges: Edge[] = [];
    for (const t of targets) {
      if (t === 'agent_group') continue;
      for (const [id, attributes] of tenant.graph.bindings('application', appId, t as 'user' | 'user_group')) edges.push({ type: t, id, attributes });
    }
    const present = (e: Edge) => presentConnection(e.type, e.id, e.attributes);
    const result = page({ records: () => edges, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, edges.length);
  });

  app.post('/v2/applications/:id/associations', async (request, reply) => {
    const { tenant, appId } = appOf(request, ctx);
    const op = graphOperation(request.body, ['user_group', 'user']);
    if (op.type === 'user_group') {
      if (!tenant.groups.has(op.id)) throw new ConsoleError(404, `no user group has id ${op.id}`);
      if (op.op === 'remove') tenant.unbindGroup(appId, op.id);
      else tenant.bindGroup(appId, op.id, op.attributes);
    } else {
      if (!tenant.users.has(op.id)) throw new ConsoleError(404, `no user has id ${op.id}`);
      if (op.op === 'remove') tenant.unbindUser(appId, op.id);
      else tenant.bindUser(appId, op.id, op.attributes);
    }
    return reply.code(204).send();
  });

  app.get('/v2/applications/:id/users', async (request, reply) => {
    const { tenant, appId } = appOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const records = (): EffectiveUser[] => tenant.appUsers(appId);
    const result = page({ cacheKey: `appusers@${tenant.orgId}#${tenant.version}|${appId}`, records, view: presentAppUser }, query, ctx);
    const unfiltered = query.filter.conditions.length === 0 ? result.total : records().length;
    return v2List(request, reply, result, query, presentAppUser, unfiltered);
  });

  app.get('/v2/applications/:id/usergroups', async (request, reply) => {
    const { tenant, appId } = appOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const bound = [...tenant.graph.bindings('application', appId, 'user_group')];
    const present = ([groupId, attributes]: (typeof bound)[number]) => presentObjectWithPaths('user_group', groupId, [[presentConnection('user_group', groupId, attributes)]], [attributes]);
    const result = page({ records: () => bound, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, bound.length);
  });
}
