import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorForStatus, JumpCloudError } from './errors.js';
import { backoffMs, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, type RetryPolicy } from './retry.js';
import { Semaphore } from './semaphore.js';

/** JumpCloud's console hosts per region (jumpcloud-wire.md §C.1). */
export const JUMPCLOUD_REGIONS = {
  us: 'https://console.jumpcloud.com',
  eu: 'https://console.eu.jumpcloud.com',
  in: 'https://console.in.jumpcloud.com',
} as const;
export type JumpCloudRegion = keyof typeof JUMPCLOUD_REGIONS;

/** How to reach one JumpCloud organization. */
export interface JumpCloudClientOptions {
  apiKey: string;
  /** a region, or any base URL (the simulator); default "us". A trailing "/api" is dropped. */
  baseUrl?: string;
  /** sent as x-org-id (required by multi-tenant keys; ignored by JumpCloud for single-tenant keys) */
  orgId?: string | null;
  /** per-attempt timeout (default 30 s) */
  timeoutMs?: number;
  /** requests in flight at most (default 16) */
  concurrency?: number;
  /** requests allowed in total, retries included (default: no limit) */
  requestBudget?: number;
  retry?: Partial<RetryPolicy>;
  /** aborts every request in flight and every wait */
  signal?: AbortSignal;
}

/** Response headers, read by name (case-insensitive). */
export interface HeaderReader {
  get(name: string): string | null;
}

/** One answer of the console API. */
export interface JumpCloudResponse {
  status: number;
  headers: HeaderReader;
  body: unknown;
}

