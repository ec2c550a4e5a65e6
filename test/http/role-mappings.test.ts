/**
 * Group → role mappings (issue 5, item 2): PUT/GET and validation, effective roles in the admin user and in
 * events, recomputed on membership changes (SCIM PATCH), group deletion, mapping changes and the default
 * role; another organization's groups are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  adminUser,
  assertOk,
  createGroup,
  createUser,
  directoryEvents,
  eventsDuring,
  patchOp,
  scimDirectory,
  type GatehouseEvent,
  type ScimDirectory,
} from '../support/scim.js';

/** "type user-id" of every user event, plus the roles it carries and its previous roles. */
function roleEvents(events: GatehouseEvent[]): string[] {
  return events
    .filter((e) => e.type === 'user.updated')
    .map((e) => `${e.data.id} ${JSON.stringify(e.previous?.roles)} -> ${JSON.stringify(e.data.roles)}`)
    .sort();
}

async function orgEventsAfter(d: ScimDirectory, orgId: string, mark: string | undefined): Promise<GatehouseEvent[]> {
  const r = await d.admin.call('GET', `/events?organization=${orgId}&limit=500${mark ? `&after=${mark}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.body.data;
}

async function lastOrgEvent(d: ScimDirectory): Promise<string> {
  let cursor: string | undefined;
  let last: string | undefined;
  for (;;) {
    const r = await d.admin.call('GET', `/events?organization=${d.orgId}&limit=500${cursor ? `&after=${cursor}` : ''}`);
    const page = r.body.data as GatehouseEvent[];
    if (page.length > 0) last = page[page.length - 1]!.id;
    if (!r.body.next) return last!;
    cursor = r.body.next;
  }
}

for (const dialect of dialects) {
  describe(`role mappings (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let alice: any;
    let bob: any;
    let eng: any;
    let ops: any;

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'jumpcloud');
      alice = await createUser(d.scim, 'alice@example.com');
      bob = await createUser(d.scim, 'bob@example.com');
      eng = await createGroup(d.scim, 'Engineering', [alice.id]);
      ops = await createGroup(d.scim, 'Operations');
    });
    after(() => server.close());

    const put = (body: unknown, orgId = d.orgId) => d.admin.call('PUT', `/organizations/${orgId}/role-mappings`, body);

    it('starts empty; users have no roles', async () => {
      const r = await d.admin.call('GET', `/organizations/${d.orgId}/role-mappings`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body, { mappings: [], defaultRole: null });
      assert.deepEqual((await adminUser(d, alice.id)).roles, []);
      const doc = await d.admin.call('GET', '/../openapi.json');
      assert.ok(doc.body.paths['/api/organizations/{orgId}/role-mappings']?.put, 'OpenAPI lists the PUT');
      assert.ok(doc.body.paths['/api/organizations/{orgId}/role-mappings']?.get, 'OpenAPI lists the GET');
    });

    it('validates the body: unknown or foreign groups, bad roles, unknown organization; nothing changes', async () => {
      const other = await scimDirectory(server, 'okta');
      const foreign = await createGroup(other.scim, 'Foreign');
      const mark = await lastOrgEvent(d);
      const cases: [string, unknown, number][] = [
        ['group of another organization', { mappings: [{ directoryGroupId: foreign.id, role: 'admin' }] }, 400],
        ['unknown group', { mappings: [{ directoryGroupId: 'nope', role: 'admin' }] }, 400],
        ['empty role', { mappings: [{ directoryGroupId: eng.id, role: '' }] }, 400],
        ['blank role', { mappings: [{ directoryGroupId: eng.id, role: '   ' }] }, 400],
        ['101-character role', { mappings: [{ directoryGroupId: eng.id, role: 'r'.repeat(101) }] }, 400],
        ['blank default role', { mappings: [], defaultRole: '  ' }, 400],
        ['role of wrong type', { mappings: [{ directoryGroupId: eng.id, role: 7 }] }, 400],
        ['no mappings', { defaultRole: 'x' }, 400],
        ['extra field', { mappings: [{ directoryGroupId: eng.id, role: 'x', extra: 1 }] }, 400],
      ];
      for (const [label, body, status] of cases) {
        const r = await put(body);
        assert.equal(r.status, status, `${label}: ${r.status} ${r.text}`);
        assert.equal(typeof r.body.error.message, 'string', label);
      }
      assert.match((await put({ mappings: [{ directoryGroupId: foreign.id, role: 'admin' }] })).body.error.message, /not a group of this organization/);
      assert.equal((await put({ mappings: [] }, 'org_unknown')).status, 404);
      // the other organization cannot map our group either
      assert.equal((await put({ mappings: [{ directoryGroupId: eng.id, role: 'admin' }] }, other.orgId)).status, 400);
      assert.deepEqual((await d.admin.call('GET', `/organizations/${d.orgId}/role-mappings`)).body, { mappings: [], defaultRole: null });
      assert.deepEqual(await orgEventsAfter(d, d.orgId, mark), [], 'refused PUTs write no event');
    });

    it('PUT replaces the set (trimmed, de-duplicated, many-to-many); affected users get user.updated with previous roles', async () => {
      const mark = await lastOrgEvent(d);
      const r = await put({
        mappings: [
          { directoryGroupId: eng.id, role: 'engineer' },
          { directoryGroupId: eng.id, role: '  staff ' },
          { directoryGroupId: ops.id, role: 'staff' },
          { directoryGroupId: eng.id, role: 'engineer' },
        ],
        defaultRole: ' member ',
      });
      assert.equal(r.status, 200, r.text);
      const expected = {
        mappings: [
          { directoryGroupId: eng.id, role: 'engineer' },
          { directoryGroupId: eng.id, role: 'staff' },
          { directoryGroupId: ops.id, role: 'staff' },
        ].sort((a, b) => (a.directoryGroupId < b.directoryGroupId ? -1 : a.directoryGroupId > b.directoryGroupId ? 1 : a.role < b.role ? -1 : 1)),
        defaultRole: 'member',
      };
      assert.deepEqual(r.body, expected);
      assert.deepEqual((await d.admin.call('GET', `/organizations/${d.orgId}/role-mappings`)).body, expected);

      const events = await orgEventsAfter(d, d.orgId, mark);
      assert.equal(events[0]!.type, 'role_mappings.updated');
      assert.equal(events[0]!.organizationId, d.orgId);
      assert.equal(events[0]!.directoryId, null);
      assert.deepEqual(events[0]!.data.mappings, expected.mappings);
      assert.deepEqual(events[0]!.previous, { mappings: [], defaultRole: null });
      assert.deepEqual(roleEvents(events), [
        `${alice.id} [] -> ["engineer","member","staff"]`,
        `${bob.id} [] -> ["member"]`,
      ].sort());
      for (const e of events.filter((x) => x.type === 'user.updated')) {
        assert.equal(e.directoryId, d.dirId);
        assert.deepEqual(e.data, await adminUser(d, e.data.id), 'the event carries the user as the admin API shows it');
      }
      assert.deepEqual((await adminUser(d, alice.id)).roles, ['engineer', 'member', 'staff']);
      assert.deepEqual((await adminUser(d, bob.id)).roles, ['member']);
      const listed = await d.admin.call('GET', `/directories/${d.dirId}/users`);
      assert.deepEqual(listed.body.data.map((u: any) => u.roles), [['engineer', 'member', 'staff'], ['member']]);
      const members = await d.admin.call('GET', `/directories/${d.dirId}/groups/${eng.id}/members`);
      assert.deepEqual(members.body.data[0].roles, ['engineer', 'member', 'staff']);

      // the same set again changes no user's roles: only role_mappings.updated
      const again = await lastOrgEvent(d);
      assert.equal((await put({ mappings: expected.mappings, defaultRole: 'member' })).status, 200);
      assert.deepEqual((await orgEventsAfter(d, d.orgId, again)).map((e) => e.type), ['role_mappings.updated']);
    });

    it('roles follow membership: SCIM PATCH add/remove member → user.updated with previous roles, only when roles change', async () => {
      let events = await eventsDuring(d, async () => {
        assertOk(await d.scim('PATCH', `/Groups/${ops.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] })), 204);
      });
      assert.deepEqual(events.map((e) => e.type), ['group.user_added', 'user.updated']);
      assert.deepEqual(events[0]!.data.user.roles, ['member', 'staff']);
      assert.deepEqual(events[1]!.previous, { roles: ['member'] });
      assert.deepEqual(events[1]!.data, await adminUser(d, bob.id));
      assert.deepEqual((await adminUser(d, bob.id)).roles, ['member', 'staff']);

      // alice already has `staff` through Engineering: joining Operations changes no role
      events = await eventsDuring(d, async () => {
        assertOk(await d.scim('PATCH', `/Groups/${ops.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] })), 204);
      });
      assert.deepEqual(events.map((e) => e.type), ['group.user_added']);

      events = await eventsDuring(d, async () => {
        assertOk(await d.scim('PATCH', `/Groups/${ops.id}`, patchOp({ op: 'remove', path: `members[value eq "${bob.id}"]` })), 204);
      });
      assert.deepEqual(events.map((e) => e.type), ['group.user_removed', 'user.updated']);
      assert.deepEqual(events[1]!.previous, { roles: ['member', 'staff'] });
      assert.deepEqual(events[1]!.data.roles, ['member']);
    });

    it('the default role goes to active users: a new user gets it, deactivation takes it away', async () => {
      let events = await eventsDuring(d, async () => {
        await createUser(d.scim, 'carol@example.com');
      });
      assert.deepEqual(events.map((e) => e.type), ['user.created']);
      assert.deepEqual(events[0]!.data.roles, ['member']);
      const carol = events[0]!.data;
      const inactive = await createUser(d.scim, 'dave@example.com', { active: false });
      assert.deepEqual((await adminUser(d, inactive.id)).roles, []);

      events = await eventsDuring(d, async () => {
        assertOk(await d.scim('PATCH', `/Users/${carol.id}`, patchOp({ op: 'replace', path: 'active', value: false })));
      });
      const updated = events.find((e) => e.type === 'user.updated');
      assert.ok(updated, 'user.updated carries the roles change');
      assert.deepEqual(updated.previous?.roles, ['member']);
      assert.deepEqual(updated.data.roles, []);
      assert.ok(events.some((e) => e.type === 'user.deactivated'));
    });

    it('a mapping change recomputes only the members of changed groups; removing the default role reaches every active user', async () => {
      const mark = await lastOrgEvent(d);
      // Operations loses `staff` and gains `oncall`: its members (alice) change; bob (no group) keeps his roles
      assert.equal(
        (await put({
          mappings: [
            { directoryGroupId: eng.id, role: 'engineer' },
            { directoryGroupId: eng.id, role: 'staff' },
            { directoryGroupId: ops.id, role: 'oncall' },
          ],
          defaultRole: 'member',
        })).status,
        200,
      );
      let events = await orgEventsAfter(d, d.orgId, mark);
      assert.deepEqual(roleEvents(events), [`${alice.id} ["engineer","member","staff"] -> ["engineer","member","oncall","staff"]`]);

      const mark2 = await lastOrgEvent(d);
      assert.equal((await put({ mappings: [{ directoryGroupId: ops.id, role: 'oncall' }] })).status, 200);
      events = await orgEventsAfter(d, d.orgId, mark2);
      const changes = roleEvents(events);
      assert.ok(changes.includes(`${alice.id} ["engineer","member","oncall","staff"] -> ["oncall"]`), changes.join('\n'));
      assert.ok(changes.includes(`${bob.id} ["member"] -> []`), changes.join('\n'));
      assert.equal((await d.admin.call('GET', `/organizations/${d.orgId}/role-mappings`)).body.defaultRole, null, 'PUT without defaultRole clears it');
    });

    it('deleting a group removes its mappings and recomputes its members (user_removed, user.updated, group.deleted)', async () => {
      assert.equal((await put({ mappings: [{ directoryGroupId: eng.id, role: 'engineer' }, { directoryGroupId: ops.id, role: 'oncall' }] })).status, 200);
      assert.deepEqual((await adminUser(d, alice.id)).roles, ['engineer', 'oncall']);
      const events = await eventsDuring(d, async () => {
        assertOk(await d.scim('DELETE', `/Groups/${eng.id}`), 204);
      });
      assert.deepEqual(events.map((e) => e.type), ['group.user_removed', 'user.updated', 'group.deleted']);
      assert.deepEqual(events[1]!.previous, { roles: ['engineer', 'oncall'] });
      assert.deepEqual(events[1]!.data.roles, ['oncall']);
      assert.deepEqual((await adminUser(d, alice.id)).roles, ['oncall']);
      assert.deepEqual((await d.admin.call('GET', `/organizations/${d.orgId}/role-mappings`)).body.mappings, [{ directoryGroupId: ops.id, role: 'oncall' }]);
    });

    it("a group of the organization's second directory can be mapped; other organizations' users never change", async () => {
      const second = await scimDirectory(server, 'entra', d.orgId);
      const erin = await createUser(second.scim, 'erin@example.com');
      const team = await createGroup(second.scim, 'Team', [erin.id]);
      const other = await scimDirectory(server, 'generic');
      const outsider = await createUser(other.scim, 'zed@example.com');
      await createGroup(other.scim, 'Team', [outsider.id]);
      const otherMark = (await directoryEvents(other.admin, other.dirId)).at(-1)!.id;

      const r = await put({ mappings: [{ directoryGroupId: ops.id, role: 'oncall' }, { directoryGroupId: team.id, role: 'team' }], defaultRole: 'member' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual((await adminUser(second, erin.id)).roles, ['member', 'team']);
      assert.deepEqual((await adminUser(other, outsider.id)).roles, []);
      assert.deepEqual(await directoryEvents(other.admin, other.dirId, otherMark), [], "another organization's directory sees no event");
    });
  });
}
