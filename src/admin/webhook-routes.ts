import type { FastifyInstance } from 'fastify';
import { DomainError } from '../core/errors.js';
import { EVENT_TYPES } from '../core/events.js';
import { MAX_ROTATION_GRACE_SECONDS, type WebhookInput } from '../core/webhooks.js';
import type { Gatehouse } from '../gatehouse.js';
import { errorResponses, pageQuery } from './schemas.js';

const ID = { type: 'string', minLength: 1, maxLength: 100 } as const;
const nullableString = { type: ['string', 'null'] } as const;

const endpointSchema = {
  type: 'object',
  required: ['id', 'url', 'organizationId', 'events', 'state', 'secretHint', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    organizationId: { ...nullableString, description: 'null: events of every organization' },
    events: { type: ['array', 'null'], items: { type: 'string' }, description: 'null: every event type' },
    state: { type: 'string', enum: ['enabled', 'disabled'] },
    disabledReason: nullableString,
    consecutiveFailures: { type: 'integer' },
    failingSince: nullableString,
    secretHint: { type: 'string', description: 'the last four characters of the signing secret' },
    previousSecretExpiresAt: { ...nullableString, description: 'after a rotation with a grace period: until when the previous secret signs as well' },
    secret: { type: 'string', description: 'the signing secret: present only in the answer that issued it' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const attemptSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    attempt: { type: 'integer' },
    status: { type: ['integer', 'null'], description: 'the HTTP status answered, null when none (timeout, refused)' },
    durationMs: { type: 'integer' },
    responseSnippet: { ...nullableString, description: 'the first 1 KB of the response body' },
    error: nullableString,
    at: { type: 'string', format: 'date-time' },
  },
} as const;

const deliveryProperties = {
  id: { type: 'string' },
  endpointId: { type: 'string' },
  eventId: { type: 'string', description: 'the idempotency key: the same on every attempt' },
  eventType: { type: 'string' },
  state: { type: 'string', enum: ['pending', 'delivered', 'failed'] },
  attempts: { type: 'integer' },
  nextAttemptAt: nullableString,
  lastStatus: { type: ['integer', 'null'] },
  lastError: nullableString,
  deliveredAt: nullableString,
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
} as const;

const deliverySchema = { type: 'object', properties: deliveryProperties } as const;
const deliveryWithAttemptsSchema = { type: 'object', properties: { ...deliveryProperties, attemptLog: { type: 'array', items: attemptSchema } } } as const;

const eventsField = {
  type: ['array', 'null'],
  minItems: 1,
  maxItems: EVENT_TYPES.length,
  items: { type: 'string', enum: [...EVENT_TYPES] },
  description: 'event types to receive; omitted or null: every type',
} as const;

const endpointBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', minLength: 1, maxLength: 2048, description: 'http(s), without credentials' },
    organizationId: { ...nullableString, maxLength: 100, description: 'only events of this organization; omitted or null: every organization' },
    events: eventsField,
    enabled: { type: 'boolean' },
  },
} as const;

const endpointParams = { type: 'object', required: ['id'], properties: { id: ID } } as const;
const deliveryParams = { type: 'object', required: ['id', 'deliveryId'], properties: { id: ID, deliveryId: ID } } as const;

