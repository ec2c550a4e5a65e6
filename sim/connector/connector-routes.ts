import type { FastifyInstance, FastifyReply } from 'fastify';
import { body, param, targetTenant, type ControlContext } from '../control/context.js';
import { connectorsOf, type ConfigureResult } from './connectors.js';
import type { ConnectorSettingsInput } from './settings.js';

function query(request: { query: unknown }): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

function configured(reply: FastifyReply, result: ConfigureResult): FastifyReply {
  if (result.ok) return reply.code(200).send(result);
  const failure = result.test.failure;
  return reply.code(422).send({
    error: { code: 'test_failed', message: `Test Connection failed at ${failure?.step ?? '?'}: ${failure?.message ?? 'unknown'}` },
    ...result,
  });
}

/**
 * The Identity Management (SCIM) connectors, per app (every route takes `?org=`; default the primary
 * organization). Settings are those of sim/connector/settings.ts; the token is never shown.
 * - `GET /sim/connectors` → `{"connectors":[view…]}`
 * - `POST /sim/apps/:id/connector` settings `{baseUrl, token, testUserEmail, …options}` → saves and
 *   activates: Test Connection runs; 200 `{ok:true, test, connector}`, or 422
 *   `{error:{code:"test_failed"}, ok:false, test, connector}` (not pushing); 400 on invalid settings
 * - `GET /sim/apps/:id/connector` (`?mappings=true` adds the JumpCloud id → SCIM id tables) → the view:
 *   status, settings, lastTest, lastSync, queue, counts, failures
 * - `POST /sim/apps/:id/connector/test` → 200 the test result (422 when it failed); status unchanged
 * - `POST /sim/apps/:id/connector/activate` → as configuring again with the saved settings
 * - `POST /sim/apps/:id/connector/sync` → 200 the sync report (after the queued pushes and the sync)
 * - `POST /sim/apps/:id/connector/flush` → 200 the view once every queued push is done
 * - `GET /sim/apps/:id/connector/requests?after=<seq>&limit=` → `{"lastSeq", "requests":[exchange…]}`
 *   (method, url, headers without the token, body, status, response body, duration, attempt)
 * - `DELETE /sim/apps/:id/connector/requests` → 204, clears the log
 * - `DELETE /sim/apps/:id/connector` → 204: deactivates (settings and mappings kept); `?forget=true` removes it
 */
export function connectorRoutes(app: FastifyInstance, ctx: ControlContext): void {
  const connectors = (request: Parameters<typeof targetTenant>[0]) => connectorsOf(targetTenant(request, ctx));

  app.get('/connectors', async (request) => ({ connectors: connectors(request).list() }));

  app.post('/apps/:id/connector', async (request, reply) =>
    configured(reply, await connectors(request).configure(param(request, 'id'), body<ConnectorSettingsInput>(request))),
  );

  app.get('/apps/:id/connector', async (request) => {
    const mappings = query(request).mappings === 'true' || query(request).mappings === '1';
    return connectors(request).connector(param(request, 'id')).view({ mappings });
  });

  app.post('/apps/:id/connector/test', async (request, reply) => {
    const test = await connectors(request).testConnection(param(request, 'id'));
    return reply.code(test.ok ? 200 : 422).send(test.ok ? test : { error: { code: 'test_failed', message: test.failure?.message ?? 'failed' }, ...test });
  });

  app.post('/apps/:id/connector/activate', async (request, reply) => configured(reply, await connectors(request).activate(param(request, 'id'))));

  app.post('/apps/:id/connector/sync', async (request) => connectors(request).sync(param(request, 'id')));

  app.post('/apps/:id/connector/flush', async (request) => {
    const connector = connectors(request).connector(param(request, 'id'));
    await connector.idle();
    return connector.view();
  });

  app.get('/apps/:id/connector/requests', async (request) => {
    const connector = connectors(request).connector(param(request, 'id'));
    const q = query(request);
    const after = Number(q.after ?? 0) || 0;
    const limit = q.limit === undefined ? undefined : Math.max(1, Number(q.limit) || 1);
    return { lastSeq: connector.log.lastSeq, requests: connector.requests({ after, ...(limit === undefined ? {} : { limit }) }) };
  });

  app.delete('/apps/:id/connector/requests', async (request, reply) => {
    connectors(request).connector(param(request, 'id')).log.clear();
    return reply.code(204).send();
  });

  app.delete('/apps/:id/connector', async (request, reply) => {
    const registry = connectors(request);
    const appId = param(request, 'id');
    const forget = query(request).forget === 'true' || query(request).forget === '1';
    if (forget) registry.remove(appId);
    else registry.deactivate(appId);
    return reply.code(204).send();
  });
}
