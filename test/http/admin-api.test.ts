import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { adminClient, http, startTestServer, type TestServer } from '../support/server.js';

for (const dialect of dialects) {
  describe(`admin API (${dialect})`, () => {
    let server: TestServer;
    let admin: ReturnType<typeof adminClient>;

    before(async () => {
      server = await startTestServer(dialect);
      admin = adminClient(server);
    });
    after(() => server.close());

    it('serves health, readiness and an OpenAPI document generated from the routes', async () => {
      assert.equal((await http('GET', `${server.url}/healthz`)).status, 200);
      assert.equal((await http('GET', `${server.url}/readyz`)).status, 200);
      const doc = await http('GET', `${server.url}/openapi.json`);
      assert.equal(doc.status, 200);
      assert.match(doc.body.openapi, /^3\./);
      for (const path of ['/api/organizations', '/api/organizations/{orgId}/directories', '/api/directories/{dirId}/token', '/api/events', '/api/directories/{dirId}/groups/{groupId}/members']) {
        assert.ok(doc.body.paths[path], `OpenAPI lists ${path}`);
      }
      assert.ok(doc.body.components.schemas.DirectoryUser, 'shared schemas become components');
    });

    it('refuses requests without the admin key, with the documented error shape', async () => {
      for (const token of [undefined, 'wrong', `${'x'.repeat(5000)}`]) {
        const r = await http('GET', `${server.url}/api/organizations`, token === undefined ? {} : { token });
        assert.equal(r.status, 401);
        assert.equal(r.body.error.code, 'unauthorized');
        assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
    });

    it('creates, reads, lists with cursors, renames and deletes organizations', async () => {
      const created = await admin.call('POST', '/organizations', { name: '  Initech  ', domains: ['Initech.example', 'initech.example'] });
      assert.equal(created.status, 201);
      assert.equal(created.body.name, 'Initech');
      assert.deepEqual(created.body.domains, ['initech.example']);
      assert.match(created.body.id, /^org_[0-9a-z]{26}$/);
      const got = await admin.call('GET', `/organizations/${created.body.id}`);
      assert.deepEqual(got.body, created.body);

      for (let i = 0; i < 5; i++) await admin.organization(`Paged ${i}`);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await admin.call('GET', `/organizations?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        assert.ok(page.body.data.length <= 2);
        seen.push(...page.body.data.map((o: { id: string }) => o.id));
        cursor = page.body.next;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, 'no organization appears twice across pages');
      assert.ok(seen.includes(created.body.id));

      const renamed = await admin.call('PATCH', `/organizations/${created.body.id}`, { name: 'Initrode' });
      assert.equal(renamed.body.name, 'Initrode');
      assert.equal((await admin.call('DELETE', `/organizations/${created.body.id}`)).status, 204);
      assert.equal((await admin.call('GET', `/organizations/${created.body.id}`)).status, 404);
    });

    it('rejects malformed, oversized and hostile bodies with a clear 4xx and changes nothing', async () => {
      const before = (await admin.call('GET', '/organizations?limit=500')).body.data.length;
      const cases: [string, Parameters<typeof http>[2], number][] = [
        ['missing name', { body: {} }, 400],
        ['empty name', { body: { name: '' } }, 400],
        ['name of wrong type', { body: { name: 42 } }, 400],
        ['bad domain', { body: { name: 'x', domains: ['not a domain'] } }, 400],
        ['not JSON', { rawBody: '{"name":', contentType: 'application/json' }, 400],
        ['JSON array', { rawBody: '[1,2]', contentType: 'application/json' }, 400],
        ['broken UTF-8', { rawBody: Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), contentType: 'application/json' }, 400],
        ['__proto__ key', { rawBody: '{"name":"x","__proto__":{"admin":true}}', contentType: 'application/json' }, 400],
        ['deep JSON', { rawBody: '{"name":"x","d":' + '['.repeat(5000) + ']'.repeat(5000) + '}', contentType: 'application/json' }, 400],
        ['text/plain', { rawBody: 'name=x', contentType: 'text/plain' }, 415],
        ['form', { rawBody: 'name=x', contentType: 'application/x-www-form-urlencoded' }, 415],
        ['2 MB body', { rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), contentType: 'application/json' }, 413],
      ];
      for (const [label, options, status] of cases) {
        const r = await http('POST', `${server.url}/api/organizations`, { token: (await import('../support/server.js')).ADMIN_KEY, ...options });
        assert.equal(r.status, status, `${label}: ${r.text}`);
        assert.equal(typeof r.body?.error?.code, 'string', `${label} has an error code`);
        assert.equal(typeof r.body?.error?.message, 'string', `${label} has an error message`);
        assert.doesNotMatch(r.text, /at .*\.(ts|js):\d+/, `${label} leaks no stack trace`);
      }
      assert.equal((await admin.call('GET', '/organizations?limit=500')).body.data.length, before);
    });

    it('rejects bad query parameters and cursors', async () => {
      for (const q of ['limit=0', 'limit=501', 'limit=abc', 'cursor=%%%', 'cursor=bm90LWEtY3Vyc29y']) {
        const r = await admin.call('GET', `/organizations?${q}`);
        assert.equal(r.status, 400, q);
      }
      assert.equal((await admin.call('GET', '/no/such/route')).status, 404);
      assert.equal((await admin.call('GET', `/organizations/${'x'.repeat(300)}`)).status, 414, 'an over-long id is refused before routing');
    });

    it('creates a directory whose token is shown once, rotates it, and the old token stops working', async () => {
      const org = await admin.organization('Globex');
      const created = await admin.call('POST', `/organizations/${org.id}/directories`, { provider: 'jumpcloud' });
      assert.equal(created.status, 201);
      assert.equal(created.body.provider, 'jumpcloud');
      assert.equal(created.body.scim.endpoint, `${server.url}/scim/v2/${created.body.id}`);
      assert.match(created.body.scim.token, /^ghd_[A-Za-z0-9_-]{43}$/);
      const token1 = created.body.scim.token;

      const got = await admin.call('GET', `/directories/${created.body.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.scim.token, undefined, 'the token is never shown again');
      assert.equal(got.body.scim.tokenHint, token1.slice(-4));
      assert.equal(got.body.userCount, 0);
      assert.equal(got.body.groupCount, 0);
      assert.equal(got.body.state, 'active');

      const spc = `${created.body.scim.endpoint}/ServiceProviderConfig`;
      assert.equal((await http('GET', spc, { token: token1 })).status, 200);
      const rotated = await admin.call('POST', `/directories/${created.body.id}/token`);
      assert.equal(rotated.status, 200);
      assert.equal(rotated.body.endpoint, created.body.scim.endpoint);
      assert.notEqual(rotated.body.token, token1);
      assert.equal((await http('GET', spc, { token: token1 })).status, 401, 'the old token stops at once');
      assert.equal((await http('GET', spc, { token: rotated.body.token })).status, 200);

      const list = await admin.call('GET', `/organizations/${org.id}/directories`);
      assert.deepEqual(list.body.data.map((d: { id: string }) => d.id), [created.body.id]);
      for (const bad of [{ provider: 'ldap' }, {}, { provider: 'okta', name: '' }]) {
        assert.equal((await admin.call('POST', `/organizations/${org.id}/directories`, bad)).status, 400);
      }
      assert.equal((await admin.call('POST', `/organizations/org_missing/directories`, { provider: 'okta' })).status, 404);
      assert.equal((await admin.call('POST', `/directories/dir_missing/token`)).status, 404);
    });

    it('records organization and directory events, filterable and continuable with after', async () => {
      const org = await admin.organization('Events Inc');
      const dir = await admin.directory(org.id, 'okta');
      await admin.call('POST', `/directories/${dir.id}/token`);
      const all = await admin.call('GET', `/events?organization=${org.id}`);
      assert.deepEqual(all.body.data.map((e: { type: string }) => e.type), ['organization.created', 'directory.created', 'directory.token_rotated']);
      for (const e of all.body.data) {
        assert.match(e.id, /^evt_/);
        assert.equal(e.organizationId, org.id);
        assert.ok(!JSON.stringify(e).includes(dir.scim.token), 'no event carries a token');
      }
      const rest = await admin.call('GET', `/events?organization=${org.id}&after=${all.body.data[0].id}`);
      assert.deepEqual(rest.body.data.map((e: { id: string }) => e.id), all.body.data.slice(1).map((e: { id: string }) => e.id));
      const typed = await admin.call('GET', `/events?organization=${org.id}&type=directory.created,directory.token_rotated&limit=1`);
      assert.equal(typed.body.data.length, 1);
      assert.equal(typed.body.next, typed.body.data[0].id);
      assert.equal((await admin.call('GET', `/events?type=nope.nope`)).status, 400);
      assert.equal((await admin.call('GET', `/events?after=evt_unknown`)).status, 400);
      assert.equal((await admin.call('GET', `/events/${all.body.data[0].id}`)).body.type, 'organization.created');
    });
  });
}
