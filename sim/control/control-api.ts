import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { connectorRoutes } from '../connector/connector-routes.js';
import { TenantError } from '../tenant/errors.js';
import type { ControlContext } from './context.js';
import { faultRoutes } from './fault-routes.js';
import { inspectRoutes } from './inspect-routes.js';
import { mutationRoutes } from './mutation-routes.js';
import { seedRoutes } from './seed-routes.js';

/**
 * The simulator's own control API, mounted at /sim (JSON; no authentication: it listens on loopback
 * only, like the rest of the simulator). Seeding (seed-routes.ts), mutations through the tenant methods
 * (mutation-routes.ts), inspection of state, events and requests (inspect-routes.ts), fault injection
 * (fault-routes.ts), and the SCIM connectors (../connector/connector-routes.ts). Errors answer `{"error":{"code","message"}}`: 400 invalid, 404 not_found,
 * 409 conflict.
 */
export function controlApi(ctx: ControlContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.setErrorHandler(async (error: unknown, _request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof TenantError) return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
      const status = (error as FastifyError).statusCode ?? 500;
      const code = status === 404 ? 'not_found' : status < 500 ? 'invalid' : 'internal';
      return reply.code(status).send({ error: { code, message: (error as Error).message } });
    });
    app.setNotFoundHandler(async (_request, reply) => reply.code(404).send({ error: { code: 'not_found', message: 'no such control route' } }));
    seedRoutes(app, ctx);
    inspectRoutes(app, ctx);
    mutationRoutes(app, ctx);
    faultRoutes(app, ctx);
    connectorRoutes(app, ctx);
  };
}
