import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds buckets for HTTP handling (most answers take a few ms; the tail matters). */
const HTTP_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds buckets for directory pulls (seconds to many minutes). */
const PULL_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** A point-in-time reading of the webhook outbox, taken when /metrics is scraped. */
export interface OutboxReading {
  /** events not yet turned into deliveries by the furthest-behind enabled endpoint */
  lagEvents: number;
  /** deliveries waiting to be sent (due or backing off) */
  pendingDeliveries: number;
  /** age of the oldest pending delivery, in seconds (0 when none) */
  oldestPendingSeconds: number;
}

/**
 * Every Prometheus metric of one Gatehouse process, in its own registry (several servers in one test
 * process do not collide). Callers use the typed fields; label values must come from small fixed sets
 * (README "Operations → Metrics" lists each metric and its cardinality):
 *
 * ```ts
 * gatehouse.metrics.pullDuration.observe({ provider: 'jumpcloud', result: 'ok' }, seconds);
 * gatehouse.metrics.ssoLogins.inc({ result: 'success' });
 * ```
 */
export class Metrics {
  readonly registry = new Registry();

  /** HTTP answers per route family (never the raw URL), method and status class (2xx…5xx) */
  readonly httpRequests = new Counter({
    name: 'gatehouse_http_requests_total',
    help: 'HTTP requests answered, by route family, method and status class',
    labelNames: ['family', 'method', 'status'] as const,
    registers: [this.registry],
  });

  /** HTTP handling time per route family and method */
  readonly httpDuration = new Histogram({
    name: 'gatehouse_http_request_duration_seconds',
    help: 'Time from request to response, by route family and method',
    labelNames: ['family', 'method'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  /** SCIM operations per directory (`directory` is "all" when GATEHOUSE_METRICS_PER_DIRECTORY=false) */
  readonly scimOperations = new Counter({
    name: 'gatehouse_scim_operations_total',
    help: 'Authenticated SCIM operations, by directory, resource, operation and outcome',
    labelNames: ['directory', 'resource', 'operation', 'outcome'] as const,
    registers: [this.registry],
  });

  /** requests refused with 429, by limit */
  readonly rateLimited = new Counter({
    name: 'gatehouse_rate_limited_total',
    help: 'Requests refused with 429, by limit (scim_directory, auth_failures)',
    labelNames: ['limit'] as const,
    registers: [this.registry],
  });

  /** failed authentications (bad admin key, SCIM token or metrics token) */
  readonly authFailures = new Counter({
    name: 'gatehouse_auth_failures_total',
    help: 'Requests refused for a missing or wrong credential, by API',
    labelNames: ['api'] as const,
    registers: [this.registry],
  });

  /** requests answered 503 because the database did not answer */
  readonly databaseUnavailable = new Counter({
    name: 'gatehouse_database_unavailable_total',
    help: 'Requests answered 503 because the database was unreachable or too slow',
    registers: [this.registry],
  });

  /** webhook delivery attempts by result (success = any 2xx) */
  readonly webhookAttempts = new Counter({
    name: 'gatehouse_webhook_attempts_total',
    help: 'Webhook delivery attempts, by result (success, failure)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** webhook endpoints this node disabled after failing for the whole retry window */
  readonly webhookEndpointsDisabled = new Counter({
    name: 'gatehouse_webhook_endpoints_disabled_total',
    help: 'Webhook endpoints disabled after failing for the whole retry window',
    registers: [this.registry],
  });

  /** directory pulls (JumpCloud inventory and the like): duration by provider and result (ok, error) */
  readonly pullDuration = new Histogram({
    name: 'gatehouse_pull_duration_seconds',
    help: 'Duration of periodic directory pulls, by provider and result',
    labelNames: ['provider', 'result'] as const,
    buckets: PULL_BUCKETS,
    registers: [this.registry],
  });

  /** SSO logins by result (success, failure; a small fixed set) */
  readonly ssoLogins = new Counter({
    name: 'gatehouse_sso_logins_total',
    help: 'SSO logins, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly outboxLag = new Gauge({ name: 'gatehouse_outbox_lag_events', help: 'Events not yet enqueued for the furthest-behind enabled webhook endpoint', registers: [this.registry] });
  readonly outboxPending = new Gauge({ name: 'gatehouse_outbox_pending_deliveries', help: 'Webhook deliveries waiting to be sent (due or backing off)', registers: [this.registry] });
  readonly outboxOldest = new Gauge({ name: 'gatehouse_outbox_oldest_pending_seconds', help: 'Age of the oldest pending webhook delivery', registers: [this.registry] });
  readonly databaseUp = new Gauge({ name: 'gatehouse_database_up', help: '1 when the database answered the last scrape, else 0', registers: [this.registry] });

  /** when the outbox was last read, and by which promise (a scrape reads it at most every READ_EVERY_MS) */
  #outboxReadAt = 0;
  #outboxReading: Promise<void> | undefined;

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Prometheus text for a scrape. `readOutbox` is asked at most once per `cacheMs` (default 5 s) however
   * often and from however many clients /metrics is scraped; when it fails, `gatehouse_database_up` is 0
   * and the outbox gauges keep their last values (also served when the read takes longer than 0.5 s).
   */
  async scrape(readOutbox: () => Promise<OutboxReading>, cacheMs = 5_000): Promise<string> {
    const now = Date.now();
    if (now - this.#outboxReadAt >= cacheMs) {
      this.#outboxReadAt = now;
      this.#outboxReading ??= readOutbox().then(
        (reading) => {
          this.outboxLag.set(reading.lagEvents);
          this.outboxPending.set(reading.pendingDeliveries);
          this.outboxOldest.set(reading.oldestPendingSeconds);
          this.databaseUp.set(1);
        },
        () => this.databaseUp.set(0),
      ).finally(() => {
        this.#outboxReading = undefined;
      });
    }
    // a hanging database must not hang the scrape: after 0.5 s the last values are served
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#outboxReading, new Promise<void>((resolve) => (timer = setTimeout(resolve, 500)))]);
    clearTimeout(timer);
    return this.registry.metrics();
  }
}
