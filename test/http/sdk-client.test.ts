import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GatehouseApiError, GatehouseClient } from '../../sdk/gatehouse-client.js';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, adminClient, scimClient, startTestServer, type TestServer } from '../support/server.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

for (const dialect of dialects) {
  describe(`SDK client (${dialect})`, () => {
    let server: TestServer;
    let directoryId: string;
    let scim: ReturnType<typeof scimClient>;

    before(async () => {
      server = await startTestServer(dialect);
      const admin = adminClient(server);
      const dir = await admin.directory((await admin.organization('SDK Co')).id);
      directoryId = dir.id;
      scim = scimClient(dir.scim.endpoint, dir.scim.token);
    });
    after(() => server.close());

    it('pages through users and groups, and reads members', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await scim('POST', '/Users', { schemas: [USER], userName: `u${i}@sdk.example`, active: i !== 3 })).body.id);
      const group = await scim('POST', '/Groups', { schemas: [GROUP], displayName: 'Everyone', members: ids.map((value) => ({ value })) });
      const client = new GatehouseClient({ baseUrl: server.url, adminKey: ADMIN_KEY, pageSize: 2 });
      const users = [];
      for await (const u of client.users(directoryId)) users.push(u);
      assert.deepEqual(users.map((u) => u.id), ids, 'every user once, oldest first, across pages of 2');
      assert.deepEqual(users[0]!.groups, [{ id: group.body.id, name: 'Everyone' }]);
      const inactive = [];
      for await (const u of client.users(directoryId, { state: 'inactive' })) inactive.push(u.userName);
      assert.deepEqual(inactive, ['u3@sdk.example']);
      const groups = [];
      for await (const g of client.groups(directoryId)) groups.push(g);
      assert.deepEqual(groups.map((g) => [g.name, g.memberCount]), [['Everyone', 7]]);
      const members = [];
      for await (const m of client.members(directoryId, group.body.id)) members.push(m.id);
      assert.deepEqual(members.sort(), [...ids].sort());
      assert.equal((await client.user(directoryId, ids[0]!)).userName, 'u0@sdk.example');
    });

    it('iterates events from a point, filtered, and follows new ones until aborted', async () => {
      const client = new GatehouseClient({ baseUrl: server.url, adminKey: ADMIN_KEY, pageSize: 3 });
      const all = [];
      for await (const e of client.events({ directory: directoryId })) all.push(e);
      assert.ok(all.length >= 15, `user.created ×7, group.created, user_added ×7: ${all.length}`);
      const resumed = [];
      for await (const e of client.events({ directory: directoryId, after: all[4]!.id })) resumed.push(e.id);
      assert.deepEqual(resumed, all.slice(5).map((e) => e.id), 'resuming after an id continues exactly there');
      const created = [];
      for await (const e of client.events({ directory: directoryId, types: ['user.created'] })) created.push(e.type);
      assert.equal(created.length, 7);

      const abort = new AbortController();
      const followed: string[] = [];
      const following = (async () => {
        for await (const e of client.events({ directory: directoryId, after: all.at(-1)!.id, follow: true, pollMs: 50, signal: abort.signal })) {
          followed.push(e.type);
          if (followed.length === 1) abort.abort();
        }
      })();
      await scim('POST', '/Users', { schemas: [USER], userName: 'late@sdk.example' });
      await following;
      assert.deepEqual(followed, ['user.created'], 'a new event reaches a following iterator');
    });

    it('reports API errors with their code', async () => {
      const wrongKey = new GatehouseClient({ baseUrl: server.url, adminKey: 'nope' });
      await assert.rejects(wrongKey.user(directoryId, 'x'), (e: unknown) => e instanceof GatehouseApiError && e.status === 401 && e.code === 'unauthorized');
      const client = new GatehouseClient({ baseUrl: server.url, adminKey: ADMIN_KEY });
      await assert.rejects(client.user(directoryId, 'missing'), (e: unknown) => e instanceof GatehouseApiError && e.status === 404);
      await assert.rejects(async () => {
        for await (const _ of client.events({ after: 'evt_nope' })) void _;
      }, (e: unknown) => e instanceof GatehouseApiError && e.status === 400);
    });
  });
}
