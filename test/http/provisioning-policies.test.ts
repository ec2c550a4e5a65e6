/**
 * Provisioning semantics (issue 5, item 1): the provider dialects' default settings and their per-directory
 * overrides (`PATCH /api/directories/:dirId`), soft-deleted users and their reactivation, Test Connection
 * artifacts, group takeover by name, suspension and orphan policies, the unmatched-filter switch.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { http, startTestServer, ADMIN_KEY, type TestServer } from '../support/server.js';
import {
  adminMemberIds,
  adminUser,
  assertEventTypes,
  assertOk,
  assertScimError,
  createGroup,
  createUser,
  directoryEvents,
  eventsDuring,
  patchOp,
  q,
  scimDirectory,
  sleep,
  URN,
  userBody,
  type ScimDirectory,
} from '../support/scim.js';
import { waitFor } from '../support/webhook-receiver.js';

const JUMPCLOUD_DEFAULTS = {
  userDelete: 'soft',
  onSuspend: 'deactivate',
  orphanedMembers: 'deactivate',
  groupNameConflict: 'takeover',
  unmatchedFilter: 'create',
  testConnection: { purge: true, userNames: [], windowSeconds: 30 },
};
const OKTA_DEFAULTS = { ...JUMPCLOUD_DEFAULTS, orphanedMembers: 'keep', groupNameConflict: 'conflict', testConnection: { purge: false, userNames: [], windowSeconds: 0 } };

async function settingsOf(d: ScimDirectory): Promise<any> {
  const r = await d.admin.call('GET', `/directories/${d.dirId}`);
  assert.equal(r.status, 200, r.text);
  return r.body.settings;
}

async function setSettings(d: ScimDirectory, settings: Record<string, unknown>): Promise<any> {
  const r = await d.admin.call('PATCH', `/directories/${d.dirId}`, { settings });
  assert.equal(r.status, 200, r.text);
  return r.body.settings;
}

/** Whether the admin API knows the user at all (soft-deleted users included). */
async function adminStatus(d: ScimDirectory, userId: string): Promise<number> {
  return (await d.admin.call('GET', `/directories/${d.dirId}/users/${userId}`)).status;
}

