import type { FastifyInstance } from 'fastify';
import type { FaultRuleInput } from '../faults/fault-rule.js';
import { param, type ControlContext } from './context.js';

/**
 * Fault injection of the console API (see faults/fault-rule.ts for the rule fields):
 * - `GET /sim/faults` → `{"rules":[…]}`;
 * - `POST /sim/faults` a rule, e.g. `{"kind":"status","status":429,"retryAfter":2,"times":1}`,
 *   `{"kind":"status","status":503,"apiKey":"…"}`, `{"kind":"latency","ms":200}`,
 *   `{"kind":"rateLimit","perSecond":10}`, optionally limited by `apiKey`, `path`, `method` → 201 the rule with its id;
 * - `DELETE /sim/faults/:id` → 204 (404 when unknown); `DELETE /sim/faults` → 204, removes all.
 */
export function faultRoutes(app: FastifyInstance, ctx: ControlContext): void {
  app.get('/faults', async () => ({ rules: ctx.faults.list() }));
  app.post('/faults', async (request, reply) => {
    try {
      return reply.code(201).send(ctx.faults.add(request.body as FaultRuleInput));
    } catch (error) {
      throw Object.assign(error as Error, { statusCode: 400 });
    }
  });
  app.delete('/faults/:id', async (request, reply) => {
    if (!ctx.faults.remove(param(request, 'id'))) return reply.code(404).send({ error: { code: 'not_found', message: 'no fault rule has this id' } });
    return reply.code(204).send();
  });
  app.delete('/faults', async (_request, reply) => {
    ctx.faults.clear();
    return reply.code(204).send();
  });
}
