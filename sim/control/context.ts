import type { FastifyRequest } from 'fastify';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { SeedSpec } from '../seed/seed.js';
import type { Cloud } from '../tenant/cloud.js';
import type { Tenant } from '../tenant/tenant.js';

/** What the control API works on. */
export interface ControlContext {
  cloud: Cloud;
  faults: FaultInjector;
  /** the organization the simulator started with (the default target of every route) */
  primaryOrgId: string;
  /** the CLI's ready line: consoleUrl, apiKey, orgId */
  info(): { consoleUrl: string; apiKey: string; orgId: string };
  /** reloads an organization's content */
  seed(spec: SeedSpec, orgId: string): void;
}

/** The tenant a control request acts on: `?org=<orgId>`, else the primary organization. */
export function targetTenant(request: FastifyRequest, ctx: ControlContext): Tenant {
  const org = (request.query as Record<string, unknown> | undefined)?.org;
  return ctx.cloud.tenant(typeof org === 'string' && org !== '' ? org : ctx.primaryOrgId);
}

/** A route parameter. */
export function param(request: FastifyRequest, name: string): string {
  return String((request.params as Record<string, string>)[name] ?? '');
}

/** The JSON body as an object (400 otherwise). */
export function body<T = Record<string, unknown>>(request: FastifyRequest): T {
  const value = request.body ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw Object.assign(new Error('the body must be a JSON object'), { statusCode: 400 });
  return value as T;
}
