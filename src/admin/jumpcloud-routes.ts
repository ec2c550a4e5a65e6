import type { FastifyInstance } from 'fastify';
import type { Gatehouse } from '../gatehouse.js';
import { ApiError } from '../http/error-handler.js';
import { FINDING_TYPES, SEVERITIES } from '../jumpcloud/findings.js';
import { INVENTORY_KINDS, type InventoryKind } from '../jumpcloud/inventory-mapping.js';
import type { ConnectionInput } from '../jumpcloud/jumpcloud-service.js';
import { errorResponses, pageQuery } from './schemas.js';

const ID = { type: 'string', minLength: 1, maxLength: 100 } as const;
const nullableString = { type: ['string', 'null'] } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const list = (items: object) => ({ type: 'object', required: ['data', 'next'], properties: { data: { type: 'array', items }, next: nullableString } }) as const;

const linkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['directoryId', 'applicationId'],
  properties: { directoryId: ID, applicationId: ID },
} as const;

const connectionBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiKey: { type: 'string', minLength: 1, maxLength: 500, description: 'a JumpCloud admin API key (read-only role suffices); stored encrypted, never returned' },
    apiBaseUrl: { type: 'string', minLength: 1, maxLength: 2048, description: '"us" (default, https://console.jumpcloud.com), "eu", "in", or any http(s) base URL' },
    orgId: { type: ['string', 'null'], maxLength: 100, description: 'x-org-id: the organization a multi-tenant key reads' },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    syncIntervalMinutes: { type: ['integer', 'null'], minimum: 5, maximum: 10080, description: 'periodic syncs every N minutes; null: only on demand' },
    links: { type: 'array', maxItems: 100, items: linkSchema, description: 'which JumpCloud app provisions which SCIM directory of the organization' },
  },
} as const;

const connectionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    organizationId: { type: 'string' },
    name: { type: 'string' },
    apiBaseUrl: { type: 'string' },
    orgId: nullableString,
    apiKeyHint: { type: 'string', description: 'the last four characters of the API key' },
    syncIntervalMinutes: { type: ['integer', 'null'] },
    links: { type: 'array', items: linkSchema },
    lastRun: { type: ['object', 'null'], additionalProperties: true },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const runSchema = {
  type: 'object',
  required: ['id', 'state', 'progress', 'counts'],
  properties: {
    id: { type: 'string' },
    connectionId: { type: 'string' },
    state: { type: 'string', enum: ['running', 'succeeded', 'failed', 'cancelled'], description: '"cancelled" only for runs stopped by POST …/cancel' },
    trigger: { type: 'string', enum: ['manual', 'schedule'] },
    progress: anyObject,
    counts: anyObject,
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, status: { type: ['integer', 'null'] } } },
    cancelRequested: { type: 'boolean' },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: nullableString,
  },
} as const;

const findingSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    connectionId: { type: 'string' },
    type: { type: 'string', enum: [...FINDING_TYPES] },
    severity: { type: 'string', enum: [...SEVERITIES] },
    state: { type: 'string', enum: ['open', 'resolved'] },
    subject: { type: 'object', properties: { type: { type: 'string' }, id: { type: 'string' }, label: { type: 'string' } } },
    evidence: anyObject,
    firstSeenAt: { type: 'string', format: 'date-time' },
    lastSeenAt: { type: 'string', format: 'date-time' },
    resolvedAt: nullableString,
  },
} as const;

const params = { type: 'object', required: ['id'], properties: { id: ID } } as const;
const runParams = { type: 'object', required: ['id', 'runId'], properties: { id: ID, runId: ID } } as const;
const tags = ['jumpcloud'];

