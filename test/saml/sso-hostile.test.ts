/**
 * Hostile input on the public SSO and OAuth routes never yields a 5xx or a stack trace: odd connection
 * ids in paths, parameter floods, odd methods and content types, cookies and headers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { startSsoWorld, type SsoWorld } from './support/sso-harness.js';

const STACK = /\bat [^\n]*\.(?:ts|js|mjs):\d+|node_modules\//;

for (const dialect of dialects) {
  describe(`hostile input on the SSO and OAuth routes (${dialect})`, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect);
    });
    after(async () => world.close());

    it('never answers 5xx', async () => {
      const base = world.server.url;
      const id = world.connection.id;
      const requests: [string, string, { body?: string; type?: string; headers?: Record<string, string> }?][] = [
        ['GET', `/sso/${'x'.repeat(300)}/metadata.xml`],
        ['GET', '/sso/%00/metadata.xml'],
        ['GET', '/sso/%ZZ/metadata.xml'],
        ['GET', `/sso/${encodeURIComponent("' or 1=1 --")}/login`],
        ['POST', `/sso/${'x'.repeat(300)}/acs`, { body: 'SAMLResponse=x', type: 'application/x-www-form-urlencoded' }],
        ['POST', '/sso/sso_unknown/acs', { body: 'SAMLResponse=PHg+', type: 'application/x-www-form-urlencoded' }],
        ['POST', `/sso/${id}/acs`, { body: Array.from({ length: 50 }, (_, i) => `p${i}=1`).join('&'), type: 'application/x-www-form-urlencoded' }],
        ['POST', `/sso/${id}/acs`, { body: 'SAMLResponse=%00', type: 'application/x-www-form-urlencoded' }],
        ['POST', `/sso/${id}/acs`, { body: 'SAMLResponse=\u00e9', type: 'application/x-www-form-urlencoded; charset=latin1' }],
        ['POST', `/sso/${id}/acs`, { body: 'SAMLResponse=PHg+', type: 'multipart/form-data; boundary=x' }],
        ['POST', `/sso/${id}/acs`, { body: 'SAMLResponse=PHg+&RelayState=%0d%0aSet-Cookie:%20x=1', type: 'application/x-www-form-urlencoded' }],
        ['POST', `/sso/${id}/acs`, { body: 'SAMLResponse=PHg+', type: 'application/x-www-form-urlencoded', headers: { cookie: `__Host-gatehouse-sso=${'a'.repeat(10_000)}` } }],
        ['DELETE', `/sso/${id}/acs`],
        ['POST', `/sso/${id}/metadata.xml`],
        ['GET', `/oauth/authorize?client_id=${'x'.repeat(5000)}&redirect_uri=x`],
        ['GET', '/oauth/authorize?client_id[]=a&redirect_uri[]=b'],
        ['GET', '/oauth/authorize?client_id=%00&redirect_uri=%00'],
        ['POST', '/oauth/token', { body: '{"grant_type":"authorization_code","code":{"$ne":1}}', type: 'application/json' }],
        ['POST', '/oauth/token', { body: 'grant_type=authorization_code&code=x&client_id=x&client_secret=x&redirect_uri=x&code_verifier=x', type: 'application/x-www-form-urlencoded' }],
        ['POST', '/oauth/token', { body: 'a', type: 'application/x-www-form-urlencoded', headers: { authorization: `Basic ${Buffer.from('\u0000:\u0000').toString('base64')}` } }],
        ['POST', '/oauth/token', { body: 'a', type: 'application/x-www-form-urlencoded', headers: { authorization: `Basic ${Buffer.from('%ZZ:%ZZ').toString('base64')}` } }],
        ['GET', '/oauth/userinfo', { headers: { authorization: 'Bearer %00' } }],
        ['PUT', '/oauth/jwks'],
      ];
      for (const [method, path, options] of requests) {
        const headers: Record<string, string> = { accept: 'application/json', ...options?.headers };
        if (options?.type) headers['content-type'] = options.type;
        const r = await fetch(`${base}${path}`, { method, headers, redirect: 'manual', ...(options?.body !== undefined ? { body: options.body } : {}) });
        const text = await r.text();
        assert.ok(r.status < 500, `${method} ${path.slice(0, 80)} → ${r.status} ${text.slice(0, 200)}`);
        assert.doesNotMatch(text, STACK, `${method} ${path.slice(0, 80)}`);
        assert.equal(r.headers.get('set-cookie')?.includes('x=1') ?? false, false);
      }
    });
  });
}
