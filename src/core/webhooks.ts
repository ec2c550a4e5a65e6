import { DomainError, notFound } from './errors.js';
import { EVENT_TYPES } from './events.js';
import { newId } from './ids.js';
import type { SecretBox } from './secret-box.js';
import { generateSecret } from './secrets.js';
import type { Page } from './types.js';
import { fromJson, toJson } from '../store/json.js';
import type { AttemptRow, DeliveryRow, EndpointRow } from '../store/repositories/webhooks.js';
import type { Store } from '../store/store.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  organizationId: string | null;
  /** null: every event type */
  events: string[] | null;
  state: 'enabled' | 'disabled';
  disabledReason: string | null;
  consecutiveFailures: number;
  failingSince: string | null;
  /** the last four characters of the signing secret */
  secretHint: string;
  /** after a rotation with a grace period: until when the previous secret signs too (null: it does not) */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookAttempt {
  id: string;
  attempt: number;
  status: number | null;
  durationMs: number;
  responseSnippet: string | null;
  error: string | null;
  at: string;
}

export interface WebhookInput {
  url?: string;
  organizationId?: string | null;
  events?: string[] | null;
  enabled?: boolean;
}

export function presentEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    organizationId: row.organization_id,
    events: row.event_types === null ? null : fromJson<string[]>(row.event_types),
    state: row.state === 'enabled' ? 'enabled' : 'disabled',
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    failingSince: row.failing_since,
    secretHint: row.secret_hint,
    previousSecretExpiresAt: row.previous_secret_expires_at && row.previous_secret_expires_at > new Date().toISOString() ? row.previous_secret_expires_at : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    state: row.state as WebhookDelivery['state'],
    attempts: row.attempts,
    nextAttemptAt: row.state === 'pending' ? row.next_attempt_at : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function presentAttempt(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    attempt: row.attempt,
    status: row.status,
    durationMs: row.duration_ms,
    responseSnippet: row.response_snippet,
    error: row.error,
    at: row.at,
  };
}

