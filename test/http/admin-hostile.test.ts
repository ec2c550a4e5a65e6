import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, adminClient, http, startTestServer, type TestServer } from '../support/server.js';

/**
 * Hostile and malformed input on every admin route family added after the first suites (role mappings,
 * webhooks, events, directories): always a clean 4xx in the documented error shape, never a 5xx.
 */
for (const dialect of dialects) {
  describe(`admin API under hostile input (${dialect})`, () => {
    let server: TestServer;
    let orgId: string;
    let dirId: string;

    before(async () => {
      server = await startTestServer(dialect);
      const admin = adminClient(server);
      orgId = (await admin.organization('Hostile')).id;
      dirId = (await admin.directory(orgId)).id;
    });
    after(() => server.close());

    it('answers every probe with a 4xx and the error shape', async () => {
      const long = 'x'.repeat(5000);
      const probes: [string, string, unknown?][] = [
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: [{ directoryGroupId: long, role: 'r' }] }],
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: [{ directoryGroupId: 'g', role: '' }] }],
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: [{ directoryGroupId: 'g', role: long }] }],
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: 'all' }],
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: [null] }],
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: [], defaultRole: 42 }],
        ['PUT', `/organizations/org_missing/role-mappings`, { mappings: [] }],
        ['PUT', `/organizations/${orgId}/role-mappings`, { mappings: Array.from({ length: 20_000 }, (_, i) => ({ directoryGroupId: `g${i}`, role: 'r' })) }],
        ['POST', '/webhooks', { url: 'http://[::1' }],
        ['POST', '/webhooks', { url: 'javascript:alert(1)' }],
        ['POST', '/webhooks', { url: 'https://user:pass@example.com/hook' }],
        ['POST', '/webhooks', { url: `https://example.com/${long}${long}` }],
        ['POST', '/webhooks', { url: 'https://example.com/hook', events: ['no.such'] }],
        ['POST', '/webhooks', { url: 'https://example.com/hook', organizationId: 'org_missing' }],
        ['POST', '/webhooks', { url: 'https://example.com/hook', events: 'user.created' }],
        ['PATCH', '/webhooks/whe_missing', { enabled: true }],
        ['GET', '/webhooks/whe_missing/deliveries?cursor=%%%'],
        ['GET', '/webhooks?cursor=bm9wZQ'],
        ['POST', '/webhooks/whe_missing/redeliver', { eventId: 'evt_missing' }],
        ['GET', `/events?after=${long}`],
        ['GET', '/events?limit=-1'],
        ['GET', '/events?type=user.created,%00'],
        ['GET', '/directories/%00'],
        ['GET', `/directories/${dirId}/users?state=removed`],
        ['PATCH', `/directories/${dirId}`, { settings: { userDelete: 'shred' } }],
        ['PATCH', `/directories/${dirId}`, { settings: { nope: true } }],
        ['PATCH', '/directories/dir_missing', { settings: {} }],
        ['GET', `/directories/${dirId}/groups/%00/members`],
      ];
      for (const [method, path, body] of probes) {
        const r = await http(method, `${server.url}/api${path}`, { token: ADMIN_KEY, ...(body !== undefined ? { body } : {}) });
        const label = `${method} ${path.slice(0, 80)}`;
        assert.ok(r.status >= 400 && r.status < 500, `${label} → ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(typeof r.body?.error?.code, 'string', `${label} has an error code`);
      }
      assert.equal((await http('GET', `${server.url}/api/webhooks`, { token: ADMIN_KEY })).body.data.length, 0, 'no endpoint was created');

      // filters that match nothing: an empty page or a 4xx (PostgreSQL cannot even compare text with NUL)
      for (const path of ['/events?organization=%00', `/directories/${dirId}/users?search=%00`, `/events?directory=${long.slice(0, 100)}`]) {
        const r = await http('GET', `${server.url}/api${path}`, { token: ADMIN_KEY });
        if (r.status === 200) assert.deepEqual(r.body, { data: [], next: null }, path);
        else assert.ok(r.status >= 400 && r.status < 500 && typeof r.body?.error?.code === 'string', `${path} → ${r.status} ${r.text}`);
      }
    });
  });
}
