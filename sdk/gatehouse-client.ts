/**
 * A small client of Gatehouse's admin API for host apps: iterate the event log, read directories' users
 * (with their roles) and groups. No dependency on Gatehouse itself (only `fetch`): copy this file, or import it.
 *
 *   const gatehouse = new GatehouseClient({ baseUrl: 'https://gatehouse.internal', adminKey: process.env.GATEHOUSE_ADMIN_KEY! });
 *   for await (const event of gatehouse.events({ after: lastSeenId, types: ['user.created', 'user.deactivated'] })) {
 *     await apply(event);            // deliveries are ordered; remember event.id to resume after a restart
 *   }
 *   for await (const user of gatehouse.users(directoryId, { state: 'active' })) console.log(user.email, user.roles);
 */

export interface GatehouseClientOptions {
  /** Gatehouse's base URL (its PUBLIC_URL) */
  baseUrl: string;
  /** the admin API key */
  adminKey: string;
  /** page size for list calls (1–500, default 100) */
  pageSize?: number;
  /** a fetch implementation (default: the global one) */
  fetch?: typeof fetch;
}

export interface DirectoryUser {
  id: string;
  directoryId: string;
  externalId: string | null;
  userName: string;
  email: string | null;
  emails: string[];
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  /** `deleted`: soft-deleted by the directory (listed only with `state: 'deleted'`) */
  state: 'active' | 'inactive' | 'deleted';
  groups: { id: string; name: string }[];
  roles: string[];
  raw: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface DirectoryGroup {
  id: string;
  directoryId: string;
  externalId: string | null;
  name: string;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface GatehouseEvent {
  id: string;
  type: string;
  organizationId: string | null;
  directoryId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

export interface EventQuery {
  /** continue strictly after this event id */
  after?: string;
  types?: string[];
  organization?: string;
  directory?: string;
  /**
   * keep waiting for new events once the log is read to its end, polling every `pollMs` (default: stop at
   * the end); stop with `signal`
   */
  follow?: boolean;
  pollMs?: number;
  signal?: AbortSignal;
}

/** An answer of the admin API that is not a success, with its documented error code. */
export class GatehouseApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GatehouseApiError';
  }
}

interface Page<T> {
  data: T[];
  next: string | null;
}

export class GatehouseClient {
  private readonly baseUrl: string;
  private readonly pageSize: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: GatehouseClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pageSize = Math.min(500, Math.max(1, options.pageSize ?? 100));
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** The event log, oldest first; with `follow`, an endless stream of new events as they commit. */
  async *events(query: EventQuery = {}): AsyncGenerator<GatehouseEvent> {
    let after = query.after;
    for (;;) {
      const page = await this.get<Page<GatehouseEvent>>('/api/events', {
        limit: String(this.pageSize),
        ...(after !== undefined ? { after } : {}),
        ...(query.types && query.types.length > 0 ? { type: query.types.join(',') } : {}),
        ...(query.organization !== undefined ? { organization: query.organization } : {}),
        ...(query.directory !== undefined ? { directory: query.directory } : {}),
      }, query.signal);
      for (const event of page.data) {
        yield event;
        after = event.id;
      }
      if (page.next !== null) continue;
      if (!query.follow) return;
      await sleep(query.pollMs ?? 1000, query.signal);
      if (query.signal?.aborted) return;
    }
  }

  /** Every user of a directory (optionally only active, inactive or soft-deleted ones), each with its groups and roles. */
  users(directoryId: string, filter: { state?: 'active' | 'inactive' | 'deleted'; search?: string } = {}): AsyncGenerator<DirectoryUser> {
    return this.pages<DirectoryUser>(`/api/directories/${encodeURIComponent(directoryId)}/users`, {
      ...(filter.state ? { state: filter.state } : {}),
      ...(filter.search ? { search: filter.search } : {}),
    });
  }

  user(directoryId: string, userId: string): Promise<DirectoryUser> {
    return this.get(`/api/directories/${encodeURIComponent(directoryId)}/users/${encodeURIComponent(userId)}`);
  }

  groups(directoryId: string): AsyncGenerator<DirectoryGroup> {
    return this.pages<DirectoryGroup>(`/api/directories/${encodeURIComponent(directoryId)}/groups`, {});
  }

  members(directoryId: string, groupId: string): AsyncGenerator<DirectoryUser> {
    return this.pages<DirectoryUser>(`/api/directories/${encodeURIComponent(directoryId)}/groups/${encodeURIComponent(groupId)}/members`, {});
  }

  private async *pages<T>(path: string, params: Record<string, string>): AsyncGenerator<T> {
    let cursor: string | null = null;
    do {
      const page: Page<T> = await this.get<Page<T>>(path, { ...params, limit: String(this.pageSize), ...(cursor ? { cursor } : {}) });
      yield* page.data;
      cursor = page.next;
    } while (cursor);
  }

  private async get<T>(path: string, params: Record<string, string> = {}, signal?: AbortSignal): Promise<T> {
    const query = new URLSearchParams(params).toString();
    const response = await this.fetch(`${this.baseUrl}${path}${query ? `?${query}` : ''}`, {
      headers: { authorization: `Bearer ${this.options.adminKey}`, accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new GatehouseApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`);
    }
    return body as T;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
