import Fastify, { type FastifyInstance } from 'fastify';
import { consoleApi } from './console/console-api.js';
import type { ConsoleContext } from './console/context.js';
import { controlApi } from './control/control-api.js';
import type { ControlContext } from './control/context.js';

/** Options of the simulator's HTTP server. */
export interface ServerOptions {
  /** pino logging; default off */
  logger?: boolean;
}

/**
 * The simulator's HTTP server: JumpCloud's console API at /api (faults, auth and recorded headers apply
 * there only) and the control API at /sim. Later parts (SAML IdP at /saml2, SCIM connector settings) are
 * registered beside them on the same instance.
 */
export async function buildServer(consoleCtx: ConsoleContext, controlCtx: ControlContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 10 * 1024 * 1024,
    forceCloseConnections: true,
    // Express-style routing, as JumpCloud's docs call /api/organizations/ with a trailing slash
    routerOptions: { maxParamLength: 500, ignoreTrailingSlash: true },
  });
  await app.register(consoleApi(consoleCtx), { prefix: '/api' });
  await app.register(controlApi(controlCtx), { prefix: '/sim' });
  return app;
}
