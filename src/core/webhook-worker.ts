import http from 'node:http';
import https from 'node:https';
import type { WebhookConfig } from '../config.js';
import { newId } from './ids.js';
import type { Metrics } from './metrics.js';
import { presentEvent } from './events-feed.js';
import { signatureHeader } from './webhook-signature.js';
import { pendingDelivery, presentEndpoint, type Webhooks } from './webhooks.js';
import type { AttemptRow, DeliveryRow, EndpointRow } from '../store/repositories/webhooks.js';
import type { Repositories, Store } from '../store/store.js';

interface Log {
  error(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

const ENQUEUE_BATCH = 2000;
/** finished attempts are recorded in one transaction once this many are waiting … */
const RECORD_BATCH = 50;
/** … or after this long */
const RECORD_DELAY_MS = 5;
/** a claimed delivery is someone else's to retry after this long (a node died mid-delivery) */
const SNIPPET_BYTES = 1024;

/** A finished attempt waiting to be recorded. */
interface Finished {
  delivery: DeliveryRow;
  endpoint: EndpointRow;
  /** when the attempt finished (ms) */
  now: number;
  status: number | null;
  snippet: string | null;
  error: string | null;
  durationMs: number;
}

/** Retry delay after `attempts` failed attempts: exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(attempts: number, config: Pick<WebhookConfig, 'backoffBaseMs' | 'backoffMaxMs'>, random = Math.random): number {
  const exp = Math.min(config.backoffMaxMs, config.backoffBaseMs * 2 ** Math.min(Math.max(attempts - 1, 0), 40));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** keep-alive connections, reused across deliveries (node:http is much cheaper per request than fetch) */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

class TimeoutError extends Error {}

/**
 * The request went out on a reused keep-alive connection that the receiver had closed meanwhile (ECONNRESET
 * or EPIPE before any response): the receiver never saw it, so it is sent again at once on a new connection.
 */
class StaleConnectionError extends Error {
  constructor(cause: unknown) {
    super('the reused keep-alive connection was closed by the receiver', { cause });
  }
}

/**
 * POSTs `body` to `url` without following redirects; resolves with the status and the first SNIPPET_BYTES
 * of the response. The whole exchange is limited to `timeoutMs`; `stopping` aborts it.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  stopping: AbortSignal,
  fresh = false,
): Promise<{ status: number; snippet: string }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      const error = new TimeoutError(`timeout after ${timeoutMs} ms`);
      finish(() => reject(error));
      request?.destroy(error);
    }, timeoutMs);
    function finish(then: () => void): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      then();
    }
    try {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      request = (secure ? https : http).request(target, {
        method: 'POST',
        // `fresh`: a connection of its own (the retry after a stale keep-alive connection)
        agent: fresh ? false : secure ? agents.https : agents.http,
        signal: stopping,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      });
      let answered = false;
      request.on('error', (error) => {
        const code = (error as { code?: string }).code;
        const stale = !answered && request?.reusedSocket === true && (code === 'ECONNRESET' || code === 'EPIPE');
        finish(() => reject(stale ? new StaleConnectionError(error) : error));
      });
      request.on('response', (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (): void => finish(() => resolve({ status: response.statusCode ?? 0, snippet: Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8') }));
        response.on('data', (chunk: Buffer) => {
          if (size >= SNIPPET_BYTES) return;
          chunks.push(chunk);
          size += chunk.length;
          if (size >= SNIPPET_BYTES) {
            // enough: do not read (or wait for) the rest; the connection is dropped
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', (error) => finish(() => reject(error)));
        response.on('close', () => finish(() => reject(new Error('response closed early'))));
      });
      request.end(body);
    } catch (error) {
      finish(() => reject(error));
    }
  });
}

function describeError(error: unknown, timeoutMs: number): string {
  if (error instanceof TimeoutError) return `timeout after ${timeoutMs} ms`;
  if (error instanceof StaleConnectionError) return describeError(error.cause, timeoutMs);
  const e = error as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  return String(e?.code ?? e?.cause?.code ?? e?.cause?.message ?? e?.message ?? error).slice(0, 500);
}

/**
 * Delivers webhooks from the outbox. Each pass (1) enqueues: for every enabled endpoint, the events after
 * its cursor `last_enqueued_seq` that match its filters become delivery rows, and the cursor moves, in one
 * transaction; (2) claims due deliveries with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED) and sends them,
 * at most `concurrency` at a time (claiming when a quarter of the slots are free, over keep-alive node:http
 * connections). Finished attempts are recorded in batches: one transaction per RECORD_BATCH results or
 * RECORD_DELAY_MS. New events are looked for at least every poll interval, at once after `wake()` and while
 * the previous look found some. A crash loses nothing: un-enqueued events stay after the cursor, and a
 * claimed delivery stays pending (and leased, so later ones of its ordering key wait) until its attempt is
 * recorded (SQLite drops stale leases at start; a lease lapses after `leaseMs`, 60 s by default), so it is sent again with the same
 * event id.
 */
export class WebhookWorker {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  /** look for new outbox events in the next pass (else at most every pollMs) */
  private enqueueNow = true;
  private lastEnqueueAt = 0;
  private readonly inflight = new Map<string, { abort: AbortController; done: Promise<void> }>();
  /** deliveries claimed again (redelivered) while an attempt of theirs was in flight: sent when it ends */
  private readonly claimedAgain = new Map<string, DeliveryRow>();
  /** finished attempts not yet recorded (their deliveries keep their lease until then) */
  private results: Finished[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly webhooks: Webhooks,
    private readonly config: WebhookConfig,
    private log: Log = { error: () => {}, warn: () => {} },
    private readonly metrics?: Metrics,
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
    await this.flush();
  }

  /** Run a pass now, enqueueing new events first (new endpoint, redelivery, re-enabling). */
  wake(): void {
    this.enqueueNow = true;
    this.signal();
  }

  /** Run a pass now (slots free, attempts recorded); new events are looked for at least every poll interval. */
  private signal(): void {
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
        let enqueued = 0;
        const started = Date.now();
        if (this.enqueueNow || started - this.lastEnqueueAt >= this.config.pollMs) {
          this.enqueueNow = false;
          this.lastEnqueueAt = started;
          enqueued = await this.enqueue();
          if (enqueued > 0) this.enqueueNow = true;
        }
        const free = this.config.concurrency - this.inflight.size;
        let claimed = 0;
        if (free > 0 && (free >= this.claimThreshold() || this.inflight.size === 0)) {
          const rows = await this.claim(free);
          claimed = await this.dispatch(rows);
          again = claimed === free;
        }
        again = again || enqueued > 0;
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
      const rows = events.map((e) => pendingDelivery(endpoint.id, e, at));

      const last = Number(events[events.length - 1]!.seq);
      await this.store.transaction(async (tx) => {
        await tx.webhooks.insertDeliveries(rows);
        await tx.webhooks.advanceCursor(endpoint.id, last);
      });
      total += events.length;
    }
    return total;
  }

  /** claim when at least this many slots are free (fewer, larger claims) */
  private claimThreshold(): number {
    return Math.max(1, Math.floor(this.config.concurrency / 4));
  }

  private async claim(limit: number): Promise<DeliveryRow[]> {
    const now = Date.now();
    return this.store.webhooks.claimDue(new Date(now).toISOString(), new Date(now + this.config.leaseMs).toISOString(), limit);
  }

  private async dispatch(rows: DeliveryRow[]): Promise<number> {
    const endpoints = new Map<string, EndpointRow | undefined>();
    for (const row of rows) {
      if (!endpoints.has(row.endpoint_id)) endpoints.set(row.endpoint_id, await this.store.webhooks.getEndpoint(row.endpoint_id));
    }
    for (const row of rows) this.send(row, endpoints.get(row.endpoint_id));
    return rows.length;
  }

  private send(row: DeliveryRow, endpoint: EndpointRow | undefined): void {
    if (this.inflight.has(row.id)) {
      // redelivered while this node still sends it: the new claim (its lease) goes out when this attempt ends
      this.claimedAgain.set(row.id, row);
      return;
    }
    const abort = new AbortController();
    const done = this.deliver(row, endpoint, abort.signal)
      .catch((error: unknown) => this.log.error({ err: error, delivery: row.id }, 'webhooks: delivery failed'))
      .finally(() => {
        this.inflight.delete(row.id);
        const again = this.claimedAgain.get(row.id);
        if (again && this.running) {
          this.claimedAgain.delete(row.id);
          this.send(again, endpoint);
          return;
        }
        this.claimedAgain.delete(row.id);
        if (this.config.concurrency - this.inflight.size >= this.claimThreshold()) this.signal();
      });
    this.inflight.set(row.id, { abort, done });
  }

  private async deliver(delivery: DeliveryRow, endpoint: EndpointRow | undefined, stopping: AbortSignal): Promise<void> {
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
    const secrets = this.webhooks.signingSecrets(endpoint);
    const started = Date.now();
    let status: number | null = null;
    let snippet: string | null = null;
    let error: string | null = null;
    const send = (fresh: boolean) =>
      post(
        endpoint.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Gatehouse-Webhooks/1',
          'gatehouse-signature': signatureHeader(secrets, Math.floor(Date.now() / 1000), body),
          'gatehouse-event-id': event.id,
          'gatehouse-event-type': event.type,
          'gatehouse-delivery-id': delivery.id,
        },
        body,
        this.config.timeoutMs,
        stopping,
        fresh,
      );
    try {
      // a keep-alive connection the receiver closed meanwhile is no failed attempt: again at once, on a new one
      const response = await send(false).catch((e: unknown) => (e instanceof StaleConnectionError && !stopping.aborted ? send(true) : Promise.reject(e)));
      status = response.status;
      snippet = response.snippet;
    } catch (e) {
      if (stopping.aborted) {
        // shutting down: not an attempt; the delivery stays pending and goes out again
        await this.store.webhooks.releaseLease(delivery.id).catch(() => {});
        return;
      }
      error = describeError(e, this.config.timeoutMs);
    }
    this.metrics?.webhookAttempts.inc({ result: status !== null && status >= 200 && status < 300 ? 'success' : 'failure' });
    this.queueResult({ delivery, endpoint, now: Date.now(), status, snippet, error, durationMs: Date.now() - started });
  }

