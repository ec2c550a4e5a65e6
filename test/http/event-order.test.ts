/**
 * Events API ordering and retention (issue 5, item 3). On PostgreSQL, parallel SCIM writes while a reader
 * pages with `after`: the reader sees every event exactly once, in increasing seq (event inserts are
 * serialized by a transaction-level advisory lock, so seq order is commit order). Retention prunes events
 * older than GATEHOUSE_EVENT_RETENTION_DAYS, periodically and on demand; 0 keeps everything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertOk, createUser, patchOp, scimDirectory, sleep, type ScimDirectory } from '../support/scim.js';

describe('event order under concurrent writes (postgres)', () => {
  let server: TestServer;
  let d: ScimDirectory;

  before(async () => {
    server = await startTestServer('postgres');
    d = await scimDirectory(server, 'generic');
  });
  after(() => server.close());

  it('a reader paging with `after` sees every event exactly once, in increasing seq, while 12 writers run', async () => {
    const start = (await d.admin.call('GET', `/events?directory=${d.dirId}&limit=500`)).body.data.at(-1).id as string;
    let writing = true;
    const writers = Array.from({ length: 12 }, async (_, w) => {
      let n = 0;
      const deadline = Date.now() + 2_500;
      while (Date.now() < deadline) {
        const u = await createUser(d.scim, `w${w}-${n++}@example.com`);
        assertOk(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'displayName', value: `W ${w} ${n}` })));
      }
      return n;
    });
    const seen: string[] = [];
    const reader = (async () => {
      let cursor = start;
      for (;;) {
        const done = !writing;
        const r = await d.admin.call('GET', `/events?directory=${d.dirId}&limit=7&after=${cursor}`);
        assert.equal(r.status, 200, r.text);
        for (const e of r.body.data) seen.push(e.id);
        if (r.body.data.length > 0) cursor = r.body.data.at(-1).id;
        // stop after a read that began once every writer had finished and found nothing new
        if (done && r.body.data.length === 0) return;
      }
    })();
    const created = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    writing = false;
    await reader;

    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      const startSeq = Number((await client.query('select seq from events where id = $1', [start])).rows[0].seq);
      const rows = (await client.query('select id, seq from events where directory_id = $1 and seq > $2 order by seq', [d.dirId, startSeq])).rows as { id: string; seq: string }[];
      assert.equal(rows.length, created * 2, 'one user.created and one user.updated per write');
      assert.equal(new Set(seen).size, seen.length, 'no event is seen twice');
      assert.deepEqual(seen, rows.map((r) => r.id), 'the reader saw every committed event, in seq order');
    } finally {
      await client.end();
    }
  });
});

describe('role events under concurrent membership and mapping changes (postgres)', () => {
  let server: TestServer;
  let d: ScimDirectory;

  before(async () => {
    server = await startTestServer('postgres');
    d = await scimDirectory(server, 'generic');
  });
  after(() => server.close());

  it("each user's latest event carries the roles the admin API shows, whatever order members and mappings commit in", async () => {
    for (let round = 0; round < 3; round++) {
      const users = await Promise.all(Array.from({ length: 30 }, (_, i) => createUser(d.scim, `r${round}-${i}@example.com`)));
      const group = (await d.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Race ${round}` })).body;
      const adds = users.map(async (u, i) => {
        await sleep(i % 10);
        assertOk(await d.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] })), 204);
      });
      const mapping = (async () => {
        await sleep(4);
        const r = await d.admin.call('PUT', `/organizations/${d.orgId}/role-mappings`, { mappings: [{ directoryGroupId: group.id, role: `role-${round}` }] });
        assert.equal(r.status, 200, r.text);
      })();
      await Promise.all([...adds, mapping]);
      const events: any[] = [];
      let cursor: string | undefined;
      for (;;) {
        const r = await d.admin.call('GET', `/events?directory=${d.dirId}&limit=500${cursor ? `&after=${cursor}` : ''}`);
        events.push(...r.body.data);
        if (!r.body.next) break;
        cursor = r.body.next;
      }
      for (const u of users) {
        const carrying = events.filter((e) => (e.type === 'user.updated' && e.data.id === u.id) || (e.type === 'group.user_added' && e.data.user.id === u.id));
        const latest = carrying.at(-1);
        const user = latest.type === 'user.updated' ? latest.data : latest.data.user;
        const now = (await d.admin.call('GET', `/directories/${d.dirId}/users/${u.id}`)).body;
        assert.deepEqual(now.roles, [`role-${round}`]);
        assert.deepEqual(user.roles, now.roles, `round ${round}: the latest event of ${u.userName} (${latest.type}) announces its roles`);
      }
    }
  });
});

for (const dialect of dialects) {
  describe(`event retention (${dialect})`, () => {
    it('the server prunes events older than the retention periodically (tiny retention, fast interval)', async () => {
      // 0.00003 days ≈ 2.6 s
      const server = await startTestServer(dialect, { GATEHOUSE_EVENT_RETENTION_DAYS: '0.00003', GATEHOUSE_EVENT_PRUNE_INTERVAL_MS: '200' });
      try {
        const d = await scimDirectory(server, 'generic');
        const old = (await d.admin.call('GET', `/events?directory=${d.dirId}`)).body.data;
        assert.ok(old.length > 0);
        await sleep(1_000);
        const fresh = await createUser(d.scim, 'fresh@example.com');
        let left: any[] = [];
        for (let i = 0; i < 60; i++) {
          await sleep(100);
          left = (await d.admin.call('GET', `/events?directory=${d.dirId}`)).body.data;
          if (!left.some((e: any) => e.id === old[0].id)) break;
        }
        assert.ok(!left.some((e: any) => e.id === old[0].id), 'the old event was pruned');
        assert.equal((await d.admin.call('GET', `/events/${old[0].id}`)).status, 404);
        // the newer event outlives the older one (it may be pruned later on: only the order matters here)
        const all = (await d.admin.call('GET', `/events?directory=${d.dirId}`)).body.data;
        assert.ok(all.length === 0 || all.some((e: any) => e.data.id === fresh.id));
      } finally {
        await server.close();
      }
    });

    it('keeps the events the webhook outbox still needs: pending deliveries, and what an enabled endpoint has not enqueued', async () => {
      // a receiver that refuses connections: deliveries stay pending (retried), and must keep their events
      const server = await startTestServer(dialect, { GATEHOUSE_EVENT_RETENTION_DAYS: '30', GATEHOUSE_WEBHOOK_BACKOFF_MS: '60000' });
      try {
        const d = await scimDirectory(server, 'generic');
        const hook = await d.admin.call('POST', '/webhooks', { url: 'http://127.0.0.1:9/refused', organizationId: d.orgId, events: ['user.created'] });
        assert.equal(hook.status, 201, hook.text);
        const user = await createUser(d.scim, 'kept@example.com');
        const created = (await d.admin.call('GET', `/events?directory=${d.dirId}&type=user.created`)).body.data.find((e: any) => e.data.id === user.id);
        let pending = false;
        for (let i = 0; i < 100 && !pending; i++) {
          await sleep(50);
          const deliveries = (await d.admin.call('GET', `/webhooks/${hook.body.id}/deliveries`)).body.data;
          pending = deliveries.some((x: any) => x.eventId === created.id && x.state === 'pending' && x.attempts >= 1);
        }
        assert.ok(pending, 'the delivery failed once and is pending a retry');
        await server.runtime.gatehouse.pruneEvents(new Date(Date.now() + 31 * 86_400_000));
        assert.equal((await d.admin.call('GET', `/events/${created.id}`)).status, 200, 'an event with a pending delivery survives retention');
        const others = (await d.admin.call('GET', `/events?directory=${d.dirId}`)).body.data.filter((e: any) => e.id !== created.id);
        assert.deepEqual(others.filter((e: any) => e.type !== 'user.created'), [], 'events no endpoint needs are pruned');
      } finally {
        await server.close();
      }
    });

    it('pruneEvents with an injected clock honours the retention; 0 keeps every event', async () => {
      const server = await startTestServer(dialect, { GATEHOUSE_EVENT_RETENTION_DAYS: '30' });
      const keep = await startTestServer(dialect, { GATEHOUSE_EVENT_RETENTION_DAYS: '0' });
      try {
        const d = await scimDirectory(server, 'generic');
        await createUser(d.scim, 'a@example.com');
        const count = async () => (await d.admin.call('GET', `/events?directory=${d.dirId}&limit=500`)).body.data.length;
        const n = await count();
        const gatehouse = server.runtime.gatehouse;
        assert.equal(await gatehouse.pruneEvents(new Date(Date.now() + 29 * 86_400_000)), 0, 'nothing is 30 days old yet');
        assert.equal(await count(), n);
        assert.ok((await gatehouse.pruneEvents(new Date(Date.now() + 31 * 86_400_000))) >= n, 'everything is older than 30 days a month on');
        assert.equal(await count(), 0);

        const k = await scimDirectory(keep, 'generic');
        assert.equal(await keep.runtime.gatehouse.pruneEvents(new Date(Date.now() + 10_000 * 86_400_000)), 0);
        assert.ok((await k.admin.call('GET', `/events?directory=${k.dirId}`)).body.data.length > 0);
      } finally {
        await server.close();
        await keep.close();
      }
    });
  });
}
