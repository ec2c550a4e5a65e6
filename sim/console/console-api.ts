import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TenantError } from '../tenant/errors.js';
import { authenticate } from './auth.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError, sendConsoleError } from './errors.js';
import { registerFaultHooks } from './fault-hooks.js';
import { consoleHeaders } from './response-headers.js';
import { adminRoutes } from './routes/admins.js';
import { applicationGraphRoutes } from './routes/application-graph.js';
import { applicationRoutes } from './routes/applications.js';
import { directoryRoutes } from './routes/directories.js';
import { organizationRoutes } from './routes/organizations.js';
import { roleRoutes } from './routes/roles.js';
import { searchSystemUserRoutes } from './routes/search-system-users.js';
import { systemUserRoutes } from './routes/system-users.js';
import { userGraphRoutes } from './routes/user-graph.js';
import { userGroupRoutes } from './routes/user-groups.js';
import { writeRoutes } from './routes/writes.js';

/** Turns any error of a console route into JumpCloud's error answer. */
function toConsoleError(error: unknown): ConsoleError {
  if (error instanceof ConsoleError) return error;
  if (error instanceof TenantError) return new ConsoleError(error.status, error.message);
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new ConsoleError(status, (error as Error).message);
  return new ConsoleError(500);
}

/**
 * JumpCloud's console API (v1 and v2) for the simulated organizations, mounted at /api. In order, every
 * request goes through fault injection (latency, injected statuses, rate limits), then `x-api-key` /
 * `x-org-id` authentication, then its route; every answer gets the recorded headers. Unknown paths under
 * /api answer 404 after authentication.
 */
export function consoleApi(ctx: ConsoleContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    registerFaultHooks(app, ctx);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      authenticate(request, ctx);
    });
    app.addHook('onSend', consoleHeaders);
    app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
      const consoleError = toConsoleError(error);
      if (consoleError.status >= 500) request.log.error({ err: error }, 'console route failed');
      return sendConsoleError(reply, ctx.options.errorStyle, consoleError);
    });
    app.setNotFoundHandler(async (_request, reply) => sendConsoleError(reply, ctx.options.errorStyle, new ConsoleError(404)));

    systemUserRoutes(app, ctx);
    searchSystemUserRoutes(app, ctx);
    adminRoutes(app, ctx);
    roleRoutes(app, ctx);
    applicationRoutes(app, ctx);
    applicationGraphRoutes(app, ctx);
    userGroupRoutes(app, ctx);
    userGraphRoutes(app, ctx);
    organizationRoutes(app, ctx);
    directoryRoutes(app, ctx);
    writeRoutes(app, ctx);
  };
}
