import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from '../core/metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the process's Prometheus metrics (src/core/metrics.ts); also at gatehouse.metrics */
    metrics: Metrics;
  }
  interface FastifyContextConfig {
    /** the route family in metrics; by default derived from the route's URL pattern (routeFamily) */
    metricsFamily?: string;
  }
}

const SCIM_PREFIX = '/scim/v2/:dirId/';
const SCIM_DISCOVERY = new Set(['ServiceProviderConfig', 'ResourceTypes', 'Schemas']);

function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toLowerCase() || 'root';
}

/**
 * The family of a route for metrics labels, from its URL *pattern* (never the request's URL, so the label
 * set is bounded by the routes the server has): `/scim/v2/:dirId/Users/:id` → `scim_users`,
 * `/api/directories/:dirId/users` → `admin_directories`, `/healthz` → `health`, no route → `unmatched`.
 */
export function routeFamily(pattern: string | undefined): string {
  if (pattern === undefined || pattern === '') return 'unmatched';
  if (pattern.startsWith(SCIM_PREFIX)) {
    const first = pattern.slice(SCIM_PREFIX.length).split('/')[0] ?? '';
    if (first === 'Users' || first === 'Groups') return `scim_${first.toLowerCase()}`;
    if (first === '.search') return 'scim_search';
    if (SCIM_DISCOVERY.has(first)) return 'scim_discovery';
    return 'scim_other';
  }
  if (pattern.startsWith('/api/')) return `admin_${slug(pattern.split('/')[2] ?? '')}`;
  if (pattern === '/healthz' || pattern === '/readyz') return 'health';
  return slug(pattern.split('/')[1] ?? '');
}

/** SCIM resource and operation of a routed SCIM request, for gatehouse_scim_operations_total. */
export function scimOperation(pattern: string | undefined, method: string): { resource: string; operation: string } {
  const rest = (pattern ?? '').startsWith(SCIM_PREFIX) ? (pattern ?? '').slice(SCIM_PREFIX.length) : '';
  const [first = '', second] = rest.split('/');
  if (second === '.search' || first === '.search') return { resource: first === '.search' ? 'any' : first, operation: method === 'POST' ? 'search' : 'other' };
  if (first === 'Users' || first === 'Groups') {
    const one = second !== undefined;
    const operation =
      method === 'GET' ? (one ? 'get' : 'list')
      : method === 'POST' && !one ? 'create'
      : method === 'PUT' && one ? 'replace'
      : method === 'PATCH' && one ? 'patch'
      : method === 'DELETE' && one ? 'delete'
      : 'other';
    return { resource: first, operation };
  }
  return { resource: SCIM_DISCOVERY.has(first) ? 'discovery' : 'other', operation: method === 'GET' ? 'get' : 'other' };
}

function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** A family/method/status triple's counter and histogram children, bound once (prom-client children). */
interface BoundRequestMetrics {
  requests: { inc(): void };
  duration: { observe(seconds: number): void };
}

/**
 * Request metrics: one counter increment and one histogram observation per answer, labelled by route
 * family, method and status class; plus, for SCIM requests that authenticated, one increment of the
 * directory's operation counter (the directory label becomes "all" with `perDirectory` false).
 * The hot path computes nothing twice: the family of each route pattern, the SCIM operation of each
 * pattern and method, and the label children of each family/method/status are kept (all bounded by the
 * server's routes and HTTP's methods).
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics, options: { perDirectory: boolean }): void {
  app.decorate('metrics', metrics);
  const families = new Map<string | undefined, string>();
  const operations = new Map<string, { resource: string; operation: string }>();
  const bound = new Map<string, BoundRequestMetrics>();
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const pattern = request.routeOptions.url;
    let family = request.routeOptions.config?.metricsFamily ?? families.get(pattern);
    if (family === undefined) {
      family = routeFamily(pattern);
      families.set(pattern, family);
    }
    const method = request.method.length <= 7 ? request.method : 'OTHER';
    const status = reply.statusCode;
    const key = `${family} ${method} ${status}`;
    let children = bound.get(key);
    if (children === undefined) {
      children = {
        requests: metrics.httpRequests.labels({ family, method, status: statusClass(status) }),
        duration: metrics.httpDuration.labels({ family, method }),
      };
      bound.set(key, children);
    }
    children.requests.inc();
    children.duration.observe(reply.elapsedTime / 1000);
    const directory = (request as { directory?: { id: string } | null }).directory;
    if (directory) {
      const operationKey = `${request.method} ${pattern ?? ''}`;
      let scim = operations.get(operationKey);
      if (scim === undefined) {
        scim = scimOperation(pattern, request.method);
        operations.set(operationKey, scim);
      }
      const outcome = status < 400 ? 'success' : status < 500 ? 'client_error' : 'server_error';
      metrics.scimOperations.inc({ directory: options.perDirectory ? directory.id : 'all', resource: scim.resource, operation: scim.operation, outcome });
    }
  });
}