/** An http(s) URL without credentials, at most 2048 characters; else a DomainError('invalid'). */
export function validateWebhookUrl(text: string): string {
  const url = text.trim();
  if (url.length === 0 || url.length > 2048) throw new DomainError('invalid', 'url must be 1 to 2048 characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DomainError('invalid', 'url is not an absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new DomainError('invalid', 'url must be http or https');
  if (parsed.username !== '' || parsed.password !== '') throw new DomainError('invalid', 'url must not contain credentials');
  if (parsed.hostname === '') throw new DomainError('invalid', 'url needs a host');
  if (/[\u0000-\u001f\u007f\s]/.test(url)) throw new DomainError('invalid', 'url must not contain spaces or control characters');
  return parsed.toString();
}

function validateTypes(types: string[] | null | undefined): string[] | null {
  if (types === undefined || types === null) return null;
  const unknown = types.find((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown !== undefined) throw new DomainError('invalid', `unknown event type "${unknown}"`);
  if (types.length === 0) throw new DomainError('invalid', 'events must name at least one event type (omit it, or null, for every type)');
  return [...new Set(types)];
}

/** The longest grace period of a secret rotation: 7 days. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

/** Webhook endpoints: create (the secret is returned once), update, rotate, deliveries and redelivery. */
export class Webhooks {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly onChange: () => void = () => {},
  ) {}

  private seal(id: string, secret: string): { secret_ciphertext: string; secret_hint: string } {
    return { secret_ciphertext: this.box.seal(secret, id), secret_hint: secret.slice(-4) };
  }

  /** The signing secret of an endpoint (for the delivery worker). */
  openSecret(row: EndpointRow): string {
    return this.box.open(row.secret_ciphertext, row.id);
  }

  /**
   * The secrets a delivery is signed with at `now`: the current one, then the previous one while a
   * rotation's grace period lasts (each gives a `v1=` in Gatehouse-Signature).
   */
  signingSecrets(row: EndpointRow, now: Date = new Date()): string[] {
    const secrets = [this.openSecret(row)];
    if (row.previous_secret_ciphertext && row.previous_secret_expires_at && row.previous_secret_expires_at > now.toISOString()) {
      secrets.push(this.box.open(row.previous_secret_ciphertext, row.id));
    }
    return secrets;
  }

  async create(input: WebhookInput): Promise<WebhookEndpoint & { secret: string }> {
    const url = validateWebhookUrl(input.url ?? '');
    const types = validateTypes(input.events);
    const organizationId = input.organizationId ?? null;
    if (organizationId !== null && !(await this.store.organizations.get(organizationId))) {
      throw new DomainError('invalid', 'organizationId is not an organization');
    }
    const id = newId('whe');
    const secret = generateSecret('whsec_');
    const at = new Date().toISOString();
    const row: EndpointRow = {
      id,
      organization_id: organizationId,
      url,
      event_types: types === null ? null : toJson(types),
      ...this.seal(id, secret),
      previous_secret_ciphertext: null,
      previous_secret_expires_at: null,
      state: input.enabled === false ? 'disabled' : 'enabled',
      disabled_reason: input.enabled === false ? 'created disabled' : null,
      consecutive_failures: 0,
      failing_since: null,
      // an endpoint receives the events that occur after it is created
      last_enqueued_seq: await this.store.webhooks.maxEventSeq(),
      created_at: at,
      updated_at: at,
    };
    await this.store.webhooks.insertEndpoint(row);
    this.onChange();
    return { ...presentEndpoint(row), secret };
  }

  private async row(id: string): Promise<EndpointRow> {
    const row = await this.store.webhooks.getEndpoint(id);
    if (!row) throw notFound('webhook endpoint');
    return row;
  }

  async get(id: string): Promise<WebhookEndpoint> {
    return presentEndpoint(await this.row(id));
  }

  async list(limit: number, cursor?: string, organizationId?: string): Promise<Page<WebhookEndpoint>> {
    const page = await this.store.webhooks.listEndpoints(limit, cursor, organizationId);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows.map(presentEndpoint), next: page.next };
  }

  async update(id: string, input: WebhookInput): Promise<WebhookEndpoint> {
    const current = await this.row(id);
    const at = new Date().toISOString();
    const set: Partial<EndpointRow> = { updated_at: at };
    if (input.url !== undefined) set.url = validateWebhookUrl(input.url);
    if (input.events !== undefined) {
      const types = validateTypes(input.events);
      set.event_types = types === null ? null : toJson(types);
    }
    if (input.enabled === true && current.state !== 'enabled') {
      Object.assign(set, { state: 'enabled', disabled_reason: null, consecutive_failures: 0, failing_since: null });
    } else if (input.enabled === false && current.state !== 'disabled') {
      Object.assign(set, { state: 'disabled', disabled_reason: 'disabled by an administrator' });
    }
    await this.store.transaction(async (tx) => {
      await tx.webhooks.updateEndpoint(id, set);
      // re-enabled: what waited (and what occurred while disabled) goes out now
      if (set.state === 'enabled') await tx.webhooks.makePendingDue(id, at);
    });
    this.onChange();
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.webhooks.deleteEndpoint(id))) throw notFound('webhook endpoint');
  }

  /**
   * A new signing secret, returned once. With `graceSeconds` > 0 the old one keeps signing too (a second
   * `v1=`) until then, as Stripe does, so receivers can switch without losing a delivery; with 0 (the
   * default) it stops at once. A rotation during a grace period ends that period (only one previous secret).
   */
  async rotateSecret(id: string, graceSeconds: number = 0): Promise<WebhookEndpoint & { secret: string }> {
    if (typeof graceSeconds !== 'number' || !Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_SECONDS) {
      throw new DomainError('invalid', `graceSeconds must be an integer from 0 to ${MAX_ROTATION_GRACE_SECONDS}`);
    }
    const current = await this.row(id);
    const secret = generateSecret('whsec_');
    const now = Date.now();
    await this.store.webhooks.updateEndpoint(id, {
      ...this.seal(id, secret),
      // the current ciphertext is already bound to this endpoint's id: it moves as it is
      previous_secret_ciphertext: graceSeconds > 0 ? current.secret_ciphertext : null,
      previous_secret_expires_at: graceSeconds > 0 ? new Date(now + graceSeconds * 1000).toISOString() : null,
      updated_at: new Date(now).toISOString(),
    });
    this.onChange();
    return { ...(await this.get(id)), secret };
  }

  async deliveries(endpointId: string, limit: number, cursor?: string, filter: { state?: string; eventId?: string } = {}): Promise<Page<WebhookDelivery>> {
    await this.row(endpointId);
    const page = await this.store.webhooks.listDeliveries(endpointId, limit, cursor, filter);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    return { data: page.rows.map(presentDelivery), next: page.next };
  }

  async delivery(endpointId: string, deliveryId: string): Promise<WebhookDelivery & { attemptLog: WebhookAttempt[] }> {
    await this.row(endpointId);
    const row = await this.store.webhooks.getDelivery(endpointId, deliveryId);
    if (!row) throw notFound('delivery');
    return { ...presentDelivery(row), attemptLog: (await this.store.webhooks.listAttempts(row.id)).map(presentAttempt) };
  }

  /** Sends a delivery again (delivered, failed or pending): due now, with a fresh retry window. */
  async redeliver(endpointId: string, deliveryId: string): Promise<WebhookDelivery> {
    await this.row(endpointId);
    const row = await this.store.webhooks.getDelivery(endpointId, deliveryId);
    if (!row) throw notFound('delivery');
    return this.requeue(row);
  }

  /** Sends an event to an endpoint again, or for the first time (an event from before the endpoint existed). */
  async redeliverEvent(endpointId: string, eventId: string): Promise<WebhookDelivery> {
    const endpoint = await this.row(endpointId);
    const existing = await this.store.webhooks.findDeliveryByEvent(endpointId, eventId);
    if (existing) return this.requeue(existing);
    const event = await this.store.events.get(eventId);
    if (!event) throw new DomainError('invalid', 'eventId is not the id of an event');
    if (endpoint.organization_id !== null && event.organizationId !== endpoint.organization_id) {
      throw new DomainError('invalid', 'the event belongs to another organization than the endpoint');
    }
    const at = new Date().toISOString();
    const row = pendingDelivery(endpointId, event, at);
    await this.store.webhooks.insertDeliveries([row]);
    this.onChange();
    const stored = await this.store.webhooks.findDeliveryByEvent(endpointId, eventId);
    return presentDelivery(stored ?? row);
  }

  private async requeue(row: DeliveryRow): Promise<WebhookDelivery> {
    const at = new Date().toISOString();
    // the lease goes too: an attempt in flight right now then cannot mark the delivery done when it finishes
    await this.store.webhooks.updateDelivery(row.id, { state: 'pending', next_attempt_at: at, first_attempt_at: null, locked_until: null, updated_at: at });
    this.onChange();
    return presentDelivery({ ...row, state: 'pending', next_attempt_at: at, first_attempt_at: null, locked_until: null, updated_at: at });
  }
}

