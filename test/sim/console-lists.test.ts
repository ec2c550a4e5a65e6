/** Console lists: v1 and v2 shapes, limit/skip, sort, filter, fields, search, single records, headers, errors. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { call, type V1List } from './helpers.js';

type Rec = Record<string, unknown>;

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 'demo' });
});
after(async () => {
  await sim?.stop();
});

async function v1(path: string, headers: Record<string, string> = {}): Promise<V1List> {
  const answer = await call(sim, path, { headers });
  assert.equal(answer.status, 200, `${path}: ${answer.text}`);
  assert.equal(answer.headers.get('x-total-count'), null, 'v1 lists carry no x-total-count');
  return answer.body as V1List;
}

async function v2(path: string): Promise<{ items: Rec[]; total: number }> {
  const answer = await call(sim, path);
  assert.equal(answer.status, 200, `${path}: ${answer.text}`);
  assert.ok(Array.isArray(answer.body));
  return { items: answer.body as Rec[], total: Number(answer.headers.get('x-total-count')) };
}

describe('paging', () => {
  test('limit defaults to 10; 100 is the maximum; above it 400 with JumpCloud message', async () => {
    assert.equal((await v1('/api/systemusers')).results.length, 10);
    const all = await v1('/api/systemusers?limit=100');
    assert.equal(all.totalCount, 20);
    assert.equal(all.results.length, 20);
    const tooMany = await call(sim, '/api/systemusers?limit=101');
    assert.equal(tooMany.status, 400);
    assert.deepEqual(tooMany.body, { message: 'Bad Request: request parameter "limit" exceeds maximum value of 100' });
    assert.equal((await call(sim, '/api/v2/usergroups?limit=500')).status, 400);
    assert.equal((await call(sim, '/api/systemusers?limit=ten')).status, 400);
    assert.equal((await call(sim, '/api/systemusers?skip=-1')).status, 400);
  });

  test('skip pages through everything once, and past the end answers an empty page with the total', async () => {
    const ids = new Set<string>();
    for (let skip = 0; ; skip += 7) {
      const page = await v1(`/api/systemusers?limit=7&skip=${skip}&sort=_id`);
      assert.equal(page.totalCount, 20);
      for (const u of page.results) ids.add(u._id as string);
      if (page.results.length < 7) break;
    }
    assert.equal(ids.size, 20);
    assert.deepEqual(await v1('/api/systemusers?limit=10&skip=20'), { totalCount: 20, results: [] });
    assert.deepEqual(await v1('/api/systemusers?skip=500'), { totalCount: 20, results: [] });
    const v2Past = await v2('/api/v2/usergroups?limit=100&skip=4');
    assert.deepEqual(v2Past, { items: [], total: 4 });
    const partial = await v2('/api/v2/usergroups?limit=3&skip=2');
    assert.equal(partial.items.length, 2);
    assert.equal(partial.total, 4);
  });
});

describe('sort', () => {
  test('v1 sort is space separated with - for descending; ties keep creation order', async () => {
    const desc = (await v1('/api/systemusers?limit=100&sort=-username')).results.map((u) => u.username as string);
    assert.deepEqual(desc, [...desc].sort().reverse());
    const multi = (await v1('/api/systemusers?limit=100&sort=department%20-username')).results;
    for (let i = 1; i < multi.length; i++) {
      const [a, b] = [multi[i - 1]!, multi[i]!];
      assert.ok((a.department as string) < (b.department as string) || (a.department === b.department && (a.username as string) >= (b.username as string)));
    }
    const plus = (await v1('/api/systemusers?limit=100&sort=-department+username')).results;
    assert.equal(plus[0]!.department, 'Support');
  });

  test('v2 sort is comma separated; applications default to sort=name', async () => {
    const names = (await v2('/api/v2/usergroups?sort=-name')).items.map((g) => g.name);
    assert.deepEqual(names, ['Sales', 'Engineering', 'Contractors', 'All Users']);
    const apps = (await v1('/api/applications')).results.map((a) => a.name);
    assert.deepEqual(apps, ['aws-sso', 'custom-saml-app', 'slack']);
    const byLabel = (await v1('/api/applications?sort=-displayLabel')).results.map((a) => a.displayLabel);
    assert.deepEqual(byLabel, ['Slack', 'Acme Portal (Gatehouse)', 'AWS SSO'], 'binary order: "c" sorts after "W"');
  });
});

describe('filter', () => {
  test('v1 operators: $eq $ne $in $nin $sw $gt $lte, booleans, nested fields, AND and OR', async () => {
    const count = async (q: string, headers?: Record<string, string>) => (await v1(`/api/systemusers?limit=100&${q}`, headers)).totalCount;
    assert.equal(await count('filter=state:$eq:SUSPENDED'), 2);
    assert.equal(await count('filter=state:$ne:ACTIVATED'), 4);
    assert.equal(await count('filter=department:$in:Finance|IT'), 3);
    assert.equal(await count('filter=department:$nin:Engineering|Sales'), 6);
    assert.equal(await count('filter=username:$sw:a'), 1);
    assert.equal(await count('filter=unix_uid:$gt:5015'), 5);
    assert.equal(await count('filter=created:$lte:2023-03-01T09:20:00.000Z'), 7);
    assert.equal(await count('filter=totp_enabled:$eq:true'), 5);
    assert.equal(await count('filter=mfa.configured:$eq:false'), 15);
    assert.equal(await count('filter=employeeIdentifier:$eq:E1005'), 1);
    assert.equal(await count('filter=department:$eq:Engineering&filter=state:$eq:ACTIVATED'), 7);
    assert.equal(await count('filter[0]=department:$eq:Engineering&filter[1]=state:$eq:STAGED'), 1);
    assert.equal(await count('filter[or][0]=state:$eq:STAGED&filter[or][1]=state:$eq:SUSPENDED'), 4);
    assert.equal(await count('filter=email:$eq:ALICE.ANDERS@acme.example'), 0, 'values are case sensitive');
  });

  test('eventually consistent operators need their header; bad filters are 400', async () => {
    assert.equal((await call(sim, '/api/systemusers?filter=email:$co:acme')).status, 400);
    assert.equal((await v1('/api/systemusers?limit=100&filter=jobTitle:$co:Engineer|Support', { 'x-eventually-consistent': 'true' })).totalCount, 10);
    assert.equal((await v1('/api/systemusers?limit=100&filter=jobTitle:$ew:Manager', { 'x-eventually-consistent': 'true' })).totalCount, 2);
    assert.equal((await call(sim, '/api/systemusers?filter=state:$like:x')).status, 400);
    assert.equal((await call(sim, '/api/systemusers?filter=nonsense')).status, 400);
    assert.equal((await call(sim, '/api/systemusers?filter=password:$eq:x')).status, 400, 'no filtering on what the API never shows');
  });

  test('v2 operators: eq, ne, in, search on groups', async () => {
    assert.deepEqual((await v2('/api/v2/usergroups?filter=name:eq:Engineering')).items.map((g) => g.name), ['Engineering']);
    assert.equal((await v2('/api/v2/usergroups?filter=name:ne:Engineering')).total, 3);
    assert.equal((await v2('/api/v2/usergroups?filter=name:in:Sales|Contractors')).total, 2);
    assert.deepEqual((await v2('/api/v2/usergroups?filter=name:search:USERS')).items.map((g) => g.name), ['All Users']);
    assert.equal((await v2('/api/v2/usergroups?filter=membershipMethod:eq:STATIC')).total, 4);
    assert.equal((await call(sim, '/api/v2/usergroups?filter=name:$eq:Sales')).status, 400, 'v1 operators are not v2 operators');
  });
});

describe('fields', () => {
  test('v1 fields are space separated and keep _id and id; v2 comma separated and keep id', async () => {
    const users = (await v1('/api/systemusers?limit=2&fields=email%20username%20mfa.configured')).results;
    assert.deepEqual(Object.keys(users[0]!).sort(), ['_id', 'email', 'id', 'mfa', 'username']);
    assert.deepEqual(Object.keys(users[0]!.mfa as object), ['configured']);
    const groups = (await v2('/api/v2/usergroups?fields=name,email')).items;
    assert.deepEqual(Object.keys(groups[0]!).sort(), ['email', 'id', 'name']);
    const one = await call(sim, `/api/systemusers/${sim.tenant.users.list()[0]!._id}?fields=email`);
    assert.deepEqual(Object.keys(one.body as object).sort(), ['_id', 'email', 'id']);
  });
});

describe('single records and search', () => {
  test('GET /api/systemusers/:id and 404', async () => {
    const user = sim.tenant.userByUsername('nadia.novak')!;
    const answer = await call(sim, `/api/systemusers/${user._id}`);
    assert.equal(answer.status, 200);
    const body = answer.body as Rec;
    assert.equal(body.password_expired, true);
    assert.equal(body._id, user._id);
    assert.equal(body.id, user._id);
    assert.equal('password' in body, false, 'the simulator-only password is never served');
    const missing = await call(sim, '/api/systemusers/0123456789abcdef01234567');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { message: 'Not Found' });
  });

  test('POST /api/search/systemusers: filter (and/or/array), searchFilter, fields, query paging', async () => {
    const search = async (body: unknown, q = '') => {
      const answer = await call(sim, `/api/search/systemusers${q}`, { method: 'POST', body });
      assert.equal(answer.status, 200, answer.text);
      return answer.body as V1List;
    };
    assert.equal((await search({ filter: { or: [{ department: 'Sales' }, { department: 'Finance' }] } }, '?limit=100')).totalCount, 7);
    assert.equal((await search({ filter: [{ department: 'Engineering' }, { state: 'ACTIVATED' }] }, '?limit=100')).totalCount, 7);
    assert.equal((await search({ filter: { and: [{ unix_uid: { $gte: 5010 } }, { suspended: true }] } }, '?limit=100')).totalCount, 2);
    const text = await search({ searchFilter: { searchTerm: ['ROSSI', 'svensson'], fields: ['email'] }, fields: 'email username' });
    assert.equal(text.totalCount, 2);
    assert.deepEqual(Object.keys(text.results[0]!).sort(), ['_id', 'email', 'id', 'username']);
    assert.equal((await search({}, '?limit=5&skip=18')).results.length, 2);
    assert.equal((await call(sim, '/api/search/systemusers', { method: 'POST', body: { filter: [{ password: 'x' }] } })).status, 400);
  });
});

describe('other collections', () => {
  test('admins (/api/users): UserReturn records, one without MFA', async () => {
    const admins = await v1('/api/users');
    assert.equal(admins.totalCount, 2);
    for (const a of admins.results) {
      for (const key of ['_id', 'email', 'firstname', 'lastname', 'roleName', 'organization', 'suspended', 'enableMultiFactor', 'totpEnrolled', 'created']) assert.ok(key in a, key);
      assert.equal(a.organization, sim.orgId);
    }
    assert.deepEqual(admins.results.map((a) => [a.roleName, a.enableMultiFactor]), [
      ['Administrator With Billing', true],
      ['Help Desk', false],
    ]);
    assert.equal((await call(sim, `/api/users/${admins.results[1]!._id}`)).status, 200);
    assert.equal((await call(sim, '/api/users/0123456789abcdef01234567')).status, 404);
  });

  test('roles: {totalCount, results} (the v2 exception) with x-total-count; built-in and custom', async () => {
    const answer = await call(sim, '/api/v2/roles?limit=100');
    assert.equal(answer.status, 200);
    const body = answer.body as V1List;
    assert.equal(body.totalCount, 10);
    assert.equal(answer.headers.get('x-total-count'), '10');
    assert.deepEqual(body.results.filter((r) => r.isCustom).map((r) => r.name), ['Helpdesk Lite', 'App Auditor']);
    assert.ok(body.results.every((r) => Array.isArray(r.scopes) && typeof r.id === 'string'));
    const custom = body.results.find((r) => r.isCustom)!;
    assert.deepEqual((await call(sim, `/api/v2/roles/${custom.id}`)).body, custom);
  });

  test('organizations, directories, LDAP and RADIUS servers', async () => {
    const orgs = await v1('/api/organizations');
    assert.deepEqual(orgs.results.map((o) => [o._id, o.displayName]), [[sim.orgId, 'Acme Corp']]);
    assert.equal((await call(sim, `/api/organizations/${sim.orgId}`)).status, 200);
    assert.deepEqual((await v2('/api/v2/directories')).items.map((d) => [d.name, d.type]), [['JumpCloud LDAP', 'ldap_server']]);
    assert.equal((await v2('/api/v2/ldapservers')).total, 1);
    assert.deepEqual((await v1('/api/radiusservers')).results.map((r) => r.name), ['Office Wi-Fi']);
  });

  test('applications: recorded fields, config objects, ssoUrl at the simulator, cert expiry 5 years on', async () => {
    const apps = (await v1('/api/applications')).results;
    for (const app of apps) {
      assert.equal(app.ssoUrl, `${sim.consoleUrl}/saml2/${sim.tenant.app(app._id as string).slug}`);
      const config = app.config as Record<string, Rec>;
      for (const key of ['acsUrl', 'spEntityId', 'idpEntityId', 'signAssertion', 'signResponse']) assert.deepEqual(Object.keys(config[key]!).sort(), ['label', 'position', 'readOnly', 'required', 'type', 'value', 'visible']);
      const sso = app.sso as Rec;
      assert.equal(sso.type, 'saml');
      const created = new Date(app.created as string);
      const expires = new Date(sso.idpCertExpirationAt as string);
      assert.equal(expires.getUTCFullYear() - created.getUTCFullYear(), 5);
      assert.match((app.logo as Rec).url as string, /^https:\/\/.+\.png$/);
    }
    const one = await call(sim, `/api/v2/applications/${apps[0]!._id}`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, apps[0]);
  });

  test('POST /api/applications creates a SAML app from the guide body', async () => {
    const answer = await call(sim, '/api/applications', {
      method: 'POST',
      body: { name: 'slack', displayName: 'Slack', displayLabel: 'Slack SSO', ssoUrl: 'slack-engineering', config: { acsUrl: { value: 'https://example.slack.com/sso/saml' }, spEntityId: { value: 'https://example.slack.com' }, signResponse: { value: true } } },
    });
    assert.equal(answer.status, 200, answer.text);
    const app = answer.body as Rec;
    assert.equal(app.ssoUrl, `${sim.consoleUrl}/saml2/slack-engineering`);
    assert.equal(((app.config as Record<string, Rec>).acsUrl as Rec).value, 'https://example.slack.com/sso/saml');
    sim.tenant.deleteApp(app._id as string);
  });
});

describe('headers and errors', () => {
  test('recorded headers, weak etag, and 304 on If-None-Match', async () => {
    const first = await call(sim, '/api/v2/usergroups');
    assert.equal(first.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(first.headers.get('pragma'), 'no-cache');
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"[0-9a-f]+-.{27}"$/);
    const again = await call(sim, '/api/v2/usergroups', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
  });

  test('unknown paths under /api are 404 JSON; x-unfiltered-total-count', async () => {
    const answer = await call(sim, '/api/v2/nothing-here');
    assert.equal(answer.status, 404);
    assert.deepEqual(answer.body, { message: 'Not Found' });
    const filtered = await call(sim, '/api/v2/usergroups?filter=name:eq:Sales', { headers: { 'x-unfiltered-total-count': '1' } });
    assert.equal(filtered.headers.get('x-total-count'), '1');
    assert.equal(filtered.headers.get('x-unfiltered-total-count'), '4');
  });

  test('the "spec" error style answers {code, message, status}', async () => {
    const strict = await startSimulator({ seed: 'none', console: { errorStyle: 'spec', limitPolicy: 'clamp' } });
    try {
      const answer = await call(strict, '/api/systemusers/0123456789abcdef01234567');
      assert.deepEqual(answer.body, { code: 404, message: 'Not Found', status: 'NOT_FOUND' });
      const unauthorized = await call(strict, '/api/systemusers', { apiKey: 'nope' });
      assert.deepEqual(unauthorized.body, { code: 401, message: 'api key user not found', status: 'UNAUTHENTICATED' });
      assert.equal((await call(strict, '/api/systemusers?limit=1000')).status, 200, 'clamped');
    } finally {
      await strict.stop();
    }
  });
});
