/** One served console request, as the request log keeps it. */
export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  url: string;
  /** "GET /api/systemusers/:id"; "(unmatched)" for unknown paths */
  route: string;
  status: number;
  ms: number;
  /** the first 6 characters of the x-api-key, or null */
  apiKey: string | null;
  orgId: string | null;
  /** the fault that answered instead of the route, if any */
  fault: 'status' | 'rateLimit' | null;
  latencyMs: number;
}

/** Requests served per route, with the statuses answered. */
export interface RouteStats {
  count: number;
  statuses: Record<string, number>;
}

/** Per-route counters and a bounded request log (for tests and benchmarks). */
export class RequestStats {
  readonly #routes = new Map<string, RouteStats>();
  readonly #log: RequestLogEntry[] = [];
  readonly #logLimit: number;
  #seq = 0;
  #total = 0;

  constructor(logLimit = 1000) {
    this.#logLimit = logLimit;
  }

  /** Counts one answered request. */
  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.#total++;
    let stats = this.#routes.get(entry.route);
    if (!stats) this.#routes.set(entry.route, (stats = { count: 0, statuses: {} }));
    stats.count++;
    stats.statuses[entry.status] = (stats.statuses[entry.status] ?? 0) + 1;
    this.#log.push({ seq: ++this.#seq, ...entry });
    if (this.#log.length > this.#logLimit) this.#log.splice(0, this.#log.length - this.#logLimit);
  }

  /** Total requests and the counters per route. */
  snapshot(): { total: number; routes: Record<string, RouteStats> } {
    const routes: Record<string, RouteStats> = {};
    for (const [route, stats] of this.#routes) routes[route] = { count: stats.count, statuses: { ...stats.statuses } };
    return { total: this.#total, routes };
  }

  /** How many requests a route ("GET /api/systemusers") has served. */
  count(route: string): number {
    return this.#routes.get(route)?.count ?? 0;
  }

  /** The last logged requests, oldest first (at most `limit`). */
  requests(limit = this.#logLimit): RequestLogEntry[] {
    return this.#log.slice(-limit);
  }

  /** Forgets counters and log. */
  reset(): void {
    this.#routes.clear();
    this.#log.length = 0;
    this.#total = 0;
  }
}
