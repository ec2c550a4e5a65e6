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

/** A request waiting for its answer, in arrival order within its timeout. */
interface Pending {
  /** performance.now() time (monotonic) */
  deadline: number;
  expire(): void;
}

/**
 * The requests of one timeout length, in arrival order (a Set keeps insertion order, so its first entry is
 * always the earliest deadline), with one timer armed for that first deadline: a request costs a Set
 * insertion and a deletion instead of a timer of its own.
 */
class TimeoutQueue {
  readonly #pending = new Set<Pending>();
  #timer: NodeJS.Timeout | undefined;

  constructor(readonly ms: number) {}

  add(entry: Pending): void {
    this.#pending.add(entry);
    if (this.#timer === undefined) this.#arm(entry.deadline);
  }

  delete(entry: Pending): void {
    this.#pending.delete(entry);
  }

  #arm(deadline: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, deadline - performance.now()));
    this.#timer.unref();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    const due: Pending[] = [];
    for (const entry of this.#pending) {
      if (entry.deadline > now) {
        this.#arm(entry.deadline);
        break;
      }
      due.push(entry);
    }
    for (const entry of due) this.#pending.delete(entry);
    for (const entry of due) entry.expire();
  }
}

/**
 * A request not answered within `timeoutMs` of its arrival gets 503 with Retry-After (SCIM Error or admin
 * error object) — a stuck database query cannot hold a client forever. The handler's own late answer is
 * then dropped (Fastify logs it). Database statements have their own, shorter timeout (GATEHOUSE_DB_TIMEOUT_MS).
 * A route may set its own: `config: { handlerTimeoutMs }` (0 = none). One shared timer per timeout length
 * (TimeoutQueue), not one per request.
 */
export function registerHandlerTimeout(app: FastifyInstance, timeoutMs: number): void {
  const queues = new Map<number, TimeoutQueue>();
  app.addHook('onRequest', (request, reply, done) => {
    const ms = request.routeOptions.config?.handlerTimeoutMs ?? timeoutMs;
    if (ms <= 0) return done();
    let queue = queues.get(ms);
    if (queue === undefined) {
      queue = new TimeoutQueue(ms);
      queues.set(ms, queue);
    }
    const entry: Pending = {
      deadline: performance.now() + ms,
      expire() {
        if (reply.sent || request.raw.destroyed) return;
        void reply.header('retry-after', '5');
        sendProblem(new ApiError(503, 'timeout', `the request was not answered within ${ms} ms; try again shortly`), request, reply);
      },
    };
    queue.add(entry);
    const owner = queue;
    reply.raw.once('close', () => owner.delete(entry));
    done();
  });
}
