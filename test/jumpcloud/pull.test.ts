/**
 * The JumpCloud directory pull, black-box over HTTP against a started Gatehouse (SQLite and PostgreSQL),
 * with the simulator's console API as JumpCloud: connections, runs, inventory, access, tombstones,
 * findings, drift and healing, cancel, one run at a time, faults, and hostile input.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { dialects } from '../support/databases.js';
import { adminClient, http, scimClient, startTestServer, ADMIN_KEY, type TestServer } from '../support/server.js';

const FAST = {
  GATEHOUSE_JUMPCLOUD_BACKOFF_MS: '20',
  GATEHOUSE_JUMPCLOUD_BACKOFF_MAX_MS: '1500',
  GATEHOUSE_JUMPCLOUD_HEARTBEAT_MS: '50',
  GATEHOUSE_JUMPCLOUD_TICK_MS: '100',
  GATEHOUSE_JUMPCLOUD_CONCURRENCY: '4',
};
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

for (const dialect of dialects) {
  describe(`JumpCloud pull (${dialect})`, () => {
    let server: TestServer;
    let sim: Simulator;
    let admin: ReturnType<typeof adminClient>;
    let orgId: string;
    let connectionId: string;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect, FAST), startSimulator({ seed: 'demo' })]);
      admin = adminClient(server);
      orgId = (await admin.organization('Pull')).id;
      const created = await admin.call('POST', `/organizations/${orgId}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl });
      assert.equal(created.status, 201, created.text);
      connectionId = created.body.id;
    });
    after(async () => {
      await server.close();
      await sim.stop();
    });

    async function waitForRun(connection: string, runId: string, timeoutMs = 30_000): Promise<any> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const r = await admin.call('GET', `/jumpcloud/${connection}/runs/${runId}`);
        assert.equal(r.status, 200, r.text);
        if (r.body.state !== 'running') return r.body;
        if (Date.now() > until) assert.fail(`run still running: ${r.text}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    }

    async function pull(connection = connectionId): Promise<any> {
      const r = await admin.call('POST', `/jumpcloud/${connection}/sync`);
      assert.equal(r.status, 202, r.text);
      assert.match(r.body.runId, /^jcr_/);
      return waitForRun(connection, r.body.runId);
    }

    async function all(path: string): Promise<any[]> {
      const out: any[] = [];
      let cursor: string | null = null;
      do {
        const r: { status: number; text: string; body: any } = await admin.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(r.status, 200, r.text);
        out.push(...r.body.data);
        cursor = r.body.next;
      } while (cursor);
      return out;
    }

    it('stores the key encrypted and never shows it', async () => {
      const got = await admin.call('GET', `/jumpcloud/${connectionId}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.apiKeyHint, sim.apiKey.slice(-4));
      assert.doesNotMatch(got.text, new RegExp(sim.apiKey));
      const listed = await admin.call('GET', `/jumpcloud?organization=${orgId}`);
      assert.ok(listed.body.data.some((c: any) => c.id === connectionId));
      assert.doesNotMatch(listed.text, new RegExp(sim.apiKey));
      const row = await server.runtime.gatehouse.store.jumpcloud.getConnection(connectionId);
      assert.ok(row && !row.api_key_ciphertext.includes(sim.apiKey));
    });

    it('pulls users with their three emails, groups, admins, roles and applications, with progress and counts', async () => {
      const run = await pull();
      assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
      const t = sim.tenant;
      assert.equal(run.counts.users, t.users.size);
      assert.equal(run.counts.groups, t.groups.size);
      assert.equal(run.counts.admins, t.admins.size);
      assert.equal(run.counts.roles, t.roles().length);
      assert.equal(run.counts.applications, t.apps.size);
      assert.deepEqual(run.counts.skipped, { ldapServers: 1, radiusServers: 1 });
      assert.equal(run.progress.entities.done, run.progress.entities.total);
      assert.equal(run.progress.pages.done, run.progress.pages.total);
      assert.equal(run.progress.graph.done, t.groups.size + t.apps.size);
      const memberships = t.groups.list().reduce((n, g) => n + t.membersOf(g.id).length, 0);
      assert.equal(run.counts.memberships, memberships);
      assert.equal(run.counts.effectiveMemberships, memberships);

      const users = await all(`/jumpcloud/${connectionId}/inventory/users`);
      assert.equal(users.length, t.users.size);
      for (const u of users) {
        const jc = t.user(u.id);
        assert.equal(u.email, jc.email);
        assert.equal(u.alternateEmail, jc.alternateEmail);
        assert.equal(u.recoveryEmail, jc.recoveryEmail?.address ?? null);
        assert.equal(u.state, jc.state);
      }
      assert.ok(users.some((u) => u.alternateEmail !== null) && users.some((u) => u.recoveryEmail !== null));
      const admins = await all(`/jumpcloud/${connectionId}/inventory/admins`);
      assert.deepEqual(admins.map((a) => a.email).sort(), t.admins.list().map((a) => a.email).sort());
      const roles = await all(`/jumpcloud/${connectionId}/inventory/roles`);
      assert.ok(roles.some((r) => r.builtIn && r.name === 'Administrator') && roles.some((r) => r.isCustom && r.name === 'App Auditor'));
      const groups = await all(`/jumpcloud/${connectionId}/inventory/groups`);
      assert.equal(groups.length, t.groups.size);
      for (const g of groups) assert.equal(g.memberCount, t.membersOf(g.id).length, g.name);
      const apps = await all(`/jumpcloud/${connectionId}/inventory/applications`);
      const aws = apps.find((a) => a.name === 'aws-sso');
      assert.equal(aws.label, 'AWS SSO');
      assert.equal(aws.type, 'saml');
      assert.match(aws.logoUrl, /^https?:\/\//);
      assert.equal(aws.ssoUrl, `${sim.consoleUrl}/saml2/aws-sso`);
      assert.equal(aws.certificateExpiresAt, t.app(aws.id).cert.notAfter);
      assert.equal(aws.accessUserCount, t.appUsers(aws.id).length);

      // the run's duration is in /metrics
      const metrics = await http('GET', `${server.url}/metrics`, { token: ADMIN_KEY });
      assert.match(metrics.text, /^gatehouse_pull_duration_seconds_count\{provider="jumpcloud",result="ok"\} [1-9]/m);
    });

    it('answers who can reach an app, with the groups that grant it', async () => {
      const portal = sim.tenant.appBySlug('acme-portal')!;
      const r = await admin.call('GET', `/jumpcloud/${connectionId}/applications/${portal._id}/access`);
      assert.equal(r.status, 200, r.text);
      const expected = sim.tenant.appUsers(portal._id);
      assert.deepEqual(r.body.users.map((u: any) => u.id).sort(), expected.map((e) => e.userId).sort());
      const rosa = sim.tenant.userByUsername('rosa.rossi')!;
      assert.equal(r.body.users.find((u: any) => u.id === rosa._id).direct, true);
      const engineer = expected.find((e) => e.paths.some((p) => p.via === 'user_group'))!;
      const viaGroups = engineer.paths.flatMap((p) => (p.via === 'user_group' ? [p.groupId] : []));
      assert.deepEqual(r.body.users.find((u: any) => u.id === engineer.userId).viaGroups.sort(), viaGroups.sort());
      assert.deepEqual(r.body.boundGroups.map((g: any) => g.name).sort(), ['Engineering', 'Sales']);
      assert.deepEqual(r.body.boundUsers.map((u: any) => u.username), ['rosa.rossi']);
      assert.equal((await admin.call('GET', `/jumpcloud/${connectionId}/applications/000000000000000000000000/access`)).status, 404);
    });

    it('tombstones what disappeared from JumpCloud, and brings nothing back that stayed gone', async () => {
      const victim = sim.tenant.users.list()[3]!;
      sim.tenant.deleteUser(victim._id);
      const run = await pull();
      assert.equal(run.state, 'succeeded');
      assert.deepEqual(run.counts.tombstoned, { user: 1 });
      const live = await all(`/jumpcloud/${connectionId}/inventory/users`);
      assert.ok(!live.some((u) => u.id === victim._id));
      const withDeleted = await all(`/jumpcloud/${connectionId}/inventory/users?includeDeleted=true`);
      const tomb = withDeleted.find((u) => u.id === victim._id);
      assert.ok(tomb && tomb.deletedAt !== null);
    });

    it('opens findings (admin without MFA, expiring certificate) and resolves them when they disappear, with events', async () => {
      const expiring = sim.tenant.createApp({ name: 'custom-saml-app', displayLabel: 'Old App', slug: `old-app-${dialect}`, created: new Date(Date.now() - (5 * 365 - 20) * 86_400_000).toISOString() });
      await pull();
      const open = await all(`/jumpcloud/${connectionId}/findings?state=open`);
      const ivan = sim.tenant.admins.list().find((a) => a.email.startsWith('ivan.'))!;
      const mfa = open.find((f) => f.type === 'admin_without_mfa');
      assert.equal(mfa.subject.id, ivan._id);
      assert.equal(mfa.severity, 'high');
      const cert = open.find((f) => f.type === 'app_certificate_expiring' && f.subject.id === expiring._id);
      assert.ok(cert, JSON.stringify(open));
      assert.ok(['low', 'medium'].includes(cert.severity));
      const high = await all(`/jumpcloud/${connectionId}/findings?severity=high`);
      assert.ok(high.every((f) => f.severity === 'high') && high.some((f) => f.id === mfa.id));

      sim.tenant.updateAdmin(ivan._id, { enableMultiFactor: true, totpEnrolled: true });
      sim.tenant.deleteApp(expiring._id);
      const run = await pull();
      assert.ok(run.counts.findings.resolved >= 2);
      const resolved = await all(`/jumpcloud/${connectionId}/findings?state=resolved`);
      assert.ok(resolved.some((f) => f.id === mfa.id && f.resolvedAt !== null && f.firstSeenAt === mfa.firstSeenAt));
      const events = await admin.call('GET', `/events?organization=${orgId}&limit=500`);
      const types = events.body.data.map((e: any) => e.type);
      for (const t of ['jumpcloud.sync_finished', 'jumpcloud.finding_opened', 'jumpcloud.finding_resolved']) assert.ok(types.includes(t), t);
    });

    it('reports drift against a SCIM directory and heals only in the safe direction, when asked', async () => {
      const dir = await admin.directory(orgId);
      const scim = scimClient(dir.scim.endpoint, dir.scim.token);
      const portal = sim.tenant.appBySlug('acme-portal')!;
      const reachers = sim.tenant.appUsers(portal._id).map((e) => sim.tenant.user(e.userId));
      const [stays, suspended, unbound] = reachers;
      const ids: Record<string, string> = {};
      for (const u of [stays!, suspended!, unbound!]) {
        const r = await scim('POST', '/Users', { schemas: [USER], userName: u.email, externalId: u._id, active: true, emails: [{ value: u.email, primary: true }] });
        assert.equal(r.status, 201, r.text);
        ids[u._id] = r.body.id;
      }
      const stranger = await scim('POST', '/Users', { schemas: [USER], userName: 'nobody@elsewhere.example', active: true });
      const healNothing = await admin.call('POST', `/jumpcloud/${connectionId}/drift/heal`);
      assert.equal(healNothing.status, 200, healNothing.text);
      assert.equal(healNothing.body.dryRun, false);
      assert.deepEqual(healNothing.body.deactivated, [], 'nothing to heal while JumpCloud agrees (an unmatched user is never healed)');
      const engineering = sim.tenant.groupByName('Engineering')!;
      const scimGroup = await scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Engineering', externalId: engineering.id, members: [{ value: stranger.body.id }] });
      assert.equal(scimGroup.status, 201, scimGroup.text);
      const patched = await admin.call('PATCH', `/jumpcloud/${connectionId}`, { links: [{ directoryId: dir.id, applicationId: portal._id }] });
      assert.equal(patched.status, 200, patched.text);
      sim.tenant.suspendUser(suspended!._id);
      for (const g of sim.tenant.groupsOfUser(unbound!._id)) sim.tenant.removeMember(g, unbound!._id);
      sim.tenant.unbindUser(portal._id, unbound!._id);
      await pull();

      const drift = await admin.call('GET', `/jumpcloud/${connectionId}/drift?directoryId=${dir.id}`);
      assert.equal(drift.status, 200, drift.text);
      const report = drift.body.reports[0];
      assert.deepEqual(Object.fromEntries(report.deactivate.map((c: any) => [c.scimUserId, c.reason])), { [ids[suspended!._id]!]: 'suspended', [ids[unbound!._id]!]: 'unbound' });
      assert.deepEqual(report.unmatched.map((u: any) => u.scimUserId), [stranger.body.id]);
      assert.ok(report.missingInApp.length > 0);
      const groupDrift = report.groups.find((g: any) => g.scimGroupId === scimGroup.body.id);
      assert.equal(groupDrift.jumpcloudGroupId, engineering.id);
      assert.deepEqual(groupDrift.extraInApp, [stranger.body.id]);
      const engineersHere = sim.tenant.membersOf(engineering.id).filter((id) => id === stays!._id || id === suspended!._id).map((id) => ids[id]);
      assert.deepEqual([...groupDrift.missingInApp].sort(), engineersHere.sort());
      const findings = await all(`/jumpcloud/${connectionId}/findings?state=open`);
      assert.ok(findings.some((f) => f.type === 'user_suspended_still_active' && f.subject.id === ids[suspended!._id]));
      assert.ok(findings.some((f) => f.type === 'user_unbound_still_active' && f.subject.id === ids[unbound!._id]));
      assert.ok(findings.some((f) => f.type === 'app_user_without_jumpcloud_user' && f.subject.id === stranger.body.id));
      const mismatch = findings.find((f) => f.type === 'group_membership_mismatch' && f.subject.id === scimGroup.body.id);
      assert.ok(mismatch, JSON.stringify(findings.map((f) => f.type)));
      assert.equal(mismatch.evidence.extraInAppCount, 1);

      const dry = await admin.call('POST', `/jumpcloud/${connectionId}/drift/heal`, { directoryId: dir.id, dryRun: true });
      assert.equal(dry.status, 200, dry.text);
      assert.equal(dry.body.deactivated.length, 2);
      assert.equal((await scim('GET', `/Users/${ids[suspended!._id]}`)).body.active, true, 'a dry run changes nothing');
      const healed = await admin.call('POST', `/jumpcloud/${connectionId}/drift/heal`, { directoryId: dir.id });
      assert.equal(healed.status, 200, healed.text);
      assert.equal(healed.body.deactivated.length, 2);
      assert.equal((await scim('GET', `/Users/${ids[suspended!._id]}`)).body.active, false);
      assert.equal((await scim('GET', `/Users/${ids[unbound!._id]}`)).body.active, false);
      assert.equal((await scim('GET', `/Users/${ids[stays!._id]}`)).body.active, true);
      assert.equal((await scim('GET', `/Users/${stranger.body.id}`)).body.active, true, 'unmatched users are never healed');
      const events = await admin.call('GET', `/events?directory=${dir.id}&type=user.deactivated`);
      assert.equal(events.body.data.length, 2);
    });

    it('runs one pull at a time per connection, and cancels on request', async () => {
      const latency = sim.faults.addLatency(150);
      try {
        const first = await admin.call('POST', `/jumpcloud/${connectionId}/sync`);
        assert.equal(first.status, 202);
        const second = await admin.call('POST', `/jumpcloud/${connectionId}/sync`);
        assert.equal(second.status, 409, second.text);
        assert.equal(second.body.error.code, 'conflict');
        const cancelled = await admin.call('POST', `/jumpcloud/${connectionId}/runs/${first.body.runId}/cancel`);
        assert.equal(cancelled.status, 202, cancelled.text);
        const run = await waitForRun(connectionId, first.body.runId);
        assert.equal(run.state, 'cancelled');
        assert.equal((await admin.call('POST', `/jumpcloud/${connectionId}/runs/${first.body.runId}/cancel`)).status, 409);
        const runs = await admin.call('GET', `/jumpcloud/${connectionId}/runs?state=cancelled`);
        assert.ok(runs.body.data.some((r: any) => r.id === first.body.runId));
      } finally {
        sim.faults.remove(latency.id);
      }
    });

    it('retries 429 (Retry-After), 502 and 503 and still succeeds', async () => {
      sim.faults.failWith(429, { retryAfter: 1, times: 1, path: '/api/systemusers' });
      sim.faults.failWith(502, { times: 2, path: '/api/v2/usergroups' });
      sim.faults.failWith(503, { times: 2, path: '/api/applications' });
      const run = await pull();
      assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
      assert.ok(run.counts.retries >= 5, JSON.stringify(run.counts));
    });

    it('fails a run with a clear error for a bad key (401), and for missing rights (403)', async () => {
      const bad = await admin.call('POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'not-a-key', apiBaseUrl: sim.consoleUrl });
      const run = await pull(bad.body.id);
      assert.equal(run.state, 'failed');
      assert.equal(run.error.code, 'unauthorized');
      assert.match(run.error.message, /401/);
      assert.doesNotMatch(JSON.stringify(run), /not-a-key/);
      sim.faults.failWith(403, { path: '/api/users' });
      try {
        const denied = await pull();
        assert.equal(denied.state, 'failed');
        assert.equal(denied.error.code, 'forbidden');
        assert.match(denied.error.message, /rights/);
      } finally {
        sim.faults.clear();
      }
      const events = await admin.call('GET', `/events?organization=${orgId}&type=jumpcloud.sync_failed`);
      assert.ok(events.body.data.length >= 2);
    });

    it('lists the organizations a multi-tenant key reaches, and pulls the one named by orgId', async () => {
      const other = sim.addOrganization({ displayName: 'Beta Org', seed: 'none' });
      const key = sim.addApiKey({ orgIds: [sim.orgId, other.orgId] });
      other.createUser({ username: 'beta.user', email: 'beta.user@beta.example', firstname: 'Beta', lastname: 'User' });
      const created = await admin.call('POST', `/organizations/${orgId}/jumpcloud`, { apiKey: key.key, apiBaseUrl: sim.consoleUrl, orgId: other.orgId });
      assert.equal(created.status, 201, created.text);
      const orgs = await admin.call('GET', `/jumpcloud/${created.body.id}/organizations`);
      assert.equal(orgs.status, 200, orgs.text);
      assert.deepEqual(orgs.body.data.map((o: any) => o.id).sort(), [sim.orgId, other.orgId].sort());
      const run = await pull(created.body.id);
      assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
      assert.equal(run.counts.users, 1);
      const noOrg = await admin.call('POST', `/organizations/${orgId}/jumpcloud`, { apiKey: key.key, apiBaseUrl: sim.consoleUrl });
      const failed = await pull(noOrg.body.id);
      assert.equal(failed.error.code, 'unauthorized');
      assert.match(failed.error.message, /multi-tenant/);
    });

    it('refuses malformed, oversized and hostile input with a 4xx and changes nothing', async () => {
      const before = (await admin.call('GET', '/jumpcloud?limit=500')).body.data.length;
      const bad: [string, string, unknown][] = [
        ['POST', `/organizations/${orgId}/jumpcloud`, {}],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: '' }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'x'.repeat(501) }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'k', apiBaseUrl: 'ftp://x' }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'k', apiBaseUrl: 'http://user:pw@host' }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'k', orgId: "'; drop table jumpcloud_runs; --" }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'k', syncIntervalMinutes: 1 }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'k', links: [{ directoryId: 'dir_nope', applicationId: 'a' }] }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 'k', extra: true }],
        ['POST', `/organizations/${orgId}/jumpcloud`, { apiKey: 42 }],
        ['POST', '/organizations/org_nope/jumpcloud', { apiKey: 'k' }],
        ['GET', `/jumpcloud/${connectionId}/inventory/secrets`, undefined],
        ['GET', `/jumpcloud/${connectionId}/inventory/users?cursor=%00%00`, undefined],
        ['GET', `/jumpcloud/${connectionId}/inventory/users?limit=100000`, undefined],
        ['GET', `/jumpcloud/${connectionId}/findings?severity=apocalyptic`, undefined],
        ['GET', `/jumpcloud/${connectionId}/runs/jcr_nope`, undefined],
        ['POST', `/jumpcloud/${connectionId}/runs/jcr_nope/cancel`, undefined],
        ['GET', `/jumpcloud/${'x'.repeat(150)}`, undefined],
        ['POST', '/jumpcloud/jcc_nope/sync', undefined],
        ['PATCH', `/jumpcloud/${connectionId}`, { apiBaseUrl: 'javascript:alert(1)' }],
        ['PATCH', `/jumpcloud/${connectionId}`, { links: 'all' }],
        ['GET', `/jumpcloud/${connectionId}/drift?directoryId=dir_other`, undefined],
        ['POST', `/jumpcloud/${connectionId}/drift/heal`, { directoryId: 5 }],
        ['POST', `/jumpcloud/${connectionId}/drift/heal`, { dryRun: 'yes' }],
        ['POST', `/jumpcloud/${connectionId}/drift/heal`, [1, 2]],
        ['POST', `/jumpcloud/${connectionId}/drift/heal`, { everything: true }],
      ];
      for (const [method, path, body] of bad) {
        const r = await admin.call(method, path, body);
        assert.ok(r.status >= 400 && r.status < 500, `${method} ${path} → ${r.status} ${r.text}`);
        assert.ok(r.body?.error?.code, `${method} ${path} has an error object`);
      }
      const raw = await http('POST', `${server.url}/api/organizations/${orgId}/jumpcloud`, { token: ADMIN_KEY, rawBody: '{"apiKey":', contentType: 'application/json' });
      assert.equal(raw.status, 400);
      const huge = await http('POST', `${server.url}/api/organizations/${orgId}/jumpcloud`, { token: ADMIN_KEY, rawBody: JSON.stringify({ apiKey: 'k', name: 'n'.repeat(2_000_000) }) });
      assert.equal(huge.status, 413);
      const noAuth = await http('GET', `${server.url}/api/jumpcloud`);
      assert.equal(noAuth.status, 401);
      assert.equal((await admin.call('GET', '/jumpcloud?limit=500')).body.data.length, before);
    });

    it('documents the routes in OpenAPI and lets webhooks subscribe to the JumpCloud events', async () => {
      const doc = await http('GET', `${server.url}/openapi.json`);
      assert.equal(doc.status, 200);
      for (const path of ['/api/organizations/{orgId}/jumpcloud', '/api/jumpcloud/{id}/sync', '/api/jumpcloud/{id}/runs/{runId}', '/api/jumpcloud/{id}/inventory/{kind}', '/api/jumpcloud/{id}/applications/{appId}/access', '/api/jumpcloud/{id}/findings', '/api/jumpcloud/{id}/drift/heal']) {
        assert.ok(doc.body.paths[path], path);
      }
      const hook = await admin.call('POST', '/webhooks', { url: 'https://example.com/hook', organizationId: orgId, events: ['jumpcloud.sync_finished', 'jumpcloud.sync_failed', 'jumpcloud.finding_opened', 'jumpcloud.finding_resolved'] });
      assert.equal(hook.status, 201, hook.text);
      assert.equal((await admin.call('DELETE', `/webhooks/${hook.body.id}`)).status, 204);
    });

    it('deletes a connection with its inventory', async () => {
      const created = await admin.call('POST', `/organizations/${orgId}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl, syncIntervalMinutes: null });
      await pull(created.body.id);
      assert.equal((await admin.call('DELETE', `/jumpcloud/${created.body.id}`)).status, 204);
      assert.equal((await admin.call('GET', `/jumpcloud/${created.body.id}/inventory/users`)).status, 404);
      assert.equal((await admin.call('DELETE', `/jumpcloud/${created.body.id}`)).status, 404);
    });
  });
}
