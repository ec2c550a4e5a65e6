import type { WebhookConfig } from '../config.js';
import { newId } from './ids.js';
import { presentEvent } from './events-feed.js';
import { signatureHeader } from './webhook-signature.js';
import { orderingKey, presentEndpoint, type Webhooks } from './webhooks.js';
import type { DeliveryRow, EndpointRow } from '../store/repositories/webhooks.js';
import type { Store } from '../store/store.js';

interface Log {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

const ENQUEUE_BATCH = 500;
/** a claimed delivery is someone else's to retry after this long (a node died mid-delivery) */
const LEASE_MS = 60_000;
const SNIPPET_BYTES = 1024;

/** Retry delay after `attempts` failed attempts: exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(attempts: number, config: Pick<WebhookConfig, 'backoffBaseMs' | 'backoffMaxMs'>, random = Math.random): number {
  const exp = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return Math.round(exp / 2 + (exp / 2) * random());
}

async function readSnippet(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    void reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
}

function describeError(error: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout after ${timeoutMs} ms`;
  const e = error as { cause?: { code?: string; message?: string }; message?: string };
  return String(e?.cause?.code ?? e?.cause?.message ?? e?.message ?? error).slice(0, 500);
}

/**
 * Delivers webhooks from the outbox. Each pass (1) enqueues: for every enabled endpoint, the events after
 * its cursor `last_enqueued_seq` that match its filters become delivery rows, and the cursor moves, in one
 * transaction; (2) claims due deliveries with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED) and sends them,
 * at most `concurrency` at a time. A crash loses nothing: un-enqueued events stay after the cursor, and a
 * claimed delivery stays pending until its attempt is recorded (SQLite drops stale leases at start; on
 * PostgreSQL a lease lapses after 60 s), so it is sent again with the same event id.
 */
export class WebhookWorker {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly inflight = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(
    private readonly store: Store,
    private readonly webhooks: Webhooks,
    private readonly config: WebhookConfig,
    private log: Log = { error: () => {}, warn: () => {} },
  ) {}

  start(log?: Log): void {
    if (this.running) return;
    if (log) this.log = log;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Ends the loop and aborts what is in flight (those deliveries stay pending and are sent again). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loopDone;
    for (const { abort } of this.inflight.values()) abort.abort();
    await Promise.allSettled([...this.inflight.values()].map((f) => f.done));
  }

