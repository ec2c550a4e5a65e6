import type { Dialect } from '../database.js';

/** Webhook endpoints, one delivery row per event per endpoint, and the log of every attempt. */
export function webhooksSchema(dialect: Dialect): string[] {
  const json = dialect === 'postgres' ? 'jsonb' : 'text';
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return [
    `create table webhook_endpoints (
      id text primary key,
      organization_id text references organizations (id) on delete cascade,
      url text not null,
      event_types ${json},
      secret_ciphertext text not null,
      secret_hint text not null,
      state text not null,
      disabled_reason text,
      consecutive_failures integer not null,
      failing_since text,
      last_enqueued_seq ${bigint} not null,
      created_at text not null,
      updated_at text not null
    )`,
    `create index webhook_endpoints_created on webhook_endpoints (created_at, id)`,
    `create index webhook_endpoints_state on webhook_endpoints (state)`,

    `create table webhook_deliveries (
      id text primary key,
      endpoint_id text not null references webhook_endpoints (id) on delete cascade,
      event_id text not null,
      event_seq ${bigint} not null,
      event_type text not null,
      ordering_key text not null,
      state text not null,
      attempts integer not null,
      next_attempt_at text not null,
      locked_until text,
      first_attempt_at text,
      last_status integer,
      last_error text,
      delivered_at text,
      created_at text not null,
      updated_at text not null
    )`,
    `create unique index webhook_deliveries_event on webhook_deliveries (endpoint_id, event_id)`,
    `create index webhook_deliveries_due on webhook_deliveries (state, next_attempt_at, event_seq)`,
    `create index webhook_deliveries_order on webhook_deliveries (endpoint_id, ordering_key, state, event_seq)`,
    `create index webhook_deliveries_list on webhook_deliveries (endpoint_id, created_at, id)`,

    `create table webhook_attempts (
      id text primary key,
      delivery_id text not null references webhook_deliveries (id) on delete cascade,
      endpoint_id text not null,
      attempt integer not null,
      status integer,
      duration_ms integer not null,
      response_snippet text,
      error text,
      at text not null
    )`,
    `create index webhook_attempts_delivery on webhook_attempts (delivery_id, at, id)`,
  ];
}
