/** A tiny recording SCIM 2.0 service provider for the connector tests (not a test file). */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Rec = Record<string, any>;

/** One request the stub received. */
export interface StubRequest {
  method: string;
  /** path without the query, relative to the SCIM root ("/Users/abc") */
  path: string;
  filter: string | null;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A canned answer that replaces the next matching requests. */
interface Fault {
  status: number | 'drop';
  headers: Record<string, string>;
  times: number;
  method?: string;
  path?: RegExp;
}

/**
 * In-memory users and groups at `${url}` (the SCIM root), bearer `token`. Filters: `<attr> eq "<value>"`
 * on userName (case-insensitive), externalId, displayName. Group PATCH supports members add/remove by value
 * array and replace displayName; user PATCH replaces simple and dotted paths. Every request is kept in
 * `requests`; `fail()` queues faults; `deleteUsers: false` answers 405 to DELETE /Users.
 */
export class ScimStub {
  readonly users = new Map<string, Rec>();
  readonly groups = new Map<string, Rec & { members: Set<string> }>();
  readonly requests: StubRequest[] = [];
  deleteUsers = true;
  token = 'stub-token';
  url = '';
  readonly #faults: Fault[] = [];
  #server: Server | undefined;

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/scim/v2`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  /** Answers the next `times` matching requests with `status` ('drop': destroy the connection). */
  fail(status: number | 'drop', options: { times?: number; headers?: Record<string, string>; method?: string; path?: RegExp } = {}): void {
    this.#faults.push({ status, headers: options.headers ?? {}, times: options.times ?? 1, ...(options.method ? { method: options.method } : {}), ...(options.path ? { path: options.path } : {}) });
  }

  /** Forgets recorded requests. */
  reset(): void {
    this.requests.length = 0;
  }

  /** "POST /Users" style summaries of the recorded requests (ids as ":id"). */
  summary(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path.replace(/^\/(Users|Groups)\/[^/]+/, '/$1/:id')}${r.filter ? `?filter=${r.filter}` : ''}`);
  }

  /** Adds a user directly (as if it existed before JumpCloud). */
  seedUser(resource: Rec): Rec {
    const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], active: true, ...resource, id: resource.id ?? randomUUID() };
    this.users.set(user.id, user);
    return user;
  }

  /** Adds a group directly. */
  seedGroup(displayName: string, memberIds: string[] = []): Rec {
    const group = { id: randomUUID(), displayName, members: new Set(memberIds) };
    this.groups.set(group.id, group);
    return group;
  }

  userByName(userName: string): Rec | undefined {
    return [...this.users.values()].find((u) => String(u.userName).toLowerCase() === userName.toLowerCase());
  }

  groupByName(name: string): (Rec & { members: Set<string> }) | undefined {
    return [...this.groups.values()].find((g) => g.displayName === name);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://stub');
    const path = url.pathname.replace(/^\/scim\/v2/, '');
    const filter = url.searchParams.get('filter');
    const body = text === '' ? null : JSON.parse(text);
    this.requests.push({ method: req.method ?? 'GET', path, filter, headers: req.headers, body });

    const fault = this.#faults.find((f) => f.times > 0 && (!f.method || f.method === req.method) && (!f.path || f.path.test(path)));
    if (fault) {
      fault.times--;
      if (fault.status === 'drop') {
        req.socket.destroy();
        return;
      }
      res.writeHead(fault.status, { 'content-type': 'application/scim+json', ...fault.headers });
      res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(fault.status), detail: 'injected' }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(res, 401, error(401, 'bad token'));
    const [, kind, id] = path.split('/') as [string, string | undefined, string | undefined];
    try {
      if (kind === 'Users') return this.#users(req.method!, id, filter, body, res);
      if (kind === 'Groups') return this.#groups(req.method!, id, filter, body, res);
      if (kind === 'ServiceProviderConfig') return send(res, 200, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'], patch: { supported: true } });
      send(res, 404, error(404, 'no route'));
    } catch (e) {
      send(res, 500, error(500, (e as Error).message));
    }
  }

  #users(method: string, id: string | undefined, filter: string | null, body: Rec, res: ServerResponse): void {
    if (id === undefined && method === 'GET') return send(res, 200, list([...this.users.values()].filter((u) => matches(u, filter))));
    if (id === undefined && method === 'POST') {
      if (this.userByName(body.userName)) return send(res, 409, error(409, 'userName is taken', 'uniqueness'));
      const user = { ...body, id: randomUUID() };
      this.users.set(user.id, user);
      return send(res, 201, user);
    }
    const user = id === undefined ? undefined : this.users.get(id);
    if (!user) return send(res, 404, error(404, 'no such user'));
    if (method === 'GET') return send(res, 200, user);
    if (method === 'PUT') {
      const next = { ...body, id: user.id };
      this.users.set(user.id, next);
      return send(res, 200, next);
    }
    if (method === 'PATCH') {
      for (const op of body.Operations as Rec[]) {
        const [head, tail] = String(op.path).split('.') as [string, string | undefined];
        if (op.op === 'remove') delete user[head];
        else if (tail) user[head] = { ...(user[head] ?? {}), [tail]: op.value };
        else user[head] = op.value;
      }
      return send(res, 200, user);
    }
    if (method === 'DELETE') {
      if (!this.deleteUsers) return send(res, 405, error(405, 'DELETE is not supported'));
      this.users.delete(user.id);
      for (const g of this.groups.values()) g.members.delete(user.id);
      return send(res, 204, null);
    }
    send(res, 405, error(405, 'method'));
  }

  #groups(method: string, id: string | undefined, filter: string | null, body: Rec, res: ServerResponse): void {
    const present = (g: Rec & { members: Set<string> }) => ({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], ...g, members: [...g.members].map((value) => ({ value })) });
    if (id === undefined && method === 'GET') return send(res, 200, list([...this.groups.values()].filter((g) => matches(g, filter)).map(present)));
    if (id === undefined && method === 'POST') {
      if (this.groupByName(body.displayName)) return send(res, 409, error(409, 'displayName is taken', 'uniqueness'));
      const group = { ...body, id: randomUUID(), members: new Set<string>((body.members ?? []).map((m: Rec) => m.value)) };
      this.groups.set(group.id, group);
      return send(res, 201, present(group));
    }
    const group = id === undefined ? undefined : this.groups.get(id);
    if (!group) return send(res, 404, error(404, 'no such group'));
    if (method === 'GET') return send(res, 200, present(group));
    if (method === 'PUT') {
      group.displayName = body.displayName;
      if (Array.isArray(body.members)) group.members = new Set(body.members.map((m: Rec) => m.value));
      return send(res, 200, present(group));
    }
    if (method === 'PATCH') {
      for (const op of body.Operations as Rec[]) {
        if (op.path === 'members' && op.op === 'add') for (const m of op.value) group.members.add(m.value);
        else if (op.path === 'members' && op.op === 'remove') for (const m of op.value) group.members.delete(m.value);
        else if (op.path === 'displayName') group.displayName = op.value;
      }
      return send(res, 204, null);
    }
    if (method === 'DELETE') {
      this.groups.delete(group.id);
      return send(res, 204, null);
    }
    send(res, 405, error(405, 'method'));
  }
}

function matches(resource: Rec, filter: string | null): boolean {
  if (!filter) return true;
  const m = /^(\w+) eq "((?:[^"\\]|\\.)*)"$/.exec(filter);
  if (!m) throw new Error(`unsupported filter ${filter}`);
  const value = JSON.parse(`"${m[2]}"`) as string;
  const actual = resource[m[1]!];
  return m[1] === 'userName' ? String(actual).toLowerCase() === value.toLowerCase() : actual === value;
}

function list(resources: Rec[]): Rec {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: resources.length, startIndex: 1, itemsPerPage: resources.length, Resources: resources };
}

function error(status: number, detail: string, scimType?: string): Rec {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail, ...(scimType ? { scimType } : {}) };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (body === null) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/scim+json' });
  res.end(JSON.stringify(body));
}
