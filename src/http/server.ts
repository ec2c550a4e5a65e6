import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { adminApi } from '../admin/admin-api.js';
import { sharedSchemas } from '../admin/schemas.js';
import type { AdminKey } from '../core/admin-key.js';
import type { Gatehouse } from '../gatehouse.js';
import { scimApi } from '../scim/scim-api.js';
import { oauthRoutes } from '../oauth/oauth-routes.js';
import { samlRoutes } from '../saml/saml-routes.js';
import { adminPortal } from './admin-portal.js';
import { frameworkErrorHandler, registerErrorHandling } from './error-handler.js';
import { registerJsonBodies } from './json-body.js';
import { registerLimits, RequestLimits } from './limits.js';
import { metricsRoute } from './metrics-route.js';
import { registerRequestMetrics } from './request-metrics.js';
import { registerBodyLimits, registerHandlerTimeout } from './route-limits.js';
import { registerValidators } from './validator.js';

export interface ServerOptions {
  /** pino options, or false for no logging */
  logger: false | { level: string };
}

/** Log levels at which the per-request access line (info) is not written. */
const QUIET_LEVELS = new Set(['warn', 'error', 'fatal', 'silent']);

/** Builds the HTTP server: health, admin API (/api), SCIM (/scim/v2/:dirId), OpenAPI (/openapi.json). */
export async function buildServer(gatehouse: Gatehouse, adminKey: AdminKey, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: options.logger.level, redact: ['req.headers.authorization'] },
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: gatehouse.config.bodyLimit,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 65_000,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { maxParamLength: 200 },
    genReqId: () => crypto.randomUUID(),
    trustProxy: typeof gatehouse.config.trustProxy === 'number' ? trustHops(gatehouse.config.trustProxy) : gatehouse.config.trustProxy,
    frameworkErrors: frameworkErrorHandler,
  });

  // one access-log line per request, after the response
  app.addHook('onResponse', async (request, reply) => {
    // above info (LOG_LEVEL=warn, error, …) the line would be dropped: skip building it
    if (QUIET_LEVELS.has(request.log.level)) return;
    request.log.info(
      { method: request.method, url: request.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
  });

  // operations (README "Operations"): metrics per route family, rate and body limits, handler timeout
  registerRequestMetrics(app, gatehouse.metrics, { perDirectory: gatehouse.config.metricsPerDirectory });
  registerLimits(app, new RequestLimits(gatehouse.config.limits, gatehouse.metrics));
  registerBodyLimits(app, gatehouse.config.limits);
  registerHandlerTimeout(app, gatehouse.config.limits.handlerTimeoutMs);

  registerValidators(app);
  registerJsonBodies(app);
  registerErrorHandling(app);
  for (const schema of sharedSchemas) app.addSchema(schema);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Gatehouse admin API',
        version: '0.1.0',
        description: 'Organizations, SCIM directories, provisioned users and groups, and the event log. SCIM 2.0 itself is served at /scim/v2/{dirId} (RFC 7644).',
      },
      servers: [{ url: gatehouse.config.publicUrl }],
      components: { securitySchemes: { adminKey: { type: 'http', scheme: 'bearer', description: 'GATEHOUSE_ADMIN_KEY' } } },
      security: [{ adminKey: [] }],
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (await gatehouse.isReady()) return { status: 'ready' };
    return reply.code(503).header('retry-after', '5').send({ error: { code: 'unavailable', message: 'the database is not answering' } });
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  metricsRoute(app, gatehouse, adminKey);

  // background jobs (activity flush, event retention) live as long as the server; on close the pending
  // activity counters are written before the caller closes the store
  app.addHook('onReady', async () => {
    gatehouse.startMaintenance((error, job) => app.log.error({ err: error }, `${job} job failed`));
  });
  app.addHook('onClose', async () => {
    await gatehouse.stopMaintenance().catch((error: unknown) => app.log.error({ err: error }, 'flushing directory activity failed'));
  });

  await app.register(adminApi(gatehouse, adminKey), { prefix: '/api' });
  await app.register(scimApi(gatehouse), { prefix: '/scim/v2/:dirId' });
  await app.register(samlRoutes(gatehouse));
  await app.register(oauthRoutes(gatehouse));
  adminPortal(app);
  return app;
}

/** GATEHOUSE_TRUST_PROXY as a hop count: the nearest `hops` proxies are trusted for X-Forwarded-For. */
function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}
