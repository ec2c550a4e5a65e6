/** One HTTP attempt of the connector, as the request log keeps it (one entry per attempt: retries show). */
export interface ScimExchange {
  seq: number;
  /** ISO time the attempt started */
  at: string;
  /** what the connector was doing, e.g. "user.create", "group.members.add", "test.deleteUser" */
  operation: string;
  /** 1 for the first try, 2 for the first retry… */
  attempt: number;
  method: string;
  url: string;
  /** the headers sent; `authorization` shows as "Bearer [REDACTED]" */
  requestHeaders: Record<string, string>;
  /** the JSON body sent, or null */
  requestBody: unknown;
  /** null when no response came (connection refused or reset, timeout) */
  status: number | null;
  responseHeaders: Record<string, string>;
  /** parsed JSON when the response was JSON, the text otherwise, null when empty */
  responseBody: unknown;
  durationMs: number;
  /** why no response came, or null */
  error: string | null;
}

/** The connector's bounded request/response log, oldest first (for assertions). */
export class ScimRequestLog {
  readonly #entries: ScimExchange[] = [];
  #seq = 0;
  limit: number;

  constructor(limit = 1000) {
    this.limit = limit;
  }

  /** Appends one exchange (the oldest ones go beyond the limit). */
  record(entry: Omit<ScimExchange, 'seq'>): ScimExchange {
    const stored = { seq: ++this.#seq, ...entry };
    this.#entries.push(stored);
    if (this.#entries.length > this.limit) this.#entries.splice(0, this.#entries.length - this.limit);
    return stored;
  }

  /** The seq of the last recorded exchange (0 before any): pass it as `after` to see only later ones. */
  get lastSeq(): number {
    return this.#seq;
  }

  /** Exchanges after a seq (default all kept), oldest first, at most `limit` (the latest ones). */
  list(options: { after?: number; limit?: number } = {}): ScimExchange[] {
    const after = options.after ?? 0;
    const found = this.#entries.filter((e) => e.seq > after);
    return options.limit === undefined ? found : found.slice(-options.limit);
  }

  /** Forgets every entry (seq keeps counting). */
  clear(): void {
    this.#entries.length = 0;
  }
}
