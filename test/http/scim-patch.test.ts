/**
 * SCIM PATCH over HTTP (checklist §4.4 P1–P14) on Users and Groups, with the events each change writes and
 * the no-op rule (a PATCH that changes nothing writes nothing and keeps version and lastModified).
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
  lastEventId,
  patchOp,
  scimDirectory,
  sleep,
  URN,
  versionOf,
  type ScimDirectory,
} from '../support/scim.js';

const ENT = URN.enterprise;

for (const dialect of dialects) {
  describe(`SCIM PATCH (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let n = 0;

    /** A fresh user with a name, two emails, an address and the enterprise extension. */
    const freshUser = async (extra: Record<string, unknown> = {}) =>
      createUser(d.scim, `patch-${++n}@example.com`, {
        schemas: [URN.user, ENT],
        name: { givenName: 'Pat', familyName: 'Ch', middleName: 'M' },
        emails: [{ value: `patch-${n}@work.example`, type: 'work', primary: true }, { value: `patch-${n}@home.example`, type: 'home' }],
        addresses: [{ type: 'home', locality: 'Springfield' }],
        title: 'Dev',
        active: true,
        [ENT]: { employeeNumber: `E${n}`, department: 'Eng' },
        ...extra,
      });
    const patchUser = (id: string, ...ops: unknown[]) => d.scim('PATCH', `/Users/${id}`, patchOp(...ops));
    const patchGroup = (id: string, ...ops: unknown[]) => d.scim('PATCH', `/Groups/${id}`, patchOp(...ops));

    /** Asserts that a refused PATCH left the resource exactly as it was and wrote no event. */
    const assertUnchanged = async (path: string, before: any, mark: string, label: string) => {
      const now = await d.scim('GET', path);
      assert.deepEqual(now.body, before, `${label}: the resource is unchanged`);
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark), [], `${label}: no event`);
    };

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'generic');
    });
    after(() => server.close());

    it('P1: the body needs the PatchOp schema and an Operations array (400 invalidSyntax); empty Operations is a no-op 200', async () => {
      const u = await freshUser();
      const mark = await lastEventId(d.admin, d.dirId);
      const bad: [string, unknown][] = [
        ['no schemas', { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
        ['wrong schema', { schemas: [URN.user], Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
        ['schemas a string', { schemas: URN.patchOp, Operations: [{ op: 'replace', path: 'title', value: 'x' }] }],
        ['no Operations', { schemas: [URN.patchOp] }],
        ['Operations an object', { schemas: [URN.patchOp], Operations: { op: 'replace', path: 'title', value: 'x' } }],
        ['Operations null', { schemas: [URN.patchOp], Operations: null }],
        ['operation a string', patchOp('replace title')],
        ['operation null', patchOp(null)],
        ['op missing', patchOp({ path: 'title', value: 'x' })],
        ['op unknown', patchOp({ op: 'merge', path: 'title', value: 'x' })],
        ['op a number', patchOp({ op: 1, path: 'title', value: 'x' })],
      ];
      for (const [label, body] of bad) assertScimError(await d.scim('PATCH', `/Users/${u.id}`, body), 400, 'invalidSyntax', label);
      await assertUnchanged(`/Users/${u.id}`, u, mark, 'P1');
      // Entra's validator sends an empty Operations list: a successful no-op (documented policy)
      await sleep(5);
      const empty = await d.scim('PATCH', `/Users/${u.id}`, patchOp());
      assertOk(empty, 200, 'empty Operations');
      assert.deepEqual(empty.body, u);
      await assertUnchanged(`/Users/${u.id}`, u, mark, 'empty Operations');
      // operation keys are case-insensitive (Entra sends "Operations", some clients "operations")
      const lower = await d.scim('PATCH', `/Users/${u.id}`, { schemas: [URN.patchOp], operations: [{ OP: 'replace', PATH: 'title', VALUE: 'Lower' }] });
      assertOk(lower, 200, 'lower-case keys');
      assert.equal(lower.body.title, 'Lower');
    });

    it('P2: op is case-insensitive (Add / Replace / Remove)', async () => {
      const u = await freshUser();
      const r = await patchUser(
        u.id,
        { op: 'Replace', path: 'title', value: 'Boss' },
        { op: 'ADD', path: 'nickName', value: 'Nick' },
        { op: 'Remove', path: 'addresses' },
        { op: 'rEpLaCe', path: 'displayName', value: 'Mixed' },
      );
      assertOk(r, 200);
      assert.equal(r.body.title, 'Boss');
      assert.equal(r.body.nickName, 'Nick');
      assert.equal(r.body.addresses, undefined);
      assert.equal(r.body.displayName, 'Mixed');
    });

    it('P3: paths are case-insensitive and may be URN-qualified (core and enterprise)', async () => {
      const u = await freshUser();
      const manager = await freshUser();
      const r = await patchUser(
        u.id,
        { op: 'replace', path: 'Name.GivenName', value: 'Upper' },
        { op: 'replace', path: `${URN.user}:userName`, value: 'qualified@example.com' },
        { op: 'replace', path: `${URN.user}:name.familyName`, value: 'Qualified' },
        { op: 'add', path: `${ENT}:manager`, value: { value: manager.id } },
        { op: 'replace', path: `${ENT}:employeeNumber`, value: '9001' },
        { op: 'replace', path: `${ENT.toLowerCase()}:DEPARTMENT`, value: 'Sales' },
      );
      assertOk(r, 200);
      assert.deepEqual(r.body.name, { givenName: 'Upper', familyName: 'Qualified', middleName: 'M' });
      assert.equal(r.body.userName, 'qualified@example.com');
      assert.deepEqual(r.body[ENT], { employeeNumber: '9001', department: 'Sales', manager: { value: manager.id } });
      const mgrValue = await patchUser(u.id, { op: 'replace', path: `${ENT}:manager.value`, value: 'someone-else' });
      assertOk(mgrValue, 200);
      assert.deepEqual(mgrValue.body[ENT].manager, { value: 'someone-else' });
      assertScimError(await patchUser(u.id, { op: 'replace', path: `${ENT}:manager.displayName`, value: 'x' }), 400, 'mutability', 'manager.displayName is readOnly');
      for (const path of ['nope', 'name.nope', `${ENT}:nope`, 'urn:example:custom:1.0:User:x', 'emails[type eq "work"', 'name..givenName', 'emails[type eq "work"].nope', 'title[value eq "x"]']) {
        assertScimError(await patchUser(u.id, { op: 'replace', path, value: 'x' }), 400, 'invalidPath', `path ${path}`);
      }
    });

    it('P4: add/replace without path take an object with dotted and URN keys; complex values merge', async () => {
      const u = await freshUser();
      const r = await patchUser(
        u.id,
        { op: 'replace', value: { 'name.givenName': 'Dotted', [`${ENT}:department`]: 'Dotted Dept', title: 'CTO' } },
        { op: 'add', value: { name: { honorificPrefix: 'Dr.' }, [ENT]: { costCenter: 'CC1' }, nickName: 'N' } },
        { op: 'replace', value: { id: 'ignored', meta: { version: 'x' }, schemas: ['ignored'], unknownAttr: 1 } },
      );
      assertOk(r, 200);
      assert.deepEqual(r.body.name, { givenName: 'Dotted', familyName: 'Ch', middleName: 'M', honorificPrefix: 'Dr.' }, 'siblings are kept');
      assert.deepEqual(r.body[ENT], { employeeNumber: u[ENT].employeeNumber, department: 'Dotted Dept', costCenter: 'CC1' });
      assert.equal(r.body.title, 'CTO');
      assert.equal(r.body.nickName, 'N');
      assert.equal(r.body.id, u.id);
      const merged = await patchUser(u.id, { op: 'replace', value: { name: { givenName: 'Only' } } });
      assert.deepEqual(merged.body.name, { givenName: 'Only', familyName: 'Ch', middleName: 'M', honorificPrefix: 'Dr.' }, 'replace without path merges a complex value');
      assertScimError(await patchUser(u.id, { op: 'replace', value: 'not an object' }), 400, 'invalidValue', 'value not an object');
      assertScimError(await patchUser(u.id, { op: 'add' }), 400, 'invalidValue', 'add without value');
    });

    it('P5: replace on simple, on complex with a path (merge), and on multi-valued without filter (replace all)', async () => {
      const u = await freshUser();
      const simple = await patchUser(u.id, { op: 'replace', path: 'title', value: 'Architect' });
      assert.equal(simple.body.title, 'Architect');
      const complex = await patchUser(u.id, { op: 'replace', path: 'name', value: { givenName: 'Merged' } });
      assert.deepEqual(complex.body.name, { givenName: 'Merged', familyName: 'Ch', middleName: 'M' });
      const all = await patchUser(u.id, { op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'other' }] });
      assert.deepEqual(all.body.emails, [{ value: 'only@example.com', type: 'other' }]);
      const nulled = await patchUser(u.id, { op: 'replace', path: 'title', value: null });
      assertOk(nulled, 200);
      assert.equal(nulled.body.title, undefined, 'replace with null removes');
      const sub = await patchUser(u.id, { op: 'replace', path: 'emails.type', value: 'work' });
      assert.deepEqual(sub.body.emails, [{ value: 'only@example.com', type: 'work' }], 'attr.sub without filter applies to every value');
    });

    it('P6: add to multi-valued appends without duplicating; an add that changes nothing keeps version and lastModified', async () => {
      const u = await freshUser();
      const appended = await patchUser(u.id, { op: 'add', path: 'emails', value: [{ value: 'third@example.com', type: 'other' }] });
      assertOk(appended, 200);
      assert.equal(appended.body.emails.length, 3);
      await sleep(5);
      const events = await eventsDuring(d, async () => {
        const again = await patchUser(u.id, { op: 'add', path: 'emails', value: [{ value: 'THIRD@example.com', type: 'other' }] });
        assertOk(again, 200);
        assert.equal(again.body.emails.length, 3, 'an equal value (case-insensitive) is not added twice');
        assert.equal(again.body.meta.version, appended.body.meta.version);
        assert.equal(again.body.meta.lastModified, appended.body.meta.lastModified);
        assertOk(await patchUser(u.id, { op: 'add', path: 'title', value: 'Dev' }), 200);
        assertOk(await patchUser(u.id, { op: 'remove', path: 'nickName' }), 200);
        assertOk(await patchUser(u.id, { op: 'remove', path: 'emails[type eq "pager"]' }), 200);
        assertOk(await patchUser(u.id, { op: 'add', path: 'emails', value: null }), 200);
      });
      assert.deepEqual(events, [], 'no-op PATCHes write no event');
      assert.deepEqual(await versionOf(d.scim, `/Users/${u.id}`), { version: appended.body.meta.version, lastModified: appended.body.meta.lastModified, etag: appended.body.meta.version });
    });

    it('P7: valuePath targets: replace emails[type eq "work"].value, add addresses[type eq "work"].formatted, remove by filter', async () => {
      const u = await freshUser();
      const r = await patchUser(
        u.id,
        { op: 'replace', path: 'emails[type eq "work"].value', value: 'new-work@example.com' },
        { op: 'add', path: 'addresses[type eq "home"].formatted', value: '1 Main St, Springfield' },
        { op: 'add', path: 'addresses[type eq "work"].formatted', value: '2 Work Rd' },
      );
      assertOk(r, 200);
      assert.deepEqual(r.body.emails, [
        { value: 'new-work@example.com', type: 'work', primary: true },
        { value: `patch-${n}@home.example`, type: 'home' },
      ]);
      assert.deepEqual(r.body.addresses, [
        { type: 'home', locality: 'Springfield', formatted: '1 Main St, Springfield' },
        { type: 'work', formatted: '2 Work Rd' },
      ]);
      const removed = await patchUser(u.id, { op: 'remove', path: 'emails[type eq "home"]' }, { op: 'remove', path: 'addresses[type eq "home"].locality' });
      assertOk(removed, 200);
      assert.deepEqual(removed.body.emails, [{ value: 'new-work@example.com', type: 'work', primary: true }]);
      assert.deepEqual(removed.body.addresses, [{ type: 'home', formatted: '1 Main St, Springfield' }, { type: 'work', formatted: '2 Work Rd' }]);
      const twoRemoved = await patchUser(u.id, { op: 'remove', path: 'addresses[type eq "home" or type eq "work"]' });
      assert.equal(twoRemoved.body.addresses, undefined);
      const primary = await patchUser(u.id, { op: 'add', path: 'emails', value: [{ value: 'x@example.com', type: 'home' }] }, { op: 'replace', path: 'emails[value eq "x@example.com"].primary', value: true });
      assertOk(primary, 200);
      assert.deepEqual(primary.body.emails.filter((e: any) => e.primary).map((e: any) => e.value), ['x@example.com'], 'setting primary unsets the others');
      const group = await createGroup(d.scim, 'P7 group', [u.id]);
      assert.equal((await patchGroup(group.id, { op: 'remove', path: `members[value eq "${u.id}"]` })).status, 204);
      assert.deepEqual(await adminMemberIds(d, group.id), []);
    });

    it('P8: an unmatched valuePath add/replace creates the value (Entra); an unmatched remove is a no-op', async () => {
      const u = await createUser(d.scim, `p8-${++n}@example.com`);
      const r = await patchUser(u.id, { op: 'Replace', path: 'emails[type eq "work"].value', value: 'created@example.com' });
      assertOk(r, 200);
      assert.deepEqual(r.body.emails, [{ type: 'work', value: 'created@example.com' }]);
      const phone = await patchUser(u.id, { op: 'add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0199' });
      assert.deepEqual(phone.body.phoneNumbers, [{ type: 'mobile', value: '+1 555 0199' }]);
      const whole = await patchUser(u.id, { op: 'replace', path: 'addresses[type eq "work"]', value: { locality: 'Paris' } });
      assert.deepEqual(whole.body.addresses, [{ type: 'work', locality: 'Paris' }]);
      const before = await versionOf(d.scim, `/Users/${u.id}`);
      const noop = await patchUser(u.id, { op: 'remove', path: 'emails[type eq "home"]' }, { op: 'remove', path: 'emails[type eq "home"].value' });
      assertOk(noop, 200);
      assert.equal(noop.body.meta.version, before.version);
      assertScimError(await patchUser(u.id, { op: 'replace', path: 'emails[value co "zzz"].type', value: 'home' }), 400, 'noTarget', 'no eq terms to create from');
    });

    it('P9: group members: add, remove by value array, remove by filter (and/or), replace all, remove all, remove from an empty group', async () => {
      const [a, b, c, e] = [await freshUser(), await freshUser(), await freshUser(), await freshUser()];
      const g = await createGroup(d.scim, 'P9 group');
      const add = await eventsDuring(d, async () => assert.equal((await patchGroup(g.id, { op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }, { value: c.id }] })).status, 204));
      assertEventTypes(add, d, ['group.user_added', 'group.user_added', 'group.user_added']);
      assert.deepEqual(await adminMemberIds(d, g.id), [a.id, b.id, c.id].sort());
      const now = await adminGroup(d, g.id);
      assert.equal(now.memberCount, 3);
      for (const ev of add) assert.deepEqual(ev.data.group, now);

      const removeArray = await eventsDuring(d, async () => assert.equal((await patchGroup(g.id, { op: 'remove', path: 'members', value: [{ value: a.id }] })).status, 204));
      assertEventTypes(removeArray, d, ['group.user_removed']);
      assert.equal(removeArray[0]!.data.user.id, a.id);
      assert.deepEqual(removeArray[0]!.data.user, await adminUser(d, a.id));
      assert.deepEqual(await adminMemberIds(d, g.id), [b.id, c.id].sort());

      const removeOr = await eventsDuring(d, async () => assert.equal((await patchGroup(g.id, { op: 'remove', path: `members[value eq "${b.id}" or value eq "${c.id}"]` })).status, 204));
      assert.deepEqual(removeOr.map((x) => x.data.user.id).sort(), [b.id, c.id].sort());
      assert.deepEqual(await adminMemberIds(d, g.id), []);

      assert.equal((await patchGroup(g.id, { op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] })).status, 204);
      const replace = await eventsDuring(d, async () => assert.equal((await patchGroup(g.id, { op: 'replace', path: 'members', value: [{ value: b.id }, { value: e.id }] })).status, 204));
      assert.deepEqual(replace.map((x) => `${x.type} ${x.data.user.id}`).sort(), [`group.user_added ${e.id}`, `group.user_removed ${a.id}`].sort());
      assert.deepEqual(await adminMemberIds(d, g.id), [b.id, e.id].sort());
      const replaceNoPath = await patchGroup(g.id, { op: 'replace', value: { members: [{ value: c.id }], displayName: 'P9 renamed' } });
      assert.equal(replaceNoPath.status, 204);
      assert.deepEqual(await adminMemberIds(d, g.id), [c.id]);
      assert.equal((await adminGroup(d, g.id)).name, 'P9 renamed');
      const addNoPath = await patchGroup(g.id, { op: 'add', value: { members: [{ value: a.id }] } });
      assert.equal(addNoPath.status, 204);
      assert.deepEqual(await adminMemberIds(d, g.id), [a.id, c.id].sort());

      const removeAll = await eventsDuring(d, async () => assert.equal((await patchGroup(g.id, { op: 'remove', path: 'members' })).status, 204));
      assert.deepEqual(removeAll.map((x) => x.type), ['group.user_removed', 'group.user_removed']);
      assert.equal((await adminGroup(d, g.id)).memberCount, 0);
      const before = await versionOf(d.scim, `/Groups/${g.id}`);
      const emptyOps = await eventsDuring(d, async () => {
        for (const op of [
          { op: 'remove', path: 'members' },
          { op: 'remove', path: `members[value eq "${a.id}"]` },
          { op: 'remove', path: 'members', value: [{ value: a.id }] },
          { op: 'Remove', path: 'members', value: [] },
        ]) {
          const r = await patchGroup(g.id, op);
          assert.equal(r.status, 204, `${JSON.stringify(op)} on an empty group: ${r.text}`);
        }
      });
      assert.deepEqual(emptyOps, [], 'removing from an empty group is a no-op');
      assert.deepEqual(await versionOf(d.scim, `/Groups/${g.id}`), before);
      for (const [label, op, scimType] of [
        ['members filter on add', { op: 'add', path: `members[value eq "${a.id}"]`, value: { value: a.id } }, 'invalidPath'],
        ['member sub-attribute', { op: 'replace', path: 'members.display', value: 'x' }, 'invalidPath'],
        ['members filter not on value', { op: 'remove', path: 'members[display eq "x"]' }, 'invalidFilter'],
        ['member without value', { op: 'add', path: 'members', value: [{ display: 'x' }] }, 'invalidValue'],
      ] as const) {
        assertScimError(await patchGroup(g.id, op), 400, scimType, label);
      }
      assertScimError(await patchUser(a.id, { op: 'add', path: 'members', value: [{ value: b.id }] }), 400, 'invalidPath', 'members on a User');
    });

    it('P10: remove without path is noTarget; removing userName, or changing id/meta/groups, is mutability', async () => {
      const u = await freshUser();
      const mark = await lastEventId(d.admin, d.dirId);
      assertScimError(await patchUser(u.id, { op: 'remove' }), 400, 'noTarget', 'remove without path');
      assertScimError(await patchUser(u.id, { op: 'remove', path: '' }), 400, 'noTarget', 'remove with an empty path');
      assertScimError(await patchUser(u.id, { op: 'remove', path: 'userName' }), 400, 'mutability', 'remove userName');
      assertScimError(await patchUser(u.id, { op: 'replace', path: 'id', value: 'hacked' }), 400, 'mutability', 'replace id');
      assertScimError(await patchUser(u.id, { op: 'replace', path: 'meta.lastModified', value: '2000-01-01T00:00:00Z' }), 400, 'mutability', 'replace meta.lastModified');
      assertScimError(await patchUser(u.id, { op: 'add', path: 'groups', value: [{ value: 'g' }] }), 400, 'mutability', 'add groups');
      assertScimError(await patchUser(u.id, { op: 'replace', path: 'userName', value: null }), 400, 'invalidValue', 'userName to null');
      assertScimError(await patchUser(u.id, { op: 'replace', path: 'userName', value: '' }), 400, 'invalidValue', 'userName to ""');
      await assertUnchanged(`/Users/${u.id}`, u, mark, 'P10');
      const g = await createGroup(d.scim, 'P10 group');
      assertScimError(await patchGroup(g.id, { op: 'remove', path: 'displayName' }), 400, 'mutability', 'remove displayName');
      assertScimError(await patchGroup(g.id, { op: 'replace', path: 'id', value: 'x' }), 400, 'mutability', 'replace group id');
    });

    it('P11: atomicity: if any operation fails, nothing is applied', async () => {
      const u = await freshUser();
      const mark = await lastEventId(d.admin, d.dirId);
      const failing: unknown[][] = [
        [{ op: 'replace', path: 'title', value: 'Applied?' }, { op: 'replace', path: 'active', value: false }, { op: 'remove', path: 'userName' }],
        [{ op: 'replace', path: 'displayName', value: 'x' }, { op: 'replace', path: 'nope', value: 1 }],
        [{ op: 'add', path: 'emails', value: [{ value: 'z@example.com' }] }, { op: 'explode' }],
        [{ op: 'replace', path: 'name.givenName', value: 'x' }, { op: 'replace', path: 'active', value: 'maybe' }],
        [{ op: 'replace', path: 'title', value: 'x' }, { op: 'remove' }],
      ];
      for (const ops of failing) {
        const r = await patchUser(u.id, ...ops);
        assert.equal(r.status, 400, r.text);
        assert.match(r.body.detail, /Operations\[\d+\]/, 'the detail names the failing operation');
      }
      const taken = await freshUser();
      const mark2 = await lastEventId(d.admin, d.dirId);
      assertScimError(await patchUser(u.id, { op: 'replace', path: 'title', value: 'x' }, { op: 'replace', path: 'userName', value: taken.userName }), 409, 'uniqueness', 'conflict in the last op');
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark2), []);
      const now = await d.scim('GET', `/Users/${u.id}`);
      assert.deepEqual(now.body, u, 'the user is unchanged');
      assert.equal((await directoryEvents(d.admin, d.dirId, mark)).length, 1, 'only the second user was created');

      const a = await freshUser();
      const g = await createGroup(d.scim, 'P11 group', [a.id]);
      const gBefore = (await d.scim('GET', `/Groups/${g.id}`)).body;
      const gMark = await lastEventId(d.admin, d.dirId);
      const b = await freshUser();
      const gMark2 = await lastEventId(d.admin, d.dirId);
      assertScimError(
        await patchGroup(g.id, { op: 'replace', path: 'displayName', value: 'P11 renamed' }, { op: 'remove', path: 'members', value: [{ value: a.id }] }, { op: 'add', path: 'members', value: [{ value: b.id }] }, { op: 'add', path: 'members', value: [{ value: 'ghost' }] }),
        400,
        'invalidValue',
        'a group PATCH failing at its last member',
      );
      assert.deepEqual((await d.scim('GET', `/Groups/${g.id}`)).body, gBefore);
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, gMark2), []);
      assert.ok(gMark);
    });

    it('P12: a user PATCH answers 200 with the full resource and its ETag; user.updated carries the user after the change', async () => {
      const u = await freshUser();
      let r: any;
      const events = await eventsDuring(d, async () => {
        r = await patchUser(u.id, { op: 'replace', path: 'name.familyName', value: 'Changed' });
      });
      assertOk(r, 200);
      assert.equal(r.body.id, u.id);
      assert.equal(r.body.userName, u.userName);
      assert.deepEqual(r.body.emails, u.emails);
      assert.equal(r.headers.get('etag'), r.body.meta.version);
      assert.notEqual(r.body.meta.version, u.meta.version);
      assert.deepEqual(r.body, (await d.scim('GET', `/Users/${u.id}`)).body);
      assertEventTypes(events, d, ['user.updated']);
      assert.deepEqual(events[0]!.data, await adminUser(d, u.id));
      assert.equal(events[0]!.data.lastName, 'Changed');
      assert.deepEqual(events[0]!.previous, { lastName: 'Ch' });
    });

    it('P13: active toggles by value object (Okta) and by path, with "False"/"True" strings (Entra)', async () => {
      const u = await freshUser();
      const okta = await eventsDuring(d, async () => {
        const r = await patchUser(u.id, { op: 'replace', value: { active: false } });
        assertOk(r, 200);
        assert.equal(r.body.active, false);
      });
      assertEventTypes(okta, d, ['user.deactivated']);
      assert.equal(okta[0]!.data.state, 'inactive');
      const entra = await eventsDuring(d, async () => {
        const r = await patchUser(u.id, { op: 'Replace', path: 'active', value: 'True' });
        assertOk(r, 200);
        assert.equal(r.body.active, true);
      });
      assertEventTypes(entra, d, ['user.reactivated']);
      const again = await eventsDuring(d, async () => {
        assert.equal((await patchUser(u.id, { op: 'Replace', path: 'active', value: 'False' })).body.active, false);
        assert.equal((await patchUser(u.id, { op: 'replace', path: 'active', value: false })).body.active, false);
      });
      assertEventTypes(again, d, ['user.deactivated'], 'the second deactivation is a no-op');
      assert.equal((await adminUser(d, u.id)).state, 'inactive');
      const listed = await d.admin.call('GET', `/directories/${d.dirId}/users?state=inactive`);
      assert.ok(listed.body.data.some((x: any) => x.id === u.id));
    });

    it('concurrency: simultaneous PATCHes without If-Match all apply, one after the other, each with its own version', async () => {
      const u = await freshUser();
      const users = await Promise.all(Array.from({ length: 8 }, () => freshUser()));
      const userPatches = await Promise.all(
        Array.from({ length: 8 }, (_, i) => patchUser(u.id, { op: 'add', path: 'emails', value: [{ value: `concurrent${i}@example.com`, type: 'other' }] })),
      );
      assert.deepEqual(userPatches.map((r) => r.status), Array(8).fill(200), userPatches.find((r) => r.status !== 200)?.text);
      const after = (await d.scim('GET', `/Users/${u.id}`)).body;
      assert.equal(after.emails.length, 2 + 8, 'no change was lost');
      assert.equal(new Set(userPatches.map((r) => r.headers.get('etag'))).size, 8, 'each change has its own ETag');
      assert.equal(after.meta.version, 'W/"9"');

      const g = await createGroup(d.scim, 'Concurrent group');
      const events = await eventsDuring(d, async () => {
        const adds = await Promise.all(users.map((x) => patchGroup(g.id, { op: 'add', path: 'members', value: [{ value: x.id }] })));
        assert.deepEqual(adds.map((r) => r.status), Array(8).fill(204), adds.find((r) => r.status !== 204)?.text);
        assert.equal(new Set(adds.map((r) => r.headers.get('etag'))).size, 8, 'each membership change has its own ETag');
        const renames = await Promise.all(users.map((_, i) => patchGroup(g.id, { op: 'replace', path: 'displayName', value: `Concurrent group ${i}` })));
        assert.deepEqual(renames.map((r) => r.status), Array(8).fill(204), renames.find((r) => r.status !== 204)?.text);
      });
      assert.equal(events.filter((e) => e.type === 'group.user_added').length, 8);
      assert.equal(events.filter((e) => e.type === 'group.updated').length, 8);
      const group = await adminGroup(d, g.id);
      assert.equal(group.memberCount, 8);
      assert.equal((await d.scim('GET', `/Groups/${g.id}`)).body.meta.version, 'W/"17"', 'one version per change');
      // the memberCount carried by each event is the count after that change: 1..8, each once
      assert.deepEqual(events.filter((e) => e.type === 'group.user_added').map((e) => e.data.group.memberCount).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8]);

      // a user deleted while its group changes: both apply
      const [del, add] = await Promise.all([d.scim('DELETE', `/Users/${users[0]!.id}`), patchGroup(g.id, { op: 'remove', path: 'members', value: [{ value: users[1]!.id }] })]);
      assert.equal(del.status, 204, del.text);
      assert.equal(add.status, 204, add.text);
      assert.equal((await adminGroup(d, g.id)).memberCount, 6);
      assert.deepEqual(await adminMemberIds(d, g.id), users.slice(2).map((x) => x.id).sort());
    });

    it('P14: a member value must be a user of this directory', async () => {
      const g = await createGroup(d.scim, 'P14 group');
      const other = await createGroup(d.scim, 'P14 other');
      for (const value of ['00000000-0000-4000-8000-000000000000', other.id, '']) {
        assertScimError(await patchGroup(g.id, { op: 'add', path: 'members', value: [{ value }] }), 400, 'invalidValue', `member "${value}"`);
        assertScimError(await patchGroup(g.id, { op: 'replace', path: 'members', value: [{ value }] }), 400, 'invalidValue', `replace member "${value}"`);
      }
      assert.equal((await adminGroup(d, g.id)).memberCount, 0);
    });
  });
}