for (const dialect of dialects) {
  describe(`Provisioning policies and directory settings (${dialect})`, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer(dialect, { GATEHOUSE_TEST_ARTIFACT_SWEEP_MS: '200' });
    });
    after(() => server.close());

    it('settings: each provider dialect gives its defaults; PATCH overrides, null resets, directory.updated is written', async () => {
      const jc = await scimDirectory(server, 'jumpcloud');
      assert.deepEqual(await settingsOf(jc), JUMPCLOUD_DEFAULTS);
      assert.deepEqual(await settingsOf(await scimDirectory(server, 'okta')), OKTA_DEFAULTS);
      assert.deepEqual(await settingsOf(await scimDirectory(server, 'entra')), OKTA_DEFAULTS);
      assert.deepEqual(await settingsOf(await scimDirectory(server, 'generic')), OKTA_DEFAULTS);

      const events = await eventsDuring(jc, async () => {
        const changed = await setSettings(jc, { orphanedMembers: 'keep', testConnection: { userNames: [' Scim-Test@acme.example ', 'Scim-Test@acme.example'] } });
        assert.deepEqual(changed, { ...JUMPCLOUD_DEFAULTS, orphanedMembers: 'keep', testConnection: { purge: true, userNames: ['Scim-Test@acme.example'], windowSeconds: 30 } });
      });
      assertEventTypes(events, jc, ['directory.updated']);
      assert.equal(events[0]!.data.settings.orphanedMembers, 'keep');
      assert.equal((events[0]!.previous as any).settings.orphanedMembers, 'deactivate');
      // testConnection merges key by key; null resets a key, then the whole object, to the defaults
      assert.deepEqual((await setSettings(jc, { testConnection: { windowSeconds: 5 } })).testConnection, { purge: true, userNames: ['Scim-Test@acme.example'], windowSeconds: 5 });
      assert.deepEqual((await setSettings(jc, { testConnection: { userNames: null } })).testConnection, { purge: true, userNames: [], windowSeconds: 5 });
      assert.deepEqual(await setSettings(jc, { orphanedMembers: null, testConnection: null }), JUMPCLOUD_DEFAULTS);
      assert.deepEqual(await settingsOf(jc), JUMPCLOUD_DEFAULTS);
      assert.ok((await http('GET', `${server.url}/openapi.json`)).body.paths['/api/directories/{dirId}']?.patch, 'OpenAPI lists the PATCH');
    });

    it('settings: malformed, hostile and oversized bodies are clean 4xx and change nothing', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      await setSettings(d, { userDelete: 'hard' });
      const bad: unknown[] = [
        {},
        { settings: [] },
        { settings: 'hard' },
        { settings: { userDelete: 'shred' } },
        { settings: { userDelete: 1 } },
        { settings: { unknown: 'x' } },
        { settings: { testConnection: [] } },
        { settings: { testConnection: { purge: 'yes' } } },
        { settings: { testConnection: { windowSeconds: -1 } } },
        { settings: { testConnection: { windowSeconds: 3601 } } },
        { settings: { testConnection: { windowSeconds: 1.5 } } },
        { settings: { testConnection: { userNames: Array.from({ length: 21 }, (_, i) => `u${i}@x.io`) } } },
        { settings: { testConnection: { userNames: [''] } } },
        { settings: { testConnection: { userNames: ['x'.repeat(257)] } } },
        { settings: { testConnection: { userNames: [{}] } } },
        { settings: { testConnection: { other: 1 } } },
        { settings: { userDelete: 'soft' }, name: 'extra' },
        JSON.parse('{"settings":{"__proto__":{"userDelete":"soft"}}}'),
        JSON.parse('{"settings":{"constructor":{"prototype":{"x":1}}}}'),
      ];
      for (const body of bad) {
        const r = await d.admin.call('PATCH', `/directories/${d.dirId}`, body);
        assert.ok(r.status === 400, `${JSON.stringify(body).slice(0, 120)} → ${r.status} ${r.text.slice(0, 200)}`);
        assert.equal(typeof r.body?.error?.code, 'string');
      }
      const huge = await http('PATCH', `${server.url}/api/directories/${d.dirId}`, { token: ADMIN_KEY, body: { settings: { userDelete: 'x'.repeat(1_100_000) } } });
      assert.equal(huge.status, 413);
      const notJson = await http('PATCH', `${server.url}/api/directories/${d.dirId}`, { token: ADMIN_KEY, rawBody: '{"settings":' });
      assert.equal(notJson.status, 400);
      assert.equal((await d.admin.call('PATCH', '/directories/dir_missing', { settings: {} })).status, 404);
      assert.equal((await http('PATCH', `${server.url}/api/directories/${d.dirId}`, { body: { settings: {} } })).status, 401);
      assert.deepEqual(await settingsOf(d), { ...JUMPCLOUD_DEFAULTS, userDelete: 'hard' }, 'nothing changed');
    });

    it('soft delete: gone from SCIM, kept as deleted in the admin API; a POST of its userName or externalId revives the same user', async () => {
      const d = await scimDirectory(server, 'generic');
      const u = await createUser(d.scim, 'soft@example.com', { externalId: 'ext-soft' });
      const g = await createGroup(d.scim, 'Soft group', [u.id]);
      const deleted = await eventsDuring(d, async () => assert.equal((await d.scim('DELETE', `/Users/${u.id}`)).status, 204));
      assertEventTypes(deleted, d, ['group.user_removed', 'user.deleted']);
      assertScimError(await d.scim('GET', `/Users/${u.id}`), 404, null, 'SCIM GET');
      assert.equal((await d.scim('GET', `/Users?filter=${q('externalId eq "ext-soft"')}`)).body.totalResults, 0);
      assertScimError(await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }] })), 400, 'invalidValue', 'a deleted user is no member');
      const shown = await adminUser(d, u.id);
      assert.deepEqual([shown.state, shown.groups, shown.roles], ['deleted', [], []]);
      const dir = (await d.admin.call('GET', `/directories/${d.dirId}`)).body;
      assert.deepEqual([dir.userCount, dir.activeUserCount, dir.deletedUserCount], [0, 0, 1]);
      assert.deepEqual((await d.admin.call('GET', `/directories/${d.dirId}/users?state=inactive`)).body.data, []);

      // revived by userName (case-insensitively): same id, the new document, user.reactivated
      let revived: any;
      const back = await eventsDuring(d, async () => {
        revived = await d.scim('POST', '/Users', userBody('SOFT@example.com', { externalId: 'ext-soft', title: 'Back' }));
      });
      assertOk(revived, 201, 'revive');
      assert.equal(revived.body.id, u.id);
      assert.equal(revived.body.title, 'Back');
      assert.equal(revived.headers.get('location'), `${d.endpoint}/Users/${u.id}`);
      assertEventTypes(back, d, ['user.reactivated']);
      assert.deepEqual(back[0]!.previous, { state: 'deleted' });
      assert.equal(back[0]!.data.state, 'active');
      assert.equal((await adminUser(d, u.id)).state, 'active');
      assertOk(await d.scim('GET', `/Users/${u.id}`), 200);

      // revived by externalId under a new userName
      assert.equal((await d.scim('DELETE', `/Users/${u.id}`)).status, 204);
      const renamed = await d.scim('POST', '/Users', userBody('soft.new@example.com', { externalId: 'ext-soft' }));
      assertOk(renamed, 201);
      assert.equal(renamed.body.id, u.id);
      assert.equal(renamed.body.userName, 'soft.new@example.com');

      // a live user renamed onto a deleted user's userName takes it; the deleted one is purged
      const old = await createUser(d.scim, 'taken@example.com');
      assert.equal((await d.scim('DELETE', `/Users/${old.id}`)).status, 204);
      assertOk(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'userName', value: 'Taken@example.com' })), 200);
      assert.equal(await adminStatus(d, old.id), 404);
      // a live userName still conflicts
      assertScimError(await d.scim('POST', '/Users', userBody('taken@example.com')), 409, 'uniqueness');
    });

    it('userDelete: hard removes the row; the same userName then creates a new user', async () => {
      const d = await scimDirectory(server, 'okta');
      await setSettings(d, { userDelete: 'hard' });
      const u = await createUser(d.scim, 'hard@example.com');
      assertEventTypes(await eventsDuring(d, () => d.scim('DELETE', `/Users/${u.id}`)), d, ['user.deleted']);
      assert.equal(await adminStatus(d, u.id), 404);
      const again = await eventsDuring(d, async () => assert.notEqual((await createUser(d.scim, 'hard@example.com')).id, u.id));
      assertEventTypes(again, d, ['user.created']);
    });

    it('Test Connection: the test user and group leave no residue, deleted or deactivated; a real user is never taken for one', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      // JumpCloud's sequence: the test user, an empty test group, delete both
      const t1 = await createUser(d.scim, 'scim-test@acme.example');
      const tg = await createGroup(d.scim, 'JumpCloud Test Group');
      assert.equal((await d.scim('DELETE', `/Groups/${tg.id}`)).status, 204);
      assert.equal((await d.scim('DELETE', `/Users/${t1.id}`)).status, 204);
      assert.equal(await adminStatus(d, t1.id), 404, 'purged, not soft-deleted');
      assert.deepEqual((await d.admin.call('GET', `/directories/${d.dirId}/users?state=deleted`)).body.data, []);
      // DELETE refused by some servers: JumpCloud deactivates the test user instead — purged when its
      // userName is the configured test email (no timing rule: a real user may be suspended as fast)
      await setSettings(d, { testConnection: { userNames: ['scim-test@acme.example'] } });
      const t2 = await createUser(d.scim, 'scim-test@acme.example');
      const tg2 = await createGroup(d.scim, 'JumpCloud Test Group');
      assert.equal((await d.scim('DELETE', `/Groups/${tg2.id}`)).status, 204);
      const off = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Users/${t2.id}`, userBody('scim-test@acme.example', { active: false })), 200));
      assertEventTypes(off, d, ['user.deleted']);
      assert.equal(await adminStatus(d, t2.id), 404);
      assertScimError(await d.scim('GET', `/Users/${t2.id}`), 404);

      // real users: one suspended right after its creation (an empty group created between, as real
      // provisioning does), one updated before
      // its suspension, one removed from its group and suspended at once
      const early = await createUser(d.scim, 'early@acme.example');
      await createGroup(d.scim, 'Bound before its first member');
      assertEventTypes(await eventsDuring(d, () => d.scim('PATCH', `/Users/${early.id}`, patchOp({ op: 'replace', path: 'active', value: false }))), d, ['user.deactivated']);
      const real = await createUser(d.scim, 'real@acme.example');
      assertOk(await d.scim('PATCH', `/Users/${real.id}`, patchOp({ op: 'replace', path: 'title', value: 'Eng' })), 200);
      assertOk(await d.scim('PATCH', `/Users/${real.id}`, patchOp({ op: 'replace', path: 'active', value: false })), 200);
      assert.equal((await adminUser(d, real.id)).state, 'inactive');
      const member = await createUser(d.scim, 'member@acme.example');
      const g = await createGroup(d.scim, 'Team', [member.id, real.id]);
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: member.id }] }))).status, 204);
      const suspended = await eventsDuring(d, () => d.scim('PATCH', `/Users/${member.id}`, patchOp({ op: 'replace', path: 'active', value: false })));
      assertEventTypes(suspended, d, ['user.deactivated']);
      assert.equal((await adminUser(d, member.id)).state, 'inactive');
      // turned off: the test user is an ordinary (soft-deleted) user
      await setSettings(d, { testConnection: { purge: false } });
      const t3 = await createUser(d.scim, 'scim-test@acme.example');
      assert.equal((await d.scim('DELETE', `/Users/${t3.id}`)).status, 204);
      assert.equal((await adminUser(d, t3.id)).state, 'deleted');
    });

    it('Test Connection: a test user whose delete never comes is swept after the window; empty groups are never swept', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      await setSettings(d, { testConnection: { userNames: ['scim-test@acme.example'], windowSeconds: 1 } });
      const mark = (await directoryEvents(d.admin, d.dirId)).at(-1)!.id;
      const t = await createUser(d.scim, 'SCIM-TEST@acme.example');
      const tg = await createGroup(d.scim, 'JumpCloud Test Group 1a2b3c');
      const keptUser = await createUser(d.scim, 'kept@acme.example');
      const keptGroup = await createGroup(d.scim, 'Kept', [keptUser.id]);
      const touched = await createGroup(d.scim, 'Renamed later');
      assertOk(await d.scim('PUT', `/Groups/${touched.id}`, { schemas: [URN.group], displayName: 'Renamed' }), 200);
      await waitFor('the sweep', async () => (await adminStatus(d, t.id)) === 404, 8_000);
      await sleep(1500);
      const events = await directoryEvents(d.admin, d.dirId, mark);
      assert.deepEqual(events.filter((e) => e.type.endsWith('.deleted')).map((e) => [e.type, e.data.id]), [['user.deleted', t.id]]);
      assertOk(await d.scim('GET', `/Groups/${tg.id}`), 200, 'an empty group may be a real one bound before its first member');
      assert.equal((await adminUser(d, keptUser.id)).state, 'active');
      assertOk(await d.scim('GET', `/Groups/${keptGroup.id}`), 200);
      assertOk(await d.scim('GET', `/Groups/${touched.id}`), 200, 'a group changed since its creation is no test group');
    });

    it('groupNameConflict: takeover (JumpCloud) adopts the existing group; conflict (Okta) is a 409', async () => {
      const jc = await scimDirectory(server, 'jumpcloud');
      const [a, b] = [await createUser(jc.scim, 'a@acme.example'), await createUser(jc.scim, 'b@acme.example')];
      const g = await createGroup(jc.scim, 'Ops', [a.id]);
      let posted: any;
      const events = await eventsDuring(jc, async () => {
        posted = await jc.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'Ops', externalId: 'jc-ops', members: [{ value: b.id }] });
      });
      assertOk(posted, 201, 'takeover');
      assert.equal(posted.body.id, g.id);
      assert.equal(posted.body.externalId, 'jc-ops');
      assert.equal(posted.headers.get('location'), `${jc.endpoint}/Groups/${g.id}`);
      assertEventTypes(events, jc, ['group.updated', 'group.user_added']);
      assert.deepEqual(await adminMemberIds(jc, g.id), [a.id, b.id].sort(), 'its other members stay');

      const okta = await scimDirectory(server, 'okta');
      await createGroup(okta.scim, 'Ops');
      assertScimError(await okta.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'ops' }), 409, 'uniqueness');
    });

    it('onSuspend: deactivate keeps groups; deactivate-and-remove-memberships removes them, with the roles they gave', async () => {
      const d = await scimDirectory(server, 'okta');
      const u = await createUser(d.scim, 'sus@example.com');
      const g = await createGroup(d.scim, 'Admins', [u.id]);
      assert.equal((await d.admin.call('PUT', `/organizations/${d.orgId}/role-mappings`, { mappings: [{ directoryGroupId: g.id, role: 'admin' }] })).status, 200);
      const kept = await eventsDuring(d, () => d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })));
      assertEventTypes(kept, d, ['user.deactivated']);
      assert.deepEqual((await adminUser(d, u.id)).roles, ['admin']);
      assertOk(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', value: { active: true } })), 200);

      await setSettings(d, { onSuspend: 'deactivate-and-remove-memberships' });
      const removed = await eventsDuring(d, () => d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })));
      assertEventTypes(removed, d, ['user.deactivated', 'group.user_removed', 'user.updated']);
      assert.deepEqual(removed[2]!.previous, { roles: ['admin'] });
      const now = await adminUser(d, u.id);
      assert.deepEqual([now.state, now.groups, now.roles], ['inactive', [], []]);
      assert.deepEqual(await adminMemberIds(d, g.id), []);
    });

    it('orphanedMembers: an emptied or deleted group deactivates the members it leaves in no group (deactivate), or none (keep)', async () => {
      const jc = await scimDirectory(server, 'jumpcloud');
      const [a, b, c] = [await createUser(jc.scim, 'oa@x.io'), await createUser(jc.scim, 'ob@x.io'), await createUser(jc.scim, 'oc@x.io')];
      const g1 = await createGroup(jc.scim, 'G1', [a.id, b.id, c.id]);
      const g2 = await createGroup(jc.scim, 'G2', [b.id]);
      // a single removal that leaves members is no unbind
      assertEventTypes(await eventsDuring(jc, () => jc.scim('PATCH', `/Groups/${g1.id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: c.id }] }))), jc, ['group.user_removed']);
      // emptied (JumpCloud's unbind): a is left in no group, b still has G2
      const unbind = await eventsDuring(jc, () => jc.scim('PATCH', `/Groups/${g1.id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: a.id }, { value: b.id }] })));
      assertEventTypes(unbind, jc, ['group.user_removed', 'group.user_removed', 'user.deactivated']);
      assert.equal(unbind[2]!.data.id, a.id);
      assertOk(await jc.scim('GET', `/Groups/${g1.id}`), 200, 'the group is kept');
      assert.deepEqual([(await adminUser(jc, a.id)).state, (await adminUser(jc, b.id)).state, (await adminUser(jc, c.id)).state], ['inactive', 'active', 'active']);
      const deleted = await eventsDuring(jc, () => jc.scim('DELETE', `/Groups/${g2.id}`));
      assertEventTypes(deleted, jc, ['group.user_removed', 'group.deleted', 'user.deactivated']);
      assert.equal((await adminUser(jc, b.id)).state, 'inactive');

      const okta = await scimDirectory(server, 'okta');
      const o = await createUser(okta.scim, 'keep@x.io');
      const og = await createGroup(okta.scim, 'Pushed', [o.id]);
      assertEventTypes(await eventsDuring(okta, () => okta.scim('PUT', `/Groups/${og.id}`, { schemas: [URN.group], displayName: 'Pushed', members: [] })), okta, ['group.user_removed']);
      assert.equal((await adminUser(okta, o.id)).state, 'active');
    });

    it('unmatchedFilter: create (default) adds the value; noTarget answers 400 and changes nothing', async () => {
      const d = await scimDirectory(server, 'generic');
      const u = await createUser(d.scim, 'filter@example.com');
      const op = patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'work@example.com' });
      await setSettings(d, { unmatchedFilter: 'noTarget' });
      assertScimError(await d.scim('PATCH', `/Users/${u.id}`, op), 400, 'noTarget');
      assert.equal((await adminUser(d, u.id)).email, null);
      await setSettings(d, { unmatchedFilter: null });
      const r = await d.scim('PATCH', `/Users/${u.id}`, op);
      assertOk(r, 200);
      assert.deepEqual(r.body.emails, [{ type: 'work', value: 'work@example.com' }]);
    });
  });
}
