/**
 * Properties over HTTP (fast-check, few runs each): random filters, sorts and projections, random PATCH
 * operation lists and random resource bodies never yield a 5xx; every refusal is a SCIM Error and leaves the
 * resource exactly as it was (PATCH is atomic); every success leaves a valid resource.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { startTestServer, type HttpResult, type TestServer } from '../support/server.js';
import { assertScimContentType, assertScimError, createGroup, createUser, patchOp, scimDirectory, URN, type ScimDirectory } from '../support/scim.js';

// SCIM_PROPERTY_RUNS=1000 for a deeper hunt
const RUNS = Number(process.env.SCIM_PROPERTY_RUNS ?? 50);
const ENT = URN.enterprise;

const attributePaths = [
  'userName', 'USERNAME', 'displayName', 'title', 'active', 'externalId', 'id', 'nickName', 'password',
  'name', 'name.givenName', 'Name.FamilyName', 'name.nope', 'emails', 'emails.value', 'emails.type', 'emails.primary',
  'phoneNumbers.value', 'addresses.locality', 'groups', 'groups.value', 'groups.display', 'members', 'members.value',
  'meta', 'meta.created', 'meta.lastModified', 'meta.version', 'meta.location', 'meta.resourceType',
  `${URN.user}:userName`, `${ENT}:employeeNumber`, `${ENT}:manager.value`, `${ENT}:manager`, `${ENT}:department`, ENT,
  'urn:example:x:1.0:User:y', 'nope', 'x509Certificates.value', '$ref', 'emails.$ref',
];
const operators = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Co', 'regex', 'like', '=='];
const literals = [
  '"alice@example.com"', '"x"', '""', '"ALICE"', '"2026-01-01T00:00:00Z"', '"2026-13-45T99:00:00Z"', '"not a date"',
  'true', 'false', 'null', 'True', '42', '-1.5e3', '1e400', '"\\u00e9"', '"\\""', '"a\\\\b"', '"%_*?["', 'alice', "'x'", '"unterminated',
];

/** Filters from the grammar's pieces, often valid, often subtly not. */
const filterArb: fc.Arbitrary<string> = fc.letrec<{ filter: string; term: string }>((tie) => ({
  term: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...attributePaths), fc.constantFrom(...operators), fc.constantFrom(...literals)).map(([p, o, v]) => `${p} ${o} ${v}`) },
    { weight: 1, arbitrary: fc.constantFrom(...attributePaths).map((p) => `${p} pr`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('emails', 'addresses', 'members', 'groups', 'name', 'userName', 'phoneNumbers'), tie('filter')).map(([p, f]) => `${p}[${f}]`) },
    { weight: 1, arbitrary: tie('filter').map((f) => `(${f})`) },
    { weight: 1, arbitrary: tie('filter').map((f) => `not (${f})`) },
    { weight: 1, arbitrary: tie('filter').map((f) => `not(${f})`) },
  ),
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('term'),
    fc.tuple(tie('term'), fc.constantFrom('and', 'or', 'AND', 'Or', 'xor', ''), tie('filter')).map(([a, k, b]) => `${a} ${k} ${b}`),
  ),
})).filter;

const noiseArb = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.array(fc.constantFrom('(', ')', '[', ']', '"', ' ', 'and', 'or', 'not', 'eq', 'pr', '.', ':', 'urn:', 'userName', '\\', ','), { maxLength: 12 }).map((parts) => parts.join(' ')),
);

const anyFilter = fc.oneof({ weight: 3, arbitrary: filterArb }, { weight: 1, arbitrary: noiseArb });

/** A 4xx answer must be a SCIM Error; a 2xx list a well-formed ListResponse. */
function assertListOrError(r: HttpResult, label: string): void {
  assert.ok(r.status < 500, `${label} → ${r.status} ${r.text.slice(0, 300)}`);
  if (r.status === 200) {
    assertScimContentType(r, label);
    assert.equal(typeof r.body.totalResults, 'number', label);
    assert.ok(Array.isArray(r.body.Resources), label);
    assert.ok(r.body.Resources.length <= r.body.totalResults, label);
  } else {
    assertScimError(r, r.status, undefined, label);
    assert.equal(r.status, 400, label);
    assert.ok(['invalidFilter', 'invalidValue', 'sensitive', 'invalidSyntax'].includes(r.body.scimType), `${label}: scimType ${r.body.scimType}`);
  }
}

/** At most one primary value in every multi-valued attribute of a resource. */
function assertOnePrimary(resource: Record<string, unknown>, label: string): void {
  for (const [key, value] of Object.entries(resource)) {
    if (Array.isArray(value)) {
      const primaries = value.filter((v) => v && typeof v === 'object' && (v as { primary?: unknown }).primary === true);
      assert.ok(primaries.length <= 1, `${label}: ${key} has ${primaries.length} primary values`);
    }
  }
}