function headerReader(headers: IncomingHttpHeaders): HeaderReader {
  return {
    get(name) {
      const value = headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** A raw answer: status, headers, body text. */
interface RawAnswer {
  status: number;
  headers: HeaderReader;
  text: string;
}

/** What a client did so far. */
export interface ClientStats {
  /** HTTP requests sent, retries included */
  requests: number;
  retries: number;
  /** answers by status ("0" = no answer: timeout or network error) */
  byStatus: Record<string, number>;
}

/** The base URL for a region name or URL: an absolute http(s) URL without a trailing slash or "/api". */
export function resolveBaseUrl(value: string | undefined): string {
  const text = (value ?? 'us').trim();
  if (text in JUMPCLOUD_REGIONS) return JUMPCLOUD_REGIONS[text as JumpCloudRegion];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new JumpCloudError('bad_request', 'the JumpCloud base URL must be "us", "eu", "in" or an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new JumpCloudError('bad_request', 'the JumpCloud base URL must be http or https');
  if (url.username !== '' || url.password !== '') throw new JumpCloudError('bad_request', 'the JumpCloud base URL must not contain credentials');
  if (url.search !== '' || url.hash !== '') throw new JumpCloudError('bad_request', 'the JumpCloud base URL must not have a query or fragment');
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api$/, '')}`;
}

/** JumpCloud's error detail: `message` of a JSON body (observed and spec shapes), else null. */
function detailOf(text: string): string | null {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    return typeof body?.message === 'string' ? body.message : null;
  } catch {
    return null;
  }
}

/**
 * A JumpCloud console API client (v1 and v2) for one organization: `x-api-key`, `x-org-id`, bounded
 * concurrency, a request budget, per-attempt timeouts, and retries of 429 (honouring Retry-After), 502,
 * 503, 504, timeouts and network errors with exponential backoff. 401 and 403 fail at once with a clear
 * message. Paging lives in paging.ts.
 */
export class JumpCloudClient {
  readonly baseUrl: string;
  readonly orgId: string | null;
  readonly stats: ClientStats = { requests: 0, retries: 0, byStatus: {} };
  readonly #apiKey: string;
  readonly #timeoutMs: number;
  readonly #budget: number;
  readonly #retry: RetryPolicy;
  readonly #slots: Semaphore;
  readonly #signal: AbortSignal | undefined;
  /** keep-alive connections, at most `concurrency` (node:http costs a fraction of fetch per request) */
  readonly #agent: HttpAgent | HttpsAgent;

  constructor(options: JumpCloudClientOptions) {
    if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new JumpCloudError('bad_request', 'a JumpCloud API key is required');
    this.#apiKey = options.apiKey.trim();
    this.baseUrl = resolveBaseUrl(options.baseUrl);
    this.orgId = options.orgId ? options.orgId.trim() : null;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#budget = options.requestBudget ?? Number.POSITIVE_INFINITY;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#slots = new Semaphore(options.concurrency ?? 16);
    this.#signal = options.signal;
    const agentOptions = { keepAlive: true, maxSockets: this.#slots.limit, maxFreeSockets: this.#slots.limit };
    this.#agent = this.baseUrl.startsWith('https:') ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.#agent.destroy();
  }

  /** One HTTP GET with the per-attempt timeout and the client's abort signal. */
  #send(url: URL, headers: Record<string, string>): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      let settled = false;
      const finish = (error: Error | null, answer?: RawAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.#signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve(answer!);
      };
      const req = send(url, { method: 'GET', headers, agent: this.#agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish(null, { status: res.statusCode ?? 0, headers: headerReader(res.headers), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => finish(error));
      });
      const timer = setTimeout(() => {
        const error = Object.assign(new Error('timeout'), { code: 'TIMEOUT' });
        req.destroy(error);
        finish(error);
      }, this.#timeoutMs);
      const onAbort = () => {
        const error = Object.assign(new Error('aborted'), { code: 'ABORTED' });
        req.destroy(error);
        finish(error);
      };
      this.#signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => finish(error));
      req.end();
    });
  }

  /** requests in flight at most */
  get concurrency(): number {
    return this.#slots.limit;
  }

  /**
   * GET `path` (e.g. "/api/systemusers") with the query; retried as described above; a non-2xx answer that
   * is not retried, or still failing after the retries, throws a JumpCloudError.
   */
  async get(path: string, query: Record<string, string | number | string[]> = {}, options: { providerLevel?: boolean } = {}): Promise<JumpCloudResponse> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, String(v));
    }
    const headers: Record<string, string> = { 'x-api-key': this.#apiKey, accept: 'application/json' };
    // provider-level routes (the organizations an MTP key reaches) take no x-org-id
    if (this.orgId !== null && !options.providerLevel) headers['x-org-id'] = this.orgId;
    for (let retry = 0; ; retry++) {
      this.#checkAbort(path);
      const outcome = await this.#slots.run(() => this.#attempt(url, headers, path));
      if ('response' in outcome) return outcome.response;
      if (retry >= this.#retry.maxRetries || !outcome.retryable) throw outcome.error;
      this.stats.retries++;
      await this.#wait(backoffMs(this.#retry, retry + 1, outcome.retryAfter), path);
    }
  }

  async #attempt(url: URL, headers: Record<string, string>, path: string): Promise<{ response: JumpCloudResponse } | { error: JumpCloudError; retryable: boolean; retryAfter: number | null }> {
    this.#checkAbort(path);
    if (this.stats.requests >= this.#budget) throw new JumpCloudError('budget_exhausted', `the request budget of ${this.#budget} JumpCloud requests is spent (at ${path})`, null, path);
    this.stats.requests++;
    let response: RawAnswer;
    try {
      response = await this.#send(url, headers);
    } catch (error) {
      this.#count(0);
      this.#checkAbort(path);
      if ((error as { code?: string }).code === 'TIMEOUT') return { error: new JumpCloudError('timeout', `JumpCloud did not answer ${path} within ${this.#timeoutMs} ms`, null, path), retryable: true, retryAfter: null };
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      return { error: new JumpCloudError('network', `could not reach JumpCloud at ${this.baseUrl} (${reason})`, null, path), retryable: true, retryAfter: null };
    }
    this.#count(response.status);
    if (response.status >= 200 && response.status < 300) {
      let body: unknown = null;
      if (response.text !== '') {
        try {
          body = JSON.parse(response.text);
        } catch {
          throw new JumpCloudError('invalid_response', `JumpCloud answered ${path} with a body that is not JSON`, response.status, path);
        }
      }
      return { response: { status: response.status, headers: response.headers, body } };
    }
    const error = errorForStatus(response.status, path, detailOf(response.text), this.orgId !== null);
    return { error, retryable: isRetryableStatus(response.status), retryAfter: retryAfterMs(response.headers.get('retry-after')) };
  }

  #count(status: number): void {
    const key = String(status);
    this.stats.byStatus[key] = (this.stats.byStatus[key] ?? 0) + 1;
  }

  #checkAbort(path: string): void {
    if (this.#signal?.aborted) throw new JumpCloudError('cancelled', 'the pull was cancelled', null, path);
  }

  async #wait(ms: number, path: string): Promise<void> {
    try {
      await sleep(ms, undefined, this.#signal ? { signal: this.#signal } : undefined);
    } catch {
      this.#checkAbort(path);
    }
  }
}
