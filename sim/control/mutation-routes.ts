import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AdminInput, AdminPatch, RoleInput } from '../tenant/admin-record.js';
import type { AppInput, AppPatch } from '../tenant/app-record.js';
import type { GroupInput, LdapServerInput, RadiusServerInput } from '../tenant/tenant.js';
import type { AppTargetType, ServerType } from '../tenant/types.js';
import type { UserInput, UserPatch } from '../tenant/user-record.js';
import { body, param, targetTenant, type ControlContext } from './context.js';

const noContent = (reply: FastifyReply) => reply.code(204).send();

function serverType(value: string): ServerType {
  if (value === 'ldap_server' || value === 'radius_server') return value;
  throw Object.assign(new Error('server type must be ldap_server or radius_server'), { statusCode: 400 });
}

function targetType(value: string): AppTargetType {
  if (value === 'user_group' || value === 'user') return value;
  throw Object.assign(new Error('target type must be user_group or user'), { statusCode: 400 });
}

/**
 * Mutations, each through the tenant method of the same meaning (so each emits its change event).
 * Every route takes `?org=` (default: the primary organization); bodies are JSON; records come back as
 * stored (the tenant's own shape, not the console API's).
 *
 * - `POST /sim/users` (UserInput: username, email, …) → 201 user · `PATCH /sim/users/:id` (fields; a
 *   `state` suspends or activates) → 200 · `POST /sim/users/:id/suspend` · `POST /sim/users/:id/activate`
 *   → 200 · `DELETE /sim/users/:id` → 204
 * - `POST /sim/groups` `{name, description?, email?, attributes?}` → 201 · `PATCH /sim/groups/:id`
 *   (`name` renames) → 200 · `DELETE /sim/groups/:id` → 204 · `PUT|DELETE /sim/groups/:id/members/:userId` → 204
 * - `POST /sim/apps` (AppInput: displayLabel, name?, slug?, saml{…}) → 201 · `PATCH /sim/apps/:id` → 200 ·
 *   `DELETE /sim/apps/:id` → 204 · `PUT /sim/apps/:id/groups/:groupId` `{attributes?}` and
 *   `PUT /sim/apps/:id/users/:userId` `{attributes?}` bind, `DELETE` unbinds → 204 ·
 *   `POST /sim/apps/:id/regenerate-cert` → 200 app
 * - `POST /sim/ldap-servers` `{name}` · `POST /sim/radius-servers` `{name}` → 201 ·
 *   `PUT|DELETE /sim/servers/:serverType/:serverId/:targetType/:targetId` → 204
 * - `POST /sim/admins` (AdminInput: email, roleName?, enableMultiFactor?…) → 201 · `PATCH /sim/admins/:id`
 *   → 200 · `DELETE /sim/admins/:id` → 204 · `POST /sim/roles` `{name, scopes}` → 201 · `DELETE /sim/roles/:id` → 204
 */
export function mutationRoutes(app: FastifyInstance, ctx: ControlContext): void {
  app.post('/users', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createUser(body<UserInput>(request))));
  app.patch('/users/:id', async (request) => targetTenant(request, ctx).updateUser(param(request, 'id'), body<UserPatch>(request)));
  app.post('/users/:id/suspend', async (request) => targetTenant(request, ctx).suspendUser(param(request, 'id')));
  app.post('/users/:id/activate', async (request) => targetTenant(request, ctx).activateUser(param(request, 'id')));
  app.delete('/users/:id', async (request, reply) => {
    targetTenant(request, ctx).deleteUser(param(request, 'id'));
    return noContent(reply);
  });

  app.post('/groups', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createGroup(body<GroupInput>(request))));
  app.patch('/groups/:id', async (request) => targetTenant(request, ctx).updateGroup(param(request, 'id'), body(request)));
  app.delete('/groups/:id', async (request, reply) => {
    targetTenant(request, ctx).deleteGroup(param(request, 'id'));
    return noContent(reply);
  });
  app.put('/groups/:id/members/:userId', async (request, reply) => {
    targetTenant(request, ctx).addMember(param(request, 'id'), param(request, 'userId'));
    return noContent(reply);
  });
  app.delete('/groups/:id/members/:userId', async (request, reply) => {
    targetTenant(request, ctx).removeMember(param(request, 'id'), param(request, 'userId'));
    return noContent(reply);
  });

  app.post('/apps', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createApp(body<AppInput>(request))));
  app.patch('/apps/:id', async (request) => targetTenant(request, ctx).updateApp(param(request, 'id'), body<AppPatch>(request)));
  app.delete('/apps/:id', async (request, reply) => {
    targetTenant(request, ctx).deleteApp(param(request, 'id'));
    return noContent(reply);
  });
  app.post('/apps/:id/regenerate-cert', async (request) => targetTenant(request, ctx).regenerateAppCert(param(request, 'id')));
  for (const kind of ['groups', 'users'] as const) {
    app.put(`/apps/:id/${kind}/:targetId`, async (request, reply) => {
      const tenant = targetTenant(request, ctx);
      const attributes = (body<{ attributes?: Record<string, unknown> | null }>(request).attributes ?? null) as Record<string, unknown> | null;
      if (kind === 'groups') tenant.bindGroup(param(request, 'id'), param(request, 'targetId'), attributes);
      else tenant.bindUser(param(request, 'id'), param(request, 'targetId'), attributes);
      return noContent(reply);
    });
    app.delete(`/apps/:id/${kind}/:targetId`, async (request, reply) => {
      const tenant = targetTenant(request, ctx);
      if (kind === 'groups') tenant.unbindGroup(param(request, 'id'), param(request, 'targetId'));
      else tenant.unbindUser(param(request, 'id'), param(request, 'targetId'));
      return noContent(reply);
    });
  }

  app.post('/ldap-servers', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createLdapServer(body<LdapServerInput>(request))));
  app.post('/radius-servers', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createRadiusServer(body<RadiusServerInput>(request))));
  app.put('/servers/:serverType/:serverId/:targetType/:targetId', async (request, reply) => {
    targetTenant(request, ctx).bindServer(serverType(param(request, 'serverType')), param(request, 'serverId'), targetType(param(request, 'targetType')), param(request, 'targetId'));
    return noContent(reply);
  });
  app.delete('/servers/:serverType/:serverId/:targetType/:targetId', async (request, reply) => {
    targetTenant(request, ctx).unbindServer(serverType(param(request, 'serverType')), param(request, 'serverId'), targetType(param(request, 'targetType')), param(request, 'targetId'));
    return noContent(reply);
  });

  app.post('/admins', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createAdmin(body<AdminInput>(request))));
  app.patch('/admins/:id', async (request) => targetTenant(request, ctx).updateAdmin(param(request, 'id'), body<AdminPatch>(request)));
  app.delete('/admins/:id', async (request, reply) => {
    targetTenant(request, ctx).deleteAdmin(param(request, 'id'));
    return noContent(reply);
  });
  app.post('/roles', async (request, reply) => reply.code(201).send(targetTenant(request, ctx).createRole(body<RoleInput>(request))));
  app.delete('/roles/:id', async (request, reply) => {
    targetTenant(request, ctx).deleteRole(param(request, 'id'));
    return noContent(reply);
  });
}
