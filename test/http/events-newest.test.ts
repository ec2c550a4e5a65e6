/**
 * The event feed newest first (`order=newest`, added for the portal's live log, which opens at the tail):
 * pages backwards with `next`/`cursor`/`before`, combines with the filters and `after`, and refuses bad
 * anchors with 400. The default order is unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { createUser, scimDirectory, type ScimDirectory } from '../support/scim.js';
import { startTestServer, type TestServer } from '../support/server.js';

for (const dialect of dialects) {
  describe(`events newest first (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let other: ScimDirectory;
    let oldest: string[];

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'jumpcloud');
      other = await scimDirectory(server, 'okta');
      for (let i = 0; i < 7; i++) {
        await createUser(d.scim, `u${i}@a.example`);
        await createUser(other.scim, `o${i}@b.example`);
      }
      const all = await d.admin.call('GET', `/events?organization=${d.orgId}&limit=500`);
      oldest = all.body.data.map((e: any) => e.id);
      assert.equal(oldest.length, 9, 'organization.created, directory.created, 7 × user.created');
    });
    after(() => server.close());

    it('pages from the newest event backwards, and the pages join up to the reversed feed', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const r: any = await d.admin.call('GET', `/events?organization=${d.orgId}&order=newest&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200, r.text);
        seen.push(...r.body.data.map((e: any) => e.id));
        cursor = r.body.next;
        pages++;
      } while (cursor);
      assert.equal(pages, 3);
      assert.deepEqual(seen, [...oldest].reverse());
      const viaBefore = await d.admin.call('GET', `/events?organization=${d.orgId}&order=newest&limit=2&before=${oldest[5]}`);
      assert.deepEqual(viaBefore.body.data.map((e: any) => e.id), [oldest[4], oldest[3]]);
    });

    it('combines with filters and with after; the default order is unchanged', async () => {
      const users = await d.admin.call('GET', `/events?directory=${d.dirId}&type=user.created&order=newest&limit=3`);
      assert.deepEqual(users.body.data.map((e: any) => e.data.userName), ['u6@a.example', 'u5@a.example', 'u4@a.example']);
      const window = await d.admin.call('GET', `/events?organization=${d.orgId}&order=newest&after=${oldest[2]}&before=${oldest[6]}`);
      assert.deepEqual(window.body.data.map((e: any) => e.id), [oldest[5], oldest[4], oldest[3]]);
      const plain = await d.admin.call('GET', `/events?organization=${d.orgId}&limit=3`);
      assert.deepEqual(plain.body.data.map((e: any) => e.id), oldest.slice(0, 3));
    });

    it('refuses bad input with 400', async () => {
      for (const query of ['order=backwards', 'order=newest&before=evt_nope', 'order=newest&before=x&cursor=y', `before=${'x'.repeat(200)}`, 'order=newest&cursor=%00']) {
        const r = await d.admin.call('GET', `/events?${query}`);
        assert.equal(r.status, 400, `${query} → ${r.status} ${r.text}`);
      }
    });
  });
}
