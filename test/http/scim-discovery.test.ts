/**
 * SCIM discovery, envelope, authentication and unsupported features (checklist §4.1 D1–D8, §4.5 E1, E5, E6).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, http, scimClient, startTestServer, type TestServer } from '../support/server.js';
import { assertOk, assertScimContentType, assertScimError, createUser, q, scimDirectory, URN, userBody, type ScimDirectory } from '../support/scim.js';

const ATTRIBUTE_KEYS = ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'];

function walkAttributes(attributes: any[], visit: (a: any, path: string) => void, prefix = ''): void {
  for (const a of attributes) {
    visit(a, `${prefix}${a.name}`);
    if (a.subAttributes) walkAttributes(a.subAttributes, visit, `${prefix}${a.name}.`);
  }
}

for (const dialect of dialects) {
  describe(`SCIM discovery and envelope (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;

    before(async () => {
      server = await startTestServer(dialect);
      d = await scimDirectory(server, 'generic');
    });
    after(() => server.close());

    it('D1: ServiceProviderConfig is served and honest', async () => {
      const r = await d.scim('GET', '/ServiceProviderConfig');
      assertOk(r, 200, 'SPC');
      const spc = r.body;
      assert.deepEqual(spc.schemas, [URN.serviceProviderConfig]);
      assert.equal(spc.patch.supported, true);
      assert.equal(spc.bulk.supported, false, 'Bulk answers 501, so SPC must not advertise it');
      assert.equal(spc.filter.supported, true);
      assert.equal(spc.filter.maxResults, 1000, 'matches the clamp of count');
      assert.equal(spc.changePassword.supported, false);
      assert.equal(spc.sort.supported, true);
      assert.equal(spc.etag.supported, true);
      assert.ok(Array.isArray(spc.authenticationSchemes) && spc.authenticationSchemes.length >= 1);
      assert.equal(spc.authenticationSchemes[0].type, 'oauthbearertoken');
      assert.equal(typeof spc.authenticationSchemes[0].name, 'string');
      assert.equal(typeof spc.authenticationSchemes[0].description, 'string');
      assert.equal(spc.meta.resourceType, 'ServiceProviderConfig');
      assert.equal(spc.meta.location, `${d.endpoint}/ServiceProviderConfig`);

      // honesty: etag.supported → resources carry a weak ETag equal to meta.version
      const user = await d.scim('POST', '/Users', userBody('spc-honesty@example.com'));
      assert.equal(user.headers.get('etag'), user.body.meta.version);
      assert.match(user.body.meta.version, /^W\/".+"$/);
      // bulk.supported false → /Bulk is 501
      assertScimError(await d.scim('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations: [] }), 501);
    });

    it('D2: ResourceTypes list and by id, with schema URNs resolvable in /Schemas', async () => {
      const r = await d.scim('GET', '/ResourceTypes');
      assertOk(r, 200, 'ResourceTypes');
      assert.deepEqual(r.body.schemas, [URN.listResponse]);
      assert.equal(r.body.totalResults, 2);
      assert.equal(r.body.Resources.length, 2);
      const byId = new Map(r.body.Resources.map((t: any) => [t.id, t]));
      const user: any = byId.get('User');
      const group: any = byId.get('Group');
      assert.equal(user.endpoint, '/Users');
      assert.equal(user.schema, URN.user);
      assert.deepEqual(user.schemaExtensions, [{ schema: URN.enterprise, required: false }]);
      assert.equal(group.endpoint, '/Groups');
      assert.equal(group.schema, URN.group);
      for (const t of r.body.Resources) {
        assert.deepEqual(t.schemas, [URN.resourceType]);
        assert.equal(t.meta.resourceType, 'ResourceType');
        assert.equal(t.meta.location, `${d.endpoint}/ResourceTypes/${t.id}`);
        for (const urn of [t.schema, ...(t.schemaExtensions ?? []).map((e: any) => e.schema)]) {
          const s = await d.scim('GET', `/Schemas/${urn}`);
          assertOk(s, 200, `schema ${urn} resolvable`);
          assert.equal(s.body.id, urn);
        }
      }
      const one = await d.scim('GET', '/ResourceTypes/User');
      assertOk(one, 200, 'ResourceTypes/User');
      assert.deepEqual(one.body, user);
      assertOk(await d.scim('GET', '/ResourceTypes/Group'), 200);
    });

    it('D3: Schemas carry full attribute metadata', async () => {
      const r = await d.scim('GET', '/Schemas');
      assertOk(r, 200, 'Schemas');
      assert.deepEqual(r.body.schemas, [URN.listResponse]);
      const ids = r.body.Resources.map((s: any) => s.id).sort();
      assert.deepEqual(ids, [URN.group, URN.user, URN.enterprise].sort());
      for (const schema of r.body.Resources) {
        assert.deepEqual(schema.schemas, [URN.schema]);
        assert.equal(schema.meta.resourceType, 'Schema');
        assert.equal(schema.meta.location, `${d.endpoint}/Schemas/${schema.id}`);
        assert.ok(schema.attributes.length > 0);
        walkAttributes(schema.attributes, (a, path) => {
          for (const key of ATTRIBUTE_KEYS) assert.ok(key in a, `${schema.id} ${path} has ${key}`);
          assert.ok(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'binary', 'complex'].includes(a.type), path);
          assert.ok(['readOnly', 'readWrite', 'immutable', 'writeOnly'].includes(a.mutability), path);
          assert.ok(['always', 'never', 'default', 'request'].includes(a.returned), path);
          assert.ok(['none', 'server', 'global'].includes(a.uniqueness), path);
          if (a.type === 'complex') assert.ok(Array.isArray(a.subAttributes) && a.subAttributes.length > 0, `${path} has subAttributes`);
        });
      }
      const user = r.body.Resources.find((s: any) => s.id === URN.user);
      const attr = (name: string) => user.attributes.find((a: any) => a.name === name);
      assert.equal(attr('userName').required, true);
      assert.equal(attr('userName').uniqueness, 'server');
      assert.equal(attr('userName').caseExact, false);
      assert.equal(attr('password').returned, 'never');
      assert.equal(attr('password').mutability, 'writeOnly');
      assert.equal(attr('groups').mutability, 'readOnly');
      assert.equal(attr('emails').multiValued, true);
      assert.deepEqual(attr('emails').subAttributes.map((s: any) => s.name).sort(), ['display', 'primary', 'type', 'value']);

      for (const urn of [URN.user, URN.group, URN.enterprise]) {
        const one = await d.scim('GET', `/Schemas/${urn}`);
        assertOk(one, 200, urn);
        assert.deepEqual(one.body, r.body.Resources.find((s: any) => s.id === urn));
      }
      // schema ids compare case-insensitively
      assertOk(await d.scim('GET', `/Schemas/${URN.user.toLowerCase()}`), 200);
    });

    it('D4: discovery endpoints answer 405 to other methods and ignore query parameters', async () => {
      for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/ResourceTypes/User', '/Schemas', `/Schemas/${URN.user}`]) {
        for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
          const r = await d.scim(method, path, method === 'DELETE' ? undefined : { schemas: [URN.user] });
          assertScimError(r, 405, null, `${method} ${path}`);
          assert.match(r.headers.get('allow') ?? '', /GET/, `${method} ${path} says Allow: GET`);
        }
      }
      for (const query of [`filter=${q('(((')}`, 'count=-5&startIndex=abc', `attributes=nope&sortBy=${q('!!')}`, 'filter=userName%20eq%20%22x%22']) {
        for (const path of ['/ServiceProviderConfig', '/ResourceTypes', '/Schemas']) {
          assertOk(await d.scim('GET', `${path}?${query}`), 200, `${path}?${query}`);
        }
      }
    });

    it('D5: unknown ids on discovery endpoints are 404 SCIM Errors', async () => {
      assertScimError(await d.scim('GET', '/ResourceTypes/Printer'), 404, null, 'ResourceTypes/Printer');
      assertScimError(await d.scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:Printer'), 404, null, 'Schemas/…Printer');
      assertScimError(await d.scim('GET', '/Schemas/nope'), 404, null, 'Schemas/nope');
    });

    it('D6: every response is application/scim+json in UTF-8; application/json requests are accepted', async () => {
      const viaJson = await http('POST', `${d.endpoint}/Users`, {
        token: d.token,
        body: userBody('json-client@example.com', { displayName: 'Zoë Ødegård 日本語 🎉' }),
        contentType: 'application/json',
      });
      assertOk(viaJson, 201, 'application/json request');
      assert.equal(viaJson.body.displayName, 'Zoë Ødegård 日本語 🎉');
      assert.match(viaJson.headers.get('content-type') ?? '', /charset=utf-8/i);
      const viaScimCharset = await http('POST', `${d.endpoint}/Users`, {
        token: d.token,
        body: userBody('charset-client@example.com'),
        contentType: 'application/scim+json; charset=utf-8',
      });
      assertOk(viaScimCharset, 201, 'application/scim+json; charset=utf-8 request');
      const got = await d.scim('GET', `/Users/${viaJson.body.id}`);
      assert.equal(got.body.displayName, 'Zoë Ødegård 日本語 🎉', 'non-ASCII round-trips');

      const responses = [
        await d.scim('GET', '/ServiceProviderConfig'),
        await d.scim('GET', '/ResourceTypes'),
        await d.scim('GET', '/Schemas'),
        await d.scim('GET', '/Users'),
        await d.scim('GET', '/Groups'),
        got,
        await d.scim('GET', '/Users/00000000-0000-0000-0000-000000000000'),
        await d.scim('POST', '/Users/.search', { schemas: [URN.searchRequest] }),
        await http('GET', `${d.endpoint}/Users`),
      ];
      for (const r of responses) assertScimContentType(r, `${r.status} ${r.text.slice(0, 80)}`);
    });

    it('D7: unknown URLs are 404 SCIM Errors', async () => {
      for (const path of ['/Printers', '/Users/abc/def', '/Groups/abc/members', '/v1/Users', '/ServiceProviderConfigs']) {
        assertScimError(await d.scim('GET', path), 404, null, path);
      }
      assertScimError(await http('GET', `${server.url}/scim/v2`), 404, null, '/scim/v2');
      assertScimError(await http('GET', `${server.url}/scim/v2/`), 404, null, '/scim/v2/');
    });

    it('D8: a missing, wrong or foreign token is a 401 SCIM Error with WWW-Authenticate', async () => {
      const other = await scimDirectory(server, 'okta');
      const user = await createUser(d.scim, 'auth-check@example.com');
      const cases: [string, Record<string, string>][] = [
        ['no header', {}],
        ['empty bearer', { authorization: 'Bearer ' }],
        ['wrong token', { authorization: 'Bearer ghd_wrongwrongwrongwrongwrongwrongwrongwrong123' }],
        ["another directory's token", { authorization: `Bearer ${other.token}` }],
        ['the admin key', { authorization: `Bearer ${ADMIN_KEY}` }],
        ['basic auth', { authorization: `Basic ${Buffer.from(`x:${d.token}`).toString('base64')}` }],
        ['token without scheme', { authorization: d.token }],
        ['huge token', { authorization: `Bearer ghd_${'x'.repeat(6000)}` }],
      ];
      for (const [label, headers] of cases) {
        for (const [method, path] of [
          ['GET', '/Users'],
          ['GET', `/Users/${user.id}`],
          ['DELETE', `/Users/${user.id}`],
          ['GET', '/ServiceProviderConfig'],
          ['POST', '/Users/.search'],
        ] as const) {
          const r = await http(method, `${d.endpoint}${path}`, { headers });
          assertScimError(r, 401, null, `${label}: ${method} ${path}`);
          assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/, `${label}: WWW-Authenticate`);
        }
      }
      // an unknown route is a 404 whatever the token: it depends on the URL only, never on a tenant's data
      assertScimError(await http('GET', `${d.endpoint}/Nope`), 404, null, 'unknown route without a token');
      // the right token on a directory that does not exist is the same 401 (nothing to learn)
      assertScimError(await http('GET', `${server.url}/scim/v2/dir_doesnotexist/Users`, { token: d.token }), 401);
      // a rotated-out token stops at once
      const rotated = await d.admin.call('POST', `/directories/${other.dirId}/token`);
      assertScimError(await other.scim('GET', '/Users'), 401, null, 'rotated-out token');
      assertOk(await scimClient(other.endpoint, rotated.body.token)('GET', '/Users'), 200, 'new token');
      // the user was not deleted by any of the refused DELETEs
      assertOk(await d.scim('GET', `/Users/${user.id}`), 200);
    });

    it('E5/E6: /Me and /Bulk are 501; unsupported methods are 405 with Allow', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        assertScimError(await d.scim(method, '/Me', method === 'GET' || method === 'DELETE' ? undefined : {}), 501, null, `${method} /Me`);
      }
      assertScimError(await d.scim('POST', '/Bulk', {}), 501, null, 'POST /Bulk');
      const cases: [string, string, string][] = [
        ['PUT', '/Users', 'GET, POST'],
        ['DELETE', '/Users', 'GET, POST'],
        ['PATCH', '/Groups', 'GET, POST'],
        ['POST', '/Users/00000000-0000-0000-0000-000000000000', 'GET, PUT, PATCH, DELETE'],
        ['GET', '/Users/.search', 'POST'],
        ['GET', '/.search', 'POST'],
        ['DELETE', '/Groups/.search', 'POST'],
      ];
      for (const [method, path, allow] of cases) {
        const r = await d.scim(method, path, method === 'GET' || method === 'DELETE' ? undefined : { schemas: [URN.user] });
        assertScimError(r, 405, null, `${method} ${path}`);
        assert.equal(r.headers.get('allow'), allow, `${method} ${path} Allow`);
      }
    });
  });
}
