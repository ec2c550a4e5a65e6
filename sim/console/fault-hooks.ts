import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nginxErrorPage } from '../faults/nginx-pages.js';
import { requestAuth } from './auth.js';
import type { ConsoleContext } from './context.js';
import { errorBody, reasonPhrase } from './errors.js';

interface FaultState {
  latencyMs: number;
  fault: 'status' | 'rateLimit' | null;
}

const stateByRequest = new WeakMap<FastifyRequest, FaultState>();

function apiKeyOf(request: FastifyRequest): string | null {
  const value = request.headers['x-api-key'];
  const key = (Array.isArray(value) ? value[0] : value)?.trim();
  return key ? key : null;
}

function routeName(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  return `${request.method} ${url && !request.is404 ? url : '(unmatched)'}`;
}

/**
 * Runs before authentication: adds the configured latency, then answers with an injected fault (429,
 * 502, 503…) when a rule fires; and after every answer, counts it per route and logs it.
 * 502 and 503 default to nginx's HTML error page; other statuses to a JSON error in the configured style.
 */
export function registerFaultHooks(app: FastifyInstance, ctx: ConsoleContext): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const decision = ctx.faults.decide({ method: request.method, path: request.url.split('?')[0] ?? '', route: request.routeOptions.url ?? '', apiKey: apiKeyOf(request) });
    const state: FaultState = { latencyMs: decision.delayMs, fault: null };
    stateByRequest.set(request, state);
    if (decision.delayMs > 0) await sleep(decision.delayMs);
    const fault = decision.fault;
    if (!fault) return;
    state.fault = fault.kind;
    if (fault.retryAfter !== null) void reply.header('retry-after', String(fault.retryAfter));
    const reason = reasonPhrase(fault.status);
    if (fault.body !== undefined) {
      if (typeof fault.body === 'string') return reply.code(fault.status).type('text/html').send(fault.body);
      return reply.code(fault.status).type('application/json; charset=utf-8').send(fault.body);
    }
    if (fault.status === 502 || fault.status === 503) return reply.code(fault.status).type('text/html').send(nginxErrorPage(fault.status, reason));
    return reply.code(fault.status).type('application/json; charset=utf-8').send(errorBody(ctx.options.errorStyle, fault.status, null));
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    const state = stateByRequest.get(request);
    let orgId: string | null = null;
    try {
      orgId = requestAuth(request).tenant?.orgId ?? null;
    } catch {
      orgId = null;
    }
    const apiKey = apiKeyOf(request);
    ctx.faults.stats.record({
      at: new Date().toISOString(),
      method: request.method,
      url: request.url,
      route: routeName(request),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 1000) / 1000,
      apiKey: apiKey === null ? null : apiKey.slice(0, 6),
      orgId,
      fault: state?.fault ?? null,
      latencyMs: state?.latencyMs ?? 0,
    });
  });
}
