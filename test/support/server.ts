import { loadConfig } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { freshDatabaseUrl, type TestDialect } from './databases.js';
import { freePort } from './embedded-postgres.js';

export const ADMIN_KEY = 'gha_test-admin-key-0123456789abcdef0123456789';

export interface TestServer {
  url: string;
  runtime: Runtime;
  databaseUrl: string;
  close(): Promise<void>;
}

/** A real Gatehouse on loopback over a fresh database of the given dialect. */
export async function startTestServer(dialect: TestDialect, env: Record<string, string> = {}): Promise<TestServer> {
  const databaseUrl = await freshDatabaseUrl(dialect);
  const port = await freePort();
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    GATEHOUSE_ADMIN_KEY: ADMIN_KEY,
    GATEHOUSE_SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
    NODE_ENV: 'test',
    // suites fire many bad credentials and bursts on purpose; the limits' own tests set tight values
    GATEHOUSE_AUTH_FAILURE_LIMIT: '0',
    GATEHOUSE_SCIM_RATE_LIMIT: '0',
    ...env,
  });
  const runtime = await startRuntime(config);
  return { url: runtime.url, runtime, databaseUrl, close: () => runtime.close() };
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A small HTTP client for black-box tests: JSON in, parsed JSON (or text) out. */
export async function http<T = any>(
  method: string,
  url: string,
  options: { token?: string; body?: unknown; rawBody?: string | Buffer; contentType?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  // a copy as a plain Uint8Array: what fetch's BodyInit accepts under both Node's and the DOM's typings
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (options.rawBody !== undefined) body = typeof options.rawBody === 'string' ? options.rawBody : new Uint8Array(options.rawBody);
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** Admin API helpers bound to one server. */
export function adminClient(server: TestServer) {
  const call = <T = any>(method: string, path: string, body?: unknown) =>
    http<T>(method, `${server.url}/api${path}`, { token: ADMIN_KEY, ...(body !== undefined ? { body } : {}) });
  return {
    call,
    /** Every item of an admin list, following its cursors (500 a page); any answer but 200 fails. */
    async all<T = any>(path: string): Promise<T[]> {
      const out: T[] = [];
      let cursor: string | null = null;
      do {
        const page: HttpResult = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        if (page.status !== 200) throw new Error(`${path}: ${page.status} ${page.text}`);
        out.push(...(page.body.data as T[]));
        cursor = page.body.next;
      } while (cursor);
      return out;
    },
    async organization(name = 'Acme') {
      const r = await call('POST', '/organizations', { name });
      if (r.status !== 201) throw new Error(`create organization: ${r.status} ${r.text}`);
      return r.body as { id: string; name: string };
    },
    async directory(orgId: string, provider = 'jumpcloud') {
      const r = await call('POST', `/organizations/${orgId}/directories`, { provider });
      if (r.status !== 201) throw new Error(`create directory: ${r.status} ${r.text}`);
      return r.body as { id: string; scim: { endpoint: string; token: string } };
    },
  };
}

/** A SCIM client for one directory (endpoint + token), sending application/scim+json like an IdP. */
export function scimClient(endpoint: string, token: string) {
  return <T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    http<T>(method, `${endpoint}${path}`, {
      token,
      ...(body !== undefined ? { body, contentType: 'application/scim+json' } : {}),
      headers,
    });
}
