/**
 * Setup links (issue 8): an organization-scoped, expiring token for a customer's IT admin. Created by the
 * admin only, stored hashed, and kept inside its organization on every admin route (other organizations'
 * resources are not found, the global routes are forbidden, the event feed is narrowed); revocation,
 * expiry and the organization's deletion end it. Hostile input never yields a 5xx.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { dialects } from '../support/databases.js';
import { createGroup, createUser, scimDirectory, sleep, type ScimDirectory } from '../support/scim.js';
import { ADMIN_KEY, http, startTestServer, type TestServer } from '../support/server.js';

for (const dialect of dialects) {
  describe(`setup links (${dialect})`, () => {
    let server: TestServer;
    let mine: ScimDirectory;
    let theirs: ScimDirectory;
    let token: string;
    let linkId: string;
    let mineUser: { id: string };
    let theirUser: { id: string };
    let theirGroup: { id: string };
    let sim: Simulator;

    const as = (t: string) => (method: string, path: string, body?: unknown) => http(method, `${server.url}/api${path}`, { token: t, ...(body !== undefined ? { body } : {}) });
    const setup = (method: string, path: string, body?: unknown) => as(token)(method, path, body);

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect, { GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE: '1' }), startSimulator({ seed: 'demo' })]);
      mine = await scimDirectory(server, 'jumpcloud');
      theirs = await scimDirectory(server, 'okta');
      mineUser = await createUser(mine.scim, 'ann@mine.example');
      await createGroup(mine.scim, 'Mine', [mineUser.id]);
      theirUser = await createUser(theirs.scim, 'bob@theirs.example');
      theirGroup = await createGroup(theirs.scim, 'Theirs', [theirUser.id]);
      const r = await mine.admin.call('POST', `/organizations/${mine.orgId}/setup-links`, { expiresInHours: 2 });
      assert.equal(r.status, 201, r.text);
      token = r.body.token;
      linkId = r.body.id;
    });
    after(async () => {
      await sim?.stop();
      await server?.close();
    });

    it('the admin creates a link: a portal URL carrying the token in its fragment, an expiry, stored only as a hash', async () => {
      const r = await mine.admin.call('POST', `/organizations/${mine.orgId}/setup-links`, { expiresInHours: 1.5 });
      assert.equal(r.status, 201, r.text);
      assert.match(r.body.token, /^ghs_[A-Za-z0-9_-]{43}$/);
      assert.equal(r.body.url, `${server.url}/admin/setup#token=${r.body.token}`);
      assert.equal(r.body.organizationId, mine.orgId);
      const ms = Date.parse(r.body.expiresAt) - Date.parse(r.body.createdAt);
      assert.equal(ms, 1.5 * 3_600_000);
      const rows = await server.runtime.gatehouse.store.handle.db.selectFrom('setup_links').selectAll().where('id', '=', r.body.id).execute();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.token_hash, createHash('sha256').update(r.body.token).digest('hex'));
      assert.ok(!JSON.stringify(rows).includes(r.body.token), 'the token itself is not stored');
      const list = await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?limit=1`);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.body.data.length, 1);
      assert.ok(list.body.next);
      const rest = await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?cursor=${list.body.next}`);
      assert.deepEqual([...list.body.data, ...rest.body.data].map((l: any) => l.id).sort(), [linkId, r.body.id].sort());
      assert.ok(!list.text.includes('ghs_') && !rest.text.includes('ghs_'), 'a listed link never carries its token');
      const doc = await http('GET', `${server.url}/openapi.json`);
      assert.ok(doc.body.paths['/api/organizations/{orgId}/setup-links']?.post);
      assert.ok(doc.body.paths['/api/session']?.get);
    });

    it('refuses bad input with 4xx and creates nothing', async () => {
      const before = (await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?limit=500`)).body.data.length;
      for (const body of [{ expiresInHours: 0 }, { expiresInHours: -1 }, { expiresInHours: 721 }, { expiresInHours: 'soon' }, { expiresInHours: null }, { expiresInHours: 1, scope: 'all' }, [1]]) {
        const r = await mine.admin.call('POST', `/organizations/${mine.orgId}/setup-links`, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
        assert.equal(typeof r.body.error.code, 'string');
      }
      const raw = await http('POST', `${server.url}/api/organizations/${mine.orgId}/setup-links`, { token: ADMIN_KEY, rawBody: '{"expiresInHours":', contentType: 'application/json' });
      assert.equal(raw.status, 400);
      const big = await http('POST', `${server.url}/api/organizations/${mine.orgId}/setup-links`, { token: ADMIN_KEY, rawBody: `{"expiresInHours":1,"x":"${'a'.repeat(1_100_000)}"}` });
      assert.equal(big.status, 413);
      assert.equal((await mine.admin.call('POST', '/organizations/org_nope/setup-links', { expiresInHours: 1 })).status, 404);
      assert.equal((await mine.admin.call('POST', `/organizations/${'x'.repeat(300)}/setup-links`, { expiresInHours: 1 })).status < 500, true);
      assert.equal((await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?cursor=%%%`)).status, 400);
      assert.equal((await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?cursor=bm90LWEtY3Vyc29y`)).status, 400);
      assert.equal((await mine.admin.call('DELETE', '/setup-links/stl_nope')).status, 404);
      const after = (await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?limit=500`)).body.data.length;
      assert.equal(after, before);
    });

    it('GET /session says who the token is', async () => {
      const s = await setup('GET', '/session');
      assert.equal(s.status, 200, s.text);
      assert.equal(s.body.kind, 'setup');
      assert.equal(s.body.organizationId, mine.orgId);
      const a = await as(ADMIN_KEY)('GET', '/session');
      assert.deepEqual(a.body, { kind: 'admin', organizationId: null, expiresAt: null });
    });

    it("reaches its organization's SCIM setup and what was provisioned", async () => {
      assert.equal((await setup('GET', `/organizations/${mine.orgId}`)).status, 200);
      const dirs = await setup('GET', `/organizations/${mine.orgId}/directories`);
      assert.equal(dirs.status, 200);
      assert.deepEqual(dirs.body.data.map((d: any) => d.id), [mine.dirId]);
      const created = await setup('POST', `/organizations/${mine.orgId}/directories`, { provider: 'jumpcloud', name: 'Second' });
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.scim.token, /^ghd_/);
      const rotated = await setup('POST', `/directories/${created.body.id}/token`);
      assert.equal(rotated.status, 200, rotated.text);
      assert.equal((await setup('GET', `/directories/${mine.dirId}`)).status, 200);
      const users = await setup('GET', `/directories/${mine.dirId}/users`);
      assert.deepEqual(users.body.data.map((u: any) => u.userName), ['ann@mine.example']);
      assert.equal((await setup('GET', `/directories/${mine.dirId}/users/${mineUser.id}`)).status, 200);
      const groups = await setup('GET', `/directories/${mine.dirId}/groups`);
      assert.equal(groups.body.data.length, 1);
      assert.equal((await setup('GET', `/directories/${mine.dirId}/groups/${groups.body.data[0].id}/members`)).body.data.length, 1);
      const put = await setup('PUT', `/organizations/${mine.orgId}/role-mappings`, { mappings: [{ directoryGroupId: groups.body.data[0].id, role: 'member' }] });
      assert.equal(put.status, 200, put.text);
      assert.equal((await setup('GET', `/organizations/${mine.orgId}/role-mappings`)).body.mappings.length, 1);
    });

    it("cannot see or touch another organization's resources (404, as if they did not exist)", async () => {
      const attempts: [string, string, unknown?][] = [
        ['GET', `/organizations/${theirs.orgId}`],
        ['GET', `/organizations/${theirs.orgId}/directories`],
        ['POST', `/organizations/${theirs.orgId}/directories`, { provider: 'generic' }],
        ['GET', `/directories/${theirs.dirId}`],
        ['POST', `/directories/${theirs.dirId}/token`],
        ['GET', `/directories/${theirs.dirId}/users`],
        ['GET', `/directories/${theirs.dirId}/users/${theirUser.id}`],
        ['GET', `/directories/${theirs.dirId}/groups`],
        ['GET', `/directories/${theirs.dirId}/groups/${theirGroup.id}`],
        ['GET', `/directories/${theirs.dirId}/groups/${theirGroup.id}/members`],
        ['GET', `/organizations/${theirs.orgId}/role-mappings`],
        ['PUT', `/organizations/${theirs.orgId}/role-mappings`, { mappings: [] }],
        // a directory id of theirs used with a user id of mine, and the reverse
        ['GET', `/directories/${theirs.dirId}/users/${mineUser.id}`],
      ];
      for (const [method, path, body] of attempts) {
        const r = await setup(method, path, body);
        assert.equal(r.status, 404, `${method} ${path} → ${r.status} ${r.text}`);
        assert.equal(r.body.error.code, 'not_found');
      }
      // their token still works and their directory was not rotated
      assert.equal((await theirs.scim('GET', '/Users')).status, 200);
      assert.equal((await theirs.admin.call('GET', `/organizations/${theirs.orgId}/role-mappings`)).body.mappings.length, 0);
    });

    it('cannot create organizations, webhooks or setup links, list everything, or delete anything (403)', async () => {
      const attempts: [string, string, unknown?][] = [
        ['GET', '/organizations'],
        ['POST', '/organizations', { name: 'Evil' }],
        ['PATCH', `/organizations/${mine.orgId}`, { name: 'Renamed' }],
        ['DELETE', `/organizations/${mine.orgId}`],
        ['DELETE', `/directories/${mine.dirId}`],
        ['GET', '/webhooks'],
        ['POST', '/webhooks', { url: 'https://evil.example/hook', organizationId: mine.orgId }],
        ['POST', '/webhooks', { url: 'https://evil.example/hook' }],
        ['POST', '/webhooks', 'not even json'],
        ['POST', `/organizations/${mine.orgId}/setup-links`, { expiresInHours: 720 }],
        ['GET', `/organizations/${mine.orgId}/setup-links`],
        ['DELETE', `/setup-links/${linkId}`],
      ];
      for (const [method, path, body] of attempts) {
        const r = await setup(method, path, body);
        assert.equal(r.status, 403, `${method} ${path} → ${r.status} ${r.text}`);
        assert.equal(r.body.error.code, 'forbidden');
      }
      assert.equal((await mine.admin.call('GET', `/organizations/${mine.orgId}`)).body.name.startsWith('Org'), true, 'not renamed');
      assert.equal((await mine.admin.call('GET', '/webhooks')).body.data.length, 0, 'no webhook was created');
      assert.equal((await mine.admin.call('GET', `/directories/${mine.dirId}`)).status, 200, 'not deleted');
    });

    it("SSO: sets up, renews and rolls over its organization's connections only; another's are 404, deleting is 403", async () => {
      const { tenant, app } = sim.idp.app({ slug: 'acme-portal' });
      const idpMetadataUrl = sim.idp.metadataUrls(tenant, app).advertised;
      const created = await setup('POST', `/organizations/${mine.orgId}/sso-connections`, { idpMetadataUrl, redirectUris: ['https://app.mine.example/callback'] });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const theirConn = await theirs.admin.call('POST', `/organizations/${theirs.orgId}/sso-connections`, { idpMetadataUrl, redirectUris: ['https://app.theirs.example/callback'] });
      assert.equal(theirConn.status, 201, theirConn.text);
      const other = theirConn.body.id;
      const theirKey = theirConn.body.spKeys[0].id;

      // its own connection: every setup step
      assert.deepEqual((await setup('GET', `/organizations/${mine.orgId}/sso-connections`)).body.data.map((c: any) => c.id), [id]);
      assert.equal((await setup('GET', `/sso-connections/${id}`)).status, 200);
      assert.equal((await setup('PATCH', `/sso-connections/${id}`, { name: 'Mine' })).body.name, 'Mine');
      assert.equal((await setup('GET', `/sso-connections/${id}/idp-certificates`)).status, 200);
      assert.equal((await setup('POST', `/sso-connections/${id}/idp-metadata/refresh`)).status, 200);
      const pair = await sim.idp.signingPair(tenant, app);
      assert.equal((await setup('POST', `/sso-connections/${id}/idp-certificates/renewal`, { fromMetadata: true })).status, 201);
      assert.equal((await setup('DELETE', `/sso-connections/${id}/idp-certificates/renewal`)).status, 200);
      // JumpCloud's "Renew Certificate" after the renewal started: the refresh finds the new certificate, then confirm
      const started = await setup('POST', `/sso-connections/${id}/idp-certificates/renewal`, { fromMetadata: true });
      assert.equal(started.status, 201, started.text);
      assert.equal((await http('POST', `${sim.consoleUrl}/sim/apps/${app._id}/regenerate-cert`)).status, 200);
      const refreshed = await setup('POST', `/sso-connections/${id}/idp-metadata/refresh`);
      assert.equal(refreshed.body.renewal?.awaitingCertificate, false, refreshed.text);
      const confirmed = await setup('POST', `/sso-connections/${id}/idp-certificates/renewal/confirm`);
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(confirmed.body.renewal, null);
      const next = await setup('POST', `/sso-connections/${id}/sp-keys`);
      assert.equal(next.status, 201, next.text);
      assert.equal((await setup('POST', `/sso-connections/${id}/sp-keys/${next.body.id}/activate`)).status, 200);
      const keys = (await setup('GET', `/sso-connections/${id}/sp-keys`)).body.spKeys;
      const retiring = keys.find((k: any) => k.state === 'retiring');
      assert.equal((await setup('POST', `/sso-connections/${id}/sp-keys/${retiring.id}/retire`)).status, 200);

      // another organization's connection: as if it did not exist, and unchanged
      const attempts: [string, string, unknown?][] = [
        ['GET', `/organizations/${theirs.orgId}/sso-connections`],
        ['POST', `/organizations/${theirs.orgId}/sso-connections`, { idpMetadataUrl, redirectUris: ['https://evil.example/cb'] }],
        ['GET', `/sso-connections/${other}`],
        ['PATCH', `/sso-connections/${other}`, { redirectUris: ['https://evil.example/cb'] }],
        ['GET', `/sso-connections/${other}/idp-certificates`],
        ['POST', `/sso-connections/${other}/idp-certificates/renewal`, { certificate: pair.certificatePem }],
        ['POST', `/sso-connections/${other}/idp-certificates/renewal/confirm`],
        ['DELETE', `/sso-connections/${other}/idp-certificates/renewal`],
        ['POST', `/sso-connections/${other}/idp-certificates/cert_x/dismiss`],
        ['POST', `/sso-connections/${other}/idp-metadata/refresh`],
        ['GET', `/sso-connections/${other}/sp-keys`],
        ['POST', `/sso-connections/${other}/sp-keys`],
        ['POST', `/sso-connections/${other}/sp-keys/${theirKey}/activate`],
        ['POST', `/sso-connections/${other}/sp-keys/${theirKey}/retire`],
        ['GET', '/sso-connections/sso_does_not_exist'],
        ['GET', `/sso-connections/${'x'.repeat(100)}/sp-keys`],
      ];
      for (const [method, path, body] of attempts) {
        const r = await setup(method, path, body);
        assert.equal(r.status, 404, `${method} ${path} → ${r.status} ${r.text}`);
        assert.equal(r.body.error.code, 'not_found');
      }
      const theirsNow = await theirs.admin.call('GET', `/sso-connections/${other}`);
      assert.deepEqual(theirsNow.body.redirectUris, ['https://app.theirs.example/callback']);
      assert.equal((await theirs.admin.call('GET', `/sso-connections/${other}/sp-keys`)).body.spKeys.length, 1, 'no key was added to theirs');
      // hostile parameters: a 4xx, never a 5xx
      for (const path of [`/sso-connections/${'x'.repeat(5000)}`, `/sso-connections/${encodeURIComponent("' OR 1=1 --")}`, `/sso-connections/%00`]) {
        const r = await setup('GET', path);
        assert.ok(r.status >= 400 && r.status < 500, `${path.slice(0, 40)} → ${r.status}`);
      }
      // never: deleting a connection, rotating the global id_token signing key
      for (const [method, path] of [['DELETE', `/sso-connections/${id}`], ['DELETE', `/sso-connections/${other}`], ['POST', '/oauth/signing-keys/rotate']] as const) {
        const r = await setup(method, path);
        assert.equal(r.status, 403, `${method} ${path} → ${r.status} ${r.text}`);
      }
      assert.equal((await mine.admin.call('GET', `/sso-connections/${id}`)).status, 200, 'not deleted');
    });

    it("JumpCloud pull: connects, pulls and reads its organization's connection only; another's are 404, deleting is 403", async () => {
      const created = await setup('POST', `/organizations/${mine.orgId}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id;
      const theirConn = await theirs.admin.call('POST', `/organizations/${theirs.orgId}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl });
      assert.equal(theirConn.status, 201, theirConn.text);
      const other = theirConn.body.id;

      // the list is narrowed to its organization; asking for another is 403
      const listed = await setup('GET', '/jumpcloud');
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(listed.body.data.map((c: any) => c.id), [id]);
      assert.equal((await setup('GET', `/jumpcloud?organization=${theirs.orgId}`)).status, 403);
      assert.deepEqual((await setup('GET', `/jumpcloud?organization=${mine.orgId}`)).body.data.map((c: any) => c.id), [id]);

      const sync = await setup('POST', `/jumpcloud/${id}/sync`);
      assert.equal(sync.status, 202, sync.text);
      let run: any;
      for (let i = 0; i < 300; i++) {
        run = (await setup('GET', `/jumpcloud/${id}/runs/${sync.body.runId}`)).body;
        if (run.state !== 'running') break;
        await sleep(100);
      }
      assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
      assert.equal((await setup('GET', `/jumpcloud/${id}`)).status, 200);
      assert.equal((await setup('PATCH', `/jumpcloud/${id}`, { name: 'Mine' })).body.name, 'Mine');
      assert.equal((await setup('GET', `/jumpcloud/${id}/runs`)).body.data.length, 1);
      const apps = await setup('GET', `/jumpcloud/${id}/inventory/applications`);
      assert.equal(apps.status, 200, apps.text);
      assert.ok(apps.body.data.length > 0);
      assert.equal((await setup('GET', `/jumpcloud/${id}/applications/${apps.body.data[0].id}/access`)).status, 200);
      assert.equal((await setup('GET', `/jumpcloud/${id}/findings`)).status, 200);
      assert.equal((await setup('GET', `/jumpcloud/${id}/drift`)).status, 200);
      assert.equal((await setup('POST', `/jumpcloud/${id}/drift/heal`, { dryRun: true })).status, 200);

      const attempts: [string, string, unknown?][] = [
        ['POST', `/organizations/${theirs.orgId}/jumpcloud`, { apiKey: 'k' }],
        ['GET', `/jumpcloud/${other}`],
        ['PATCH', `/jumpcloud/${other}`, { apiBaseUrl: 'https://evil.example' }],
        ['GET', `/jumpcloud/${other}/organizations`],
        ['POST', `/jumpcloud/${other}/sync`],
        ['GET', `/jumpcloud/${other}/runs`],
        ['GET', `/jumpcloud/${other}/runs/${sync.body.runId}`],
        ['POST', `/jumpcloud/${other}/runs/${sync.body.runId}/cancel`],
        ['GET', `/jumpcloud/${other}/inventory/users`],
        ['GET', `/jumpcloud/${other}/applications/${apps.body.data[0].id}/access`],
        ['GET', `/jumpcloud/${other}/findings`],
        ['GET', `/jumpcloud/${other}/drift`],
        ['POST', `/jumpcloud/${other}/drift/heal`, { dryRun: false }],
        ['GET', '/jumpcloud/jcc_does_not_exist'],
      ];
      for (const [method, path, body] of attempts) {
        const r = await setup(method, path, body);
        assert.equal(r.status, 404, `${method} ${path} → ${r.status} ${r.text}`);
        assert.equal(r.body.error.code, 'not_found');
      }
      const theirsNow = await theirs.admin.call('GET', `/jumpcloud/${other}`);
      assert.equal(theirsNow.body.apiBaseUrl, sim.consoleUrl, 'not changed');
      assert.equal(theirsNow.body.lastRun, null, 'no pull was started on theirs');
      for (const path of [`/jumpcloud/${id}`, `/jumpcloud/${other}`]) {
        const r = await setup('DELETE', path);
        assert.equal(r.status, 403, `DELETE ${path} → ${r.status} ${r.text}`);
      }
      assert.equal((await mine.admin.call('GET', `/jumpcloud/${id}`)).status, 200, 'not deleted');
    });

    it("reads only its organization's events", async () => {
      const feed = await setup('GET', '/events?limit=500');
      assert.equal(feed.status, 200, feed.text);
      assert.ok(feed.body.data.length > 0);
      assert.ok(feed.body.data.every((e: any) => e.organizationId === mine.orgId), 'only its organization');
      const byDirectory = await setup('GET', `/events?directory=${theirs.dirId}`);
      assert.equal(byDirectory.status, 200);
      assert.equal(byDirectory.body.data.length, 0);
      assert.equal((await setup('GET', `/events?organization=${theirs.orgId}`)).status, 403);
      assert.equal((await setup('GET', `/events?organization=${mine.orgId}`)).status, 200);
      const theirEvents = await theirs.admin.call('GET', `/events?organization=${theirs.orgId}`);
      assert.equal((await setup('GET', `/events/${theirEvents.body.data[0].id}`)).status, 404);
      assert.equal((await setup('GET', `/events/${feed.body.data[0].id}`)).status, 200);
      assert.equal((await setup('GET', '/events/evt_nope')).status, 404);
    });

    it('hostile tokens get 401; revocation, expiry and deleting the organization end a link', async () => {
      for (const bad of ['ghs_', `ghs_${'A'.repeat(43)}`, `ghs_${'x'.repeat(5000)}`, `${token}x`, token.slice(0, -1), `gha_${token.slice(4)}`]) {
        const r = await as(bad)('GET', '/session');
        assert.equal(r.status, 401, `${bad.slice(0, 20)}… → ${r.status}`);
      }
      // revoke
      const other = (await mine.admin.call('POST', `/organizations/${mine.orgId}/setup-links`, { expiresInHours: 1 })).body;
      assert.equal((await as(other.token)('GET', '/session')).status, 200);
      assert.equal((await mine.admin.call('DELETE', `/setup-links/${other.id}`)).status, 204);
      assert.equal((await as(other.token)('GET', '/session')).status, 401);
      assert.equal((await mine.admin.call('DELETE', `/setup-links/${other.id}`)).status, 204, 'revoking twice is harmless');
      const listed = (await mine.admin.call('GET', `/organizations/${mine.orgId}/setup-links?limit=500`)).body.data.find((l: any) => l.id === other.id);
      assert.ok(listed.revokedAt);
      // expiry (about a second)
      const brief = (await mine.admin.call('POST', `/organizations/${mine.orgId}/setup-links`, { expiresInHours: 0.0003 })).body;
      assert.equal((await as(brief.token)('GET', `/organizations/${mine.orgId}`)).status, 200);
      await sleep(1300);
      assert.equal((await as(brief.token)('GET', `/organizations/${mine.orgId}`)).status, 401);
      // the organization goes, its links with it
      const doomed = (await mine.admin.call('POST', '/organizations', { name: 'Doomed' })).body;
      const link = (await mine.admin.call('POST', `/organizations/${doomed.id}/setup-links`, { expiresInHours: 1 })).body;
      assert.equal((await as(link.token)('GET', '/session')).status, 200);
      assert.equal((await mine.admin.call('DELETE', `/organizations/${doomed.id}`)).status, 204);
      assert.equal((await as(link.token)('GET', '/session')).status, 401);
      // the first link still works, and the admin key too
      assert.equal((await setup('GET', '/session')).status, 200);
      assert.equal((await as(ADMIN_KEY)('GET', '/organizations')).status, 200);
    });
  });
}