/** A new delivery of `event` to an endpoint, due now. */
export function pendingDelivery(endpointId: string, event: Parameters<typeof orderingKey>[0] & { id: string; seq: number }, at: string): DeliveryRow {
  return {
    id: newId('whd'),
    endpoint_id: endpointId,
    event_id: event.id,
    event_seq: Number(event.seq),
    event_type: event.type,
    ordering_key: orderingKey(event),
    state: 'pending',
    attempts: 0,
    next_attempt_at: at,
    locked_until: null,
    first_attempt_at: null,
    last_status: null,
    last_error: null,
    delivered_at: null,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Deliveries to one endpoint with the same key go out in event order: "in order per resource". A user's
 * events share the user's key; a group's events, including its membership events (`group.user_added`,
 * `group.user_removed`), share the group's key, so a member added then removed arrives in that order.
 * Events of other resources may overtake one another (every event carries the whole resource, so a
 * receiver can upsert). Events without a resource (directory, organization, webhook events) are keyed by
 * their directory, else organization.
 */
export function orderingKey(event: {
  type: string;
  directoryId?: string | null;
  organizationId?: string | null;
  directory_id?: string | null;
  organization_id?: string | null;
  data?: unknown;
}): string {
  const dir = event.directoryId ?? event.directory_id ?? null;
  const scope = dir !== null ? `directory:${dir}` : (() => {
    const org = event.organizationId ?? event.organization_id ?? null;
    return org !== null ? `organization:${org}` : 'global';
  })();
  const data = (event.data ?? {}) as { id?: unknown; group?: { id?: unknown } };
  if (event.type.startsWith('group.user_') && typeof data.group?.id === 'string') return `${scope}:group:${data.group.id}`;
  if (event.type.startsWith('group.') && typeof data.id === 'string') return `${scope}:group:${data.id}`;
  if (event.type.startsWith('user.') && typeof data.id === 'string') return `${scope}:user:${data.id}`;
  return scope;
}