/** JumpCloud directory pull: connections, runs, inventory, app access, findings, drift. */
export function jumpcloudRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const jc = gatehouse.jumpcloud;

  app.post<{ Params: { orgId: string }; Body: ConnectionInput }>(
    '/organizations/:orgId/jumpcloud',
    {
      schema: {
        tags,
        summary: 'Connect a JumpCloud organization for pulling (the API key is stored encrypted and never returned)',
        params: { type: 'object', required: ['orgId'], properties: { orgId: ID } },
        body: { ...connectionBody, required: ['apiKey'] },
        response: { 201: connectionSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await jc.create(request.params.orgId, request.body)),
  );

  app.get<{ Querystring: { limit: number; cursor?: string; organization?: string } }>(
    '/jumpcloud',
    { schema: { tags, summary: 'List JumpCloud connections, oldest first', querystring: { type: 'object', properties: { ...pageQuery, organization: ID } }, response: { 200: list(connectionSchema), ...errorResponses } } },
    async (request) => jc.list(request.query.limit, request.query.cursor, request.query.organization),
  );

  app.get<{ Params: { id: string } }>('/jumpcloud/:id', { schema: { tags, summary: 'A JumpCloud connection with its latest run', params, response: { 200: connectionSchema, ...errorResponses } } }, async (request) => jc.get(request.params.id));

  app.patch<{ Params: { id: string }; Body: ConnectionInput }>(
    '/jumpcloud/:id',
    { schema: { tags, summary: 'Change the key, base URL, x-org-id, name, sync interval or directory links', params, body: connectionBody, response: { 200: connectionSchema, ...errorResponses } } },
    async (request) => jc.update(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/jumpcloud/:id',
    { schema: { tags, summary: 'Delete a connection with its runs, inventory and findings', params, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      await jc.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.get<{ Params: { id: string } }>(
    '/jumpcloud/:id/organizations',
    { schema: { tags, summary: 'The JumpCloud organizations the key reaches (asked of JumpCloud now; several for a multi-tenant key)', params, response: { 200: { type: 'object', properties: { data: { type: 'array', items: anyObject } } }, ...errorResponses } } },
    async (request) => ({ data: await jc.organizations(request.params.id) }),
  );

  app.post<{ Params: { id: string } }>(
    '/jumpcloud/:id/sync',
    { schema: { tags, summary: 'Start a pull now (409 while one runs)', params, response: { 202: { type: 'object', required: ['runId'], properties: { runId: { type: 'string' } } }, ...errorResponses } } },
    async (request, reply) => reply.code(202).send(await jc.sync(request.params.id)),
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string; state?: string } }>(
    '/jumpcloud/:id/runs',
    {
      schema: {
        tags,
        summary: 'Runs of a connection, newest first',
        params,
        querystring: { type: 'object', properties: { ...pageQuery, state: { type: 'string', enum: ['running', 'succeeded', 'failed', 'cancelled'] } } },
        response: { 200: list(runSchema), ...errorResponses },
      },
    },
    async (request) => jc.runs(request.params.id, request.query.limit, request.query.cursor, request.query.state),
  );

  app.get<{ Params: { id: string; runId: string } }>(
    '/jumpcloud/:id/runs/:runId',
    { schema: { tags, summary: 'A run: state, progress (entities and pages done / total), counts, error', params: runParams, response: { 200: runSchema, ...errorResponses } } },
    async (request) => jc.run(request.params.id, request.params.runId),
  );

  app.post<{ Params: { id: string; runId: string } }>(
    '/jumpcloud/:id/runs/:runId/cancel',
    { schema: { tags, summary: 'Stop a running pull (state "cancelled"); 409 when it is not running', params: runParams, response: { 202: runSchema, ...errorResponses } } },
    async (request, reply) => reply.code(202).send(await jc.cancel(request.params.id, request.params.runId)),
  );

  app.get<{ Params: { id: string; kind: InventoryKind }; Querystring: { limit: number; cursor?: string; includeDeleted?: boolean } }>(
    '/jumpcloud/:id/inventory/:kind',
    {
      schema: {
        tags,
        summary: 'The pulled inventory of one kind, by JumpCloud id (tombstoned records with includeDeleted=true)',
        params: { type: 'object', required: ['id', 'kind'], properties: { id: ID, kind: { type: 'string', enum: [...INVENTORY_KINDS] } } },
        querystring: { type: 'object', properties: { ...pageQuery, includeDeleted: { type: 'boolean', default: false } } },
        response: { 200: list(anyObject), ...errorResponses },
      },
    },
    async (request) => jc.inventory(request.params.id, request.params.kind, request.query.limit, request.query.cursor, request.query.includeDeleted === true),
  );

  app.get<{ Params: { id: string; appId: string } }>(
    '/jumpcloud/:id/applications/:appId/access',
    {
      schema: {
        tags,
        summary: 'Who can reach an SSO application: bound groups and users, and every user with the groups granting access',
        params: { type: 'object', required: ['id', 'appId'], properties: { id: ID, appId: ID } },
        response: { 200: anyObject, ...errorResponses },
      },
    },
    async (request) => jc.access(request.params.id, request.params.appId),
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string; severity?: string; state?: string; type?: string } }>(
    '/jumpcloud/:id/findings',
    {
      schema: {
        tags,
        summary: 'Findings, oldest first; filter by severity, state and type',
        params,
        querystring: {
          type: 'object',
          properties: { ...pageQuery, severity: { type: 'string', enum: [...SEVERITIES] }, state: { type: 'string', enum: ['open', 'resolved'] }, type: { type: 'string', enum: [...FINDING_TYPES] } },
        },
        response: { 200: list(findingSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, severity, state, type } = request.query;
      return jc.findings(request.params.id, limit, cursor, { ...(severity ? { severity } : {}), ...(state ? { state } : {}), ...(type ? { type } : {}) });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { directoryId?: string } }>(
    '/jumpcloud/:id/drift',
    {
      schema: {
        tags,
        summary: "Drift between the organization's SCIM directories and the latest succeeded pull",
        params,
        querystring: { type: 'object', properties: { directoryId: ID } },
        response: { 200: anyObject, ...errorResponses },
      },
    },
    async (request) => jc.drift(request.params.id, request.query.directoryId),
  );

  app.post<{ Params: { id: string }; Body: unknown }>(
    '/jumpcloud/:id/drift/heal',
    {
      schema: {
        tags,
        summary: 'Opt-in healing in the safe direction: deactivate app users JumpCloud has deleted, suspended, expired or unbound (body optional: {directoryId?, dryRun?})',
        params,
        response: { 200: anyObject, ...errorResponses },
      },
    },
    async (request) => jc.heal(request.params.id, healBody(request.body)),
  );
}

/** The optional body of a heal: nothing, or `{directoryId?, dryRun?}`. */
function healBody(body: unknown): { directoryId?: string; dryRun?: boolean } {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new ApiError(400, 'invalid_request', 'the body must be a JSON object {directoryId?, dryRun?}');
  const { directoryId, dryRun, ...rest } = body as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new ApiError(400, 'invalid_request', `body/${extra} is not a known property`);
  if (directoryId !== undefined && (typeof directoryId !== 'string' || directoryId.length === 0 || directoryId.length > 100)) throw new ApiError(400, 'invalid_request', 'body/directoryId must be a string of 1 to 100 characters');
  if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new ApiError(400, 'invalid_request', 'body/dryRun must be a boolean');
  return { ...(directoryId !== undefined ? { directoryId: directoryId as string } : {}), ...(dryRun !== undefined ? { dryRun: dryRun as boolean } : {}) };
}
