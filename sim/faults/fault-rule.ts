/**
 * A fault rule of the console API. Without `apiKey` a rule is global; `path` limits it to requests whose
 * path starts with it or whose route pattern equals it (e.g. "/api/v2/users/:id/memberof"); `method`
 * limits it to one method.
 */
export type FaultRule = StatusFault | LatencyFault | RateLimitFault;

/** What every rule can be limited to. */
export interface FaultScope {
  id: string;
  apiKey?: string;
  path?: string;
  method?: string;
}

/**
 * Answer matching requests with `status` instead of serving them (429, 502, 503, or any 4xx/5xx).
 * `retryAfter` (seconds) adds a Retry-After header; leave it out (or null) for none. `times` stops the rule
 * after that many faults (then it is removed); `every` faults only every Nth matching request (1: all).
 * `body` replaces the default body (429: a JSON error; 502/503: nginx's HTML page).
 */
export interface StatusFault extends FaultScope {
  kind: 'status';
  status: number;
  retryAfter?: number | null;
  times?: number;
  every?: number;
  body?: unknown;
}

/** Delays matching requests by `ms` (delays of several matching rules add up). */
export interface LatencyFault extends FaultScope {
  kind: 'latency';
  ms: number;
}

/**
 * A token bucket: at most `perSecond` requests a second (bursts up to `burst`, default perSecond); above
 * it → 429 with `Retry-After` (whole seconds until the next token) unless `retryAfter` is false. Each API
 * key has its own bucket, unless `shared` is true (one bucket for all requests the rule matches).
 */
export interface RateLimitFault extends FaultScope {
  kind: 'rateLimit';
  perSecond: number;
  burst?: number;
  retryAfter?: boolean;
  shared?: boolean;
}

/** A rule as given, before it gets an id. */
export type FaultRuleInput = (Omit<StatusFault, 'id'> | Omit<LatencyFault, 'id'> | Omit<RateLimitFault, 'id'>) & { id?: string };

function positive(value: unknown, what: string, allowZero = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) throw new Error(`${what} must be a ${allowZero ? 'non-negative' : 'positive'} number`);
}

/** Checks a rule from the control API or a test; throws with the reason. */
export function checkFaultRule(input: unknown): FaultRuleInput {
  if (!input || typeof input !== 'object') throw new Error('a fault rule must be an object');
  const rule = input as Record<string, unknown>;
  for (const key of ['apiKey', 'path', 'method', 'id'] as const) if (rule[key] !== undefined && typeof rule[key] !== 'string') throw new Error(`${key} must be a string`);
  switch (rule.kind) {
    case 'status':
      if (typeof rule.status !== 'number' || !Number.isInteger(rule.status) || rule.status < 400 || rule.status > 599) throw new Error('status must be an HTTP error status (400-599)');
      if (rule.retryAfter !== undefined && rule.retryAfter !== null) positive(rule.retryAfter, 'retryAfter', true);
      if (rule.times !== undefined) positive(rule.times, 'times');
      if (rule.every !== undefined) positive(rule.every, 'every');
      break;
    case 'latency':
      positive(rule.ms, 'ms', true);
      break;
    case 'rateLimit':
      positive(rule.perSecond, 'perSecond');
      if (rule.burst !== undefined) positive(rule.burst, 'burst');
      break;
    default:
      throw new Error('kind must be "status", "latency" or "rateLimit"');
  }
  return rule as unknown as FaultRuleInput;
}
