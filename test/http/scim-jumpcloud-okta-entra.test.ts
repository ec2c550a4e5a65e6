/**
 * Real identity-provider traffic (checklist §4.6): the verbatim JumpCloud payloads of jumpcloud-wire.md
 * §A.3–A.4, and the Okta and Entra quirks (P2, P4, P8, P9, P13, F10, C10, C11).
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
  createUser,
  eventsDuring,
  q,
  scimDirectory,
  URN,
  type ScimDirectory,
} from '../support/scim.js';
import {
  jumpcloudAddMember,
  jumpcloudCreateUser,
  jumpcloudPatchUser,
  jumpcloudPutUserFull,
  jumpcloudPutUserMinimal,
  jumpcloudRemoveMember,
} from '../support/jumpcloud-payloads.js';


for (const dialect of dialects) {
  describe(`IdP traffic: JumpCloud, Okta, Entra (${dialect})`, () => {
    let server: TestServer;

    before(async () => {
      server = await startTestServer(dialect);
    });
    after(() => server.close());

    it('JumpCloud: Test Connection (lookup, create user, create group, delete both); a second run works, a clash is 409', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      const ids: string[] = [];
      const run = async () => {
        const lookup = await d.scim('GET', `/Users?filter=${q('userName eq "testuser@example.io"')}`);
        assertOk(lookup, 200, 'lookup');
        assert.equal(lookup.body.totalResults, 0);
        assert.deepEqual(lookup.body.Resources, []);
        const user = await d.scim('POST', '/Users', jumpcloudCreateUser);
        assertOk(user, 201, 'create test user');
        ids.push(user.body.id);
        const group = await d.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'JumpCloud Test Group', members: [{ value: user.body.id }] });
        assertOk(group, 201, 'create test group');
        assert.equal((await d.scim('DELETE', `/Groups/${group.body.id}`)).status, 204);
        assert.equal((await d.scim('DELETE', `/Users/${user.body.id}`)).status, 204);
      };
      const events = await eventsDuring(d, async () => {
        await run();
        await run();
      });
      // this test group had the test user as a member, so the user is no Test Connection artifact by timing:
      // the group's deletion orphans it (deactivated, JumpCloud's policy), DELETE soft-deletes it, and the
      // second run's POST revives the same user (user.reactivated) instead of failing with 409
      const rest = ['group.created', 'group.user_added', 'group.user_removed', 'group.deleted', 'user.deactivated', 'user.deleted'];
      assertEventTypes(events, d, ['user.created', ...rest, 'user.reactivated', ...rest]);
      assert.equal(ids[0], ids[1], 'the second run revived the soft-deleted test user');
      // the test email must be new: an existing user makes the test fail with 409
      await createUser(d.scim, 'TestUser@example.io');
      assertScimError(await d.scim('POST', '/Users', jumpcloudCreateUser), 409, 'uniqueness', 'test user already exists');
    });

    it('JumpCloud: the verbatim create body (enterprise URN listed without a body, tel: phones, primary addresses)', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      let r: any;
      const events = await eventsDuring(d, async () => {
        r = await d.scim('POST', '/Users', jumpcloudCreateUser);
      });
      assertOk(r, 201, 'JumpCloud create');
      const u = r.body;
      assert.equal(r.headers.get('location'), `${d.endpoint}/Users/${u.id}`);
      assert.equal(u.userName, 'testuser@example.io');
      assert.equal(u.externalId, '66e2d689590450d073d2df3b');
      assert.equal(u.active, true);
      assert.equal(u.displayName, 'displayname');
      assert.equal(u.locale, 'en-US');
      assert.equal(u.preferredLanguage, 'en-US');
      assert.deepEqual(u.name, { familyName: 'lastname', givenName: 'firstname' });
      assert.deepEqual(u.emails, [{ primary: true, type: 'work', value: 'testuser@example.io' }]);
      assert.deepEqual(u.phoneNumbers, [{ primary: true, type: 'work', value: 'tel:+1-555-555-5555' }]);
      assert.deepEqual(u.addresses, jumpcloudCreateUser.addresses);
      assert.ok(u.schemas.includes(URN.user));
      assert.equal(u[URN.enterprise], undefined, 'no extension body was sent, none is invented');
      assertEventTypes(events, d, ['user.created']);
      const admin = await adminUser(d, u.id);
      assert.deepEqual(events[0]!.data, admin);
      assert.equal(admin.email, 'testuser@example.io');
      assert.equal(admin.firstName, 'firstname');
      assert.equal(admin.lastName, 'lastname');
      assert.equal(admin.externalId, '66e2d689590450d073d2df3b');
      assert.deepEqual(admin.raw, jumpcloudCreateUser, 'raw is the body as received');
      // JumpCloud looks the user up again before updating it
      const lookup = await d.scim('GET', `/Users?filter=${q('userName eq "testuser@example.io"')}`);
      assert.equal(lookup.body.totalResults, 1);
      assert.equal(lookup.body.Resources[0].id, u.id);
      const byExternal = await d.scim('GET', `/Users?filter=${q('externalId eq "66e2d689590450d073d2df3b"')}`);
      assert.equal(byExternal.body.Resources[0].id, u.id);
    });

    it('JumpCloud: full-body PUT with our id, the minimal PUT with "emails": null, PUT deactivation, the PATCH form', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      const u = (await d.scim('POST', '/Users', jumpcloudCreateUser)).body;

      let r: any;
      const full = await eventsDuring(d, async () => {
        r = await d.scim('PUT', `/Users/${u.id}`, { ...jumpcloudPutUserFull, id: u.id });
      });
      assertOk(r, 200, 'full PUT');
      const v = r.body;
      assert.equal(v.id, u.id);
      assert.equal(v.userName, 'john.doe@example.com', 'userName may differ from the email');
      assert.deepEqual(v.emails, [{ primary: true, type: 'work', value: 'john.doe@example.io' }]);
      assert.equal(v.addresses, undefined, '"addresses": [] clears them');
      assert.equal(v.phoneNumbers, undefined, '"phoneNumbers": [] clears them');
      assert.deepEqual(v.photos, jumpcloudPutUserFull.photos);
      assert.equal(v.title, 'Captain');
      assert.equal(v.externalId, '664447f5c0c418f2d05e5318');
      assert.deepEqual(v[URN.enterprise], { department: 'C-Suite' });
      assert.deepEqual(v.schemas, [URN.user, URN.enterprise], 'schemas in canonical order, whatever order was sent');
      assert.equal(v.meta.created, u.meta.created);
      assertEventTypes(full, d, ['user.updated']);
      assert.deepEqual(full[0]!.data, await adminUser(d, u.id));
      assert.equal(full[0]!.data.userName, 'john.doe@example.com');
      assert.equal(full[0]!.data.email, 'john.doe@example.io');

      // the same PUT again (JumpCloud re-syncs): nothing changes
      const again = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Users/${u.id}`, { ...jumpcloudPutUserFull, id: u.id }), 200));
      assert.deepEqual(again, []);

      // the minimal sample verbatim: its id is not ours, and ids in a body are ignored (readOnly)
      const minimal = await eventsDuring(d, async () => {
        r = await d.scim('PUT', `/Users/${u.id}`, jumpcloudPutUserMinimal);
      });
      assertOk(r, 200, 'minimal PUT');
      assert.equal(r.body.id, u.id);
      assert.equal(r.body.emails, undefined, '"emails": null clears them');
      assert.equal(r.body.title, undefined);
      assert.equal(r.body.photos, undefined);
      assert.equal(r.body[URN.enterprise], undefined);
      assert.deepEqual(r.body.schemas, [URN.user]);
      assert.equal(r.body.userName, 'testuser@example.io');
      assertEventTypes(minimal, d, ['user.updated']);
      assert.equal(minimal[0]!.data.email, null);
      assertScimError(await d.scim('GET', '/Users/5107a4e4-0b11-4e77-8dcf-c8c6978d40ac'), 404, null, 'the foreign id was not created');

      // deactivation as a full-body PUT with active:false
      const off = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Users/${u.id}`, { ...jumpcloudPutUserMinimal, id: u.id, active: false }), 200));
      assertEventTypes(off, d, ['user.deactivated']);
      assert.equal((await adminUser(d, u.id)).state, 'inactive');
      const on = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Users/${u.id}`, { ...jumpcloudPutUserMinimal, id: u.id }), 200));
      assertEventTypes(on, d, ['user.reactivated']);

      // the PATCH form: one op per attribute with a path
      const patched = await eventsDuring(d, async () => {
        r = await d.scim('PATCH', `/Users/${u.id}`, jumpcloudPatchUser);
      });
      assertOk(r, 200, 'JumpCloud PATCH');
      assert.deepEqual(r.body.name, { familyName: 'Doe', givenName: 'John' });
      assert.equal(r.body.active, false);
      assert.deepEqual(patched.map((e) => e.type).sort(), ['user.deactivated', 'user.updated']);
      for (const e of patched) assert.deepEqual(e.data, await adminUser(d, u.id));
    });

    it('JumpCloud: groups: lookup by displayName, create with a first member, Azure-style member add/remove, unbind empties but keeps the group', async () => {
      const d = await scimDirectory(server, 'jumpcloud');
      const a = await createUser(d.scim, 'jc-a@example.io');
      const b = await createUser(d.scim, 'jc-b@example.io');
      const lookup = await d.scim('GET', `/Groups?filter=${q('displayName eq "Sales"')}`);
      assertOk(lookup, 200);
      assert.equal(lookup.body.totalResults, 0);
      const created = await d.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'Sales', members: [{ value: a.id }] });
      assertOk(created, 201);
      const g = created.body;
      const takeover = await d.scim('GET', `/Groups?filter=${q('displayName eq "sales"')}`);
      assert.equal(takeover.body.Resources[0].id, g.id, 'found by name whatever the case');

      const added = await eventsDuring(d, async () => {
        const r = await d.scim('PATCH', `/Groups/${g.id}`, jumpcloudAddMember(b.id));
        assert.ok(r.status === 204 || r.status === 200, r.text);
      });
      assertEventTypes(added, d, ['group.user_added']);
      assert.equal(added[0]!.data.user.id, b.id);
      assert.deepEqual(added[0]!.data.group, await adminGroup(d, g.id));
      assert.deepEqual(await adminMemberIds(d, g.id), [a.id, b.id].sort());

      const removed = await eventsDuring(d, async () => {
        const r = await d.scim('PATCH', `/Groups/${g.id}`, jumpcloudRemoveMember(a.id));
        assert.ok(r.status === 204 || r.status === 200, r.text);
      });
      assertEventTypes(removed, d, ['group.user_removed']);
      assert.equal(removed[0]!.data.user.id, a.id);
      assert.deepEqual(await adminMemberIds(d, g.id), [b.id]);

      // rename by PUT without members keeps the membership
      assertOk(await d.scim('PUT', `/Groups/${g.id}`, { schemas: [URN.group], displayName: 'Sales EMEA' }), 200);
      assert.deepEqual(await adminMemberIds(d, g.id), [b.id]);
      // unbinding from the app: a group update that removes every member; the group stays, and b, left in
      // no group, is deactivated (the jumpcloud dialect's orphanedMembers: deactivate)
      const unbind = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Groups/${g.id}`, { schemas: [URN.group], displayName: 'Sales EMEA', members: [] }), 200));
      assertEventTypes(unbind, d, ['group.user_removed', 'user.deactivated']);
      assert.equal(unbind[1]!.data.id, b.id);
      assert.equal((await adminUser(d, b.id)).state, 'inactive');
      assert.equal((await adminUser(d, a.id)).state, 'active', 'a left the group earlier, by a single removal: not an unbind');
      assertOk(await d.scim('GET', `/Groups/${g.id}`), 200, 'the group is left in place');
      assert.equal((await adminGroup(d, g.id)).memberCount, 0);
      // removing again from the now empty group is a no-op
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, jumpcloudRemoveMember(b.id))).status, 204);
    });

    it('Okta: userName lookup before create, active by value object, members[value eq] remove, displayName lookup, replace with id in the value', async () => {
      const d = await scimDirectory(server, 'okta');
      const lookup = await d.scim('GET', `/Users?filter=${q('userName eq "okta.user@example.com"')}&startIndex=1&count=100`);
      assertOk(lookup, 200);
      assert.deepEqual([lookup.body.totalResults, lookup.body.Resources], [0, []]);
      const created = await d.scim('POST', '/Users', {
        schemas: [URN.user],
        userName: 'okta.user@example.com',
        name: { givenName: 'Okta', familyName: 'User' },
        emails: [{ primary: true, value: 'okta.user@example.com', type: 'work' }],
        displayName: 'Okta User',
        locale: 'en-US',
        externalId: '00u1abcd',
        groups: [],
        password: 'Okta-sends-passwords-1',
        active: true,
      });
      assertOk(created, 201, 'Okta create');
      const u = created.body;
      const found = await d.scim('GET', `/Users?filter=${q('userName eq "okta.user@example.com"')}&startIndex=1&count=100`);
      assert.equal(found.body.Resources[0].id, u.id);

      const off = await eventsDuring(d, async () => {
        const r = await d.scim('PATCH', `/Users/${u.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', value: { active: false } }] });
        assertOk(r, 200, 'Okta deactivate');
        assert.equal(r.body.active, false);
      });
      assertEventTypes(off, d, ['user.deactivated']);

      const groupLookup = await d.scim('GET', `/Groups?filter=${q('displayName eq "Okta Admins"')}`);
      assert.equal(groupLookup.body.totalResults, 0);
      const g = (await d.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'Okta Admins', members: [] })).body;
      assert.equal((await d.scim('GET', `/Groups?filter=${q('displayName eq "Okta Admins"')}`)).body.Resources[0].id, g.id);
      const v = await createUser(d.scim, 'okta.second@example.com');
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'add', path: 'members', value: [{ value: u.id, display: 'okta.user@example.com' }, { value: v.id }] }] })).status, 204);
      const removed = await eventsDuring(d, async () => {
        const r = await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'remove', path: `members[value eq "${u.id}"]` }] });
        assert.equal(r.status, 204, r.text);
      });
      assertEventTypes(removed, d, ['group.user_removed']);
      assert.deepEqual(await adminMemberIds(d, g.id), [v.id]);
      // Okta renames with the id inside the value object: the readOnly id is ignored
      const renamed = await eventsDuring(d, async () => {
        const r = await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', value: { id: g.id, displayName: 'Okta Admins 2' } }] });
        assert.equal(r.status, 204, r.text);
      });
      assertEventTypes(renamed, d, ['group.updated']);
      assert.equal(renamed[0]!.data.name, 'Okta Admins 2');
      // Okta PUTs the whole group (with members) on push
      assertOk(await d.scim('PUT', `/Groups/${g.id}`, { schemas: [URN.group], id: g.id, displayName: 'Okta Admins 2', members: [{ value: u.id, display: 'x' }, { value: v.id }] }), 200);
      assert.deepEqual(await adminMemberIds(d, g.id), [u.id, v.id].sort());
    });

    it('Entra: op casing, "False"/"True" strings, value-array member removal, filtered replace creating a value, empty Operations', async () => {
      const d = await scimDirectory(server, 'entra');
      // Entra's validator probes for a user that does not exist
      const probe = await d.scim('GET', `/Users?filter=${q('userName eq "2d0c4aa5-f7a1-4d7c-8b5c-fake"')}`);
      assertOk(probe, 200);
      assert.equal(probe.body.totalResults, 0);
      const created = await d.scim('POST', '/Users', {
        schemas: [URN.user, URN.enterprise],
        externalId: 'entra-ext-1',
        userName: 'entra.user@contoso.example',
        active: 'True',
        displayName: 'Entra User',
        name: { formatted: 'Entra User', familyName: 'User', givenName: 'Entra' },
        [URN.enterprise]: { employeeNumber: '42', department: 'Finance' },
      });
      assertOk(created, 201, 'Entra create with "True"');
      const u = created.body;
      assert.equal(u.active, true);
      const manager = await createUser(d.scim, 'entra.manager@contoso.example');

      let r: any;
      const patched = await eventsDuring(d, async () => {
        r = await d.scim('PATCH', `/Users/${u.id}`, {
          schemas: [URN.patchOp],
          Operations: [
            { op: 'Replace', path: 'emails[type eq "work"].value', value: 'entra.user@contoso.example' },
            { op: 'Replace', path: 'name.givenName', value: 'Entra2' },
            { op: 'Add', path: `${URN.enterprise}:manager`, value: manager.id },
            { op: 'Replace', path: 'externalId', value: 'entra-ext-1b' },
            { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0142' },
          ],
        });
      });
      assertOk(r, 200, 'Entra PATCH');
      assert.deepEqual(r.body.emails, [{ type: 'work', value: 'entra.user@contoso.example' }], 'the unmatched filtered replace created the work email');
      assert.deepEqual(r.body.phoneNumbers, [{ type: 'mobile', value: '+1 555 0142' }]);
      assert.equal(r.body.name.givenName, 'Entra2');
      assert.deepEqual(r.body[URN.enterprise].manager, { value: manager.id }, 'manager given as a bare id');
      assert.equal(r.body.externalId, 'entra-ext-1b');
      assertEventTypes(patched, d, ['user.updated']);
      assert.deepEqual(patched[0]!.data, await adminUser(d, u.id));
      assert.equal(patched[0]!.data.email, 'entra.user@contoso.example');

      const off = await eventsDuring(d, async () => {
        r = await d.scim('PATCH', `/Users/${u.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
      });
      assertOk(r, 200);
      assert.equal(r.body.active, false);
      assertEventTypes(off, d, ['user.deactivated']);

      // the validator's empty Operations list is a no-op
      const empty = await eventsDuring(d, async () => assertOk(await d.scim('PATCH', `/Users/${u.id}`, { schemas: [URN.patchOp], Operations: [] }), 200));
      assert.deepEqual(empty, []);

      // groups: lookup with excludedAttributes, create, Add members, Remove by value array, Replace displayName
      const lookup = await d.scim('GET', `/Groups?excludedAttributes=members&filter=${q('displayName eq "Finance"')}`);
      assert.equal(lookup.body.totalResults, 0);
      const g = (await d.scim('POST', '/Groups', { schemas: [URN.group], externalId: 'entra-g-1', displayName: 'Finance', members: [] })).body;
      const byExternal = await d.scim('GET', `/Groups?excludedAttributes=members&filter=${q('externalId eq "entra-g-1"')}`);
      assert.equal(byExternal.body.Resources[0].id, g.id);
      assert.equal(byExternal.body.Resources[0].members, undefined);
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'Add', path: 'members', value: [{ value: u.id }, { value: manager.id }] }] })).status, 204);
      const removal = await eventsDuring(d, async () => {
        const rr = await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'Remove', path: 'members', value: [{ value: u.id }] }] });
        assert.equal(rr.status, 204, rr.text);
      });
      assertEventTypes(removal, d, ['group.user_removed']);
      assert.equal(removal[0]!.data.user.id, u.id);
      assert.deepEqual(await adminMemberIds(d, g.id), [manager.id]);
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'Replace', path: 'displayName', value: 'Finance & Ops' }] })).status, 204);
      assert.equal((await adminGroup(d, g.id)).name, 'Finance & Ops');
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [] })).status, 204, 'empty Operations on a group');
      // Entra deprovisioning of a user no longer in the group: remove from a group that does not have it
      assert.equal((await d.scim('PATCH', `/Groups/${g.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'Remove', path: 'members', value: [{ value: u.id }] }] })).status, 204);
    });
  });
}
