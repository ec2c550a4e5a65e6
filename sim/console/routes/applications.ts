import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppInput } from '../../tenant/app-record.js';
import type { Application } from '../../tenant/types.js';
import { requestTenant } from '../auth.js';
import type { ConsoleContext } from '../context.js';
import { ConsoleError } from '../errors.js';
import { project } from '../list.js';
import { presentApplication } from '../present/application.js';
import { parseFields, rawQuery } from '../query.js';
import { listQuery, page, param, v1List } from '../respond.js';

/** `{value}` of a config field of a create body. */
function configValue<T>(config: Record<string, unknown>, name: string): T | undefined {
  const entry = config[name];
  return entry && typeof entry === 'object' && 'value' in entry ? ((entry as { value: T }).value ?? undefined) : undefined;
}

/** Reads the v1 create body (name, displayName, displayLabel, ssoUrl slug or URL, config.{field}.value). */
function appInput(body: unknown): AppInput {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ConsoleError(400, 'the body must be a JSON object');
  const b = body as Record<string, unknown>;
  const config = (b.config && typeof b.config === 'object' ? b.config : {}) as Record<string, unknown>;
  const ssoUrl = typeof b.ssoUrl === 'string' && b.ssoUrl !== '' ? b.ssoUrl : undefined;
  const constants = configValue<{ name: string; value: string }[]>(config, 'constantAttributes');
  const label = typeof b.displayLabel === 'string' ? b.displayLabel : typeof b.displayName === 'string' ? b.displayName : '';
  return {
    name: typeof b.name === 'string' && b.name !== '' ? b.name : undefined,
    displayLabel: label,
    displayName: typeof b.displayName === 'string' ? b.displayName : undefined,
    description: typeof b.description === 'string' ? b.description : undefined,
    slug: ssoUrl === undefined ? undefined : (ssoUrl.split('/saml2/').pop() ?? ssoUrl).replace(/\/+$/, ''),
    active: typeof b.active === 'boolean' ? b.active : undefined,
    logoUrl: b.logo && typeof b.logo === 'object' && typeof (b.logo as { url?: unknown }).url === 'string' ? (b.logo as { url: string }).url : undefined,
    saml: {
      acsUrl: configValue<string>(config, 'acsUrl'),
      spEntityId: configValue<string>(config, 'spEntityId'),
      idpEntityId: configValue<string>(config, 'idpEntityId'),
      signAssertion: configValue<boolean>(config, 'signAssertion'),
      signResponse: configValue<boolean>(config, 'signResponse'),
      constantAttributes: Array.isArray(constants) ? constants.map((c) => ({ name: String(c.name), value: String(c.value) })) : undefined,
    },
  };
}

/** Presents an application for the requesting organization. */
export function appPresenter(request: FastifyRequest, ctx: ConsoleContext): (app: Application) => Record<string, unknown> {
  const tenant = requestTenant(request, ctx);
  const context = { orgId: tenant.orgId, ssoBaseUrl: ctx.ssoBaseUrl() };
  return (app) => presentApplication(app, context);
}

/**
 * SSO applications:
 * - `GET /api/applications` — `{totalCount, results}`, default `sort=name`, v1 paging/filter/fields;
 * - `GET /api/applications/:id` and `GET /api/v2/applications/:id` — one application;
 * - `POST /api/applications` — creates a SAML app from `{name, displayName, displayLabel, ssoUrl, config}`
 *   (the v1 guide's body; ssoUrl is the slug) → 200 with the application.
 */
export function applicationRoutes(app: FastifyInstance, ctx: ConsoleContext): void {
  app.get('/applications', async (request) => {
    const tenant = requestTenant(request, ctx);
    const present = appPresenter(request, ctx);
    const query = listQuery(request, 'v1', ctx);
    const result = page({ cacheKey: `apps@${tenant.orgId}#${tenant.version}|${ctx.ssoBaseUrl()}`, records: () => tenant.apps.list(), view: present, defaultSort: [{ field: 'name', desc: false }] }, query, ctx);
    return v1List(result, query, present);
  });

  for (const path of ['/applications/:id', '/v2/applications/:id']) {
    app.get(path, async (request) => {
      const found = requestTenant(request, ctx).apps.get(param(request, 'id'));
      if (!found) throw new ConsoleError(404);
      return project(appPresenter(request, ctx)(found), parseFields(rawQuery(request.url)), ['_id', 'id']);
    });
  }

  app.post('/applications', async (request) => {
    const created = requestTenant(request, ctx).createApp(appInput(request.body));
    return appPresenter(request, ctx)(created);
  });
}
