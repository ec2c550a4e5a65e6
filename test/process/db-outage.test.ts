/**
 * The database going away while serving (issue 9): requests get 503 with Retry-After in their API's wire
 * shape (never 500), /readyz says 503, and when the database is back Gatehouse recovers without a restart.
 * PostgreSQL: the outage is a TCP proxy in front of it that is cut or stalled. SQLite is a file inside the
 * process and cannot go away this way; its failure mode is another process holding the write lock past the
 * busy timeout, tested at the end.
 */
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freshDatabaseUrl } from '../support/databases.js';
import { ADMIN_KEY, http, startTestServer, type TestServer } from '../support/server.js';
import { assertScimError, scimDirectory, userBody, type ScimDirectory } from '../support/scim.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { waitFor } from '../support/webhook-receiver.js';

/** A fresh PostgreSQL database reached through a TCP proxy the test can cut or stall. */
async function postgresBehindProxy(): Promise<{ proxy: TcpProxy; viaProxy: string }> {
  const direct = new URL(await freshDatabaseUrl('postgres'));
  const proxy = await new TcpProxy(direct.hostname, Number(direct.port || 5432)).start();
  const viaProxy = new URL(direct);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  return { proxy, viaProxy: viaProxy.toString() };
}

describe('database outage (postgres)', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let d: ScimDirectory;

  before(async () => {
    let viaProxy: string;
    ({ proxy, viaProxy } = await postgresBehindProxy());
    server = await startTestServer('postgres', { DATABASE_URL: viaProxy, GATEHOUSE_DB_TIMEOUT_MS: '1000', GATEHOUSE_HANDLER_TIMEOUT_MS: '4000' });
    d = await scimDirectory(server, 'jumpcloud');
    assert.equal((await d.scim('POST', '/Users', userBody('before@example.com'))).status, 201);
  });
  after(async () => {
    await server.close();
    await proxy.stop();
  });

  const assertUnavailable = async () => {
    for (const r of [await d.scim('GET', '/Users'), await d.scim('POST', '/Users', userBody(`during-${Math.random()}@example.com`))]) {
      assertScimError(r, 503);
      assert.match(r.headers.get('retry-after') ?? '', /^\d+$/);
    }
    const admin = await http('GET', `${server.url}/api/directories/${d.dirId}/users`, { token: ADMIN_KEY });
    assert.equal(admin.status, 503, admin.text);
    assert.equal(admin.body.error.code, 'unavailable');
    assert.match(admin.headers.get('retry-after') ?? '', /^\d+$/);
    const ready = await http('GET', `${server.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal((await http('GET', `${server.url}/healthz`)).status, 200, 'the process itself is fine');
  };

  const assertRecovered = async (userName: string) => {
    await waitFor('ready again', async () => (await http('GET', `${server.url}/readyz`)).status === 200, 15_000);
    const created = await d.scim('POST', '/Users', userBody(userName));
    assert.equal(created.status, 201, created.text);
    const events = await http('GET', `${server.url}/api/events?directory=${d.dirId}&limit=100`, { token: ADMIN_KEY });
    assert.equal(events.status, 200);
    assert.ok(events.body.data.some((e: { type: string; data: { userName?: string } }) => e.type === 'user.created' && e.data.userName === userName));
  };

  it('the database cut off: 503 + Retry-After in each wire shape; back: served again without a restart', async () => {
    proxy.cut();
    await assertUnavailable();
    proxy.restore();
    await assertRecovered('after-cut@example.com');
  });

  it('the database stops answering: 503 within the database timeout, not a hung request; then recovery', async () => {
    proxy.stall();
    const started = Date.now();
    const r = await d.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "before@example.com"')}`);
    assertScimError(r, 503);
    assert.ok(Date.now() - started < 4000, `answered after ${Date.now() - started} ms`);
    const probing = Date.now();
    const ready = await http('GET', `${server.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(Date.now() - probing < 2600, `readyz took ${Date.now() - probing} ms`);
    proxy.restore();
    await assertRecovered('after-stall@example.com');
    // everything written before and after is there, nothing from the outage
    const users = await http('GET', `${server.url}/api/directories/${d.dirId}/users?limit=100`, { token: ADMIN_KEY });
    const names = users.body.data.map((u: { userName: string }) => u.userName).sort();
    assert.deepEqual(names, ['after-cut@example.com', 'after-stall@example.com', 'before@example.com']);
  });
});

describe('handler timeout over a stuck database (postgres)', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let d: ScimDirectory;

  before(async () => {
    let viaProxy: string;
    ({ proxy, viaProxy } = await postgresBehindProxy());
    // database timeouts longer than the handler's: the handler timeout answers first
    server = await startTestServer('postgres', { DATABASE_URL: viaProxy, GATEHOUSE_DB_TIMEOUT_MS: '20000', GATEHOUSE_HANDLER_TIMEOUT_MS: '800' });
    d = await scimDirectory(server, 'jumpcloud');
  });
  after(async () => {
    await server.close();
    await proxy.stop();
  });

  it('a request still unanswered after GATEHOUSE_HANDLER_TIMEOUT_MS gets 503 + Retry-After in its wire shape', async () => {
    proxy.stall();
    const started = Date.now();
    const [scim, admin] = await Promise.all([d.scim('POST', '/Users', userBody('stuck@example.com')), http('GET', `${server.url}/api/organizations`, { token: ADMIN_KEY })]);
    const took = Date.now() - started;
    assertScimError(scim, 503);
    assert.equal(scim.headers.get('retry-after'), '5');
    assert.equal(admin.status, 503);
    assert.equal(admin.body.error.code, 'timeout');
    assert.ok(took >= 700 && took < 3000, `answered after ${took} ms`);
    proxy.restore();
    await waitFor('ready again', async () => (await http('GET', `${server.url}/readyz`)).status === 200, 15_000);
    assert.equal((await d.scim('POST', '/Users', userBody('after@example.com'))).status, 201);
  });

  it('/readyz answers 503 within 2 s and /metrics answers within about 0.5 s while the database hangs (its timeout here is 20 s)', async () => {
    proxy.stall();
    const started = Date.now();
    const ready = await http('GET', `${server.url}/readyz`);
    assert.equal(ready.status, 503);
    assert.ok(Date.now() - started < 2600, `readyz took ${Date.now() - started} ms`);
    const scraping = Date.now();
    const metrics = await http('GET', `${server.url}/metrics`, { token: ADMIN_KEY });
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /^gatehouse_http_requests_total\{/m);
    assert.ok(Date.now() - scraping < 2000, `metrics took ${Date.now() - scraping} ms`);
    proxy.restore();
    await waitFor('ready again', async () => (await http('GET', `${server.url}/readyz`)).status === 200, 15_000);
  });
});

describe('database locked by another process (sqlite)', () => {
  const work = join(resolve(import.meta.dirname, '..', '..'), '.tmp', `sqlite-locked-${process.pid}`);
  let server: TestServer;
  let d: ScimDirectory;
  before(async () => {
    mkdirSync(work, { recursive: true });
    // no background activity flush during the test: each would wait out the busy timeout too
    server = await startTestServer('sqlite', { DATABASE_URL: `sqlite:${join(work, 'g.db')}`, GATEHOUSE_ACTIVITY_FLUSH_MS: '3600000' });
    d = await scimDirectory(server);
  });
  after(async () => {
    await server.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('a write that cannot get the lock within the busy timeout gets 503 + Retry-After (SCIM Error); reads go on; then writes succeed', async () => {
    const other = new BetterSqlite3(join(work, 'g.db'));
    other.exec('begin immediate');
    try {
      const started = Date.now();
      const blocked = await d.scim('POST', '/Users', userBody('locked@example.com'));
      assertScimError(blocked, 503);
      // SQLite waits synchronously up to its busy timeout (5 s) per statement that needs the lock
      assert.ok(Date.now() - started < 25_000, `answered after ${Date.now() - started} ms`);
      assert.match(blocked.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal((await d.scim('GET', '/Users')).status, 200, 'WAL readers are not blocked');
    } finally {
      other.exec('rollback');
      other.close();
    }
    assert.equal((await d.scim('POST', '/Users', userBody('locked@example.com'))).status, 201);
  });
});