export function webhookRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const webhooks = gatehouse.webhooks;

  app.post<{ Body: WebhookInput }>(
    '/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Create a webhook endpoint; the signing secret appears only in this answer',
        body: { ...endpointBody, required: ['url'] },
        response: { 201: endpointSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(201).send(await webhooks.create(request.body)),
  );

  app.get<{ Querystring: { limit: number; cursor?: string; organization?: string } }>(
    '/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'List webhook endpoints, oldest first',
        querystring: { type: 'object', properties: { ...pageQuery, organization: ID } },
        response: { 200: { type: 'object', required: ['data', 'next'], properties: { data: { type: 'array', items: endpointSchema }, next: nullableString } }, ...errorResponses },
      },
    },
    async (request) => webhooks.list(request.query.limit, request.query.cursor, request.query.organization),
  );

  app.get<{ Params: { id: string } }>(
    '/webhooks/:id',
    { schema: { tags: ['webhooks'], summary: 'Get a webhook endpoint', params: endpointParams, response: { 200: endpointSchema, ...errorResponses } } },
    async (request) => webhooks.get(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: Omit<WebhookInput, 'organizationId'> }>(
    '/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change the URL or event types, or enable/disable (re-enabling sends what waited)',
        params: endpointParams,
        body: { ...endpointBody, properties: { url: endpointBody.properties.url, events: eventsField, enabled: endpointBody.properties.enabled } },
        response: { 200: endpointSchema, ...errorResponses },
      },
    },
    async (request) => webhooks.update(request.params.id, request.body),
  );

  app.delete<{ Params: { id: string } }>(
    '/webhooks/:id',
    { schema: { tags: ['webhooks'], summary: 'Delete a webhook endpoint and its deliveries', params: endpointParams, response: { 204: { type: 'null' }, ...errorResponses } } },
    async (request, reply) => {
      await webhooks.delete(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post<{ Params: { id: string } }>(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Issue a new signing secret (shown only here); the old one stops at once, or, with graceSeconds, keeps signing (a second v1=) until then',
        description: `Optional body \`{"graceSeconds": n}\`, n an integer from 0 (the default) to ${MAX_ROTATION_GRACE_SECONDS} (7 days).`,
        params: endpointParams,
        response: { 200: endpointSchema, ...errorResponses },
      },
    },
    // the body is optional, so it is checked here rather than by a body schema (which would demand one)
    async (request) => {
      const body: unknown = request.body;
      if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).some((key) => key !== 'graceSeconds'))) {
        throw new DomainError('invalid', 'the body must be empty or {"graceSeconds": <integer>}');
      }
      const grace = (body as { graceSeconds?: unknown } | undefined)?.graceSeconds;
      return webhooks.rotateSecret(request.params.id, grace === undefined ? 0 : (grace as number));
    },
  );

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string; state?: string; event?: string } }>(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Deliveries of the endpoint, oldest first (one per event; GET one for its attempt log)',
        params: endpointParams,
        querystring: { type: 'object', properties: { ...pageQuery, state: { type: 'string', enum: ['pending', 'delivered', 'failed'] }, event: ID } },
        response: { 200: { type: 'object', required: ['data', 'next'], properties: { data: { type: 'array', items: deliverySchema }, next: nullableString } }, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return webhooks.deliveries(request.params.id, q.limit, q.cursor, {
        ...(q.state !== undefined ? { state: q.state } : {}),
        ...(q.event !== undefined ? { eventId: q.event } : {}),
      });
    },
  );

  app.get<{ Params: { id: string; deliveryId: string } }>(
    '/webhooks/:id/deliveries/:deliveryId',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'One delivery with the log of every attempt (status, duration, first 1 KB of the response, error)',
        params: deliveryParams,
        response: { 200: deliveryWithAttemptsSchema, ...errorResponses },
      },
    },
    async (request) => webhooks.delivery(request.params.id, request.params.deliveryId),
  );

  app.post<{ Params: { id: string; deliveryId: string } }>(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send a delivery again now (same event id), with a fresh retry window',
        params: deliveryParams,
        response: { 202: deliverySchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await webhooks.redeliver(request.params.id, request.params.deliveryId)),
  );

  app.post<{ Params: { id: string }; Body: { eventId: string } }>(
    '/webhooks/:id/redeliver',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send one event to the endpoint (again, or for the first time)',
        params: endpointParams,
        body: { type: 'object', additionalProperties: false, required: ['eventId'], properties: { eventId: ID } },
        response: { 202: deliverySchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.code(202).send(await webhooks.redeliverEvent(request.params.id, request.body.eventId)),
  );
}
