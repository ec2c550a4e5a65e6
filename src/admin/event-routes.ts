import type { FastifyInstance } from 'fastify';
import { ApiError } from '../http/error-handler.js';
import type { Gatehouse } from '../gatehouse.js';
import { errorResponses, idParam, pageOf } from './schemas.js';

const ID = { type: 'string', minLength: 1, maxLength: 100 } as const;

export function eventRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.get<{ Querystring: { organization?: string; directory?: string; type?: string; after?: string; cursor?: string; limit: number; order?: 'oldest' | 'newest'; before?: string } }>(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'The event log, oldest first. Continue with `after` = the id of the last event seen.',
        querystring: {
          type: 'object',
          properties: {
            organization: ID,
            directory: ID,
            type: { type: 'string', maxLength: 1000, description: 'one event type, or several separated by commas' },
            after: { ...ID, description: 'return events strictly after this event id' },
            cursor: { ...ID, description: 'same as `after` (the `next` of the previous page)' },
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            order: { type: 'string', enum: ['oldest', 'newest'], default: 'oldest', description: '`newest`: newest first; `next` (and `cursor`) then page towards older events' },
            before: { ...ID, description: 'return events strictly before this event id' },
          },
        },
        response: { 200: pageOf('Event'), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const newestFirst = q.order === 'newest';
      if (!newestFirst && q.after !== undefined && q.cursor !== undefined && q.after !== q.cursor) {
        throw new ApiError(400, 'invalid_request', 'give either "after" or "cursor", not two different values');
      }
      // oldest first, the cursor continues after the last event; newest first, before the last (oldest) one
      const after = newestFirst ? q.after : (q.after ?? q.cursor);
      const before = newestFirst ? (q.before ?? q.cursor) : q.before;
      if (newestFirst && q.before !== undefined && q.cursor !== undefined && q.before !== q.cursor) {
        throw new ApiError(400, 'invalid_request', 'give either "before" or "cursor", not two different values');
      }
      const types = q.type?.split(',').map((t) => t.trim()).filter((t) => t !== '');
      return gatehouse.events.list({
        limit: q.limit,
        ...(q.organization !== undefined ? { organizationId: q.organization } : {}),
        ...(q.directory !== undefined ? { directoryId: q.directory } : {}),
        ...(types && types.length > 0 ? { types } : {}),
        ...(after !== undefined ? { after } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(newestFirst ? { newestFirst } : {}),
      });
    },
  );

  app.get<{ Params: { eventId: string } }>(
    '/events/:eventId',
    { schema: { tags: ['events'], summary: 'Get one event', params: idParam('eventId'), response: { 200: { $ref: 'Event#' }, ...errorResponses } } },
    async (request) => gatehouse.events.get(request.params.eventId),
  );
}
