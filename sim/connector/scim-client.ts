import type { ScimRequestLog } from './request-log.js';
import type { ConnectorSettings, RetryPolicy } from './settings.js';

/** A response the service provider gave (after retries). */
export interface ScimResponse {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON, else the text, else null */
  body: unknown;
}

/** No response came after every retry (refused, reset, timed out), or the connector was stopped. */
export class ScimTransportError extends Error {
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, message: string) {
    super(`${method} ${url}: ${message}`);
    this.name = 'ScimTransportError';
    this.method = method;
    this.url = url;
  }
}

function retryable(policy: RetryPolicy, status: number | null): boolean {
  if (status === null) return policy.retryOn.includes('network');
  return policy.retryOn.includes(status) || (status >= 500 && status <= 599 && policy.retryOn.includes('5xx'));
}

/** Retry-After in ms (delta-seconds or an HTTP date), or null. */
function retryAfterMs(value: string | undefined): number | null {
  if (value === undefined || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The connector's HTTP side: `Authorization: Bearer <token>`, the configured Content-Type / Accept /
 * User-Agent, a timeout per attempt, retries per the policy, and one request-log entry per attempt (the
 * token redacted). Statuses are returned, never thrown: the caller decides what a 404 or 409 means.
 */
export class ScimClient {
  readonly #settings: () => ConnectorSettings;
  readonly #log: ScimRequestLog;
  readonly #stop = new AbortController();

  constructor(settings: () => ConnectorSettings, log: ScimRequestLog) {
    this.#settings = settings;
    this.#log = log;
  }

  /** Aborts the request in flight and every later one (used when the simulator stops). */
  stop(): void {
    this.#stop.abort();
  }

  /** Sends one SCIM request (`path` is relative to the base URL, query included), retrying per policy. */
  async request(operation: string, method: string, path: string, body?: unknown): Promise<ScimResponse> {
    const settings = this.#settings();
    const url = `${settings.baseUrl}${path}`;
    const headers: Record<string, string> = { accept: settings.accept, 'user-agent': settings.userAgent, authorization: `Bearer ${settings.token}` };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = settings.contentType;
    const logged = { ...headers, authorization: 'Bearer [REDACTED]' };
    const policy = settings.retry;
    for (let attempt = 1; ; attempt++) {
      if (this.#stop.signal.aborted) throw new ScimTransportError(method, url, 'the connector was stopped');
      const at = new Date();
      const started = performance.now();
      let status: number | null = null;
      let responseHeaders: Record<string, string> = {};
      let responseBody: unknown = null;
      let error: string | null = null;
      try {
        const response = await fetch(url, {
          method,
          headers,
          ...(payload !== undefined ? { body: payload } : {}),
          signal: AbortSignal.any([this.#stop.signal, AbortSignal.timeout(settings.timeoutMs)]),
        });
        status = response.status;
        response.headers.forEach((value, name) => {
          responseHeaders[name] = value;
        });
        responseBody = parseBody(await response.text());
      } catch (caught) {
        const cause = (caught as { cause?: { code?: string; message?: string } }).cause;
        error = (caught as Error).name === 'TimeoutError' ? `timed out after ${settings.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (caught as Error).message);
      }
      this.#log.record({
        at: at.toISOString(),
        operation,
        attempt,
        method,
        url,
        requestHeaders: logged,
        requestBody: body ?? null,
        status,
        responseHeaders,
        responseBody,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        error,
      });
      if (attempt <= policy.retries && retryable(policy, status) && !this.#stop.signal.aborted) {
        const hinted = policy.respectRetryAfter ? retryAfterMs(responseHeaders['retry-after']) : null;
        await sleep(hinted !== null ? Math.min(hinted, policy.maxRetryAfterMs) : policy.backoffMs * attempt, this.#stop.signal);
        continue;
      }
      if (status === null) throw new ScimTransportError(method, url, error ?? 'no response');
      return { status, headers: responseHeaders, body: responseBody };
    }
  }
}
