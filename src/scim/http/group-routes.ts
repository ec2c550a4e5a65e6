import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StoredGroup } from '../../core/types.js';
import type { Gatehouse } from '../../gatehouse.js';
import { checkImmutable, normalizeResource } from '../resource/normalize.js';
import { applyPatch } from '../resource/patch.js';
import { wantsAttribute } from '../resource/project.js';
import { groupResource as groupSchema } from '../schema/resource-types.js';
import { listParamsFromQuery, projectionFromQuery, type ListParams, type Projection } from './list-params.js';
import { entityTagMatches, parseEntityTags } from './preconditions.js';
import { baseUrlOf, projectStored, sendList, sendResource } from './reply.js';
import { etagOf, groupResource } from './representation.js';

type IdParams = { Params: { dirId: string; id: string } };

/** Groups as SCIM resources; members are read only when the projection returns them. */
export async function renderGroups(gatehouse: Gatehouse, request: FastifyRequest, groups: StoredGroup[], projection: Projection) {
  const base = baseUrlOf(request, gatehouse.config.publicUrl);
  const members = wantsAttribute(projection, 'members') ? await gatehouse.groups.membersOf(groups.map((g) => g.id)) : undefined;
  return groups.map((g) => groupResource(g, members ? (members.get(g.id) ?? []) : undefined, base));
}

/** One page of a group search, for GET /Groups and POST /Groups/.search. */
export async function searchGroups(gatehouse: Gatehouse, request: FastifyRequest, params: ListParams) {
  const { total, groups } = await gatehouse.groups.search(request.directory!.id, {
    ...(params.filter ? { filter: params.filter } : {}),
    ...(params.sortBy ? { sortBy: params.sortBy } : {}),
    descending: params.descending,
    offset: params.startIndex - 1,
    limit: params.count,
  });
  const resources = (await renderGroups(gatehouse, request, groups, params)).map((r) => projectStored(r, groupSchema, params));
  return { total, resources };
}

export function groupRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const render = async (request: FastifyRequest, group: StoredGroup, projection: Projection) =>
    (await renderGroups(gatehouse, request, [group], projection))[0]!;

  app.get('/Groups', async (request, reply) => {
    const params = listParamsFromQuery(request.query);
    const { total, resources } = await searchGroups(gatehouse, request, params);
    return sendList(reply, total, params.startIndex, resources);
  });

  app.post('/Groups', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const input = normalizeResource(request.body, groupSchema, 'create');
    const group = await gatehouse.groups.create(request.directory!, {
      attributes: input.attributes,
      raw: input.raw,
      memberOps: input.members && input.members.length > 0 ? [{ op: 'add', values: input.members }] : [],
    });
    const resource = await render(request, group, projection);
    void reply.header('location', (resource.meta as { location: string }).location);
    return sendResource(reply, 201, resource, group.version, groupSchema, projection);
  });

  app.get<IdParams>('/Groups/:id', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const group = await gatehouse.groups.get(request.directory!.id, request.params.id);
    const ifNoneMatch = parseEntityTags(request.headers['if-none-match']);
    if (ifNoneMatch !== undefined && entityTagMatches(ifNoneMatch, group.version)) return reply.code(304).send();
    return sendResource(reply, 200, await render(request, group, projection), group.version, groupSchema, projection);
  });

  /**
   * PUT replaces the group's attributes. Membership policy: a body with `members` sets the membership
   * to exactly that list (`[]` empties the group); a body without `members` leaves membership as it is, so
   * a rename by PUT can never silently drop every member.
   */
  app.put<IdParams>('/Groups/:id', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const group = await gatehouse.groups.update(
      request.directory!,
      request.params.id,
      (current) => {
        const next = normalizeResource(request.body, groupSchema, 'replace');
        checkImmutable(current.attributes, next.attributes, groupSchema);
        return { attributes: next.attributes, raw: next.raw, memberOps: next.members ? [{ op: 'replace', values: next.members }] : [] };
      },
      parseEntityTags(request.headers['if-match']),
    );
    return sendResource(reply, 200, await render(request, group, projection), group.version, groupSchema, projection);
  });

  /**
   * PATCH answers 204 No Content (RFC 7644 §3.5.2 allows it; Entra and Okta expect it for groups) so that
   * a member change never reads a large membership back; with `attributes` or `excludedAttributes` in
   * the query it answers 200 with the projected group, as the RFC requires.
   */
  app.patch<IdParams>('/Groups/:id', async (request, reply) => {
    const projection = projectionFromQuery(request.query);
    const group = await gatehouse.groups.update(
      request.directory!,
      request.params.id,
      (current) => {
        const { unmatchedFilter } = gatehouse.directories.settingsOf(request.directory!);
        const result = applyPatch(current.attributes, request.body, groupSchema, { memberSupport: true, unmatchedFilter });
        return { attributes: result.attributes, raw: result.changed ? result.attributes : current.raw, memberOps: result.memberOps };
      },
      parseEntityTags(request.headers['if-match']),
    );
    if (projection.attributes === undefined && projection.excludedAttributes === undefined) {
      return reply.code(204).header('etag', etagOf(group.version)).send();
    }
    return sendResource(reply, 200, await render(request, group, projection), group.version, groupSchema, projection);
  });

  app.delete<IdParams>('/Groups/:id', async (request, reply) => {
    await gatehouse.groups.delete(request.directory!, request.params.id, parseEntityTags(request.headers['if-match']));
    return reply.code(204).send();
  });
}
