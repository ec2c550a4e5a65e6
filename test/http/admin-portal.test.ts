/**
 * The portal's static serving at /admin (src/http/admin-portal.ts), over HTTP on both dialects: index.html
 * never cached, hashed assets immutable, deep links answered with the app, a CSP on every answer, ETags,
 * no path ever leaving the build directory, missing assets 404 (never HTML), and a clear 503 without a build.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { after, before, describe, it } from 'node:test';
import { adminPortal } from '../../src/http/admin-portal.js';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';

for (const dialect of dialects) {
  describe(`admin portal static serving (${dialect})`, () => {
    let server: TestServer;
    let asset: string;
    before(async () => {
      server = await startTestServer(dialect);
      const html = await (await fetch(`${server.url}/admin/`)).text();
      asset = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)![1]!;
    });
    after(() => server.close());

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

    it('serves index.html at /admin/ (no-cache, CSP, nosniff, no framing) and redirects /admin', async () => {
      const r = await get('/admin/');
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'no-cache');
      const csp = r.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline scripts');
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      const body = await r.text();
      assert.match(body, /<div id="root"><\/div>/);
      assert.doesNotMatch(body, /<script>(?!<\/script>)/, 'no inline script in the page');
      const bare = await get('/admin');
      assert.equal(bare.status, 301);
      assert.equal(bare.headers.get('location'), '/admin/');
    });

    it('answers deep links of the app with index.html', async () => {
      for (const path of ['/admin/orgs/org_x/users', '/admin/setup', '/admin/webhooks/whe_1', '/admin/orgs/org_x/users/dir_1/0e2c1b1a-0000']) {
        const r = await get(path);
        assert.equal(r.status, 200, path);
        assert.equal(r.headers.get('cache-control'), 'no-cache', path);
        assert.match(await r.text(), /<div id="root">/, path);
      }
    });

    it('serves hashed assets immutable, with their content type and an ETag (304 on a match)', async () => {
      const r = await get(asset);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const etag = r.headers.get('etag')!;
      assert.match(etag, /^"[A-Za-z0-9_-]{22}"$/);
      assert.ok((await r.text()).length > 1000);
      const again = await get(asset, { 'if-none-match': etag });
      assert.equal(again.status, 304);
      const css = await get(asset.replace(/index-[^/]+\.js$/, ''));
      assert.equal(css.status, 404, 'a directory is not a file');
    });

    it('never leaves the build directory, and a missing asset is a 404 (not the app)', async () => {
      for (const path of [
        '/admin/assets/missing-abc123.js',
        '/admin/assets/..%2f..%2fpackage.json',
        '/admin/..%2fpackage.json',
        '/admin/%2e%2e/%2e%2e/package.json',
        '/admin/assets/%2e%2e%2findex.html',
        '/admin/..%5c..%5cpackage.json',
        '/admin/favicon.ico',
        '/admin/%00.js',
      ]) {
        const r = await get(path);
        const text = await r.text();
        assert.ok(r.status === 404 || r.status === 400, `${path} → ${r.status}`);
        assert.doesNotMatch(text, /"name": "gatehouse"|<div id="root">/, path);
      }
      for (const path of ['/admin/../package.json', '/admin/./../src/config.ts']) {
        const r = await get(path);
        assert.doesNotMatch(await r.text(), /"name": "gatehouse"|export interface Config/, path);
      }
      const post = await fetch(`${server.url}/admin/`, { method: 'POST', body: 'x' });
      assert.equal(post.status, 404);
      const long = await get(`/admin/${'a'.repeat(5000)}`);
      assert.ok(long.status < 500);
    });
  });
}

describe('admin portal without a build', () => {
  it('answers 503 saying how to build it', async () => {
    const app = Fastify();
    adminPortal(app, mkdtempSync(join(tmpdir(), 'gatehouse-no-portal-')));
    try {
      const r = await app.inject({ method: 'GET', url: '/admin/orgs' });
      assert.equal(r.statusCode, 503);
      assert.match(r.body, /npm run build/);
    } finally {
      await app.close();
    }
  });
});
