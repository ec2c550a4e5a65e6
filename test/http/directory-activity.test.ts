/**
 * Directory status (issue 5, item 1): `GET /api/directories/:dirId` shows the SCIM activity (last request,
 * last success, request and error counts, last error) next to the user and group counts. Counted in
 * memory per request, written by the background flush and on close.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { http, startTestServer, type TestServer } from '../support/server.js';
import { createGroup, createUser, scimDirectory, sleep, userBody, type ScimDirectory } from '../support/scim.js';

for (const dialect of dialects) {
  describe(`directory activity (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;

    before(async () => {
      // a long flush interval: the test flushes by hand, so reads must merge the unflushed counters
      server = await startTestServer(dialect, { GATEHOUSE_ACTIVITY_FLUSH_MS: '3600000' });
      d = await scimDirectory(server, 'jumpcloud');
    });
    after(() => server.close());

    const directory = async () => {
      const r = await d.admin.call('GET', `/directories/${d.dirId}`);
      assert.equal(r.status, 200, r.text);
      return r.body;
    };

    it('a new directory has no activity', async () => {
      const dir = await directory();
      assert.deepEqual(dir.activity, { lastRequestAt: null, lastSuccessAt: null, requestCount: 0, errorCount: 0, lastError: null });
      assert.equal(dir.userCount, 0);
      assert.equal(dir.groupCount, 0);
    });

    it('counts SCIM successes and errors (4xx) with the last error; requests with a bad token are not counted', async () => {
      const startedAt = new Date().toISOString();
      const alice = await createUser(d.scim, 'alice@example.com');
      await createGroup(d.scim, 'Team', [alice.id]);
      assert.equal((await d.scim('GET', '/Users?count=5')).status, 200);
      assert.equal((await d.scim('POST', '/Users', userBody('alice@example.com'))).status, 409);
      await sleep(5);
      assert.equal((await d.scim('GET', '/Users/does-not-exist')).status, 404);
      assert.equal((await http('GET', `${d.endpoint}/Users`, { token: 'ghd_wrong' })).status, 401);

      const dir = await directory();
      assert.equal(dir.userCount, 1);
      assert.equal(dir.groupCount, 1);
      assert.equal(dir.activity.requestCount, 5);
      assert.equal(dir.activity.errorCount, 2);
      assert.equal(dir.activity.lastError.status, 404);
      assert.match(dir.activity.lastError.message, /./);
      assert.ok(dir.activity.lastError.at >= startedAt);
      assert.ok(dir.activity.lastSuccessAt >= startedAt);
      assert.ok(dir.activity.lastSuccessAt < dir.activity.lastError.at, 'the last request failed after the last success');
      assert.equal(dir.activity.lastRequestAt, dir.activity.lastError.at);
    });

    it('the flush writes the counters once; reads after it show the same, and later requests add up', async () => {
      const before = (await directory()).activity;
      await server.runtime.gatehouse.activity.flush();
      const stored = await server.runtime.gatehouse.store.directoryActivity.get(d.dirId);
      assert.deepEqual(stored, before, 'the stored row holds what the node counted');
      assert.deepEqual((await directory()).activity, before, 'nothing is counted twice after a flush');

      assert.equal((await d.scim('GET', '/Groups')).status, 200);
      const now = (await directory()).activity;
      assert.equal(now.requestCount, before.requestCount + 1);
      assert.equal(now.errorCount, before.errorCount);
      assert.deepEqual(now.lastError, before.lastError);
      assert.ok(now.lastSuccessAt > before.lastSuccessAt);
      await server.runtime.gatehouse.activity.flush();
      assert.deepEqual(await server.runtime.gatehouse.store.directoryActivity.get(d.dirId), now);
    });

    it('a directory deleted before the flush is skipped (no error, nothing stored)', async () => {
      const gone = await scimDirectory(server, 'okta');
      assert.equal((await gone.scim('GET', '/Users')).status, 200);
      assert.equal((await gone.admin.call('DELETE', `/directories/${gone.dirId}`)).status, 204);
      await server.runtime.gatehouse.activity.flush();
      assert.equal(await server.runtime.gatehouse.store.directoryActivity.get(gone.dirId), undefined);
    });
  });
}
