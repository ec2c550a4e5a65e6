import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EdgeAttributes } from '../../tenant/graph.js';
import type { Tenant } from '../../tenant/tenant.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { project } from '../list.js';
import { presentConnection, presentObjectWithPaths } from '../present/graph.js';
import { presentUserGroup } from '../present/user-group.js';
import { parseFields, rawQuery } from '../query.js';
import { listQuery, page, param, v2List } from '../respond.js';
import { parseTargets } from './application-graph.js';
import { graphOperation } from './graph-operation.js';

/** The targets a user group (or a user) can be associated to (trait_graphTargetsUserGroup_targets). */
export const GROUP_TARGETS = [
  'active_directory',
  'application',
  'g_suite',
  'idp_routing_policy',
  'ldap_server',
  'office_365',
  'password_manager_item',
  'policy',
  'policy_group',
  'radius_server',
  'system',
  'system_group',
] as const;

function groupOf(request: FastifyRequest, ctx: ConsoleContext): { tenant: Tenant; groupId: string } {
  const tenant = requestTenant(request, ctx);
  const groupId = param(request, 'id');
  if (!tenant.groups.has(groupId)) throw new ConsoleError(404);
  return { tenant, groupId };
}

/** A member as GraphObjectWithPaths (one hop: group → user), with `object_id` for filters. */
function member(userId: string): Record<string, unknown> {
  return presentObjectWithPaths('user', userId, [[presentConnection('user', userId, null)]], []);
}

/** The direct associations of a group or user with sources of the given target types. */
export function associations(tenant: Tenant, targetType: 'user_group' | 'user', targetId: string, targets: string[]): { type: string; id: string; attributes: EdgeAttributes }[] {
  const out: { type: string; id: string; attributes: EdgeAttributes }[] = [];
  for (const t of targets) {
    if (t !== 'application' && t !== 'ldap_server' && t !== 'radius_server') continue;
    for (const sourceId of tenant.graph.sourcesOf(targetType, targetId, t)) out.push({ type: t, id: sourceId, attributes: tenant.graph.bindings(t, sourceId, targetType).get(targetId) ?? null });
  }
  return out;
}

/**
 * User groups (v2; bare arrays with x-total-count):
 * - `GET /api/v2/usergroups` — filter (`field:op:value`: name, type, membershipMethod…), sort, fields;
 * - `GET /api/v2/usergroups/:id`;
 * - `GET /api/v2/usergroups/:id/members` — direct members as GraphConnection;
 * - `POST /api/v2/usergroups/:id/members` `{op: add|remove, type: user, id}` → 204 (member.added / member.removed);
 * - `GET /api/v2/usergroups/:id/membership` — members as GraphObjectWithPaths; filter on `type`, `object_id`;
 * - `GET /api/v2/usergroups/:id/associations?targets=…` — its applications, LDAP and RADIUS servers (required targets);
 * - `GET /api/v2/usergroups/:id/applications` — the applications it is bound to, with paths.
 */
export function userGroupRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/v2/usergroups', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const view = presentUserGroup;
    const result = page({ cacheKey: `groups@${tenant.orgId}#${tenant.version}`, records: () => tenant.groups.list(), view }, query, ctx);
    return v2List(request, reply, result, query, presentUserGroup, tenant.groups.size);
  });

  app.get('/v2/usergroups/:id', async (request) => {
    const { tenant, groupId } = groupOf(request, ctx);
    return project(presentUserGroup(tenant.group(groupId)), parseFields(rawQuery(request.url)), ['id']);
  });

  app.get('/v2/usergroups/:id/members', async (request, reply) => {
    const { tenant, groupId } = groupOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const members = (): string[] => [...tenant.graph.members(groupId)];
    const present = (userId: string) => presentConnection('user', userId, null);
    const result = page({ cacheKey: `members@${tenant.orgId}#${tenant.version}|${groupId}`, records: members, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, tenant.graph.members(groupId).size);
  });

  app.post('/v2/usergroups/:id/members', async (request, reply) => {
    const { tenant, groupId } = groupOf(request, ctx);
    const op = graphOperation(request.body, ['user']);
    if (!tenant.users.has(op.id)) throw new ConsoleError(404, `no user has id ${op.id}`);
    if (op.op === 'remove') tenant.removeMember(groupId, op.id);
    else tenant.addMember(groupId, op.id);
    return reply.code(204).send();
  });

  app.get('/v2/usergroups/:id/membership', async (request, reply) => {
    const { tenant, groupId } = groupOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const view = (userId: string) => ({ ...member(userId), object_id: userId });
    const result = page({ cacheKey: `membership@${tenant.orgId}#${tenant.version}|${groupId}`, records: () => [...tenant.graph.members(groupId)], view }, query, ctx);
    return v2List(request, reply, result, query, member, tenant.graph.members(groupId).size);
  });

  app.get('/v2/usergroups/:id/associations', async (request, reply) => {
    const { tenant, groupId } = groupOf(request, ctx);
    const targets = parseTargets(request, GROUP_TARGETS);
    const query = listQuery(request, 'v2', ctx);
    const edges = associations(tenant, 'user_group', groupId, targets);
    const present = (e: (typeof edges)[number]) => presentConnection(e.type, e.id, e.attributes);
    const result = page({ records: () => edges, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, edges.length);
  });

  app.get('/v2/usergroups/:id/applications', async (request, reply) => {
    const { tenant, groupId } = groupOf(request, ctx);
    const query = listQuery(request, 'v2', ctx);
    const apps = tenant.graph.sourcesOf('user_group', groupId, 'application');
    const present = (appId: string) => {
      const attributes = tenant.graph.bindings('application', appId, 'user_group').get(groupId) ?? null;
      return presentObjectWithPaths('application', appId, [[presentConnection('application', appId, attributes)]], [attributes]);
    };
    const result = page({ records: () => apps, view: present }, query, ctx);
    return v2List(request, reply, result, query, present, apps.length);
  });
}
