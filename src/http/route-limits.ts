import type { FastifyInstance } from 'fastify';
import type { LimitsConfig } from '../config.js';
import { ApiError, sendProblem } from './error-handler.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** this route's answer timeout in ms instead of GATEHOUSE_HANDLER_TIMEOUT_MS (0 = none), e.g. a synchronous pull */
    handlerTimeoutMs?: number;
  }
}

/**
 * Body size limits per route family: a route that sets its own `bodyLimit` keeps it (a form route such as
 * an ACS can choose a size that fits SAML responses); otherwise /scim routes get `scimBodyLimit` and /api
 * routes `adminBodyLimit` (413 beyond, in the API's wire shape). Must be registered before the routes.
 */
export function registerBodyLimits(app: FastifyInstance, limits: Pick<LimitsConfig, 'scimBodyLimit' | 'adminBodyLimit'>): void {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit !== undefined) return;
    if (route.url.startsWith('/scim/')) route.bodyLimit = limits.scimBodyLimit;
    else if (route.url.startsWith('/api/') || route.url === '/api') route.bodyLimit = limits.adminBodyLimit;
  });
}

/**
 * A request not answered within `timeoutMs` of its arrival gets 503 with Retry-After (SCIM Error or admin
 * error object) — a stuck database query cannot hold a client forever. The handler's own late answer is
 * then dropped (Fastify logs it). Database statements have their own, shorter timeout (GATEHOUSE_DB_TIMEOUT_MS).
 * A route may set its own: `config: { handlerTimeoutMs }` (0 = none).
 */
export function registerHandlerTimeout(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('onRequest', (request, reply, done) => {
    const ms = request.routeOptions.config?.handlerTimeoutMs ?? timeoutMs;
    if (ms <= 0) return done();
    const timer = setTimeout(() => {
      if (reply.sent || request.raw.destroyed) return;
      void reply.header('retry-after', '5');
      sendProblem(new ApiError(503, 'timeout', `the request was not answered within ${ms} ms; try again shortly`), request, reply);
    }, ms);
    timer.unref();
    reply.raw.once('close', () => clearTimeout(timer));
    done();
  });
}
