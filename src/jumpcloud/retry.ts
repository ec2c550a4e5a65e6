/** Retry policy of the JumpCloud client: which failures are retried, and how long to wait. */
export interface RetryPolicy {
  /** retries after the first attempt (default 5) */
  maxRetries: number;
  /** first backoff; doubles per retry (default 500 ms) */
  baseDelayMs: number;
  /** largest backoff, and the largest Retry-After honoured (default 30 s) */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Statuses worth another try: rate limiting and a gateway or service that is briefly unavailable. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 502 || status === 503 || status === 504;
}

/**
 * Reads Retry-After: delta-seconds or an HTTP date; null when absent or unreadable. Never negative.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (1-based): Retry-After when the server sent one (capped), else an
 * exponential backoff `base · 2^(retry−1)` with full jitter in its upper half, capped.
 */
export function backoffMs(policy: RetryPolicy, retry: number, retryAfter: number | null, random = Math.random): number {
  if (retryAfter !== null) return Math.min(retryAfter, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
