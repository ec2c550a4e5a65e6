/**
 * SCIM queries over HTTP: filters, projections, pagination, sorting and .search (checklist §4.3 F1–F17).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { assertOk, assertScimError, createGroup, createUser, q, scimDirectory, searchRequest, sleep, URN, type ScimDirectory } from '../support/scim.js';

const ENT = URN.enterprise;

for (const dialect of dialects) {
  describe(`SCIM filter, projection, sort and paging (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let big: ScimDirectory;
    const u: Record<string, any> = {};
    const g: Record<string, any> = {};
    let midpoint = '';

    /** GET /Users (or /Groups) with a filter and other query parameters; asserts 200 and returns the body. */
    const list = async (filter: string | undefined, extra = '', path = '/Users', dir = () => d) => {
      const query = [filter !== undefined ? `filter=${q(filter)}` : '', extra].filter((s) => s !== '').join('&');
      const r = await dir().scim('GET', `${path}${query ? `?${query}` : ''}`);
      assertOk(r, 200, `${path}?${query}`);
      return r.body;
    };
    /** The userNames a filter matches, sorted (the order is not under test here). */
    const matches = async (filter: string) => {
      const body = await list(filter, 'count=1000');
      assert.equal(body.totalResults, body.Resources.length, filter);
      return body.Resources.map((r: any) => r.userName).sort();
    };
    const groupMatches = async (filter: string) =>
      (await list(filter, 'count=1000', '/Groups')).Resources.map((r: any) => r.displayName).sort();

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'generic');
      u.alice = await createUser(d.scim, 'alice@example.com', {
        externalId: 'EXT-A', displayName: 'Alice Anders', name: { givenName: 'Alice', familyName: 'Anders' },
        emails: [{ value: 'alice@corp.example', type: 'work', primary: true }, { value: 'alice@home.example', type: 'home' }],
        title: 'Engineer', active: true, schemas: [URN.user, ENT], [ENT]: { employeeNumber: '1', department: 'Eng' },
      });
      await sleep(3);
      u.bob = await createUser(d.scim, 'Bob@Example.com', {
        externalId: 'ext-b', displayName: 'bob builder', name: { givenName: 'Bob', familyName: 'Builder' },
        emails: [{ value: 'bob@corp.example', type: 'work' }], title: 'Manager', active: false,
        schemas: [URN.user, ENT], [ENT]: { employeeNumber: '2', department: 'Ops' },
      });
      await sleep(3);
      u.carol = await createUser(d.scim, 'carol@example.org', {
        externalId: 'EXT-C', displayName: 'Carol', name: { givenName: 'Carol', familyName: 'carter' },
        emails: [{ value: 'carol@home.example', type: 'home' }], active: true, schemas: [URN.user, ENT], [ENT]: { employeeNumber: '10' },
      });
      await sleep(15);
      midpoint = new Date().toISOString();
      await sleep(15);
      u.dave = await createUser(d.scim, 'dave@example.org', { name: { familyName: 'Davis' } });
      await sleep(3);
      u.erin = await createUser(d.scim, 'erin_x%y*z@example.com', { externalId: 'ext-e', active: true });
      await sleep(3);
      u.frank = await createUser(d.scim, 'frank@example.com', { title: 'engineer', emails: [{ value: 'FRANK@CORP.EXAMPLE', type: 'work' }], active: true });
      g.eng = await createGroup(d.scim, 'Engineering', [u.alice.id, u.frank.id], { externalId: 'G-ENG' });
      g.ops = await createGroup(d.scim, 'Ops', [u.bob.id], { externalId: 'g-ops' });
      g.empty = await createGroup(d.scim, 'Empty');
      g.leads = await createGroup(d.scim, 'Engineering Leads', [u.alice.id]);

      // a directory with more users than one default page (100), for paging and stability
      big = await scimDirectory(server, 'okta');
      const titles = ['Alpha', 'Beta', 'Gamma'];
      for (let start = 0; start < 105; start += 21) {
        await Promise.all(
          Array.from({ length: 21 }, (_, i) => start + i).map((n) =>
            createUser(big.scim, `user${String(n).padStart(3, '0')}@big.example`, { title: titles[n % 3] }),
          ),
        );
      }
    });
    after(() => server.close());

    it('F1/F2: ListResponse envelope; a filter without match is 200 with totalResults 0', async () => {
      const all = await list(undefined);
      assert.deepEqual(all.schemas, [URN.listResponse]);
      assert.equal(all.totalResults, 6);
      assert.equal(all.startIndex, 1);
      assert.equal(all.itemsPerPage, 6);
      assert.equal(all.Resources.length, 6);
      for (const r of all.Resources) assert.equal(r.meta.resourceType, 'User');
      const one = await list('userName eq "alice@example.com"');
      assert.equal(one.totalResults, 1);
      assert.equal(one.Resources[0].id, u.alice.id);
      assert.deepEqual({ ...one.Resources[0], groups: undefined }, { ...u.alice, groups: undefined }, 'list items are full resources');
      assert.deepEqual(one.Resources[0].groups.map((x: any) => x.display).sort(), ['Engineering', 'Engineering Leads']);
      const none = await list('userName eq "nobody@example.com"');
      assert.deepEqual(none, { schemas: [URN.listResponse], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      const groups = await list(undefined, '', '/Groups');
      assert.equal(groups.totalResults, 4);
      for (const r of groups.Resources) assert.equal(r.meta.resourceType, 'Group');
    });

    it('F3: string comparisons honour caseExact (userName, displayName fold; id and externalId do not)', async () => {
      assert.deepEqual(await matches('userName eq "ALICE@EXAMPLE.COM"'), ['alice@example.com']);
      assert.deepEqual(await matches('userName eq "bob@example.com"'), ['Bob@Example.com']);
      assert.deepEqual(await matches('displayName eq "BOB BUILDER"'), ['Bob@Example.com']);
      assert.deepEqual(await matches('title eq "ENGINEER"'), ['alice@example.com', 'frank@example.com']);
      assert.deepEqual(await matches('emails.value eq "frank@corp.example"'), ['frank@example.com']);
      assert.deepEqual(await matches('externalId eq "EXT-A"'), ['alice@example.com']);
      assert.deepEqual(await matches('externalId eq "ext-a"'), []);
      assert.deepEqual(await matches(`id eq "${u.alice.id}"`), ['alice@example.com']);
      assert.deepEqual(await matches(`id eq "${u.alice.id.toUpperCase()}"`), []);
      assert.deepEqual(await matches('userName sw "ALI"'), ['alice@example.com']);
    });

    it('F3: caseExact=false folds non-ASCII letters too, for every attribute alike (as userName does, and as PATCH value filters do)', async () => {
      const ae = await createUser(d.scim, 'Ärger.Öl@example.com', { displayName: 'Ärger Öl', title: 'Çhef', emails: [{ value: 'Ärger@Example.com', type: 'work' }] });
      try {
        assert.deepEqual(await matches('userName eq "ärger.öl@example.com"'), ['Ärger.Öl@example.com'], 'userName');
        assert.deepEqual(await matches('displayName eq "ärger öl"'), ['Ärger.Öl@example.com'], 'displayName');
        assert.deepEqual(await matches('title eq "ÇHEF"'), ['Ärger.Öl@example.com'], 'title');
        assert.deepEqual(await matches('emails.value eq "ärger@example.com"'), ['Ärger.Öl@example.com'], 'emails.value');
        assert.deepEqual(await matches('emails[value eq "ärger@example.com"]'), ['Ärger.Öl@example.com'], 'emails[value eq]');
        // the same comparison in a PATCH valuePath (evaluated in JS) already folds Unicode
        const patched = await d.scim('PATCH', `/Users/${ae.id}`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'emails[value eq "ärger@example.com"].type', value: 'home' }] });
        assert.deepEqual(patched.body.emails, [{ value: 'Ärger@Example.com', type: 'home' }]);
      } finally {
        assert.equal((await d.scim('DELETE', `/Users/${ae.id}`)).status, 204);
      }
    });

    it('F4: attribute names are case-insensitive and may be URN-qualified', async () => {
      assert.deepEqual(await matches('USERNAME eq "alice@example.com"'), ['alice@example.com']);
      assert.deepEqual(await matches('name.FamilyName eq "anders"'), ['alice@example.com']);
      assert.deepEqual(await matches('NAME.GIVENNAME sw "car"'), ['carol@example.org']);
      assert.deepEqual(await matches('emails.Value co "corp"'), ['Bob@Example.com', 'alice@example.com', 'frank@example.com']);
      assert.deepEqual(await matches(`${URN.user}:userName eq "alice@example.com"`), ['alice@example.com']);
      assert.deepEqual(await matches(`${URN.user.toLowerCase()}:name.familyName eq "Builder"`), ['Bob@Example.com']);
      assert.deepEqual(await matches('Emails[Type eq "home"]'), ['alice@example.com', 'carol@example.org']);
    });

    it('F5: every operator on strings, dateTimes and booleans; booleans with gt/lt are invalidFilter', async () => {
      assert.deepEqual(await matches('title ne "engineer"'), ['Bob@Example.com', 'carol@example.org', 'dave@example.org', 'erin_x%y*z@example.com'], 'ne also matches absent');
      assert.deepEqual(await matches('displayName co "build"'), ['Bob@Example.com']);
      assert.deepEqual(await matches('userName sw "c"'), ['carol@example.org']);
      assert.deepEqual(await matches('userName ew ".ORG"'), ['carol@example.org', 'dave@example.org']);
      assert.deepEqual(await matches('userName gt "d"'), ['dave@example.org', 'erin_x%y*z@example.com', 'frank@example.com']);
      assert.deepEqual(await matches('userName ge "dave@example.org"'), ['dave@example.org', 'erin_x%y*z@example.com', 'frank@example.com']);
      assert.deepEqual(await matches('userName lt "bob@example.com"'), ['alice@example.com']);
      assert.deepEqual(await matches('userName le "BOB@example.com"'), ['Bob@Example.com', 'alice@example.com']);
      assert.deepEqual(await matches('externalId pr'), ['Bob@Example.com', 'alice@example.com', 'carol@example.org', 'erin_x%y*z@example.com']);
      assert.deepEqual(await matches('displayName pr'), ['Bob@Example.com', 'alice@example.com', 'carol@example.org']);
      assert.deepEqual(await matches('emails pr'), ['Bob@Example.com', 'alice@example.com', 'carol@example.org', 'frank@example.com']);
      // co/sw/ew are literal: LIKE/GLOB wildcards in the value match themselves only
      for (const wildcard of ['%', '_', '*', 'x%y*z']) assert.deepEqual(await matches(`userName co "${wildcard}"`), ['erin_x%y*z@example.com'], wildcard);
      assert.deepEqual(await matches('userName co "?"'), []);
      assert.deepEqual(await matches('userName co "["'), []);
      // dateTimes compare chronologically, with any time zone
      const early = ['Bob@Example.com', 'alice@example.com', 'carol@example.org'];
      const late = ['dave@example.org', 'erin_x%y*z@example.com', 'frank@example.com'];
      assert.deepEqual(await matches(`meta.created lt "${midpoint}"`), early);
      assert.deepEqual(await matches(`meta.created gt "${midpoint}"`), late);
      assert.deepEqual(await matches(`meta.lastModified ge "${midpoint}"`), late);
      const shifted = new Date(Date.parse(midpoint)).toISOString().replace('Z', '+00:00');
      assert.deepEqual(await matches(`meta.created le "${shifted}"`), early);
      assert.equal((await matches('meta.lastModified gt "2000-01-01T00:00:00+02:00"')).length, 6);
      // booleans
      assert.deepEqual(await matches('active eq false'), ['Bob@Example.com']);
      assert.equal((await matches('active eq true')).length, 5);
      assert.deepEqual(await matches('active ne true'), ['Bob@Example.com']);
      for (const bad of ['active gt true', 'active lt false', 'active ge true', 'active co "t"', 'active eq "true"', 'userName eq 5', 'userName gt true', 'meta.created gt "yesterday"', 'meta.created co "2026"', 'name eq "x"']) {
        assertScimError(await d.scim('GET', `/Users?filter=${q(bad)}`), 400, 'invalidFilter', bad);
      }
    });

    it('F6: and binds tighter than or; parentheses; not with and without a space; keywords in any case', async () => {
      assert.deepEqual(await matches('userName eq "alice@example.com" or userName eq "bob@example.com" and active eq true'), ['alice@example.com']);
      assert.deepEqual(await matches('(userName eq "alice@example.com" or userName eq "bob@example.com") and active eq false'), ['Bob@Example.com']);
      assert.deepEqual(await matches('active eq true and (title eq "engineer" or externalId eq "EXT-C")'), ['alice@example.com', 'carol@example.org', 'frank@example.com']);
      assert.deepEqual(await matches('not (active eq true)'), ['Bob@Example.com']);
      assert.deepEqual(await matches('not(active eq true)'), ['Bob@Example.com']);
      assert.deepEqual(await matches('userName sw "a" or not (emails pr)'), ['alice@example.com', 'dave@example.org', 'erin_x%y*z@example.com']);
      assert.deepEqual(await matches('not (title pr) and not (displayName pr)'), ['dave@example.org', 'erin_x%y*z@example.com']);
      assert.deepEqual(await matches('USERNAME EQ "alice@example.com" OR userName Eq "carol@example.org"'), ['alice@example.com', 'carol@example.org']);
      assert.deepEqual(await matches('((((userName eq "alice@example.com"))))'), ['alice@example.com']);
    });

    it('F7: valuePaths and multi-valued attributes, on Users and Groups (members, groups)', async () => {
      assert.deepEqual(await matches('emails[type eq "work" and value co "corp"]'), ['Bob@Example.com', 'alice@example.com', 'frank@example.com']);
      assert.deepEqual(await matches('emails[type eq "home" and value sw "carol"]'), ['carol@example.org']);
      assert.deepEqual(await matches('emails[type eq "work"].value ew "corp.example"'), ['Bob@Example.com', 'alice@example.com', 'frank@example.com']);
      assert.deepEqual(await matches('emails[type eq "home"].value co "alice"'), ['alice@example.com']);
      assert.deepEqual(await matches('emails.value co "home.example"'), ['alice@example.com', 'carol@example.org']);
      assert.deepEqual(await matches('emails[not (type eq "work")]'), ['alice@example.com', 'carol@example.org']);
      assert.deepEqual(await matches('emails[primary eq true]'), ['alice@example.com']);
      // a value must match the whole bracket: alice has a work and a home email, but none both work and home
      assert.deepEqual(await matches('emails[type eq "work" and value co "home"]'), []);
      assert.deepEqual(await groupMatches(`members[value eq "${u.alice.id}"]`), ['Engineering', 'Engineering Leads']);
      assert.deepEqual(await groupMatches(`members.value eq "${u.bob.id}"`), ['Ops']);
      assert.deepEqual(await groupMatches('members pr'), ['Engineering', 'Engineering Leads', 'Ops']);
      assert.deepEqual(await groupMatches('not (members pr)'), ['Empty']);
      assert.deepEqual(await matches(`groups.value eq "${g.eng.id}"`), ['alice@example.com', 'frank@example.com']);
      assert.deepEqual(await matches('groups.display eq "ENGINEERING"'), ['alice@example.com', 'frank@example.com']);
      assert.deepEqual(await matches(`groups[value eq "${g.ops.id}"]`), ['Bob@Example.com']);
      for (const bad of ['emails[type eq "work"', 'emails[nope eq "x"]', 'emails[type eq "work"]]', 'emails[value[type eq "x"]]', 'name[givenName eq "x"]', 'userName[value eq "x"]']) {
        assertScimError(await d.scim('GET', `/Users?filter=${q(bad)}`), 400, 'invalidFilter', bad);
      }
    });

    it('F8: enterprise extension attributes and fully qualified core URNs in filters', async () => {
      assert.deepEqual(await matches(`${ENT}:employeeNumber eq "1"`), ['alice@example.com']);
      assert.deepEqual(await matches(`${ENT}:department eq "ops"`), ['Bob@Example.com']);
      assert.deepEqual(await matches(`${ENT}:employeeNumber pr`), ['Bob@Example.com', 'alice@example.com', 'carol@example.org']);
      assert.deepEqual(await matches(`${ENT.toUpperCase()}:EMPLOYEENUMBER eq "10"`), ['carol@example.org']);
      assert.deepEqual(await matches(`${URN.user}:name.familyName eq "builder" and ${ENT}:department pr`), ['Bob@Example.com']);
      assertScimError(await d.scim('GET', `/Users?filter=${q(`${ENT}:nope eq "1"`)}`), 400, 'invalidFilter', 'unknown extension attribute');
      assertScimError(await d.scim('GET', `/Users?filter=${q('urn:example:unknown:1.0:User:x eq "1"')}`), 400, 'invalidFilter', 'unknown schema');
    });

    it('F9: invalid filters are 400 invalidFilter (unknown attributes too); password is 400 sensitive', async () => {
      const invalid = [
        '(((',
        'userName eq alice',
        'userName regex "a"',
        'userName eq',
        'userName',
        'userName eq "unterminated',
        "userName eq 'single'",
        'userName eq "a" and',
        'and userName eq "a"',
        'userName eq "a" userName eq "b"',
        'not userName eq "a"',
        '()',
        ')',
        'userName eq "a")',
        'favouriteColour eq "blue"',
        'name.middleInitial eq "x"',
        'meta.location eq "x"',
        'userName eq "a" or',
        '\u0000',
        'userName eq "\\x"',
        `${'('.repeat(60)}userName eq "a"${')'.repeat(60)}`,
      ];
      for (const filter of invalid) {
        assertScimError(await d.scim('GET', `/Users?filter=${q(filter)}`), 400, 'invalidFilter', `GET ${JSON.stringify(filter)}`);
        // a NUL in a JSON body is refused when the body is parsed, whatever field holds it
        const bodyType = filter.includes('\u0000') ? 'invalidSyntax' : 'invalidFilter';
        assertScimError(await d.scim('POST', '/Users/.search', searchRequest({ filter })), 400, bodyType, `.search ${JSON.stringify(filter)}`);
      }
      assertScimError(await d.scim('GET', `/Users?filter=${q('password eq "x"')}`), 400, 'sensitive', 'filter on password');
      assertScimError(await d.scim('GET', `/Users?filter=${q('password pr')}`), 400, 'sensitive', 'password pr');
      assertScimError(await d.scim('GET', `/Groups?filter=${q('userName eq "x"')}`), 400, 'invalidFilter', 'a User attribute on Groups');
      // an empty filter parameter is no filter
      assert.equal((await list('')).totalResults, 6);
    });

    it('F10: Group look-ups by externalId, displayName and id', async () => {
      assert.deepEqual(await groupMatches('externalId eq "G-ENG"'), ['Engineering']);
      assert.deepEqual(await groupMatches('externalId eq "g-eng"'), [], 'externalId is caseExact');
      assert.deepEqual(await groupMatches('displayName eq "engineering"'), ['Engineering'], 'displayName is not');
      assert.deepEqual(await groupMatches('displayName eq "Engineering Leads"'), ['Engineering Leads']);
      assert.deepEqual(await groupMatches('displayName sw "eng"'), ['Engineering', 'Engineering Leads']);
      assert.deepEqual(await groupMatches(`id eq "${g.ops.id}"`), ['Ops']);
      assert.deepEqual(await groupMatches('displayName eq "Nope"'), []);
      const excluded = await list('displayName eq "Engineering"', 'excludedAttributes=members', '/Groups');
      assert.equal(excluded.Resources[0].members, undefined);
      assert.equal(excluded.Resources[0].id, g.eng.id);
    });

    it('F11: attributes / excludedAttributes on lists, GET by id, .search, POST, PUT and PATCH', async () => {
      const keys = (r: any) => Object.keys(r).sort();
      const listed = await list('userName eq "alice@example.com"', 'attributes=userName,emails');
      assert.deepEqual(keys(listed.Resources[0]), ['emails', 'id', 'meta', 'schemas', 'userName']);
      assert.deepEqual(listed.Resources[0].emails, u.alice.emails);
      const byId = await d.scim('GET', `/Users/${u.alice.id}?attributes=USERNAME,${q(`${ENT}:department`)}`);
      assert.deepEqual(keys(byId.body), [ENT, 'id', 'meta', 'schemas', 'userName'].sort());
      assert.deepEqual(byId.body[ENT], { department: 'Eng' });
      const subs = await d.scim('GET', `/Users/${u.alice.id}?attributes=name.givenName,emails.value`);
      assert.deepEqual(subs.body.name, { givenName: 'Alice' });
      assert.deepEqual(subs.body.emails, [{ value: 'alice@corp.example' }, { value: 'alice@home.example' }]);
      const qualified = await d.scim('GET', `/Users/${u.alice.id}?attributes=${q(`${URN.user}:userName`)},${q(ENT)}`);
      assert.equal(qualified.body.userName, 'alice@example.com');
      assert.deepEqual(qualified.body[ENT], { employeeNumber: '1', department: 'Eng' });
      assert.equal(qualified.body.name, undefined);
      const without = await d.scim('GET', `/Users/${u.alice.id}?excludedAttributes=emails,name,id,schemas`);
      assert.equal(without.body.emails, undefined);
      assert.equal(without.body.name, undefined);
      assert.equal(without.body.id, u.alice.id, 'id is always returned');
      assert.deepEqual(without.body.schemas, [URN.user, ENT], 'schemas is always returned');
      assert.equal(without.body.userName, 'alice@example.com');
      const withoutSub = await d.scim('GET', `/Users/${u.alice.id}?excludedAttributes=name.familyName`);
      assert.deepEqual(withoutSub.body.name, { givenName: 'Alice' });

      const search = await d.scim('POST', '/Users/.search', searchRequest({ filter: 'userName eq "bob@example.com"', attributes: ['userName', 'active'] }));
      assertOk(search, 200);
      assert.deepEqual(keys(search.body.Resources[0]), ['active', 'id', 'meta', 'schemas', 'userName']);
      const searchExcluded = await d.scim('POST', '/Users/.search', searchRequest({ filter: 'userName eq "bob@example.com"', excludedAttributes: 'emails,name' }));
      assert.equal(searchExcluded.body.Resources[0].emails, undefined);
      assert.equal(searchExcluded.body.Resources[0].title, 'Manager');

      const created = await d.scim('POST', '/Users?attributes=userName', { schemas: [URN.user], userName: 'projected@example.com', title: 'Hidden' });
      assertOk(created, 201);
      assert.deepEqual(keys(created.body), ['id', 'meta', 'schemas', 'userName']);
      assert.equal(created.headers.get('location'), `${d.endpoint}/Users/${created.body.id}`);
      const put = await d.scim('PUT', `/Users/${created.body.id}?excludedAttributes=title`, { schemas: [URN.user], userName: 'projected@example.com', title: 'Still hidden', displayName: 'Shown' });
      assertOk(put, 200);
      assert.equal(put.body.title, undefined);
      assert.equal(put.body.displayName, 'Shown');
      const patched = await d.scim('PATCH', `/Users/${created.body.id}?attributes=title`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'title', value: 'Visible' }] });
      assertOk(patched, 200);
      assert.deepEqual(keys(patched.body), ['id', 'meta', 'schemas', 'title']);
      assert.equal(patched.body.title, 'Visible');
      assert.equal((await d.scim('DELETE', `/Users/${created.body.id}`)).status, 204);

      const groupList = await list(undefined, 'excludedAttributes=members', '/Groups');
      for (const r of groupList.Resources) assert.equal(r.members, undefined);
      const unknown = await d.scim('GET', `/Users/${u.alice.id}?attributes=nope,userName`);
      assertOk(unknown, 200, 'unknown names in attributes are ignored');
      assert.equal(unknown.body.userName, 'alice@example.com');
    });

    it('F12: attributes may carry a value filter: emails[type eq "work"]', async () => {
      const r = await d.scim('GET', `/Users/${u.alice.id}?attributes=${q('emails[type eq "work"]')}`);
      assertOk(r, 200);
      assert.deepEqual(r.body.emails, [{ value: 'alice@corp.example', type: 'work', primary: true }]);
      assert.equal(r.body.userName, undefined);
      const listed = await list(undefined, `attributes=${q('emails[type eq "home"].value')},userName&sortBy=userName`);
      const alice = listed.Resources.find((x: any) => x.id === u.alice.id);
      assert.deepEqual(alice.emails, [{ value: 'alice@home.example' }]);
      const bob = listed.Resources.find((x: any) => x.id === u.bob.id);
      assert.equal(bob.emails, undefined);
    });

    it('F13: startIndex and count: 1-based, clamped, count=0 gives the total only; totalResults is the filtered total', async () => {
      const names = (body: any) => body.Resources.map((r: any) => r.userName);
      const page = await list(undefined, 'sortBy=userName&startIndex=2&count=2');
      assert.deepEqual(names(page), ['Bob@Example.com', 'carol@example.org']);
      assert.equal(page.startIndex, 2);
      assert.equal(page.itemsPerPage, 2);
      assert.equal(page.totalResults, 6);
      for (const start of ['0', '-3']) {
        const r = await list(undefined, `sortBy=userName&startIndex=${start}&count=1`);
        assert.equal(r.startIndex, 1, `startIndex=${start} is read as 1`);
        assert.deepEqual(names(r), ['alice@example.com']);
      }
      for (const count of ['0', '-1']) {
        const r = await list(undefined, `count=${count}`);
        assert.equal(r.totalResults, 6);
        assert.equal(r.itemsPerPage, 0);
        assert.deepEqual(r.Resources, []);
      }
      const beyond = await list(undefined, 'startIndex=100');
      assert.equal(beyond.totalResults, 6);
      assert.deepEqual(beyond.Resources, []);
      assert.equal(beyond.startIndex, 100);
      const filtered = await list('active eq true', 'count=2');
      assert.equal(filtered.totalResults, 5, 'filtered total');
      assert.equal(filtered.itemsPerPage, 2);
      const huge = await list(undefined, 'count=5000');
      assert.equal(huge.itemsPerPage, 6);
      for (const bad of ['count=abc', 'startIndex=1.5', 'count=1e3', 'startIndex=x', 'count=1&count=2', `filter=${q('userName pr')}&filter=${q('title pr')}`]) {
        assertScimError(await d.scim('GET', `/Users?${bad}`), 400, 'invalidValue', bad);
      }
      const groups = await list(undefined, 'count=1&startIndex=2&sortBy=displayName', '/Groups');
      assert.equal(groups.totalResults, 4);
      assert.deepEqual(groups.Resources.map((r: any) => r.displayName), ['Engineering']);
    });

    it('F14: without paging, one page is the default 100 (SPC maxResults 1000 is a clamp, never an error)', async () => {
      const first = await list(undefined, '', '/Users', () => big);
      assert.equal(first.totalResults, 105);
      assert.equal(first.itemsPerPage, 100);
      assert.equal(first.Resources.length, 100);
      const all = await list(undefined, 'count=1000', '/Users', () => big);
      assert.equal(all.itemsPerPage, 105);
      const over = await list(undefined, 'count=100000', '/Users', () => big);
      assert.equal(over.itemsPerPage, 105);
      const spc = await big.scim('GET', '/ServiceProviderConfig');
      assert.ok(spc.body.filter.maxResults >= 1000);
    });

    it('F15: sortBy on any attribute (sub-attributes, multi-valued, extension, meta), case as caseExact says; missing values last', async () => {
      const order = async (extra: string) => (await list(undefined, `count=100&${extra}`)).Resources.map((r: any) => r.userName.split('@')[0]);
      assert.deepEqual(await order('sortBy=userName'), ['alice', 'Bob', 'carol', 'dave', 'erin_x%y*z', 'frank'], 'userName sorts case-insensitively');
      assert.deepEqual(await order('sortBy=USERNAME&sortOrder=descending'), ['frank', 'erin_x%y*z', 'dave', 'carol', 'Bob', 'alice']);
      assert.deepEqual(await order('sortBy=userName&sortOrder=DESCENDING'), ['frank', 'erin_x%y*z', 'dave', 'carol', 'Bob', 'alice']);
      assert.deepEqual(await order('sortBy=name.familyName'), ['alice', 'Bob', 'carol', 'dave', 'erin_x%y*z', 'frank'], 'Anders, Builder, carter, Davis, then missing');
      assert.deepEqual(await order('sortBy=name.familyName&sortOrder=descending'), ['erin_x%y*z', 'frank', 'dave', 'carol', 'Bob', 'alice'], 'missing first when descending (ties stay in creation order)');
      assert.deepEqual(await order('sortBy=externalId'), ['alice', 'carol', 'Bob', 'erin_x%y*z', 'dave', 'frank'], 'externalId is caseExact: EXT-A, EXT-C, ext-b, ext-e');
      assert.deepEqual(await order('sortBy=emails.value'), ['alice', 'Bob', 'carol', 'frank', 'dave', 'erin_x%y*z'], 'primary (or first) email');
      assert.deepEqual(await order('sortBy=emails'), ['alice', 'Bob', 'carol', 'frank', 'dave', 'erin_x%y*z'], 'a multi-valued attribute sorts by its value');
      assert.deepEqual(await order(`sortBy=${q(`${ENT}:employeeNumber`)}`), ['alice', 'carol', 'Bob', 'dave', 'erin_x%y*z', 'frank'], 'strings: "1" < "10" < "2"');
      assert.deepEqual(await order('sortBy=meta.created&sortOrder=descending'), ['frank', 'erin_x%y*z', 'dave', 'carol', 'Bob', 'alice']);
      assert.deepEqual(await order('sortBy=meta.created'), ['alice', 'Bob', 'carol', 'dave', 'erin_x%y*z', 'frank']);
      assert.deepEqual(await order('sortOrder=descending'), ['alice', 'Bob', 'carol', 'dave', 'erin_x%y*z', 'frank'], 'sortOrder alone is ignored (creation order)');
      assert.deepEqual(await order('sortBy=active&sortOrder=ascending'), ['Bob', 'alice', 'carol', 'dave', 'erin_x%y*z', 'frank'], 'false before true');
      const groups = (await list(undefined, 'sortBy=displayName&sortOrder=descending', '/Groups')).Resources.map((r: any) => r.displayName);
      assert.deepEqual(groups, ['Ops', 'Engineering Leads', 'Engineering', 'Empty']);
      assertScimError(await d.scim('GET', '/Users?sortBy=userName&sortOrder=sideways'), 400, 'invalidValue', 'sortOrder');
      assertScimError(await d.scim('GET', '/Users?sortBy=nope'), 400, 'invalidValue', 'unknown sortBy');
      assertScimError(await d.scim('GET', '/Users?sortBy=name'), 400, 'invalidValue', 'complex sortBy');
      assertScimError(await d.scim('GET', '/Users?sortBy=password'), 400, 'sensitive', 'sortBy password');
      assertScimError(await d.scim('GET', `/Users?sortBy=${q('userName eq "x"')}`), 400, 'invalidValue', 'sortBy with a filter');
    });

    it('F16: POST /Users/.search, /Groups/.search and the root /.search with a SearchRequest', async () => {
      const r = await d.scim('POST', '/Users/.search', searchRequest({ filter: 'active eq true', sortBy: 'userName', sortOrder: 'descending', startIndex: 2, count: 2, attributes: ['userName'] }));
      assertOk(r, 200);
      assert.deepEqual(r.body.schemas, [URN.listResponse]);
      assert.equal(r.body.totalResults, 5);
      assert.equal(r.body.startIndex, 2);
      assert.deepEqual(r.body.Resources.map((x: any) => x.userName), ['erin_x%y*z@example.com', 'dave@example.org']);
      const groups = await d.scim('POST', '/Groups/.search', searchRequest({ filter: 'displayName sw "eng"', excludedAttributes: ['members'] }));
      assertOk(groups, 200);
      assert.deepEqual(groups.body.Resources.map((x: any) => x.displayName).sort(), ['Engineering', 'Engineering Leads']);
      assert.ok(groups.body.Resources.every((x: any) => x.members === undefined));

      const root = await d.scim('POST', '/.search', searchRequest({}));
      assertOk(root, 200);
      assert.equal(root.body.totalResults, 10, '6 users and 4 groups');
      assert.deepEqual(root.body.Resources.map((x: any) => x.meta.resourceType), [...Array(6).fill('User'), ...Array(4).fill('Group')]);
      const across = await d.scim('POST', '/.search', searchRequest({ startIndex: 5, count: 4, sortBy: 'externalId' }));
      assertOk(across, 200);
      assert.equal(across.body.totalResults, 10);
      assert.deepEqual(across.body.Resources.map((x: any) => x.meta.resourceType), ['User', 'User', 'Group', 'Group'], 'a page can span users and groups');
      const withExternal = await d.scim('POST', '/.search', searchRequest({ filter: 'externalId pr', attributes: ['externalId'] }));
      assert.equal(withExternal.body.totalResults, 6, '4 users and 2 groups have an externalId');
      const usersOnly = await d.scim('POST', '/.search', searchRequest({ filter: 'userName sw "a"' }));
      assert.equal(usersOnly.body.totalResults, 1, 'a User-only attribute matches no group');
      const groupsOnly = await d.scim('POST', '/.search', searchRequest({ filter: `members.value eq "${u.bob.id}"` }));
      assert.deepEqual(groupsOnly.body.Resources.map((x: any) => x.displayName), ['Ops']);
      assertScimError(await d.scim('POST', '/.search', searchRequest({ filter: 'nope eq "x"' })), 400, 'invalidFilter', 'no type knows the attribute');
      assertScimError(await d.scim('POST', '/.search', searchRequest({ filter: '(((' })), 400, 'invalidFilter', 'root syntax error');

      for (const [label, body] of [
        ['no schemas', { filter: 'userName pr' }],
        ['wrong schema', { schemas: [URN.patchOp], filter: 'userName pr' }],
      ] as const) {
        assertScimError(await d.scim('POST', '/Users/.search', body), 400, 'invalidSyntax', label);
      }
      for (const [label, body] of [
        ['count a string', searchRequest({ count: 'ten' })],
        ['startIndex a float', searchRequest({ startIndex: 1.5 })],
        ['filter a number', searchRequest({ filter: 42 })],
        ['attributes a number', searchRequest({ attributes: 7 })],
        ['sortOrder bogus', searchRequest({ sortOrder: 'up' })],
      ] as const) {
        assertScimError(await d.scim('POST', '/Users/.search', body), 400, 'invalidValue', label);
      }
      const numeric = await d.scim('POST', '/Users/.search', searchRequest({ count: '2', startIndex: '1' }));
      assertOk(numeric, 200, 'numeric strings are accepted for count/startIndex');
      assert.equal(numeric.body.itemsPerPage, 2);
    });

    it('F17: paging is stable: every user exactly once across pages, for any sort', async () => {
      const all = (await list(undefined, 'count=1000', '/Users', () => big)).Resources.map((r: any) => r.id).sort();
      assert.equal(all.length, 105);
      for (const sort of ['', 'sortBy=title', 'sortBy=title&sortOrder=descending', 'sortBy=meta.lastModified', 'sortBy=userName&sortOrder=descending']) {
        const seen: string[] = [];
        for (let start = 1; start <= 105; start += 10) {
          const page = await list(undefined, `startIndex=${start}&count=10${sort ? `&${sort}` : ''}`, '/Users', () => big);
          assert.equal(page.totalResults, 105);
          seen.push(...page.Resources.map((r: any) => r.id));
        }
        assert.equal(seen.length, 105, sort);
        assert.deepEqual([...seen].sort(), all, `${sort || 'default order'}: each user exactly once`);
        if (sort === 'sortBy=title') {
          const titles = (await list(undefined, 'count=1000&sortBy=title', '/Users', () => big)).Resources.map((r: any) => r.title);
          assert.deepEqual(titles, [...titles].sort());
        }
      }
      const filteredPages: string[] = [];
      for (let start = 1; start <= 40; start += 7) {
        const page = await list('title eq "Beta"', `startIndex=${start}&count=7&sortBy=userName`, '/Users', () => big);
        assert.equal(page.totalResults, 35);
        filteredPages.push(...page.Resources.map((r: any) => r.userName));
      }
      assert.equal(filteredPages.length, 35);
      assert.deepEqual(filteredPages, [...filteredPages].sort());
    });
  });
}
