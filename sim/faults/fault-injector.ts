import { checkFaultRule, type FaultRule, type FaultRuleInput, type RateLimitFault, type StatusFault } from './fault-rule.js';
import { RequestStats } from './request-stats.js';

/** The request facts a rule is matched against. */
export interface FaultRequest {
  method: string;
  path: string;
  /** the route pattern, e.g. "/api/systemusers/:id" ("" when no route matched) */
  route: string;
  apiKey: string | null;
}

/** What the injector decided for a request. */
export interface FaultDecision {
  delayMs: number;
  /** answer this instead of serving the request (null: serve it) */
  fault: { kind: 'status' | 'rateLimit'; status: number; retryAfter: number | null; body: unknown } | null;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

function matches(rule: FaultRule, request: FaultRequest): boolean {
  if (rule.apiKey !== undefined && rule.apiKey !== request.apiKey) return false;
  if (rule.method !== undefined && rule.method.toUpperCase() !== request.method) return false;
  if (rule.path !== undefined && !request.path.startsWith(rule.path) && rule.path !== request.route) return false;
  return true;
}

/**
 * The fault injection of the console API: status faults (429 with or without Retry-After, 502, 503…),
 * added latency, and request-rate limits, global or per API key, plus the per-route request counters.
 * Settable from tests (this object) and over HTTP (`/sim/faults`).
 */
export class FaultInjector {
  readonly stats: RequestStats;
  readonly #rules: FaultRule[] = [];
  readonly #matchCounts = new Map<string, number>();
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;
  #nextId = 1;

  constructor(options: { now?: () => number; logLimit?: number } = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.stats = new RequestStats(options.logLimit);
  }

  /** Adds a rule (validated); returns it with its id. */
  add(input: FaultRuleInput): FaultRule {
    checkFaultRule(input);
    const rule = { ...input, id: input.id ?? `fault-${this.#nextId++}` } as FaultRule;
    this.remove(rule.id);
    this.#rules.push(rule);
    return rule;
  }

  /** Answers matching requests with a status (see StatusFault). */
  failWith(status: number, options: Omit<StatusFault, 'id' | 'kind' | 'status'> = {}): FaultRule {
    return this.add({ kind: 'status', status, ...options });
  }

  /** Delays matching requests. */
  addLatency(ms: number, options: { apiKey?: string; path?: string; method?: string } = {}): FaultRule {
    return this.add({ kind: 'latency', ms, ...options });
  }

  /** Limits matching requests to `perSecond` (see RateLimitFault). */
  rateLimit(perSecond: number, options: Omit<RateLimitFault, 'id' | 'kind' | 'perSecond'> = {}): FaultRule {
    return this.add({ kind: 'rateLimit', perSecond, ...options });
  }

  /** Removes a rule; false when there is none with this id. */
  remove(id: string): boolean {
    const i = this.#rules.findIndex((r) => r.id === id);
    if (i < 0) return false;
    this.#rules.splice(i, 1);
    this.#matchCounts.delete(id);
    for (const key of [...this.#buckets.keys()]) if (key.startsWith(`${id}|`)) this.#buckets.delete(key);
    return true;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules.length = 0;
    this.#matchCounts.clear();
    this.#buckets.clear();
  }

  /** The active rules. */
  list(): FaultRule[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  /** Decides the added latency and any fault for one request (and consumes tokens and `times`). */
  decide(request: FaultRequest): FaultDecision {
    let delayMs = 0;
    for (const rule of this.#rules) if (rule.kind === 'latency' && matches(rule, request)) delayMs += rule.ms;
    for (const rule of this.#rules) {
      if (rule.kind !== 'rateLimit' || !matches(rule, request)) continue;
      const wait = this.#take(rule, request.apiKey);
      if (wait > 0) return { delayMs, fault: { kind: 'rateLimit', status: 429, retryAfter: rule.retryAfter === false ? null : Math.max(1, Math.ceil(wait / 1000)), body: undefined } };
    }
    for (const rule of [...this.#rules]) {
      if (rule.kind !== 'status' || !matches(rule, request)) continue;
      const n = (this.#matchCounts.get(rule.id) ?? 0) + 1;
      this.#matchCounts.set(rule.id, n);
      if (n % (rule.every ?? 1) !== 0) continue;
      if (rule.times !== undefined) {
        rule.times -= 1;
        if (rule.times <= 0) this.remove(rule.id);
      }
      return { delayMs, fault: { kind: 'status', status: rule.status, retryAfter: rule.retryAfter ?? null, body: rule.body } };
    }
    return { delayMs, fault: null };
  }

  /** Takes a token; returns 0 when allowed, else the milliseconds until the next token. */
  #take(rule: RateLimitFault, apiKey: string | null): number {
    const key = `${rule.id}|${rule.shared ? '*' : (apiKey ?? '')}`;
    const capacity = rule.burst ?? rule.perSecond;
    const now = this.#now();
    let bucket = this.#buckets.get(key);
    if (!bucket) this.#buckets.set(key, (bucket = { tokens: capacity, updatedMs: now }));
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.updatedMs) / 1000) * rule.perSecond);
    bucket.updatedMs = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return ((1 - bucket.tokens) / rule.perSecond) * 1000;
  }
}
