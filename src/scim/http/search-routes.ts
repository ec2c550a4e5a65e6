import type { FastifyInstance } from 'fastify';
import type { Gatehouse } from '../../gatehouse.js';
import { ScimError } from '../errors.js';
import { searchGroups } from './group-routes.js';
import { listParamsFromSearchRequest, type ListParams } from './list-params.js';
import { sendList } from './reply.js';
import { searchUsers } from './user-routes.js';

/**
 * Runs a search of one resource type; a filter naming an attribute that this type lacks matches nothing
 * of it (the error is returned, so the caller can still report a filter no type understands).
 */
async function tolerant<T>(search: () => Promise<{ total: number; resources: T[] }>) {
  try {
    return { ...(await search()), unknownAttribute: undefined };
  } catch (error) {
    if (error instanceof ScimError && error.scimType === 'invalidFilter' && /unknown (sub-)?attribute/i.test(error.message)) {
      return { total: 0, resources: [] as T[], unknownAttribute: error };
    }
    throw error;
  }
}

/** POST …/.search: queries in the body, so filters never appear in URLs or logs (RFC 7644 §3.4.3). */
export function searchRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.post('/Users/.search', async (request, reply) => {
    const params = listParamsFromSearchRequest(request.body);
    const { total, resources } = await searchUsers(gatehouse, request, params);
    return sendList(reply, total, params.startIndex, resources);
  });

  app.post('/Groups/.search', async (request, reply) => {
    const params = listParamsFromSearchRequest(request.body);
    const { total, resources } = await searchGroups(gatehouse, request, params);
    return sendList(reply, total, params.startIndex, resources);
  });

  /** Root search: users then groups, paged as one list. */
  app.post('/.search', async (request, reply) => {
    const params = listParamsFromSearchRequest(request.body);
    const counting: ListParams = { ...params, startIndex: 1, count: 0 };
    const users = await tolerant(() => searchUsers(gatehouse, request, counting));
    const groups = await tolerant(() => searchGroups(gatehouse, request, counting));
    if (users.unknownAttribute && groups.unknownAttribute) throw users.unknownAttribute;
    const offset = params.startIndex - 1;
    const resources: Record<string, unknown>[] = [];
    if (offset < users.total && params.count > 0) {
      const page = await searchUsers(gatehouse, request, { ...params, count: Math.min(params.count, users.total - offset) });
      resources.push(...page.resources);
    }
    const left = params.count - resources.length;
    if (left > 0) {
      const groupOffset = Math.max(0, offset - users.total);
      if (groupOffset < groups.total) {
        const page = await searchGroups(gatehouse, request, { ...params, startIndex: groupOffset + 1, count: left });
        resources.push(...page.resources);
      }
    }
    return sendList(reply, users.total + groups.total, params.startIndex, resources);
  });
}
