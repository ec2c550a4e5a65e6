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

/**
 * Request metrics: one counter increment and one histogram observation per answer, labelled by route
 * family, method and status class; plus, for SCIM requests that authenticated, one increment of the
 * directory's operation counter (the directory label becomes "all" with `perDirectory` false).
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics, options: { perDirectory: boolean }): void {
  app.decorate('metrics', metrics);
  app.addHook('onResponse', async (request: FastifyRequest, reply) => {
    const pattern = request.routeOptions.url;
    const family = request.routeOptions.config?.metricsFamily ?? routeFamily(pattern);
    const method = request.method.length <= 7 ? request.method : 'OTHER';
    const status = reply.statusCode;
    metrics.httpRequests.inc({ family, method, status: statusClass(status) });
    metrics.httpDuration.observe({ family, method }, reply.elapsedTime / 1000);
    const directory = (request as { directory?: { id: string } | null }).directory;
    if (directory) {
      const { resource, operation } = scimOperation(pattern, request.method);
      const outcome = status < 400 ? 'success' : status < 500 ? 'client_error' : 'server_error';
      metrics.scimOperations.inc({ directory: options.perDirectory ? directory.id : 'all', resource, operation, outcome });
    }
  });
}
