import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StoredUser } from '../../core/types.js';
import type { Gatehouse } from '../../gatehouse.js';
import { checkImmutable, normalizeResource } from '../resource/normalize.js';
import { applyPatch } from '../resource/patch.js';
import { wantsAttribute } from '../resource/project.js';
import { userResource as userSchema } from '../schema/resource-types.js';
import { listParamsFromQuery, projectionFromQuery, type ListParams, type Projection } from './list-params.js';
import { entityTagMatches, parseEntityTags } from './preconditions.js';
import { baseUrlOf, projectStored, sendList, sendResource } from './reply.js';
import { userResource } from './representation.js';

type IdParams = { Params: { dirId: string; id: string } };

/** Users as projected SCIM resources; `groups` is loaded only when the projection returns it. */
export async function renderUsers(gatehouse: Gatehouse, request: FastifyRequest, users: StoredUser[], projection: Projection) {
  const base = baseUrlOf(request, gatehouse.config.publicUrl);
  const groups = wantsAttribute(projection, 'groups') ? await gatehouse.users.groupsOf(users.map((u) => u.id)) : undefined;
  return users.map((u) => userResource(u, groups ? (groups.get(u.id) ?? []) : undefined, base));
}

/** One page of a user search, for GET /Users and POST /Users/.search: projected resources and the total. */
export async function searchUsers(gatehouse: Gatehouse, request: FastifyRequest, params: ListParams) {
  const { total, users } = await gatehouse.users.search(request.directory!.id, {
    ...(params.filter ? { filter: params.filter } : {}),
    ...(params.sortBy ? { sortBy: params.sortBy } : {}),
    descending: params.descending,
    offset: params.startIndex - 1,
    limit: params.count,
  });
  const base = baseUrlOf(request, gatehouse.config.publicUrl);
  const resources = users.map(({ user, groups }) => projectStored(userResource(user, groups, base), userSchema, params));
  return { total, resources };
}

export function userRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const render = async (request: FastifyRequest, user: StoredUser, projection: Projection) =>
    (await renderUsers(gatehouse, request, [user], projection))[0]!;

  app.get('/Users', async (request, reply) => {
    const params = listParamsFromQuery(request.query);
    const { total, resources } = await searchUsers(gatehouse, request, params);
    return sendList(reply, total, params.startIndex, resources);
  });

  app.post('/Users', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const input = normalizeResource(request.body, userSchema, 'create');
    const user = await gatehouse.users.create(request.directory!, { attributes: input.attributes, raw: input.raw });
    // a user created just now belongs to no group yet: no need to ask the database
    const resource = userResource(user, [], baseUrlOf(request, gatehouse.config.publicUrl));
    void reply.header('location', (resource.meta as { location: string }).location);
    return sendResource(reply, 201, resource, user.version, userSchema, projection);
  });

  app.get<IdParams>('/Users/:id', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const user = await gatehouse.users.get(request.directory!.id, request.params.id);
    const ifNoneMatch = parseEntityTags(request.headers['if-none-match']);
    if (ifNoneMatch !== undefined && entityTagMatches(ifNoneMatch, user.version)) return reply.code(304).send();
    return sendResource(reply, 200, await render(request, user, projection), user.version, userSchema, projection);
  });

  app.put<IdParams>('/Users/:id', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const user = await gatehouse.users.update(
      request.directory!,
      request.params.id,
      (current) => {
        const next = normalizeResource(request.body, userSchema, 'replace');
        checkImmutable(current.attributes, next.attributes, userSchema);
        return { attributes: next.attributes, raw: next.raw };
      },
      parseEntityTags(request.headers['if-match']),
    );
    return sendResource(reply, 200, await render(request, user, projection), user.version, userSchema, projection);
  });

  app.patch<IdParams>('/Users/:id', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const user = await gatehouse.users.update(
      request.directory!,
      request.params.id,
      (current) => {
        const { unmatchedFilter } = gatehouse.directories.settingsOf(request.directory!);
        const { attributes, changed } = applyPatch(current.attributes, request.body, userSchema, { unmatchedFilter });
        // after a PATCH, `raw` is the resulting document (a PATCH is not a full body)
        return { attributes, raw: changed ? attributes : current.raw };
      },
      parseEntityTags(request.headers['if-match']),
    );
    return sendResource(reply, 200, await render(request, user, projection), user.version, userSchema, projection);
  });

  app.delete<IdParams>('/Users/:id', async (request, reply) => {
    await gatehouse.users.delete(request.directory!, request.params.id, parseEntityTags(request.headers['if-match']));
    return reply.code(204).send();
  });
}
