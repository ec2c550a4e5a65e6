/**
 * Limits (issue 9): SCIM requests per directory token, failed authentications per client address (admin
 * key, SCIM tokens, metrics), 429 + Retry-After in each API's wire shape; body limits per route family.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, http, startTestServer, type TestServer } from '../support/server.js';
import { assertScimError, scimDirectory, sleep, userBody, type ScimDirectory } from '../support/scim.js';

for (const dialect of dialects) {
  describe(`SCIM rate limit per directory token (${dialect})`, () => {
    let server: TestServer;
    let a: ScimDirectory;
    let b: ScimDirectory;
    before(async () => {
      server = await startTestServer(dialect, { GATEHOUSE_SCIM_RATE_LIMIT: '2', GATEHOUSE_SCIM_RATE_BURST: '4' });
      a = await scimDirectory(server);
      b = await scimDirectory(server);
    });
    after(() => server.close());

    it('admits the burst, then answers 429 (SCIM Error, Retry-After) to that directory only, and recovers', async () => {
      const answers = await Promise.all(Array.from({ length: 10 }, () => a.scim('GET', '/Users')));
      const ok = answers.filter((r) => r.status === 200).length;
      const limited = answers.filter((r) => r.status === 429);
      assert.ok(ok >= 4 && ok <= 5, `${ok} admitted`);
      assert.equal(ok + limited.length, 10);
      for (const r of limited) {
        assertScimError(r, 429);
        assert.match(r.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
        assert.match(r.body.detail, /try again/);
      }
      // a write over the limit changes nothing
      const write = await a.scim('POST', '/Users', userBody('limited@example.com'));
      assert.equal(write.status, 429);
      assert.equal((await b.scim('GET', '/Users')).status, 200, 'another directory has its own budget');
      const listed = await a.admin.call('GET', `/directories/${a.dirId}/users`);
      assert.equal(listed.body.data.length, 0);
      // the directory's activity shows the refusals
      const dir = await a.admin.call('GET', `/directories/${a.dirId}`);
      assert.equal(dir.body.activity.lastError.status, 429);
      await sleep(1100);
      assert.equal((await a.scim('GET', '/Users')).status, 200, 'tokens come back at the configured rate');
      const metrics = await http('GET', `${server.url}/metrics`, { token: ADMIN_KEY });
      assert.match(metrics.text, /^gatehouse_rate_limited_total\{limit="scim_directory"\} ([1-9]\d*)$/m);
    });
  });

  describe(`failed authentication per address (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let other: ScimDirectory;
    before(async () => {
      server = await startTestServer(dialect, { GATEHOUSE_AUTH_FAILURE_LIMIT: '3', GATEHOUSE_AUTH_FAILURE_WINDOW_MS: '3000' });
      d = await scimDirectory(server);
      other = await scimDirectory(server);
    });
    after(() => server.close());

    it('admin key: after the limit every credential from that address gets 429 until failures age out; X-Forwarded-For does not evade it', async () => {
      assert.equal((await http('GET', `${server.url}/api/organizations`, { token: 'wrong-1' })).status, 401);
      assert.equal((await http('GET', `${server.url}/api/organizations`, { token: 'wrong-2', headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 401);
      assert.equal((await http('GET', `${server.url}/metrics`, { token: 'wrong-3' })).status, 401);
      // over the limit: even the right key is refused (a guesser learns nothing)
      const admin = await http('GET', `${server.url}/api/organizations`, { token: ADMIN_KEY });
      assert.equal(admin.status, 429);
      assert.equal(admin.body.error.code, 'rate_limited');
      assert.match(admin.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal((await http('GET', `${server.url}/metrics`, { token: ADMIN_KEY })).status, 429);
      const spoofed = await http('GET', `${server.url}/api/organizations`, { token: ADMIN_KEY, headers: { 'x-forwarded-for': '198.51.100.7' } });
      assert.equal(spoofed.status, 429, 'without GATEHOUSE_TRUST_PROXY the forwarded address is ignored');
      // SCIM directories have their own budgets; unauthenticated routes stay open
      assert.equal((await d.scim('GET', '/Users')).status, 200);
      assert.equal((await http('GET', `${server.url}/healthz`)).status, 200);
      await sleep(1100);
      assert.equal((await http('GET', `${server.url}/api/organizations`, { token: ADMIN_KEY })).status, 200, 'one failure has aged out');
    });

    it('SCIM: a directory whose token keeps failing from an address gets 429 (SCIM Error); other directories pushed from that address do not', async () => {
      for (let i = 0; i < 3; i++) assert.equal((await http('GET', `${d.endpoint}/Users`, { token: `stale-${i}` })).status, 401);
      const scim = await d.scim('GET', '/Users');
      assertScimError(scim, 429);
      assert.match(scim.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal((await other.scim('GET', '/Users')).status, 200, 'an IdP pushing for many tenants from one address is not locked out by one stale token');
    });
  });

  describe(`body limits per route family (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    before(async () => {
      server = await startTestServer(dialect, { GATEHOUSE_ADMIN_BODY_LIMIT: '2048', GATEHOUSE_SCIM_BODY_LIMIT: '8192' });
      d = await scimDirectory(server);
    });
    after(() => server.close());

    it('an admin body over the admin limit is 413 (admin shape); SCIM accepts up to its own limit, then 413 (SCIM Error)', async () => {
      const big = await http('POST', `${server.url}/api/organizations`, { token: ADMIN_KEY, body: { name: 'x'.repeat(3000) } });
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'body_too_large');
      const mid = await d.scim('POST', '/Users', userBody('mid@example.com', { title: 'x'.repeat(1500), displayName: 'y'.repeat(1500) }));
      assert.equal(mid.status, 201, mid.text);
      const over = await d.scim('POST', '/Users', userBody('over@example.com', { title: 'x'.repeat(9000) }));
      assertScimError(over, 413);
      const users = await d.admin.call('GET', `/directories/${d.dirId}/users`);
      assert.deepEqual(users.body.data.map((u: { userName: string }) => u.userName), ['mid@example.com']);
    });
  });
}
