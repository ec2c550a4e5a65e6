/**
 * SCIM Users: create, read, replace, delete, meta, ETags (checklist §4.2 C1–C13, §4.5 E3), and the events
 * every change writes (CONTRACT.md "Event"), seen through the admin API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { http, startTestServer, type TestServer } from '../support/server.js';
import {
  adminUser,
  assertEventTypes,
  assertOk,
  assertScimError,
  createUser,
  directoryEvents,
  eventsDuring,
  lastEventId,
  patchOp,
  q,
  scimDirectory,
  sleep,
  URN,
  userBody,
  versionOf,
  type ScimDirectory,
} from '../support/scim.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const dialect of dialects) {
  describe(`SCIM Users (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'generic');
    });
    after(() => server.close());

    it('C1/C2: POST is 201 with Location = meta.location, a server id and complete meta; user.created carries the user', async () => {
      let created: any;
      const events = await eventsDuring(d, async () => {
        created = await d.scim('POST', '/Users', userBody('c1@example.com', { id: 'client-chosen-id', externalId: 'ext-c1', name: { givenName: 'Cee', familyName: 'One' } }));
      });
      assertOk(created, 201, 'create');
      const u = created.body;
      assert.match(u.id, UUID);
      assert.notEqual(u.id, 'client-chosen-id', 'the client id is ignored');
      assert.equal(created.headers.get('location'), u.meta.location);
      assert.equal(u.meta.location, `${d.endpoint}/Users/${u.id}`);
      assert.ok(/^https?:\/\//.test(u.meta.location), 'absolute URI');
      assert.equal(u.meta.resourceType, 'User');
      assert.equal(u.meta.created, u.meta.lastModified);
      assert.ok(!Number.isNaN(Date.parse(u.meta.created)));
      assert.match(u.meta.version, /^W\/".+"$/);
      assert.equal(created.headers.get('etag'), u.meta.version);
      assert.deepEqual(u.schemas, [URN.user]);
      assert.equal(u.userName, 'c1@example.com');
      assert.equal(u.externalId, 'ext-c1');
      assert.deepEqual(u.name, { givenName: 'Cee', familyName: 'One' });

      assertEventTypes(events, d, ['user.created']);
      const fromAdmin = await adminUser(d, u.id);
      assert.deepEqual(events[0]!.data, fromAdmin, 'event data = the user after the change');
      assert.equal(fromAdmin.userName, 'c1@example.com');
      assert.equal(fromAdmin.externalId, 'ext-c1');
      assert.equal(fromAdmin.firstName, 'Cee');
      assert.equal(fromAdmin.lastName, 'One');
      assert.equal(fromAdmin.state, 'active');
    });

    it('C3: readOnly attributes in a body are ignored; schemas must be a non-empty, duplicate-free list with the core URN', async () => {
      const r = await d.scim('POST', '/Users', userBody('c3@example.com', {
        id: 'x', meta: { created: '2000-01-01T00:00:00Z', version: 'W/"99"', resourceType: 'Group' },
        groups: [{ value: 'g1', display: 'hack' }],
      }));
      assertOk(r, 201);
      assert.notEqual(r.body.id, 'x');
      assert.notEqual(r.body.meta.created, '2000-01-01T00:00:00Z');
      assert.equal(r.body.meta.resourceType, 'User');
      assert.equal(r.body.groups, undefined, 'groups is derived from memberships, never taken from the body');

      const listBefore = (await d.scim('GET', '/Users?count=0')).body.totalResults;
      const bad: [string, unknown, string][] = [
        ['no schemas', { userName: 'c3a@example.com' }, 'invalidSyntax'],
        ['schemas not an array', { schemas: URN.user, userName: 'c3b@example.com' }, 'invalidSyntax'],
        ['schemas with a number', { schemas: [URN.user, 7], userName: 'c3c@example.com' }, 'invalidSyntax'],
        ['empty schemas', { schemas: [], userName: 'c3d@example.com' }, 'invalidValue'],
        ['duplicate schemas', { schemas: [URN.user, URN.user], userName: 'c3e@example.com' }, 'invalidValue'],
        ['no core URN', { schemas: [URN.enterprise], userName: 'c3f@example.com' }, 'invalidValue'],
        ['unknown URN', { schemas: [URN.user, 'urn:example:custom:1.0:User'], userName: 'c3g@example.com' }, 'invalidValue'],
        ['Group schema on a User', { schemas: [URN.group], userName: 'c3h@example.com' }, 'invalidValue'],
      ];
      for (const [label, body, scimType] of bad) assertScimError(await d.scim('POST', '/Users', body), 400, scimType, label);
      assert.equal((await d.scim('GET', '/Users?count=0')).body.totalResults, listBefore, 'nothing was created');
      // URN comparison is case-insensitive; the stored schemas are canonical
      const lower = await d.scim('POST', '/Users', { schemas: [URN.user.toLowerCase()], userName: 'c3-lower@example.com' });
      assertOk(lower, 201);
      assert.deepEqual(lower.body.schemas, [URN.user]);
    });

    it('C4: userName is required and non-empty; malformed JSON is invalidSyntax', async () => {
      for (const [label, body] of [
        ['missing', { schemas: [URN.user] }],
        ['empty', userBody('')],
        ['blank', userBody('   ')],
        ['null', userBody(null as unknown as string)],
      ] as const) {
        assertScimError(await d.scim('POST', '/Users', body), 400, 'invalidValue', `userName ${label}`);
      }
      for (const raw of ['{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":', '{userName: "x"}', "{'a':1}", '']) {
        const r = await http('POST', `${d.endpoint}/Users`, { token: d.token, rawBody: raw, contentType: 'application/scim+json' });
        assertScimError(r, 400, 'invalidSyntax', `malformed JSON ${JSON.stringify(raw)}`);
      }
    });

    it('C5: userName is unique case-insensitively (409 uniqueness) on POST, PUT and PATCH; a deleted userName is free again', async () => {
      const first = await createUser(d.scim, 'Unique.Person@Example.com');
      const mark = await lastEventId(d.admin, d.dirId);
      for (const name of ['Unique.Person@Example.com', 'unique.person@example.com', 'UNIQUE.PERSON@EXAMPLE.COM']) {
        assertScimError(await d.scim('POST', '/Users', userBody(name)), 409, 'uniqueness', `duplicate ${name}`);
      }
      const second = await createUser(d.scim, 'second.person@example.com');
      const afterSecond = await lastEventId(d.admin, d.dirId);
      assertScimError(await d.scim('PUT', `/Users/${second.id}`, userBody('UNIQUE.person@example.com')), 409, 'uniqueness', 'PUT to a taken userName');
      assertScimError(
        await d.scim('PATCH', `/Users/${second.id}`, patchOp({ op: 'replace', path: 'userName', value: 'unique.PERSON@example.com' })),
        409,
        'uniqueness',
        'PATCH to a taken userName',
      );
      assert.equal((await d.scim('GET', `/Users/${second.id}`)).body.userName, 'second.person@example.com');
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, afterSecond), [], 'refused changes write no event');
      assert.equal((await directoryEvents(d.admin, d.dirId, mark)).length, 1, 'only the second user was created');

      // renaming oneself to a different case of one's own userName is not a conflict
      assertOk(await d.scim('PUT', `/Users/${first.id}`, userBody('unique.person@example.com')), 200, 'case change of own userName');
      assert.equal((await d.scim('DELETE', `/Users/${first.id}`)).status, 204);
      await createUser(d.scim, 'UNIQUE.PERSON@example.com');
    });

    it('C6: GET by id is 200 with an ETag; an unknown id is a 404 SCIM Error with detail', async () => {
      const u = await createUser(d.scim, 'c6@example.com', { displayName: 'Cee Six' });
      const r = await d.scim('GET', `/Users/${u.id}`);
      assertOk(r, 200);
      assert.deepEqual(r.body, u);
      assert.equal(r.headers.get('etag'), u.meta.version);
      for (const id of ['00000000-0000-0000-0000-000000000000', 'nope', u.id.toUpperCase(), `${u.id}x`, '%20']) {
        assertScimError(await d.scim('GET', `/Users/${id}`), 404, null, `GET /Users/${id}`);
      }
      const group = await d.scim('POST', '/Groups', { schemas: [URN.group], displayName: 'C6 group' });
      assertScimError(await d.scim('GET', `/Users/${group.body.id}`), 404, null, 'a group id is not a user');
      assertScimError(await d.scim('GET', `/Groups/${u.id}`), 404, null, 'a user id is not a group');
    });

    it('C7: PUT replaces readWrite attributes, ignores readOnly ones, requires userName, and never creates', async () => {
      const u = await createUser(d.scim, 'c7@example.com', {
        title: 'Engineer', nickName: 'Seven', emails: [{ value: 'c7@example.com', type: 'work', primary: true }], name: { givenName: 'C', familyName: 'Seven' },
      });
      await sleep(5);
      let put: any;
      const events = await eventsDuring(d, async () => {
        put = await d.scim('PUT', `/Users/${u.id}`, userBody('c7@example.com', {
          id: 'someone-else', meta: { version: 'W/"1"' }, title: 'Manager', name: { givenName: 'C' }, groups: [{ value: 'x' }],
        }));
      });
      assertOk(put, 200, 'PUT');
      const v = put.body;
      assert.equal(v.id, u.id, 'id in the body is ignored');
      assert.equal(v.title, 'Manager');
      assert.equal(v.nickName, undefined, 'an attribute left out of a PUT is removed');
      assert.equal(v.emails, undefined);
      assert.deepEqual(v.name, { givenName: 'C' });
      assert.equal(v.meta.created, u.meta.created);
      assert.notEqual(v.meta.version, u.meta.version, 'version moves');
      assert.ok(Date.parse(v.meta.lastModified) > Date.parse(u.meta.lastModified), 'lastModified moves');
      assert.equal(put.headers.get('etag'), v.meta.version);
      assertEventTypes(events, d, ['user.updated']);
      assert.deepEqual(events[0]!.data, await adminUser(d, u.id));
      assert.equal(events[0]!.data.lastName, null);

      assertScimError(await d.scim('PUT', `/Users/${u.id}`, { schemas: [URN.user], title: 'x' }), 400, 'invalidValue', 'PUT without userName');
      assertScimError(await d.scim('PUT', `/Users/${u.id}`, userBody('')), 400, 'invalidValue', 'PUT with an empty userName');
      assert.equal((await d.scim('GET', `/Users/${u.id}`)).body.title, 'Manager', 'a refused PUT changes nothing');

      const total = (await d.scim('GET', '/Users?count=0')).body.totalResults;
      assertScimError(await d.scim('PUT', '/Users/00000000-0000-4000-8000-000000000000', userBody('ghost@example.com')), 404, null, 'PUT never creates');
      assert.equal((await d.scim('GET', '/Users?count=0')).body.totalResults, total);
      assert.equal((await d.scim('GET', `/Users?filter=${q('userName eq "ghost@example.com"')}`)).body.totalResults, 0);
    });

    it('C7: a PUT of the identical body is a no-op: no event, same version and lastModified', async () => {
      const body = userBody('same@example.com', {
        name: { givenName: 'Sam', familyName: 'Same' }, emails: [{ value: 'same@example.com', type: 'work', primary: true }], active: true, title: 'T',
        [URN.enterprise]: { department: 'R&D' },
      });
      body.schemas = [URN.user, URN.enterprise];
      const created = await d.scim('POST', '/Users', body);
      assertOk(created, 201);
      const id = created.body.id;
      await sleep(5);
      const events = await eventsDuring(d, async () => {
        for (let i = 0; i < 2; i++) assertOk(await d.scim('PUT', `/Users/${id}`, body), 200, 'identical PUT');
        // the same document with keys in another order is the same document
        const reordered = Object.fromEntries(Object.entries(body).reverse());
        reordered.name = { familyName: 'Sam'.replace('Sam', 'Same'), givenName: 'Sam' };
        reordered.emails = [{ primary: true, type: 'work', value: 'same@example.com' }];
        assertOk(await d.scim('PUT', `/Users/${id}`, reordered), 200, 'reordered PUT');
        // and so is the full representation the server returned (readOnly parts are ignored)
        assertOk(await d.scim('PUT', `/Users/${id}`, created.body), 200, 'PUT of the GET representation');
      });
      assert.deepEqual(events.map((e) => e.type), [], 'no-op PUTs write no event');
      const now = await versionOf(d.scim, `/Users/${id}`);
      assert.equal(now.version, created.body.meta.version);
      assert.equal(now.lastModified, created.body.meta.lastModified);
    });

    it('C8: DELETE is 204; then GET is 404, the user is gone from lists and filters; user.deleted is written', async () => {
      const u = await createUser(d.scim, 'c8@example.com', { externalId: 'ext-c8' });
      const before = await adminUser(d, u.id);
      const events = await eventsDuring(d, async () => {
        const r = await d.scim('DELETE', `/Users/${u.id}`);
        assert.equal(r.status, 204);
        assert.equal(r.text, '');
      });
      assertEventTypes(events, d, ['user.deleted']);
      assert.equal(events[0]!.data.id, u.id);
      assert.deepEqual({ ...events[0]!.data, updatedAt: undefined }, { ...before, updatedAt: undefined }, 'user.deleted carries the user as it was');
      assertScimError(await d.scim('GET', `/Users/${u.id}`), 404, null, 'GET after DELETE');
      assertScimError(await d.scim('DELETE', `/Users/${u.id}`), 404, null, 'DELETE twice');
      assertScimError(await d.scim('PUT', `/Users/${u.id}`, userBody('c8@example.com')), 404, null, 'PUT after DELETE');
      assertScimError(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'x' })), 404, null, 'PATCH after DELETE');
      for (const filter of [`id eq "${u.id}"`, 'userName eq "c8@example.com"', 'externalId eq "ext-c8"']) {
        const r = await d.scim('GET', `/Users?filter=${q(filter)}`);
        assert.equal(r.body.totalResults, 0, filter);
      }
      const all = await d.scim('GET', '/Users?count=1000');
      assert.ok(!all.body.Resources.some((x: any) => x.id === u.id));
      // soft delete (README "SCIM behaviour, decided"): the admin API still shows the user, as deleted
      const kept = await d.admin.call('GET', `/directories/${d.dirId}/users/${u.id}`);
      assert.equal(kept.status, 200);
      assert.equal(kept.body.state, 'deleted');
      assert.ok(!(await d.admin.call('GET', `/directories/${d.dirId}/users?limit=500`)).body.data.some((x: any) => x.id === u.id), 'not in the default listing');
      assert.ok((await d.admin.call('GET', `/directories/${d.dirId}/users?state=deleted`)).body.data.some((x: any) => x.id === u.id), 'listed with ?state=deleted');
    });

    it('C9: password is accepted, never stored, never returned (not even with attributes=password)', async () => {
      const secret = 'S3cr3t-Passw0rd-never-shown';
      const created = await d.scim('POST', '/Users', userBody('c9@example.com', { password: secret }));
      assertOk(created, 201);
      const id = created.body.id;
      const patched = await d.scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'password', value: `${secret}-2` }));
      assertOk(patched, 200);
      const put = await d.scim('PUT', `/Users/${id}`, userBody('c9@example.com', { password: `${secret}-3` }));
      assertOk(put, 200);
      const reads = [
        created,
        patched,
        put,
        await d.scim('GET', `/Users/${id}`),
        await d.scim('GET', `/Users/${id}?attributes=password`),
        await d.scim('GET', `/Users/${id}?attributes=password,userName`),
        await d.scim('GET', `/Users?filter=${q('userName eq "c9@example.com"')}&attributes=password`),
        await d.scim('POST', '/Users/.search', { schemas: [URN.searchRequest], attributes: ['password'], filter: 'userName eq "c9@example.com"' }),
        await d.admin.call('GET', `/directories/${d.dirId}/users/${id}`),
        await d.admin.call('GET', `/events?directory=${d.dirId}&limit=500`),
      ];
      for (const r of reads) {
        assert.ok(r.status < 300, r.text);
        assert.ok(!r.text.includes(secret), `the password never appears: ${r.text.slice(0, 200)}`);
        assert.ok(!/"password"/.test(r.text), 'no password key');
      }
      // a no-op (the password is not stored): PATCH of the password alone changes nothing
      assert.equal(patched.body.meta.version, created.body.meta.version);
    });

    it('C10: unknown and misspelled attributes are ignored (kept only in raw)', async () => {
      const r = await d.scim('POST', '/Users', userBody('c10@example.com', { favouriteColour: 'blue', userNmae: 'typo', name: { givenName: 'Ten', middleInitial: 'Q' } }));
      assertOk(r, 201);
      assert.equal(r.body.favouriteColour, undefined);
      assert.equal(r.body.userNmae, undefined);
      assert.deepEqual(r.body.name, { givenName: 'Ten' });
      const admin = await adminUser(d, r.body.id);
      assert.equal(admin.raw.favouriteColour, 'blue', 'raw keeps the body as received');
      assertOk(await d.scim('PUT', `/Users/${r.body.id}`, userBody('c10@example.com', { unknownThing: { deep: [1, 2] } })), 200);
    });

    it('C11: booleans given as "True"/"False" strings are coerced; other non-booleans are 400 invalidValue', async () => {
      const f = await d.scim('POST', '/Users', userBody('c11@example.com', { active: 'False' }));
      assertOk(f, 201);
      assert.equal(f.body.active, false);
      assert.equal((await adminUser(d, f.body.id)).state, 'inactive');
      const t = await d.scim('PUT', `/Users/${f.body.id}`, userBody('c11@example.com', { active: 'TRUE' }));
      assertOk(t, 200);
      assert.equal(t.body.active, true);
      for (const value of ['yes', 1, 0, [], {}, 'truthy']) {
        assertScimError(await d.scim('POST', '/Users', userBody(`c11-${JSON.stringify(value)}@example.com`, { active: value })), 400, 'invalidValue', `active ${JSON.stringify(value)}`);
      }
      assertScimError(
        await d.scim('POST', '/Users', userBody('c11-primary@example.com', { emails: [{ value: 'a@example.com', primary: 'maybe' }] })),
        400,
        'invalidValue',
        'primary "maybe"',
      );
      const p = await d.scim('POST', '/Users', userBody('c11-p@example.com', { emails: [{ value: 'a@example.com', primary: 'True' }] }));
      assertOk(p, 201);
      assert.equal(p.body.emails[0].primary, true);
    });

    it('C12: multi-valued attributes keep at most one primary and no duplicate (type, value)', async () => {
      const r = await d.scim('POST', '/Users', userBody('c12@example.com', {
        emails: [
          { value: 'one@example.com', type: 'work', primary: true },
          { value: 'two@example.com', type: 'home', primary: true },
          { value: 'ONE@example.com', type: 'work' },
        ],
        phoneNumbers: [{ value: '+1 555 0100', type: 'work' }, { value: '+1 555 0100', type: 'work' }],
      }));
      assertOk(r, 201);
      const emails = r.body.emails as any[];
      assert.equal(emails.length, 2, `duplicates collapse (emails compare case-insensitively): ${JSON.stringify(emails)}`);
      assert.equal(emails.filter((e) => e.primary === true).length, 1, 'one primary');
      assert.equal(r.body.phoneNumbers.length, 1);
      // setting a new primary unsets the others
      const p = await d.scim('PATCH', `/Users/${r.body.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: 'three@example.com', type: 'other', primary: true }] }));
      assertOk(p, 200);
      const after = p.body.emails as any[];
      assert.equal(after.length, 3);
      assert.deepEqual(after.filter((e) => e.primary === true).map((e) => e.value), ['three@example.com']);
      const admin = await adminUser(d, r.body.id);
      assert.equal(admin.email, 'three@example.com', 'the admin view follows the primary email');
    });

    it('C13: the enterprise extension lives in its URN container; listed without a body is fine', async () => {
      const full = await d.scim('POST', '/Users', {
        schemas: [URN.user, URN.enterprise],
        userName: 'c13@example.com',
        [URN.enterprise]: { employeeNumber: '701', department: 'Ops', manager: { value: 'mgr-1' } },
      });
      assertOk(full, 201);
      assert.deepEqual(full.body.schemas, [URN.user, URN.enterprise]);
      assert.deepEqual(full.body[URN.enterprise], { employeeNumber: '701', department: 'Ops', manager: { value: 'mgr-1' } });
      assert.equal(full.body.employeeNumber, undefined, 'not flattened into the core');

      const listedOnly = await d.scim('POST', '/Users', { schemas: [URN.enterprise, URN.user], userName: 'c13-listed@example.com' });
      assertOk(listedOnly, 201, 'extension URN listed without a container (JumpCloud)');
      assert.ok(listedOnly.body.schemas.includes(URN.user));

      const unlisted = await d.scim('POST', '/Users', { schemas: [URN.user], userName: 'c13-unlisted@example.com', [URN.enterprise]: { costCenter: 'CC9' } });
      assertOk(unlisted, 201, 'container without its URN listed');
      assert.deepEqual(unlisted.body.schemas, [URN.user, URN.enterprise], 'its URN is added to schemas');
      assert.deepEqual(unlisted.body[URN.enterprise], { costCenter: 'CC9' });

      const qualified = await d.scim('POST', '/Users', { schemas: [URN.user, URN.enterprise], userName: 'c13-q@example.com', [`${URN.enterprise}:department`]: 'Legal' });
      assertOk(qualified, 201, 'URN-qualified key');
      assert.deepEqual(qualified.body[URN.enterprise], { department: 'Legal' });

      assertScimError(
        await d.scim('POST', '/Users', { schemas: [URN.user, URN.enterprise], userName: 'c13-bad@example.com', [URN.enterprise]: 'Ops' }),
        400,
        'invalidValue',
        'extension container that is not an object',
      );
      // PUT without the extension drops it
      const put = await d.scim('PUT', `/Users/${full.body.id}`, userBody('c13@example.com'));
      assertOk(put, 200);
      assert.equal(put.body[URN.enterprise], undefined);
      assert.deepEqual(put.body.schemas, [URN.user]);
    });

    it('E3: ETags — If-Match mismatch is 412 and changes nothing; If-None-Match match is 304', async () => {
      const u = await createUser(d.scim, 'etag@example.com', { title: 'A' });
      const etag = u.meta.version as string;
      const notModified = await d.scim('GET', `/Users/${u.id}`, undefined, { 'if-none-match': etag });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.text, '');
      assertOk(await d.scim('GET', `/Users/${u.id}`, undefined, { 'if-none-match': 'W/"999"' }), 200);

      const mark = await lastEventId(d.admin, d.dirId);
      for (const stale of ['W/"999"', '"999"', 'garbage', 'W/"0", W/"998"']) {
        assertScimError(await d.scim('PUT', `/Users/${u.id}`, userBody('etag@example.com', { title: 'B' }), { 'if-match': stale }), 412, null, `PUT If-Match ${stale}`);
        assertScimError(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'B' }), { 'if-match': stale }), 412, null, `PATCH If-Match ${stale}`);
        assertScimError(await d.scim('DELETE', `/Users/${u.id}`, undefined, { 'if-match': stale }), 412, null, `DELETE If-Match ${stale}`);
      }
      assert.deepEqual(await directoryEvents(d.admin, d.dirId, mark), []);
      assert.equal((await d.scim('GET', `/Users/${u.id}`)).body.title, 'A');

      const ok = await d.scim('PUT', `/Users/${u.id}`, userBody('etag@example.com', { title: 'B' }), { 'if-match': etag });
      assertOk(ok, 200, 'PUT with the current ETag');
      assert.notEqual(ok.headers.get('etag'), etag);
      const patched = await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'C' }), { 'if-match': ok.headers.get('etag')! });
      assertOk(patched, 200, 'PATCH with the current ETag');
      assert.equal(patched.headers.get('etag'), patched.body.meta.version);
      assertOk(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'D' }), { 'if-match': '*' }), 200, 'If-Match *');
      assertScimError(await d.scim('DELETE', `/Users/${u.id}`, undefined, { 'if-match': etag }), 412, null, 'DELETE with an old ETag');
      const current = (await d.scim('GET', `/Users/${u.id}`)).headers.get('etag')!;
      assert.equal((await d.scim('DELETE', `/Users/${u.id}`, undefined, { 'if-match': current })).status, 204);
    });

    it('events: deactivation, reactivation and attribute changes each write their own event with the user after the change', async () => {
      const u = await createUser(d.scim, 'lifecycle@example.com', { name: { givenName: 'Life', familyName: 'Cycle' }, title: 'Dev' });
      const deactivate = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Users/${u.id}`, userBody('lifecycle@example.com', { name: { givenName: 'Life', familyName: 'Cycle' }, title: 'Dev', active: false })), 200));
      assertEventTypes(deactivate, d, ['user.deactivated'], 'only active changed');
      assert.equal(deactivate[0]!.data.state, 'inactive');
      assert.deepEqual(deactivate[0]!.data, await adminUser(d, u.id));

      const reactivate = await eventsDuring(d, async () => assertOk(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'active', value: true })), 200));
      assertEventTypes(reactivate, d, ['user.reactivated']);
      assert.equal(reactivate[0]!.data.state, 'active');
      assert.deepEqual(reactivate[0]!.data, await adminUser(d, u.id));

      const both = await eventsDuring(d, async () => assertOk(await d.scim('PUT', `/Users/${u.id}`, userBody('lifecycle@example.com', { name: { givenName: 'Life', familyName: 'Renamed' }, title: 'Dev', active: false })), 200));
      assert.deepEqual(both.map((e) => e.type).sort(), ['user.deactivated', 'user.updated']);
      for (const e of both) assert.deepEqual(e.data, await adminUser(d, u.id));
      assert.equal(both.find((e) => e.type === 'user.updated')!.data.lastName, 'Renamed');

      // an attribute that the admin view does not show (title) is still a change, and is announced
      const title = await eventsDuring(d, async () => {
        const r = await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }));
        assertOk(r, 200);
        assert.equal(r.body.title, 'Lead');
      });
      assertEventTypes(title, d, ['user.updated'], 'title change');
      assert.deepEqual(title[0]!.data, await adminUser(d, u.id));
      assert.equal(title[0]!.data.raw.title, 'Lead');

      const noop = await eventsDuring(d, async () => assertOk(await d.scim('PATCH', `/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' })), 200));
      assert.deepEqual(noop, [], 'replacing a value by itself writes nothing');
    });
  });
}
