import type { FastifyInstance, FastifyReply } from 'fastify';
import { TenantError } from '../../tenant/errors.js';
import type { GroupInput } from '../../tenant/tenant.js';
import type { UserInput, UserPatch } from '../../tenant/user-record.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { presentSystemUser } from '../present/system-user.js';
import { presentUserGroup } from '../present/user-group.js';
import { param } from '../respond.js';

function object<T>(body: unknown): T {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ConsoleError(400, 'the body must be a JSON object');
  return body as T;
}

/** Runs a tenant change; on a users route a conflict is 400 ("User already exists or Bad Request", spec). */
function userChange<T>(change: () => T): T {
  try {
    return change();
  } catch (error) {
    if (error instanceof TenantError && error.code === 'conflict') throw new ConsoleError(400, error.message);
    throw error;
  }
}

/**
 * The console's write routes for users and groups, through the tenant (so they emit change events):
 * - `POST /api/systemusers` (systemuserputpost) → 200 the user; `PUT /api/systemusers/:id` → 200;
 *   `DELETE /api/systemusers/:id` → 200 the deleted user; a duplicate username/email → 400;
 * - `POST /api/systemusers/:id/state/suspend` and `…/state/activate` → 200 with an empty body;
 * - `POST /api/v2/usergroups` `{name, description?, email?, attributes?}` → 201; `PUT /api/v2/usergroups/:id`
 *   → 200 (a new name is a rename); `DELETE /api/v2/usergroups/:id` → 204; a duplicate name → 409.
 */
export function writeRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  const empty = (reply: FastifyReply) => reply.code(200).send();

  app.post('/systemusers', async (request) => {
    const tenant = requestTenant(request, ctx);
    const input = object<UserInput>(request.body);
    const { _id: _ignored, ...rest } = input;
    return presentSystemUser(userChange(() => tenant.createUser({ ...rest, creationSource: rest.creationSource ?? 'api' })));
  });

  app.put('/systemusers/:id', async (request) => {
    const tenant = requestTenant(request, ctx);
    const id = param(request, 'id');
    if (!tenant.users.has(id)) throw new ConsoleError(404);
    const { _id: _a, id: _b, created: _c, ...patch } = object<UserPatch & { _id?: unknown; id?: unknown; created?: unknown }>(request.body);
    return presentSystemUser(userChange(() => tenant.updateUser(id, patch)));
  });

  app.delete('/systemusers/:id', async (request) => {
    const tenant = requestTenant(request, ctx);
    const id = param(request, 'id');
    if (!tenant.users.has(id)) throw new ConsoleError(404);
    return presentSystemUser(tenant.deleteUser(id));
  });

  app.post('/systemusers/:id/state/suspend', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    if (!tenant.users.has(param(request, 'id'))) throw new ConsoleError(404);
    tenant.suspendUser(param(request, 'id'));
    return empty(reply);
  });

  app.post('/systemusers/:id/state/activate', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    if (!tenant.users.has(param(request, 'id'))) throw new ConsoleError(404);
    tenant.activateUser(param(request, 'id'));
    return empty(reply);
  });

  app.post('/v2/usergroups', async (request, reply) => {
    const { name, description, email, attributes } = object<GroupInput>(request.body);
    return reply.code(201).send(presentUserGroup(requestTenant(request, ctx).createGroup({ name, description, email, attributes })));
  });

  app.put('/v2/usergroups/:id', async (request) => {
    const tenant = requestTenant(request, ctx);
    const id = param(request, 'id');
    if (!tenant.groups.has(id)) throw new ConsoleError(404);
    const { name, description, email, attributes } = object<GroupInput>(request.body);
    return presentUserGroup(tenant.updateGroup(id, { name, description, email, attributes }));
  });

  app.delete('/v2/usergroups/:id', async (request, reply) => {
    const tenant = requestTenant(request, ctx);
    const id = param(request, 'id');
    if (!tenant.groups.has(id)) throw new ConsoleError(404);
    tenant.deleteGroup(id);
    return reply.code(204).send();
  });
}
