import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import { sendScimError } from '../http/error-handler.js';
import { requireDirectoryToken } from './http/auth.js';
import { discoveryRoutes } from './http/discovery-routes.js';
import { groupRoutes } from './http/group-routes.js';
import { searchRoutes } from './http/search-routes.js';
import { userRoutes } from './http/user-routes.js';

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Which methods each SCIM path answers; every other method gets 405 with an Allow header. */
const ALLOWED: Record<string, string[]> = {
  '/Users': ['GET', 'POST'],
  '/Users/:id': ['GET', 'PUT', 'PATCH', 'DELETE'],
  '/Groups': ['GET', 'POST'],
  '/Groups/:id': ['GET', 'PUT', 'PATCH', 'DELETE'],
  '/Users/.search': ['POST'],
  '/Groups/.search': ['POST'],
  '/.search': ['POST'],
  '/ServiceProviderConfig': ['GET'],
  '/ResourceTypes': ['GET'],
  '/ResourceTypes/:id': ['GET'],
  '/Schemas': ['GET'],
  '/Schemas/:id': ['GET'],
};

/** The `detail` of a SCIM Error body, for the directory's last error. */
function errorDetail(payload: unknown): string | undefined {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined;
  if (text === undefined || text.length > 65_536) return undefined;
  try {
    const body = JSON.parse(text) as { detail?: unknown };
    return typeof body.detail === 'string' ? body.detail : undefined;
  } catch {
    return undefined;
  }
}

/**
 * SCIM 2.0 for one directory, mounted at /scim/v2/:dirId. Every route requires that directory's token,
 * so a token sees and changes only its own directory.
 */
export function scimApi(gatehouse: Gatehouse) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.decorateRequest('directory', null);
    app.addHook('onRequest', requireDirectoryToken(gatehouse));
    // directory activity (last request, last success, errors): a Map update per request, flushed in the
    // background (core/directory-activity.ts); only requests that authenticated are attributed
    app.addHook('onSend', (request, reply, payload, done) => {
      if (request.directory) gatehouse.activity.record(request.directory.id, reply.statusCode, reply.statusCode >= 400 ? errorDetail(payload) : undefined);
      done(null, payload);
    });
    // no resource id contains U+0000 (`%00`), and PostgreSQL cannot even compare text with one
    app.addHook('preHandler', async (request, reply) => {
      const { id } = request.params as { id?: string };
      if (id?.includes('\u0000')) return sendScimError(reply, 404, 'no resource has this id');
    });
    userRoutes(app, gatehouse);
    groupRoutes(app, gatehouse);
    searchRoutes(app, gatehouse);
    discoveryRoutes(app, gatehouse.config.publicUrl);

    for (const [url, allowed] of Object.entries(ALLOWED)) {
      const others = ALL_METHODS.filter((m) => !allowed.includes(m));
      if (others.length === 0) continue;
      app.route({
        method: [...others],
        url,
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          void reply.header('allow', allowed.join(', '));
          return sendScimError(reply, 405, `${request.method} is not supported on ${url}`);
        },
      });
    }
    // RFC 7644 §3.11 and §3.7: neither /Me nor Bulk is offered (ServiceProviderConfig says so)
    app.all('/Me', async (_request, reply) => sendScimError(reply, 501, '/Me is not supported: Gatehouse authenticates directories, not users'));
    app.all('/Bulk', async (_request, reply) => sendScimError(reply, 501, 'Bulk is not supported (see /ServiceProviderConfig)'));
  };
}