for (const dialect of dialects) {
  describe(`SCIM properties over HTTP (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    const userIds: string[] = [];
    let groupId = '';

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'generic');
      for (let i = 0; i < 4; i++) {
        const u = await createUser(d.scim, `prop${i}@example.com`, {
          schemas: [URN.user, ENT], name: { givenName: `G${i}`, familyName: `F${i}` }, title: i % 2 ? 'Odd' : 'Even', active: i !== 2,
          emails: [{ value: `prop${i}@work.example`, type: 'work', primary: true }], [ENT]: { employeeNumber: String(i) },
        });
        userIds.push(u.id);
      }
      groupId = (await createGroup(d.scim, 'Prop group', userIds.slice(0, 2))).id;
    });
    after(() => server.close());

    it(`random filters, sortBy and attributes on GET and .search never yield a 5xx (${RUNS} runs each)`, async () => {
      await fc.assert(
        fc.asyncProperty(anyFilter, fc.constantFrom('/Users', '/Groups'), async (filter, path) => {
          assertListOrError(await d.scim('GET', `${path}?filter=${encodeURIComponent(filter)}`), `GET ${path} filter=${JSON.stringify(filter)}`);
        }),
        { numRuns: RUNS },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.option(anyFilter, { nil: undefined }),
          fc.option(fc.oneof(fc.constantFrom(...attributePaths), fc.string({ maxLength: 20 })), { nil: undefined }),
          fc.option(fc.constantFrom('ascending', 'descending', 'DESCENDING', 'up', ''), { nil: undefined }),
          fc.option(fc.array(fc.oneof(fc.constantFrom(...attributePaths, 'emails[type eq "work"]', 'emails[type eq'), fc.string({ maxLength: 10 })), { maxLength: 4 }), { nil: undefined }),
          fc.option(fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom('3', 'x', 1.5, null)), { nil: undefined }),
          fc.constantFrom('/Users/.search', '/Groups/.search', '/.search'),
          async (filter, sortBy, sortOrder, attributes, count, path) => {
            const body = {
              schemas: [URN.searchRequest],
              ...(filter !== undefined ? { filter } : {}),
              ...(sortBy !== undefined ? { sortBy } : {}),
              ...(sortOrder !== undefined ? { sortOrder } : {}),
              ...(attributes !== undefined ? { attributes } : {}),
              ...(count !== undefined ? { count, startIndex: count } : {}),
            };
            assertListOrError(await d.scim('POST', path, body), `POST ${path} ${JSON.stringify(body)}`);
          },
        ),
        { numRuns: RUNS },
      );
    });

    const opName = fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'REPLACE', 'merge', '', 1, null);
    const patchPath = fc.oneof(
      fc.constantFrom(undefined, '', ...attributePaths, 'emails[type eq "work"].value', 'emails[type eq "home"]', 'addresses[type eq "work"].formatted',
        'members[value eq "x"]', 'emails[value co "@"]', 'emails[type eq "work"', 'name..givenName'),
      fc.string({ maxLength: 15 }),
    );
    const patchValue = fc.oneof(
      fc.constantFrom('x', '', 'False', 'True', true, false, null, 7, 'someone@example.com', `prop0@example.com`),
      fc.constantFrom(
        [{ value: 'a@example.com', type: 'work', primary: true }],
        [{ value: 'b@example.com', type: 'home', primary: true }, { value: 'c@example.com', primary: true }],
        { givenName: 'Patched' },
        { active: false },
        { 'name.familyName': 'Dotted', [`${ENT}:department`]: 'D' },
        { [ENT]: { manager: { value: 'm' } } },
        { userName: '' },
        { id: 'hacked', meta: {} },
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    const operationArb = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: opName, path: patchPath, value: patchValue }, { requiredKeys: ['op'] }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    );

    it(`random PATCH operation lists on a user never yield a 5xx; refusals change nothing, successes leave a valid user (${RUNS} runs)`, async () => {
      const id = userIds[3]!;
      await fc.assert(
        fc.asyncProperty(fc.array(operationArb, { maxLength: 6 }), async (operations) => {
          const before = await d.scim('GET', `/Users/${id}`);
          const r = await d.scim('PATCH', `/Users/${id}`, patchOp(...operations));
          const label = `PATCH ${JSON.stringify(operations).slice(0, 500)}`;
          assert.ok(r.status < 500, `${label} → ${r.status} ${r.text.slice(0, 300)}`);
          const after = await d.scim('GET', `/Users/${id}`);
          assert.equal(after.status, 200);
          if (r.status === 200) {
            assertScimContentType(r, label);
            assert.deepEqual(r.body, after.body, `${label}: the answer is the stored user`);
            assert.equal(typeof after.body.userName, 'string');
            assert.notEqual(after.body.userName.trim(), '', `${label}: userName stays non-empty`);
            assert.equal(after.body.id, id);
            assertOnePrimary(after.body, label);
          } else {
            assertScimError(r, r.status, undefined, label);
            assert.ok(r.status === 400 || r.status === 409, label);
            assert.deepEqual(after.body, before.body, `${label}: a refused PATCH changes nothing`);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it(`random PATCH operation lists on a group never yield a 5xx; refusals change nothing (${RUNS} runs)`, async () => {
      const memberValue = fc.oneof(fc.constantFrom(...userIds), fc.constantFrom('ghost', '', groupId), fc.string({ maxLength: 8 }));
      const memberOp = fc.record({
        op: opName,
        path: fc.oneof(fc.constantFrom(undefined, 'members', 'Members', 'displayName', 'externalId', 'members.value', 'members[display eq "x"]'), memberValue.map((v) => `members[value eq ${JSON.stringify(v)}]`)),
        value: fc.oneof(
          fc.array(fc.oneof(memberValue.map((value) => ({ value })), fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 }),
          fc.constantFrom('Renamed group', 'Prop group', '', null, { members: [] }, { displayName: 'Other name' }),
          memberValue.map((value) => ({ members: [{ value }] })),
        ),
      }, { requiredKeys: ['op'] });
      await fc.assert(
        fc.asyncProperty(fc.array(memberOp, { maxLength: 5 }), async (operations) => {
          const before = await d.scim('GET', `/Groups/${groupId}`);
          const r = await d.scim('PATCH', `/Groups/${groupId}`, patchOp(...operations));
          const label = `PATCH group ${JSON.stringify(operations).slice(0, 500)}`;
          assert.ok(r.status < 500, `${label} → ${r.status} ${r.text.slice(0, 300)}`);
          const after = await d.scim('GET', `/Groups/${groupId}`);
          assert.equal(after.status, 200);
          if (r.status === 204) {
            assert.equal(r.headers.get('etag'), after.body.meta.version, label);
            assert.notEqual(String(after.body.displayName).trim(), '');
            const members = (after.body.members ?? []).map((m: { value: string }) => m.value);
            assert.equal(new Set(members).size, members.length, `${label}: no duplicate member`);
            assert.ok(members.every((m: string) => userIds.includes(m)), `${label}: only users are members`);
          } else {
            assertScimError(r, r.status, undefined, label);
            assert.ok(r.status === 400 || r.status === 409, label);
            assert.deepEqual(after.body, before.body, `${label}: a refused PATCH changes nothing`);
          }
        }),
        { numRuns: RUNS },
      );
    });

    it(`random resource bodies on POST and PUT never yield a 5xx (${RUNS} runs)`, async () => {
      const key = fc.oneof(fc.constantFrom('userName', 'displayName', 'name', 'emails', 'active', 'title', 'schemas', 'id', 'meta', 'groups', 'members', 'password', ENT, `${ENT}:department`, 'name.givenName', 'externalId', 'phoneNumbers', 'x509Certificates'), fc.string({ maxLength: 8 }));
      const body = fc.oneof(
        fc.dictionary(key, patchValue, { maxKeys: 6 }).map((o) => ({ schemas: [URN.user], ...o })),
        fc.dictionary(key, patchValue, { maxKeys: 6 }),
        fc.jsonValue({ maxDepth: 3 }),
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(body, fc.constantFrom('POST /Users', 'PUT /Users', 'POST /Groups', 'PUT /Groups'), async (b, target) => {
          const [method, path] = target.split(' ') as [string, string];
          const unique = b && typeof b === 'object' && !Array.isArray(b) && typeof (b as Record<string, unknown>).userName === 'string' ? { ...b, userName: `${(b as Record<string, unknown>).userName}-${++n}` } : b;
          const url = method === 'PUT' ? `${path}/${path === '/Users' ? userIds[3] : groupId}` : path;
          const r = await d.scim(method, url, unique);
          const label = `${method} ${url} ${JSON.stringify(unique).slice(0, 400)}`;
          assert.ok(r.status < 500, `${label} → ${r.status} ${r.text.slice(0, 300)}`);
          if (r.status >= 400) assertScimError(r, r.status, undefined, label);
          else assertScimContentType(r, label);
        }),
        { numRuns: RUNS },
      );
      assertScimError(await d.scim('GET', '/Users/nope'), 404, null, 'server still answers');
    });
  });
}
