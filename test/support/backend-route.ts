import { ADMIN_KEY, http, type TestServer } from './server.js';

/**
 * Whether the server has a route at all (any answer but the router's own "no route for" 404). The SSO and
 * JumpCloud portal suites use it as their merge guard: their backends are built on other branches.
 */
export async function routeExists(server: TestServer, method: string, path: string): Promise<boolean> {
  const r = await http(method, `${server.url}${path}`, { token: ADMIN_KEY, ...(method === 'GET' ? {} : { body: {} }) });
  return !(r.status === 404 && typeof r.body?.error?.message === 'string' && r.body.error.message.startsWith('no route for'));
}