  /** Run a pass now (new endpoint, redelivery, a finished delivery). */
  wake(): void {
    const w = this.wakeUp;
    this.wakeUp = undefined;
    if (w) w();
    else this.woken = true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async loop(): Promise<void> {
    if (this.store.dialect === 'sqlite') {
      try {
        await this.store.webhooks.releaseAllLeases();
      } catch (error) {
        this.log.error({ err: error }, 'webhooks: releasing leases failed');
      }
    }
    while (this.running) {
      let again = false;
      this.woken = false;
      try {
        const enqueued = await this.enqueue();
        const free = this.config.concurrency - this.inflight.size;
        let claimed = 0;
        if (free > 0) claimed = this.dispatch(await this.claim(free));
        again = enqueued > 0 || (claimed > 0 && this.inflight.size < this.config.concurrency);
      } catch (error) {
        if (this.running) this.log.error({ err: error }, 'webhooks: pass failed');
      }
      if (!this.running) break;
      if (again) await new Promise((r) => setImmediate(r));
      else await this.sleep(this.config.pollMs);
    }
  }

  /** Turns new outbox events into delivery rows; returns how many events were considered. */
  async enqueue(): Promise<number> {
    let total = 0;
    for (const endpoint of await this.store.webhooks.enabledEndpoints()) {
      const types = endpoint.event_types === null ? null : (JSON.parse(endpoint.event_types) as string[]);
      const events = await this.store.webhooks.eventsAfter(Number(endpoint.last_enqueued_seq), { organizationId: endpoint.organization_id, types }, ENQUEUE_BATCH);
      if (events.length === 0) continue;
      const at = new Date().toISOString();
      const rows: DeliveryRow[] = events.map((e) => ({
        id: newId('whd'),
        endpoint_id: endpoint.id,
        event_id: e.id,
        event_seq: Number(e.seq),
        event_type: e.type,
        ordering_key: orderingKey(e),
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
      }));
      const last = Number(events[events.length - 1]!.seq);
      await this.store.transaction(async (tx) => {
        await tx.webhooks.insertDeliveries(rows);
        await tx.webhooks.advanceCursor(endpoint.id, last);
      });
      total += events.length;
    }
    return total;
  }

  private async claim(limit: number): Promise<DeliveryRow[]> {
    const now = Date.now();
    return this.store.webhooks.claimDue(new Date(now).toISOString(), new Date(now + LEASE_MS).toISOString(), limit);
  }

  private dispatch(rows: DeliveryRow[]): number {
    for (const row of rows) {
      if (this.inflight.has(row.id)) continue;
      const abort = new AbortController();
      const done = this.deliver(row, abort.signal)
        .catch((error: unknown) => this.log.error({ err: error, delivery: row.id }, 'webhooks: delivery failed'))
        .finally(() => {
          this.inflight.delete(row.id);
          this.wake();
        });
      this.inflight.set(row.id, { abort, done });
    }
    return rows.length;
  }

  private async deliver(delivery: DeliveryRow, stopping: AbortSignal): Promise<void> {
    const endpoint = await this.store.webhooks.getEndpoint(delivery.endpoint_id);
    if (!endpoint || endpoint.state !== 'enabled') {
      if (endpoint) await this.store.webhooks.releaseLease(delivery.id);
      return;
    }
    const event = await this.store.events.get(delivery.event_id);
    if (!event) {
      const at = new Date().toISOString();
      await this.store.webhooks.updateDelivery(delivery.id, { state: 'failed', locked_until: null, last_error: 'the event no longer exists (retention)', updated_at: at });
      return;
    }
    const body = JSON.stringify(presentEvent(event));
    const secret = this.webhooks.openSecret(endpoint);
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    const signal = AbortSignal.any([timeout, stopping]);
    const started = Date.now();
    let status: number | null = null;
    let snippet: string | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Gatehouse-Webhooks/1',
          'gatehouse-signature': signatureHeader(secret, Math.floor(Date.now() / 1000), body),
          'gatehouse-event-id': event.id,
          'gatehouse-event-type': event.type,
          'gatehouse-delivery-id': delivery.id,
        },
        body,
      });
      status = response.status;
      snippet = await readSnippet(response.body);
    } catch (e) {
      if (stopping.aborted) {
        // shutting down: not an attempt; the delivery stays pending and goes out again
        await this.store.webhooks.releaseLease(delivery.id).catch(() => {});
        return;
      }
      error = describeError(e, timeout.aborted, this.config.timeoutMs);
    }
    await this.record(delivery, endpoint, { status, snippet, error, durationMs: Date.now() - started });
  }

  private async record(
    delivery: DeliveryRow,
    endpoint: EndpointRow,
    result: { status: number | null; snippet: string | null; error: string | null; durationMs: number },
  ): Promise<void> {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const now = Date.now();
    const at = new Date(now).toISOString();
    const attempts = delivery.attempts + 1;
    const firstAttemptAt = delivery.first_attempt_at ?? at;
    const lastError = ok ? null : (result.error ?? `HTTP ${result.status}`);
    await this.store.transaction(async (tx) => {
      // the endpoint may have been deleted meanwhile (its deliveries with it)
      if (!(await tx.webhooks.getEndpoint(endpoint.id))) return;
      await tx.webhooks.insertAttempt({
        id: newId('wha'),
        delivery_id: delivery.id,
        endpoint_id: endpoint.id,
        attempt: attempts,
        status: result.status,
        duration_ms: result.durationMs,
        response_snippet: result.snippet,
        error: result.error,
        at,
      });
      if (ok) {
        await tx.webhooks.updateDelivery(delivery.id, {
          state: 'delivered', attempts, locked_until: null, first_attempt_at: firstAttemptAt, delivered_at: at,
          last_status: result.status, last_error: null, updated_at: at,
        });
        await tx.webhooks.countSuccess(endpoint.id);
        return;
      }
      const expired = now - Date.parse(firstAttemptAt) >= this.config.retryWindowMs;
      await tx.webhooks.updateDelivery(delivery.id, {
        state: expired ? 'failed' : 'pending',
        attempts,
        locked_until: null,
        first_attempt_at: firstAttemptAt,
        next_attempt_at: new Date(now + backoffDelay(attempts, this.config)).toISOString(),
        last_status: result.status,
        last_error: lastError,
        updated_at: at,
      });
      const counted = await tx.webhooks.countFailure(endpoint.id, at);
      if (
        counted &&
        counted.state === 'enabled' &&
        counted.consecutive_failures >= this.config.disableAfterFailures &&
        counted.failing_since !== null &&
        now - Date.parse(counted.failing_since) >= this.config.retryWindowMs
      ) {
        const reason = `every delivery failed for ${Math.round((now - Date.parse(counted.failing_since)) / 1000)} s (${counted.consecutive_failures} attempts in a row; last: ${lastError})`;
        if (await tx.webhooks.disableIfEnabled(endpoint.id, reason, at)) {
          const disabled = presentEndpoint({ ...counted, state: 'disabled', disabled_reason: reason, updated_at: at });
          await tx.events.append([
            {
              id: newId('evt'),
              type: 'webhook.endpoint_disabled',
              organizationId: counted.organization_id,
              directoryId: null,
              occurredAt: at,
              data: { ...disabled },
              previous: { state: 'enabled' },
            },
          ]);
        }
      }
    });
  }
}
