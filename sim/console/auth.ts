import type { FastifyRequest } from 'fastify';
import type { ApiKey } from '../tenant/cloud.js';
import { isObjectId } from '../tenant/object-id.js';
import type { Tenant } from '../tenant/tenant.js';
import type { ConsoleContext } from './context.js';
import { ConsoleError } from './errors.js';

/** Who a console request acts as: the API key, and the organization it selected (null: provider level). */
export interface RequestAuth {
  key: ApiKey;
  tenant: Tenant | null;
}

/** Routes that act at the MTP provider level: they need no x-org-id (and refuse one, by default). */
const PROVIDER_ROUTES = new Set(['/api/organizations']);

const authByRequest = new WeakMap<FastifyRequest, RequestAuth>();

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim();
}

/**
 * Checks `x-api-key` and, for multi-tenant keys, `x-org-id` (jumpcloud-wire.md §C.1):
 * - no key → 401; unknown key → 401 "api key user not found" (body `{"error":"Unauthorized","message":…}`, as observed);
 * - single-tenant key: x-org-id is ignored (the recordings send it empty);
 * - MTP key: missing or empty x-org-id → 401 "ID not included for multi-tenant admin"; not an ObjectId →
 *   400 "Malformed ID"; not one of the key's organizations → 404 "Organization ID Not Found"; sent to a
 *   provider-level route → 403 "ID included on unsupported route" (see ConsoleOptions).
 */
export function authenticate(request: FastifyRequest, ctx: ConsoleContext): RequestAuth {
  const apiKey = header(request, 'x-api-key');
  if (apiKey === '') throw new ConsoleError(401);
  const key = ctx.cloud.keys.get(apiKey);
  if (!key) throw new ConsoleError(401, 'api key user not found', { error: 'Unauthorized' });
  const orgId = header(request, 'x-org-id');
  let auth: RequestAuth;
  if (!key.multiTenant) auth = { key, tenant: ctx.cloud.tenant(key.orgIds[0]!) };
  else if (PROVIDER_ROUTES.has(request.routeOptions.url ?? '')) {
    if (orgId !== '' && ctx.options.orgIdOnProviderRoutes === 'forbid') throw new ConsoleError(403, 'ID included on unsupported route');
    auth = { key, tenant: null };
  } else {
    if (orgId === '') throw new ConsoleError(401, 'ID not included for multi-tenant admin');
    if (!isObjectId(orgId)) throw new ConsoleError(400, 'Malformed ID');
    if (!key.orgIds.includes(orgId) || !ctx.cloud.tenants.has(orgId)) throw new ConsoleError(404, 'Organization ID Not Found');
    auth = { key, tenant: ctx.cloud.tenant(orgId) };
  }
  authByRequest.set(request, auth);
  return auth;
}

/** The authentication of a request (after the auth hook ran). */
export function requestAuth(request: FastifyRequest): RequestAuth {
  const auth = authByRequest.get(request);
  if (!auth) throw new ConsoleError(401);
  return auth;
}

/** The organization a request acts on; provider-level requests act on the key's primary organization. */
export function requestTenant(request: FastifyRequest, ctx: ConsoleContext): Tenant {
  const auth = requestAuth(request);
  return auth.tenant ?? ctx.cloud.tenant(auth.key.orgIds[0]!);
}