  /** Queues a finished attempt; recorded with others in one transaction (every RECORD_BATCH or RECORD_DELAY_MS). */
  private queueResult(result: Finished): void {
    this.results.push(result);
    if (this.results.length >= RECORD_BATCH) void this.flush();
    else this.flushTimer ??= setTimeout(() => void this.flush(), RECORD_DELAY_MS);
  }

  /** Records every queued attempt (one transaction), after any flush already running. */
  private flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const batch = this.results;
    this.results = [];
    if (batch.length === 0) return this.flushing;
    this.flushing = this.flushing
      .then(() => this.record(batch))
      .catch((error: unknown) => {
        // not recorded: the deliveries keep their lease, which lapses, and they are sent again
        this.log.error({ err: error, deliveries: batch.map((r) => r.delivery.id) }, 'webhooks: recording attempts failed');
      })
      .finally(() => this.signal());
    return this.flushing;
  }

  private async record(batch: Finished[]): Promise<void> {
    await this.store.transaction(async (tx) => {
      const attemptRows: AttemptRow[] = [];
      /** per endpoint: still exists? last result in this batch a success? */
      const exists = new Map<string, boolean>();
      const lastOk = new Map<string, boolean>();
      for (const result of batch) {
        const { delivery, endpoint, now } = result;
        // the endpoint may have been deleted meanwhile (its deliveries with it)
        let there = exists.get(endpoint.id);
        if (there === undefined) exists.set(endpoint.id, (there = (await tx.webhooks.getEndpoint(endpoint.id)) !== undefined));
        if (!there) continue;
        const ok = result.status !== null && result.status >= 200 && result.status < 300;
        const at = new Date(now).toISOString();
        const attempts = delivery.attempts + 1;
        const firstAttemptAt = delivery.first_attempt_at ?? at;
        const lastError = ok ? null : (result.error ?? `HTTP ${result.status}`);
        attemptRows.push({
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
          // only while this attempt's lease holds: a redelivery requested meanwhile stays pending
          await tx.webhooks.updateLeasedDelivery(delivery.id, delivery.locked_until, {
            state: 'delivered', attempts, locked_until: null, first_attempt_at: firstAttemptAt, delivered_at: at,
            last_status: result.status, last_error: null, updated_at: at,
          });
          if (lastOk.get(endpoint.id) !== true) await tx.webhooks.countSuccess(endpoint.id);
          lastOk.set(endpoint.id, true);
          continue;
        }
        lastOk.set(endpoint.id, false);
        await this.recordFailure(tx, result, { at, attempts, firstAttemptAt, lastError });
      }
      await tx.webhooks.insertAttempts(attemptRows);
    });
  }

  private async recordFailure(
    tx: Repositories,
    result: Finished,
    { at, attempts, firstAttemptAt, lastError }: { at: string; attempts: number; firstAttemptAt: string; lastError: string | null },
  ): Promise<void> {
    const { delivery, endpoint, now } = result;
    const expired = now - Date.parse(firstAttemptAt) >= this.config.retryWindowMs;
    await tx.webhooks.updateLeasedDelivery(delivery.id, delivery.locked_until, {
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
        this.metrics?.webhookEndpointsDisabled.inc();
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
  }
}
