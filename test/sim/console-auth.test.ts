/** x-api-key authentication and multi-tenant (MTP) x-org-id handling, with the documented errors. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { ApiKey } from '../../sim/tenant/cloud.js';
import type { Tenant } from '../../sim/tenant/tenant.js';
import { call, type V1List } from './helpers.js';

let sim: Simulator;
let second: Tenant;
let third: Tenant;
let mtp: ApiKey;

before(async () => {
  sim = await startSimulator({ seed: 'demo' });
  second = sim.addOrganization({ displayName: 'Beta Ltd', seed: { users: 7, groups: 2, apps: 1 } });
  third = sim.addOrganization({ displayName: 'Gamma GmbH', seed: 'none' });
  mtp = sim.addApiKey({ orgIds: [sim.orgId, second.orgId] });
});
after(async () => {
  await sim?.stop();
});

describe('x-api-key', () => {
  test('missing → 401 {"message":"Unauthorized"}; unknown → 401 "api key user not found"', async () => {
    const missing = await call(sim, '/api/systemusers', { apiKey: null });
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.body, { message: 'Unauthorized' });
    const unknown = await call(sim, '/api/v2/usergroups', { apiKey: 'f'.repeat(40) });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, { error: 'Unauthorized', message: 'Unauthorized: api key user not found' });
    assert.equal((await call(sim, '/api/nothing', { apiKey: null })).status, 401, 'authentication comes before routing');
  });

  test('a single-tenant key ignores x-org-id, empty or not', async () => {
    for (const orgId of ['', 'garbage', second.orgId]) {
      const answer = await call(sim, '/api/systemusers?limit=1', { headers: { 'x-org-id': orgId } });
      assert.equal(answer.status, 200, orgId);
      assert.equal((answer.body as V1List).totalCount, 20);
    }
  });

  test('a revoked key stops working', async () => {
    const key = sim.addApiKey({ orgIds: [sim.orgId] });
    assert.equal((await call(sim, '/api/systemusers', { apiKey: key.key })).status, 200);
    sim.cloud.removeApiKey(key.key);
    assert.equal((await call(sim, '/api/systemusers', { apiKey: key.key })).status, 401);
  });
});

describe('multi-tenant keys (x-org-id)', () => {
  test('the documented errors: 401 missing, 400 malformed, 404 unknown or not the key’s', async () => {
    const as = (orgId?: string) => call(sim, '/api/systemusers', { apiKey: mtp.key, headers: orgId === undefined ? {} : { 'x-org-id': orgId } });
    const cases: [string | undefined, number, string][] = [
      [undefined, 401, 'Unauthorized: ID not included for multi-tenant admin'],
      ['', 401, 'Unauthorized: ID not included for multi-tenant admin'],
      ['not-an-id', 400, 'Bad Request: Malformed ID'],
      ['0123456789abcdef0123456', 400, 'Bad Request: Malformed ID'],
      ['0123456789abcdef01234567', 404, 'Not Found: Organization ID Not Found'],
      [third.orgId, 404, 'Not Found: Organization ID Not Found'],
    ];
    for (const [orgId, status, message] of cases) {
      const answer = await as(orgId);
      assert.equal(answer.status, status, String(orgId));
      assert.deepEqual(answer.body, { message }, String(orgId));
    }
  });

  test('with a valid x-org-id, each organization answers its own data', async () => {
    const first = await call(sim, '/api/systemusers?limit=100', { apiKey: mtp.key, headers: { 'x-org-id': sim.orgId } });
    const other = await call(sim, '/api/systemusers?limit=100', { apiKey: mtp.key, headers: { 'x-org-id': second.orgId } });
    assert.equal((first.body as V1List).totalCount, 20);
    assert.equal((other.body as V1List).totalCount, 7);
    const groups = await call(sim, '/api/v2/usergroups', { apiKey: mtp.key, headers: { 'x-org-id': second.orgId } });
    assert.equal(groups.headers.get('x-total-count'), '2');
  });

  test('/api/organizations lists the key’s organizations without x-org-id; with one → 403', async () => {
    const orgs = await call(sim, '/api/organizations', { apiKey: mtp.key });
    assert.equal(orgs.status, 200);
    assert.deepEqual((orgs.body as V1List).results.map((o) => o.displayName), ['Acme Corp', 'Beta Ltd']);
    assert.equal((await call(sim, '/api/organizations/', { apiKey: mtp.key })).status, 200, 'as in the docs, with a trailing slash');
    const forbidden = await call(sim, '/api/organizations', { apiKey: mtp.key, headers: { 'x-org-id': sim.orgId } });
    assert.equal(forbidden.status, 403);
    assert.deepEqual(forbidden.body, { message: 'Forbidden: ID included on unsupported route' });
    const single = await call(sim, '/api/organizations');
    assert.equal((single.body as V1List).totalCount, 1);
  });

  test('/api/organizations/:id: the path must match x-org-id', async () => {
    const mismatch = await call(sim, `/api/organizations/${second.orgId}`, { apiKey: mtp.key, headers: { 'x-org-id': sim.orgId } });
    assert.equal(mismatch.status, 400);
    assert.deepEqual(mismatch.body, { message: 'Bad Request: x-org-id and Organization path ID do not match' });
    const match = await call(sim, `/api/organizations/${second.orgId}`, { apiKey: mtp.key, headers: { 'x-org-id': second.orgId } });
    assert.equal(match.status, 200);
    assert.equal((match.body as { displayName: string }).displayName, 'Beta Ltd');
    assert.equal((await call(sim, `/api/organizations/${second.orgId}`)).status, 404, 'not reachable with the single-tenant key');
  });

  test('admins come back without organization for an MTP key', async () => {
    const admins = await call(sim, '/api/users', { apiKey: mtp.key, headers: { 'x-org-id': sim.orgId } });
    assert.equal(admins.status, 200);
    assert.ok((admins.body as V1List).results.every((a) => !('organization' in a)));
  });

  test('the "ignore" option lets an MTP key send x-org-id to /api/organizations', async () => {
    sim.consoleOptions.orgIdOnProviderRoutes = 'ignore';
    try {
      assert.equal((await call(sim, '/api/organizations', { apiKey: mtp.key, headers: { 'x-org-id': sim.orgId } })).status, 200);
    } finally {
      sim.consoleOptions.orgIdOnProviderRoutes = 'forbid';
    }
  });
});
