import type { FastifyInstance } from 'fastify';
import type { AdminKey } from '../core/admin-key.js';
import { hashSecret, secretMatches } from '../core/secrets.js';
import type { Gatehouse } from '../gatehouse.js';
import { bearerToken } from './bearer-token.js';
import { ADMIN_SCOPE, refuseBlockedAddress } from './limits.js';

/**
 * GET /metrics (Prometheus text format), for the admin key or GATEHOUSE_METRICS_TOKEN (a read-only
 * credential to hand to a scraper). Cheap: counters live in memory; the outbox gauges cost three indexed
 * queries at most every 5 s, whatever the scrape rate.
 */
export function metricsRoute(app: FastifyInstance, gatehouse: Gatehouse, adminKey: AdminKey): void {
  const tokenHash = gatehouse.config.metricsToken === undefined ? undefined : hashSecret(gatehouse.config.metricsToken);
  app.get('/metrics', { schema: { hide: true }, config: { metricsFamily: 'metrics' } }, async (request, reply) => {
    const refused = refuseBlockedAddress(request, reply, ADMIN_SCOPE);
    if (refused) return refused;
    const token = bearerToken(request);
    const allowed = token !== undefined && token.length <= 256 && ((tokenHash !== undefined && secretMatches(token, tokenHash)) || adminKey.matches(token));
    if (!allowed) {
      request.server.limits.authFailed(request.ip, 'metrics', ADMIN_SCOPE);
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="gatehouse-metrics"')
        .send({ error: { code: 'unauthorized', message: 'send GATEHOUSE_METRICS_TOKEN or the admin key as "Authorization: Bearer <token>"' } });
    }
    const text = await gatehouse.metrics.scrape(() => gatehouse.store.webhooks.outboxReading(new Date()));
    return reply.type(gatehouse.metrics.registry.contentType).send(text);
  });
}
