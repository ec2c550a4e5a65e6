/**
 * SCIM Groups: create, read, replace, delete, membership and its events (checklist §4.2 for Groups, P6, P14,
 * CONTRACT.md group.* events), and the documented policies: PATCH answers 204 unless a projection is asked
 * for; a PUT without `members` keeps the membership.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  adminGroup,
  adminMemberIds,
  adminUser,
  assertEventTypes,
  assertOk,
  assertScimError,
  createGroup,
  createUser,
  directoryEvents,
  eventsDuring,
  groupBody,
  lastEventId,
  patchOp,
  q,
  scimDirectory,
  sleep,
  URN,
  versionOf,
  type GatehouseEvent,
  type ScimDirectory,
} from '../support/scim.js';

/** The member events of a batch, as sorted "type user-id" strings. */
function memberChanges(events: GatehouseEvent[]): string[] {
  return events
    .filter((e) => e.type === 'group.user_added' || e.type === 'group.user_removed')
    .map((e) => `${e.type} ${e.data.user.id}`)
    .sort();
}

for (const dialect of dialects) {
  describe(`SCIM Groups (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let alice: any;
    let bob: any;
    let carol: any;

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'generic');
      alice = await createUser(d.scim, 'alice@example.com', { displayName: 'Alice A' });
      bob = await createUser(d.scim, 'bob@example.com');
      carol = await createUser(d.scim, 'carol@example.com', { displayName: 'Carol C' });
    });
    after(() => server.close());

    it('POST is 201 with Location, meta and members; group.created then one group.user_added per member', async () => {
      let r: any;
      const events = await eventsDuring(d, async () => {
        r = await d.scim('POST', '/Groups', groupBody('Engineering', { externalId: 'eng-1', id: 'mine', members: [{ value: alice.id }, { value: bob.id, display: 'ignored' }, { value: alice.id }] }));
      });
      assertOk(r, 201, 'create group');
      const g = r.body;
      assert.notEqual(g.id, 'mine');
      assert.equal(r.headers.get('location'), g.meta.location);
      assert.equal(g.meta.location, `${d.endpoint}/Groups/${g.id}`);
      assert.equal(g.meta.resourceType, 'Group');
      assert.equal(g.meta.created, g.meta.lastModified);
      assert.equal(r.headers.get('etag'), g.meta.version);
      assert.deepEqual(g.schemas, [URN.group]);
      assert.equal(g.displayName, 'Engineering');
      assert.equal(g.externalId, 'eng-1');
      const members = [...g.members].sort((a: any, b: any) => a.value.localeCompare(b.value));
      const expected = [
        { value: alice.id, display: 'Alice A', $ref: `${d.endpoint}/Users/${alice.id}`, type: 'User' },
        { value: bob.id, display: 'bob@example.com', $ref: `${d.endpoint}/Users/${bob.id}`, type: 'User' },
      ].sort((a, b) => a.value.localeCompare(b.value));
      assert.deepEqual(members, expected, 'members are de-duplicated, with display, $ref and type');

      assertEventTypes(events, d, ['group.created', 'group.user_added', 'group.user_added']);
      const now = await adminGroup(d, g.id);
      assert.equal(now.memberCount, 2);
      assert.equal(now.name, 'Engineering');
      assert.equal(now.externalId, 'eng-1');
      // group.created carries the group as created, members counted; each user_added carries it too
      assert.deepEqual(events[0]!.data, now);
      assert.equal(events[0]!.data.memberCount, 2);
      assert.deepEqual(memberChanges(events), [`group.user_added ${alice.id}`, `group.user_added ${bob.id}`].sort());
      for (const e of events.slice(1)) {
        assert.deepEqual(e.data.group, now);
        assert.deepEqual(e.data.user, await adminUser(d, e.data.user.id));
        assert.ok(e.data.user.groups.some((x: any) => x.id === g.id), 'the user in the event is the user after the change');
      }
      // the users' groups attribute follows
      const a = await d.scim('GET', `/Users/${alice.id}`);
      assert.deepEqual(a.body.groups, [{ value: g.id, display: 'Engineering', $ref: `${d.endpoint}/Groups/${g.id}`, type: 'direct' }]);
      assert.equal(a.body.meta.version, alice.meta.version, "a membership change does not change the user's version");
    });

    it('displayName is required and unique case-insensitively (409 uniqueness); unknown members are 400 and nothing is created', async () => {
      await createGroup(d.scim, 'Unique Team');
      const mark = await lastEventId(d.admin, d.dirId);
      assertScimError(await d.scim('POST', '/Groups', groupBody('UNIQUE team')), 409, 'uniqueness', 'duplicate displayName');
      assertScimError(await d.scim('POST', '/Groups', { schemas: [URN.group] }), 400, 'invalidValue', 'no displayName');
      assertScimError(await d.scim('POST', '/Groups', groupBody('')), 400, 'invalidValue', 'empty displayName');
      assertScimError(await d.scim('POST', '/Groups', { schemas: [URN.user], displayName: 'x' }), 400, 'invalidValue', 'User schema on a Group');
      const total = (await d.scim('GET', '/Groups?count=0')).body.totalResults;
      assertScimError(
        await d.scim('POST', '/Groups', groupBody('Ghost members', { members: [{ value: alice.id }, { value: '00000000-0000-4000-8000-000000000000' }] })),
        400,
        'invalidValue',
        'a member that is not a user',
      );
      assertScimError(await d.scim('POST', '/Groups', groupBody('Bad members', { members: [{ display: 'no value' }] })), 400, 'invalidValue', 'member without value');
      assertScimError(await d.scim('POST', '/Groups', groupBody('Bad members 2', { members: [{ value: 42 }] })), 400, 'invalidValue', 'member value a number');
      assert.equal((await d.scim('GET', '/Groups?count=0')).body.totalResults, total, 'no group was created');
      assert.equal((await d.scim('GET', `/Groups?filter=${q('displayName eq "Ghost members"')}`)).body.totalResults, 0);
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark), [], 'refused creates write no event');
    });

    it('GET by id, projections of members, and 404 for unknown ids', async () => {
      const g = await createGroup(d.scim, 'Readers', [alice.id, carol.id]);
      const full = await d.scim('GET', `/Groups/${g.id}`);
      assertOk(full, 200);
      assert.deepEqual(full.body, g);
      assert.equal(full.headers.get('etag'), g.meta.version);
      const without = await d.scim('GET', `/Groups/${g.id}?excludedAttributes=members`);
      assertOk(without, 200);
      assert.equal(without.body.members, undefined);
      assert.equal(without.body.displayName, 'Readers');
      const only = await d.scim('GET', `/Groups/${g.id}?attributes=displayName`);
      assert.equal(only.body.id, g.id);
      assert.deepEqual(only.body.schemas, [URN.group]);
      assert.equal(only.body.displayName, 'Readers');
      assert.equal(only.body.members, undefined);
      const values = await d.scim('GET', `/Groups/${g.id}?attributes=members.value`);
      assert.deepEqual(values.body.members.map((m: any) => Object.keys(m)), [['value'], ['value']]);
      assertScimError(await d.scim('GET', '/Groups/00000000-0000-4000-8000-000000000000'), 404, null, 'unknown group');
      assertScimError(await d.scim('PUT', '/Groups/00000000-0000-4000-8000-000000000000', groupBody('x')), 404, null, 'PUT never creates');
      assertScimError(await d.scim('PATCH', '/Groups/00000000-0000-4000-8000-000000000000', patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] })), 404, null, 'PATCH unknown');
      assertScimError(await d.scim('DELETE', '/Groups/00000000-0000-4000-8000-000000000000'), 404, null, 'DELETE unknown');
    });

    it('PUT: renames (group.updated), sets membership exactly when members is given, keeps it when absent', async () => {
      const g = await createGroup(d.scim, 'Put Team', [alice.id, bob.id], { externalId: 'put-1' });
      await sleep(5);
      // rename without members: membership is kept (documented policy)
      let r: any;
      const rename = await eventsDuring(d, async () => {
        r = await d.scim('PUT', `/Groups/${g.id}`, groupBody('Put Team Renamed', { externalId: 'put-1' }));
      });
      assertOk(r, 200, 'rename');
      assert.equal(r.body.displayName, 'Put Team Renamed');
      assert.equal(r.body.members.length, 2, 'a PUT without members keeps the membership');
      assert.notEqual(r.body.meta.version, g.meta.version);
      assertEventTypes(rename, d, ['group.updated']);
      assert.deepEqual(rename[0]!.data, await adminGroup(d, g.id));
      assert.equal(rename[0]!.data.name, 'Put Team Renamed');
      assert.equal(r.headers.get('etag'), r.body.meta.version);

      // members given: exactly that list
      const replace = await eventsDuring(d, async () => {
        r = await d.scim('PUT', `/Groups/${g.id}`, groupBody('Put Team Renamed', { externalId: 'put-1', members: [{ value: bob.id }, { value: carol.id }] }));
      });
      assertOk(r, 200, 'replace members');
      assert.deepEqual(r.body.members.map((m: any) => m.value).sort(), [bob.id, carol.id].sort());
      assert.deepEqual(memberChanges(replace), [`group.user_added ${carol.id}`, `group.user_removed ${alice.id}`].sort());
      assert.ok(!replace.some((e) => e.type === 'group.updated'), 'no attribute changed');
      const now = await adminGroup(d, g.id);
      for (const e of replace) assert.deepEqual(e.data.group, now);
      assert.deepEqual(await adminMemberIds(d, g.id), [bob.id, carol.id].sort());

      // an identical PUT is a no-op: no event, same version and lastModified
      const before = await versionOf(d.scim, `/Groups/${g.id}`);
      await sleep(5);
      const same = await eventsDuring(d, async () => {
        assertOk(await d.scim('PUT', `/Groups/${g.id}`, groupBody('Put Team Renamed', { externalId: 'put-1', members: [{ value: carol.id }, { value: bob.id }] })), 200);
        assertOk(await d.scim('PUT', `/Groups/${g.id}`, { members: [{ value: bob.id }], externalId: 'put-1', displayName: 'Put Team Renamed', schemas: [URN.group], id: 'x' }), 200, 'subset');
      });
      // the second PUT drops carol: exactly one event, and only that one
      assert.deepEqual(memberChanges(same), [`group.user_removed ${carol.id}`]);
      assert.equal(same.length, 1);
      const noop = await eventsDuring(d, async () => {
        assertOk(await d.scim('PUT', `/Groups/${g.id}`, { externalId: 'put-1', displayName: 'Put Team Renamed', schemas: [URN.group], members: [{ value: bob.id }] }), 200);
      });
      assert.deepEqual(noop, []);
      assert.notEqual((await versionOf(d.scim, `/Groups/${g.id}`)).version, before.version);
      const stable = await versionOf(d.scim, `/Groups/${g.id}`);
      await sleep(5);
      assertOk(await d.scim('PUT', `/Groups/${g.id}`, groupBody('Put Team Renamed', { externalId: 'put-1' })), 200);
      assert.deepEqual(await versionOf(d.scim, `/Groups/${g.id}`), stable, 'identical PUT keeps version and lastModified');

      // members: [] empties the group; a PUT with an unknown member changes nothing
      const mark = await lastEventId(d.admin, d.dirId);
      assertScimError(await d.scim('PUT', `/Groups/${g.id}`, groupBody('Put Team X', { members: [{ value: 'nope' }] })), 400, 'invalidValue', 'unknown member');
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark), []);
      assert.equal((await d.scim('GET', `/Groups/${g.id}`)).body.displayName, 'Put Team Renamed', 'the rename in the refused PUT was not applied');
      const emptied = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Groups/${g.id}`, groupBody('Put Team Renamed', { externalId: 'put-1', members: [] })), 200));
      assert.deepEqual(memberChanges(emptied), [`group.user_removed ${bob.id}`]);
      assert.equal((await adminGroup(d, g.id)).memberCount, 0);
      assertScimError(await d.scim('PUT', `/Groups/${g.id}`, groupBody('UNIQUE TEAM')), 409, 'uniqueness', 'rename onto a taken name');
      assertScimError(await d.scim('PUT', `/Groups/${g.id}`, { schemas: [URN.group] }), 400, 'invalidValue', 'PUT without displayName');
    });

    it('PATCH answers 204 with an ETag, or 200 with the projected group when attributes/excludedAttributes are given', async () => {
      const g = await createGroup(d.scim, 'Patch Reply');
      const r = await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] }));
      assert.equal(r.status, 204, r.text);
      assert.equal(r.text, '');
      const current = await versionOf(d.scim, `/Groups/${g.id}`);
      assert.equal(r.headers.get('etag'), current.version);
      const projected = await d.scim('PATCH', `/Groups/${g.id}?attributes=members`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }));
      assertOk(projected, 200, 'PATCH with attributes');
      assert.deepEqual(projected.body.members.map((m: any) => m.value).sort(), [alice.id, bob.id].sort());
      assert.equal(projected.body.id, g.id);
      assert.equal(projected.body.displayName, undefined);
      const excluded = await d.scim('PATCH', `/Groups/${g.id}?excludedAttributes=members`, patchOp({ op: 'replace', path: 'displayName', value: 'Patch Reply 2' }));
      assertOk(excluded, 200, 'PATCH with excludedAttributes');
      assert.equal(excluded.body.displayName, 'Patch Reply 2');
      assert.equal(excluded.body.members, undefined);
      assert.equal(excluded.headers.get('etag'), excluded.body.meta.version);
    });

    it('E3 on Groups: If-Match mismatch is 412 on PUT, PATCH and DELETE and changes nothing; If-None-Match match is 304', async () => {
      const g = await createGroup(d.scim, 'Etag group', [alice.id]);
      const etag = g.meta.version as string;
      assert.equal((await d.scim('GET', `/Groups/${g.id}`, undefined, { 'if-none-match': etag })).status, 304);
      const mark = await lastEventId(d.admin, d.dirId);
      assertScimError(await d.scim('PUT', `/Groups/${g.id}`, groupBody('Etag group 2'), { 'if-match': 'W/"77"' }), 412, null, 'PUT');
      assertScimError(await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }), { 'if-match': 'W/"77"' }), 412, null, 'PATCH');
      assertScimError(await d.scim('DELETE', `/Groups/${g.id}`, undefined, { 'if-match': 'W/"77"' }), 412, null, 'DELETE');
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark), []);
      assert.deepEqual(await adminMemberIds(d, g.id), [alice.id]);
      const ok = await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }), { 'if-match': etag });
      assert.equal(ok.status, 204, ok.text);
      assert.notEqual(ok.headers.get('etag'), etag);
      assertScimError(await d.scim('DELETE', `/Groups/${g.id}`, undefined, { 'if-match': etag }), 412, null, 'DELETE with the old ETag');
      assert.equal((await d.scim('DELETE', `/Groups/${g.id}`, undefined, { 'if-match': ok.headers.get('etag')! })).status, 204);
    });

    it('P6: adding an existing member writes no event and bumps neither version nor lastModified', async () => {
      const g = await createGroup(d.scim, 'Idempotent', [alice.id]);
      const before = await versionOf(d.scim, `/Groups/${g.id}`);
      await sleep(5);
      const events = await eventsDuring(d, async () => {
        assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }] }))).status, 204);
        assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: alice.id }, { value: alice.id }] }))).status, 204);
        // add then remove a user in one request: no net change
        assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: carol.id }] }, { op: 'remove', path: `members[value eq "${carol.id}"]` }))).status, 204);
        // removing a non-member is a no-op
        assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: bob.id }] }))).status, 204);
        // replacing displayName by itself
        assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Idempotent' }))).status, 204);
      });
      assert.deepEqual(events, []);
      assert.deepEqual(await versionOf(d.scim, `/Groups/${g.id}`), before);
      assert.equal((await adminGroup(d, g.id)).memberCount, 1);
    });

    it('P14: members must be users of this directory (400 invalidValue), and a refused PATCH changes nothing', async () => {
      const g = await createGroup(d.scim, 'Strict', [alice.id]);
      const other = await createGroup(d.scim, 'Not a user');
      const mark = await lastEventId(d.admin, d.dirId);
      for (const value of ['00000000-0000-4000-8000-000000000000', other.id, 'x'.repeat(150)]) {
        assertScimError(
          await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }, { value }] })),
          400,
          'invalidValue',
          `member ${value.slice(0, 20)}`,
        );
      }
      assertScimError(
        await d.scim('PATCH', `/Groups/${g.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Strict 2' }, { op: 'add', path: 'members', value: [{ value: 'ghost' }] })),
        400,
        'invalidValue',
        'rename + unknown member',
      );
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark), []);
      assert.deepEqual(await adminMemberIds(d, g.id), [alice.id]);
      assert.equal((await d.scim('GET', `/Groups/${g.id}`)).body.displayName, 'Strict');
    });

    it('DELETE a group: 204, one group.user_removed per member then group.deleted; the users lose it', async () => {
      const g = await createGroup(d.scim, 'Doomed', [alice.id, carol.id]);
      const before = await adminGroup(d, g.id);
      const events = await eventsDuring(d, async () => assert.equal((await d.scim('DELETE', `/Groups/${g.id}`)).status, 204));
      assertEventTypes(events, d, ['group.user_removed', 'group.user_removed', 'group.deleted']);
      assert.deepEqual(memberChanges(events), [`group.user_removed ${alice.id}`, `group.user_removed ${carol.id}`].sort());
      assert.equal(events[2]!.data.id, g.id);
      assert.equal(events[2]!.data.name, 'Doomed');
      assert.equal(events[2]!.data.memberCount, 0);
      assert.equal(before.memberCount, 2);
      for (const e of events.slice(0, 2)) {
        assert.ok(!e.data.user.groups.some((x: any) => x.id === g.id), 'the user in the event no longer has the group');
        assert.deepEqual(e.data.user, await adminUser(d, e.data.user.id));
      }
      assertScimError(await d.scim('GET', `/Groups/${g.id}`), 404, null, 'GET after DELETE');
      assert.equal((await d.scim('GET', `/Groups?filter=${q(`id eq "${g.id}"`)}`)).body.totalResults, 0);
      assert.ok(!((await d.scim('GET', `/Users/${alice.id}`)).body.groups ?? []).some((x: any) => x.value === g.id));
      assertOk(await d.scim('GET', `/Users/${carol.id}`), 200, 'members are not deleted with the group');
    });

    it('DELETE a user: removed from its groups with one group.user_removed per group, then user.deleted', async () => {
      const dave = await createUser(d.scim, 'dave@example.com');
      const g1 = await createGroup(d.scim, 'Dave 1', [dave.id, alice.id]);
      const g2 = await createGroup(d.scim, 'Dave 2', [dave.id]);
      const v1 = await versionOf(d.scim, `/Groups/${g1.id}`);
      await sleep(5);
      const events = await eventsDuring(d, async () => assert.equal((await d.scim('DELETE', `/Users/${dave.id}`)).status, 204));
      assertEventTypes(events, d, ['group.user_removed', 'group.user_removed', 'user.deleted']);
      assert.deepEqual(events.slice(0, 2).map((e) => e.data.group.id).sort(), [g1.id, g2.id].sort());
      for (const e of events.slice(0, 2)) {
        assert.equal(e.data.user.id, dave.id);
        assert.deepEqual(e.data.group, await adminGroup(d, e.data.group.id));
      }
      assert.equal(events[2]!.data.id, dave.id);
      const g1now = await d.scim('GET', `/Groups/${g1.id}`);
      assert.deepEqual(g1now.body.members.map((m: any) => m.value), [alice.id]);
      assert.notEqual(g1now.body.meta.version, v1.version, "the group's version moves when it loses a member");
      assert.ok(Date.parse(g1now.body.meta.lastModified) > Date.parse(v1.lastModified));
      assert.equal((await adminGroup(d, g2.id)).memberCount, 0);
      assert.equal((await d.scim('GET', `/Groups/${g2.id}`)).body.members, undefined);
    });
  });
}
