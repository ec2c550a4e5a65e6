import type { FastifyInstance } from 'fastify';
import { parseSeed } from '../seed/seed.js';
import { body, targetTenant, type ControlContext } from './context.js';

/**
 * Seeding:
 * - `POST /sim/seed` `{"seed": "demo" | "none" | {"users":N,"groups":M,"apps":K,"seed":S}}` (`?org=`
 *   picks the organization) → 200 `{"orgId","counts"}`; replaces the organization's content and emits
 *   one `tenant.seeded` event.
 */
export function seedRoutes(app: FastifyInstance, ctx: ControlContext): void {
  app.post('/seed', async (request) => {
    const tenant = targetTenant(request, ctx);
    let spec;
    try {
      spec = parseSeed(body<{ seed?: unknown }>(request).seed);
    } catch (error) {
      throw Object.assign(error as Error, { statusCode: 400 });
    }
    ctx.seed(spec, tenant.orgId);
    return { orgId: tenant.orgId, counts: tenant.counts() };
  });
}
