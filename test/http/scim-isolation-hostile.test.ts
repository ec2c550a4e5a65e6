/**
 * Tenant isolation (a directory's token sees and changes nothing of another directory, everywhere) and
 * hostile input over HTTP: every case is a clean 4xx SCIM Error, never a 5xx or a stack trace, and nothing
 * changes afterwards.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { http, scimClient, startTestServer, type TestServer } from '../support/server.js';
import {
  adminMemberIds,
  assertOk,
  assertScimError,
  createGroup,
  createUser,
  directoryEvents,
  groupBody,
  lastEventId,
  patchOp,
  q,
  scimDirectory,
  searchRequest,
  URN,
  userBody,
  type ScimDirectory,
} from '../support/scim.js';

/** Everything a directory holds, as its own token sees it, plus its event count: equal before and after. */
async function snapshot(d: ScimDirectory) {
  const users = await d.scim('GET', '/Users?count=1000&sortBy=userName');
  const groups = await d.scim('GET', '/Groups?count=1000&sortBy=displayName');
  assert.equal(users.status, 200);
  assert.equal(groups.status, 200);
  return { users: users.body, groups: groups.body, events: (await directoryEvents(d.admin, d.dirId)).length };
}

for (const dialect of dialects) {
  describe(`SCIM tenant isolation and hostile input (${dialect})`, () => {
    let server: TestServer;
    let a: ScimDirectory;
    let b: ScimDirectory;
    let sibling: ScimDirectory;
    let aUser: any;
    let bUser: any;
    let bGroup: any;

    before(async () => {
      server = await startTestServer(dialect);
      a = await scimDirectory(server, 'okta');
      b = await scimDirectory(server, 'entra');
      sibling = await scimDirectory(server, 'jumpcloud', a.orgId);
      aUser = await createUser(a.scim, 'shared.name@example.com', { externalId: 'shared-ext', displayName: 'A person' });
      bUser = await createUser(b.scim, 'b.only@example.com', { externalId: 'b-ext', displayName: 'B person', title: 'B title' });
      // the same userName and externalId may exist in two directories
      await createUser(b.scim, 'SHARED.NAME@example.com', { externalId: 'shared-ext' });
      bGroup = await createGroup(b.scim, 'B Team', [bUser.id], { externalId: 'b-group' });
      await createGroup(sibling.scim, 'B Team');
    });
    after(() => server.close());

    it("isolation: directory A's token reaches nothing of B by id, list, filter or .search, and changes nothing", async () => {
      const before = await snapshot(b);
      const siblingBefore = await snapshot(sibling);
      for (const other of [b, sibling]) {
        // A's token on B's endpoint: 401 everywhere
        const foreign = scimClient(other.endpoint, a.token);
        for (const [method, path, body] of [
          ['GET', '/Users', undefined],
          ['GET', `/Users/${bUser.id}`, undefined],
          ['PUT', `/Users/${bUser.id}`, userBody('b.only@example.com', { title: 'hacked' })],
          ['PATCH', `/Users/${bUser.id}`, patchOp({ op: 'replace', path: 'title', value: 'hacked' })],
          ['DELETE', `/Users/${bUser.id}`, undefined],
          ['POST', '/Users', userBody('intruder@example.com')],
          ['GET', `/Groups/${bGroup.id}`, undefined],
          ['DELETE', `/Groups/${bGroup.id}`, undefined],
          ['POST', '/.search', searchRequest({})],
          ['GET', '/ServiceProviderConfig', undefined],
        ] as const) {
          assertScimError(await foreign(method, path, body), 401, null, `A token on ${other === b ? 'B' : 'sibling'}: ${method} ${path}`);
        }
      }
      // A's token on A's endpoint with B's ids: 404 everywhere
      for (const [method, path, body] of [
        ['GET', `/Users/${bUser.id}`, undefined],
        ['PUT', `/Users/${bUser.id}`, userBody('b.only@example.com', { title: 'hacked' })],
        ['PATCH', `/Users/${bUser.id}`, patchOp({ op: 'replace', path: 'title', value: 'hacked' })],
        ['DELETE', `/Users/${bUser.id}`, undefined],
        ['GET', `/Groups/${bGroup.id}`, undefined],
        ['PUT', `/Groups/${bGroup.id}`, groupBody('Hacked')],
        ['PATCH', `/Groups/${bGroup.id}`, patchOp({ op: 'remove', path: 'members' })],
        ['DELETE', `/Groups/${bGroup.id}`, undefined],
      ] as const) {
        assertScimError(await a.scim(method, path, body), 404, null, `A: ${method} ${path}`);
      }
      // lists, filters and searches only ever show A's own resources
      const aUsers = await a.scim('GET', '/Users?count=1000');
      assert.deepEqual(aUsers.body.Resources.map((r: any) => r.id), [aUser.id]);
      assert.equal((await a.scim('GET', '/Groups')).body.totalResults, 0);
      for (const filter of [`id eq "${bUser.id}"`, 'userName eq "b.only@example.com"', 'externalId eq "b-ext"', 'title pr', 'displayName eq "B person"', `groups.value eq "${bGroup.id}"`]) {
        assert.equal((await a.scim('GET', `/Users?filter=${q(filter)}`)).body.totalResults, 0, filter);
        assert.equal((await a.scim('POST', '/Users/.search', searchRequest({ filter }))).body.totalResults, 0, `.search ${filter}`);
      }
      assert.equal((await a.scim('GET', `/Users?filter=${q('externalId eq "shared-ext"')}`)).body.Resources[0].id, aUser.id, 'same externalId: only our own');
      for (const filter of [`id eq "${bGroup.id}"`, 'displayName eq "B Team"', 'externalId eq "b-group"', `members[value eq "${bUser.id}"]`]) {
        assert.equal((await a.scim('GET', `/Groups?filter=${q(filter)}`)).body.totalResults, 0, filter);
      }
      const root = await a.scim('POST', '/.search', searchRequest({ count: 1000 }));
      assert.deepEqual(root.body.Resources.map((r: any) => r.id), [aUser.id]);
      assert.equal(root.body.totalResults, 1);

      // group members that reference B's users are 400, on create, PUT and PATCH, and change nothing
      const aGroup = await createGroup(a.scim, 'A Team', [aUser.id]);
      const mark = await lastEventId(a.admin, a.dirId);
      assertScimError(await a.scim('POST', '/Groups', groupBody('A Bad', { members: [{ value: bUser.id }] })), 400, 'invalidValue', 'create with B user');
      assertScimError(await a.scim('PUT', `/Groups/${aGroup.id}`, groupBody('A Team', { members: [{ value: aUser.id }, { value: bUser.id }] })), 400, 'invalidValue', 'PUT with B user');
      assertScimError(await a.scim('PATCH', `/Groups/${aGroup.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bUser.id }] })), 400, 'invalidValue', 'PATCH add B user');
      assertScimError(await a.scim('PATCH', `/Groups/${aGroup.id}`, patchOp({ op: 'replace', path: 'members', value: [{ value: bUser.id }] })), 400, 'invalidValue', 'PATCH replace B user');
      assertScimError(await a.scim('PATCH', `/Groups/${aGroup.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bGroup.id }] })), 400, 'invalidValue', "B's group as a member");
      // removing B's user from A's group is a no-op, and does not touch B
      assert.equal((await a.scim('PATCH', `/Groups/${aGroup.id}`, patchOp({ op: 'remove', path: 'members', value: [{ value: bUser.id }] }))).status, 204);
      assert.equal((await a.scim('PATCH', `/Groups/${aGroup.id}`, patchOp({ op: 'remove', path: `members[value eq "${bUser.id}"]` }))).status, 204);
      assert.deepEqual(await directoryEvents(a.admin, a.dirId, mark), [], 'A wrote no event');
      assert.deepEqual(await adminMemberIds(a, aGroup.id), [aUser.id]);
      // the enterprise manager may name anything (it is a reference, not a membership), but never reveals B
      const managed = await a.scim('PATCH', `/Users/${aUser.id}`, patchOp({ op: 'add', path: `${URN.enterprise}:manager`, value: bUser.id }));
      assertOk(managed, 200);
      assert.deepEqual(managed.body[URN.enterprise].manager, { value: bUser.id }, 'no displayName of B leaks through the manager');

      // the admin API scopes by directory too
      assert.equal((await a.admin.call('GET', `/directories/${a.dirId}/users/${bUser.id}`)).status, 404);
      assert.equal((await a.admin.call('GET', `/directories/${a.dirId}/groups/${bGroup.id}`)).status, 404);
      assert.ok((await directoryEvents(a.admin, a.dirId)).every((e) => e.directoryId === a.dirId));

      assert.deepEqual(await snapshot(b), before, 'B is unchanged');
      assert.deepEqual(await snapshot(sibling), siblingBefore, 'a sibling directory of the same organization is unchanged');
    });

    it('hostile bodies: oversized, deep, wrong content types, broken UTF-8, __proto__, NUL, non-objects — all clean 4xx, nothing changed', async () => {
      const before = await snapshot(a);
      const target = await a.scim('GET', `/Users/${aUser.id}`);
      const group = (await a.scim('GET', '/Groups?filter=' + q('displayName eq "A Team"'))).body.Resources[0];
      const raw = (method: string, path: string, rawBody: string | Buffer, contentType = 'application/scim+json') =>
        http(method, `${a.endpoint}${path}`, { token: a.token, rawBody, contentType });
      const big = JSON.stringify(userBody('big@example.com', { title: 'x'.repeat(1024 * 1024 + 10) }));
      const manyOps = JSON.stringify(patchOp(...Array.from({ length: 10_000 }, (_, i) => ({ op: 'replace', path: 'title', value: `t${i}` }))));
      const deep = (n: number) => `{"schemas":["${URN.user}"],"userName":"deep@example.com","x":${'['.repeat(n)}${']'.repeat(n)}}`;
      const cases: [string, () => ReturnType<typeof raw>, number, string | null | undefined][] = [
        ['1 MiB + body on POST', () => raw('POST', '/Users', big), 413, undefined],
        ['1 MiB + body on PUT', () => raw('PUT', `/Users/${aUser.id}`, big), 413, undefined],
        ['1 MiB + body on PATCH', () => raw('PATCH', `/Users/${aUser.id}`, JSON.stringify(patchOp({ op: 'replace', path: 'title', value: 'x'.repeat(1100 * 1024) }))), 413, undefined],
        ['1 MiB + .search', () => raw('POST', '/.search', JSON.stringify(searchRequest({ filter: `userName eq "${'x'.repeat(1100 * 1024)}"` }))), 413, undefined],
        ['10k-operation PATCH', () => raw('PATCH', `/Users/${aUser.id}`, manyOps), 400, 'invalidValue'],
        ['10k-operation group PATCH', () => raw('PATCH', `/Groups/${group.id}`, JSON.stringify(patchOp(...Array.from({ length: 10_000 }, () => ({ op: 'add', path: 'members', value: [{ value: aUser.id }] }))))), 400, 'invalidValue'],
        ['deep JSON (40)', () => raw('POST', '/Users', deep(40)), 400, 'invalidSyntax'],
        ['deep JSON (100000)', () => raw('POST', '/Users', deep(100_000)), 400, 'invalidSyntax'],
        ['text/plain', () => raw('POST', '/Users', JSON.stringify(userBody('ct@example.com')), 'text/plain'), 415, null],
        ['form', () => raw('POST', '/Users', 'userName=ct@example.com', 'application/x-www-form-urlencoded'), 415, null],
        ['xml', () => raw('POST', '/Users', '<User><userName>ct@example.com</userName></User>', 'application/xml'), 415, null],
        ['multipart', () => raw('POST', '/Users', '--b\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b'), 415, null],
        ['text/plain PATCH', () => raw('PATCH', `/Users/${aUser.id}`, JSON.stringify(patchOp({ op: 'replace', path: 'title', value: 'x' })), 'text/plain'), 415, null],
        ['no content type', () => http('POST', `${a.endpoint}/Users`, { token: a.token, rawBody: JSON.stringify(userBody('ct@example.com')), contentType: '' }), 415, null],
        ['broken UTF-8', () => raw('POST', '/Users', Buffer.concat([Buffer.from(`{"schemas":["${URN.user}"],"userName":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])), 400, 'invalidSyntax'],
        ['UTF-16 body', () => raw('POST', '/Users', Buffer.from(JSON.stringify(userBody('u16@example.com')), 'utf16le')), 400, 'invalidSyntax'],
        ['__proto__ at the top', () => raw('POST', '/Users', `{"schemas":["${URN.user}"],"userName":"p@example.com","__proto__":{"polluted":true}}`), 400, 'invalidSyntax'],
        ['__proto__ nested', () => raw('POST', '/Users', `{"schemas":["${URN.user}"],"userName":"p@example.com","name":{"__proto__":{"polluted":true}}}`), 400, 'invalidSyntax'],
        ['__proto__ in a PATCH value', () => raw('PATCH', `/Users/${aUser.id}`, `{"schemas":["${URN.patchOp}"],"Operations":[{"op":"add","value":{"__proto__":{"polluted":true}}}]}`), 400, 'invalidSyntax'],
        ['NUL in a string', () => raw('POST', '/Users', `{"schemas":["${URN.user}"],"userName":"nul\\u0000@example.com"}`), 400, 'invalidSyntax'],
        ['NUL in a key', () => raw('PATCH', `/Users/${aUser.id}`, `{"schemas":["${URN.patchOp}"],"Operations":[{"op":"add","value":{"ti\\u0000tle":"x"}}]}`), 400, 'invalidSyntax'],
        ['unpaired surrogate', () => raw('PUT', `/Users/${aUser.id}`, `{"schemas":["${URN.user}"],"userName":"shared.name@example.com","title":"\\ud800"}`), 400, 'invalidSyntax'],
        ['NUL in a group name', () => raw('POST', '/Groups', `{"schemas":["${URN.group}"],"displayName":"g\\u0000"}`), 400, 'invalidSyntax'],
        ['NUL in a member value', () => raw('PATCH', `/Groups/${group.id}`, `{"schemas":["${URN.patchOp}"],"Operations":[{"op":"add","path":"members","value":[{"value":"\\u0000"}]}]}`), 400, 'invalidSyntax'],
        ['truncated JSON', () => raw('POST', '/Users', `{"schemas":["${URN.user}"],"userName":"t@example.com"`), 400, 'invalidSyntax'],
        ['trailing garbage', () => raw('POST', '/Users', `${JSON.stringify(userBody('tg@example.com'))}xyz`), 400, 'invalidSyntax'],
        ['empty body', () => raw('POST', '/Users', ''), 400, 'invalidSyntax'],
        ['JSON with comments', () => raw('POST', '/Users', `{/*c*/"schemas":["${URN.user}"],"userName":"c@example.com"}`), 400, 'invalidSyntax'],
        ['NaN', () => raw('POST', '/Users', `{"schemas":["${URN.user}"],"userName":NaN}`), 400, 'invalidSyntax'],
      ];
      for (const body of ['[]', '"user"', '42', 'null', 'true', `[${JSON.stringify(userBody('arr@example.com'))}]`]) {
        cases.push([`POST /Users ${body.slice(0, 20)}`, () => raw('POST', '/Users', body), 400, 'invalidSyntax']);
        cases.push([`PUT /Users ${body.slice(0, 20)}`, () => raw('PUT', `/Users/${aUser.id}`, body), 400, 'invalidSyntax']);
        cases.push([`PATCH /Users ${body.slice(0, 20)}`, () => raw('PATCH', `/Users/${aUser.id}`, body), 400, 'invalidSyntax']);
        cases.push([`POST /Groups ${body.slice(0, 20)}`, () => raw('POST', '/Groups', body), 400, 'invalidSyntax']);
        cases.push([`PATCH /Groups ${body.slice(0, 20)}`, () => raw('PATCH', `/Groups/${group.id}`, body), 400, 'invalidSyntax']);
        cases.push([`.search ${body.slice(0, 20)}`, () => raw('POST', '/Users/.search', body), 400, 'invalidSyntax']);
      }
      for (const [label, send, status, scimType] of cases) assertScimError(await send(), status, scimType, label);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted');
      assert.deepEqual((await a.scim('GET', `/Users/${aUser.id}`)).body, target.body, 'the user is unchanged');
      assert.deepEqual(await snapshot(a), before, 'nothing was created or changed');
    });

    it('hostile values: numbers where strings belong, oversized values, wrong shapes — 400 invalidValue (or a documented coercion)', async () => {
      const before = await snapshot(a);
      const bad: [string, unknown, string][] = [
        ['userName an object', userBody({ first: 'x' } as unknown as string), 'invalidValue'],
        ['userName an array', userBody(['x@example.com'] as unknown as string), 'invalidValue'],
        ['userName true', userBody(true as unknown as string), 'invalidValue'],
        ['userName too long', userBody(`${'x'.repeat(3000)}@example.com`), 'invalidValue'],
        ['active a number', userBody('n2@example.com', { active: 1 }), 'invalidValue'],
        ['name a number', userBody('n3@example.com', { name: 5 }), 'invalidValue'],
        ['name.givenName an object', userBody('n4@example.com', { name: { givenName: { x: 1 } } }), 'invalidValue'],
        ['emails.value an object', userBody('n5@example.com', { emails: [{ value: { address: 'x@example.com' } }] }), 'invalidValue'],
        ['emails.value a nested array', userBody('n6@example.com', { emails: [{ value: [['x']] }] }), 'invalidValue'],
        ['emails.primary a number', userBody('n7@example.com', { emails: [{ value: 'a@example.com', primary: 1 }] }), 'invalidValue'],
        ['101 emails', userBody('n8@example.com', { emails: Array.from({ length: 101 }, (_, i) => ({ value: `e${i}@example.com` })) }), 'invalidValue'],
        ['title too long', userBody('n9@example.com', { title: 't'.repeat(5000) }), 'invalidValue'],
        ['x509 not base64', userBody('n10@example.com', { x509Certificates: [{ value: '!!not base64!!' }] }), 'invalidValue'],
        ['schemas of numbers', { schemas: [1, 2], userName: 'n11@example.com' }, 'invalidSyntax'],
        ['enterprise a string', { schemas: [URN.user, URN.enterprise], userName: 'n12@example.com', [URN.enterprise]: 'x' }, 'invalidValue'],
        ['enterprise manager an array', { schemas: [URN.user, URN.enterprise], userName: 'n13@example.com', [URN.enterprise]: { manager: [1] } }, 'invalidValue'],
      ];
      for (const [label, body, scimType] of bad) assertScimError(await a.scim('POST', '/Users', body), 400, scimType, label);
      // JSON.stringify cannot send 1e400 (it becomes null): send it raw; it parses to Infinity
      const infinite = await http('POST', `${a.endpoint}/Users`, { token: a.token, rawBody: `{"schemas":["${URN.user}"],"userName":"n1@example.com","displayName":1e400}`, contentType: 'application/scim+json' });
      assertScimError(infinite, 400, 'invalidValue', 'displayName 1e400');
      const badPatch: [string, unknown, string][] = [
        ['op a number', { op: 7, path: 'title', value: 'x' }, 'invalidSyntax'],
        ['path a number', { op: 'replace', path: 5, value: 'x' }, 'invalidPath'],
        ['path an object', { op: 'replace', path: { a: 1 }, value: 'x' }, 'invalidPath'],
        ['active an array', { op: 'replace', path: 'active', value: [true] }, 'invalidValue'],
        ['title an object', { op: 'replace', path: 'title', value: { a: 1 } }, 'invalidValue'],
        ['huge path', { op: 'replace', path: `emails[${'value eq "x" or '.repeat(400)}value eq "y"]`, value: 'x' }, 'invalidPath'],
      ];
      for (const [label, op, scimType] of badPatch) assertScimError(await a.scim('PATCH', `/Users/${aUser.id}`, patchOp(op)), 400, scimType, `PATCH ${label}`);
      assertScimError(await a.scim('POST', '/Groups', { schemas: [URN.group], displayName: 42, members: 'all' }), 400, 'invalidValue', 'group members a string');
      assertScimError(await a.scim('POST', '/Groups', { schemas: [URN.group], displayName: { x: 1 } }), 400, 'invalidValue', 'group displayName an object');
      assert.deepEqual(await snapshot(a), before, 'nothing was created or changed');

      // documented lenience (coerce.ts): a finite number for a string attribute is stored as its decimal text
      const coerced = await a.scim('POST', '/Users', userBody(4711 as unknown as string, { externalId: 12, [URN.enterprise]: { employeeNumber: 1001 }, schemas: [URN.user, URN.enterprise] }));
      assertOk(coerced, 201, 'numbers for strings');
      assert.equal(coerced.body.userName, '4711');
      assert.equal(coerced.body.externalId, '12');
      assert.equal(coerced.body[URN.enterprise].employeeNumber, '1001');
      assert.equal((await a.scim('GET', `/Users?filter=${q('userName eq "4711"')}`)).body.totalResults, 1);
      assert.equal((await a.scim('DELETE', `/Users/${coerced.body.id}`)).status, 204);
    });

    it('hostile URLs and queries: huge filters, bad escapes, NUL, over-long ids, repeated parameters — all clean 4xx SCIM Errors', async () => {
      const before = await snapshot(a);
      const longFilter = `userName eq "${'x'.repeat(5000)}"`;
      const manyTerms = Array.from({ length: 2000 }, (_, i) => `userName eq "u${i}"`).join(' or ');
      const cases: [string, () => ReturnType<typeof a.scim>, number, string | null | undefined][] = [
        ['GET a 5000-character filter', () => a.scim('GET', `/Users?filter=${q(longFilter)}`), 400, 'invalidFilter'],
        ['.search a 200 kB filter', () => a.scim('POST', '/Users/.search', searchRequest({ filter: `userName eq "${'y'.repeat(200_000)}"` })), 400, 'invalidFilter'],
        ['.search 2000 or-terms', () => a.scim('POST', '/Users/.search', searchRequest({ filter: manyTerms })), 400, 'invalidFilter'],
        ['.search 10000 nested parentheses', () => a.scim('POST', '/Users/.search', searchRequest({ filter: `${'('.repeat(10_000)}userName pr${')'.repeat(10_000)}` })), 400, 'invalidFilter'],
        ['.search 10000 nots', () => a.scim('POST', '/Users/.search', searchRequest({ filter: `${'not ('.repeat(1000)}userName pr${')'.repeat(1000)}` })), 400, 'invalidFilter'],
        ['root .search huge filter', () => a.scim('POST', '/.search', searchRequest({ filter: longFilter })), 400, 'invalidFilter'],
        ['a filter on Groups', () => a.scim('GET', `/Groups?filter=${q(longFilter.replace('userName', 'displayName'))}`), 400, 'invalidFilter'],
        ['a raw NUL in a filter', () => a.scim('GET', `/Users?filter=${q('userName eq "a\u0000b"')}`), 400, 'invalidFilter'],
        ['an escaped NUL in a filter', () => a.scim('GET', `/Users?filter=${q('userName eq "a\\u0000b"')}`), 400, 'invalidFilter'],
        ['a bad % escape in the query', () => a.scim('GET', '/Users?filter=%E0%A4%A'), 400, 'invalidFilter'],
        ['a bad % escape in the path', () => a.scim('GET', '/Users/%ZZ'), 400, undefined],
        ['an encoded surrogate in the path', () => a.scim('GET', '/Users/a%ED%A0%80b'), 400, undefined],
        ['a NUL in the id', () => a.scim('GET', '/Users/a%00b'), 404, null],
        ['a NUL in a PUT id', () => a.scim('PUT', '/Users/%00', userBody('nul@example.com')), 404, null],
        ['a NUL in a group id', () => a.scim('DELETE', '/Groups/%00'), 404, null],
        ['a 300-character id', () => a.scim('GET', `/Users/${'x'.repeat(300)}`), 414, null],
        ['a 5000-character sortBy', () => a.scim('GET', `/Users?sortBy=${'a'.repeat(5000)}`), 400, 'invalidValue'],
        ['a 5000-character attributes', () => a.scim('GET', `/Users?attributes=${'a,'.repeat(2500)}`), 400, 'invalidValue'],
        ['a repeated filter', () => a.scim('GET', `/Users?filter=${q('userName pr')}&filter=${q('title pr')}`), 400, 'invalidValue'],
        ['a huge count', () => a.scim('GET', '/Users?count=99999999999999999999999'), 400, 'invalidValue'],
        ['a negative-zero startIndex', () => a.scim('GET', '/Users?startIndex=-0&count=1'), 200, undefined],
      ];
      for (const [label, send, status, scimType] of cases) {
        const r = await send();
        if (status === 200) assertOk(r, 200, label);
        else assertScimError(r, status, scimType, label);
      }
      // a URL beyond Node's 16 KiB header limit never reaches Fastify: Node answers 431 itself
      const tooLong = await a.scim('GET', `/Users?filter=${'x'.repeat(20_000)}`);
      assert.equal(tooLong.status, 431);
      assert.deepEqual(await snapshot(a), before);
    });
  });
}
