/** The Identity Management (SCIM) connector against a tiny recording SCIM service provider. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCliArgs } from '../../sim/cli-args.js';
import type { ConnectorSettingsInput } from '../../sim/connector/settings.js';
import { DEFAULT_CONNECTOR_SETTINGS, resolveSettings } from '../../sim/connector/settings.js';
import { fillFilter } from '../../sim/connector/lookup-filter.js';
import { telUri, userBody, userPatchOperations } from '../../sim/connector/user-body.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { SystemUser } from '../../sim/tenant/types.js';
import { ScimStub } from './connector-stub.js';

const CORE = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let sim: Simulator;
let counter = 0;
const stubs: ScimStub[] = [];

before(async () => {
  sim = await startSimulator({ seed: 'none' });
});
after(async () => {
  await sim?.stop();
  for (const stub of stubs) await stub.stop();
});

/** A fresh stub and app; `configure` activates the app's connector against the stub. */
async function fixture(label = 'app') {
  const stub = await new ScimStub().start();
  stubs.push(stub);
  const n = ++counter;
  const app = sim.tenant.createApp({ displayLabel: `${label} ${n}` });
  const settings = (extra: Partial<ConnectorSettingsInput> = {}): ConnectorSettingsInput => ({
    baseUrl: stub.url,
    token: stub.token,
    testUserEmail: `scim-test-${n}@acme.example`,
    retry: { backoffMs: 5 },
    ...extra,
  });
  const configure = async (extra: Partial<ConnectorSettingsInput> = {}) => {
    const result = await sim.connectors.configure(app._id, settings(extra));
    await sim.connectors.idle(app._id);
    stub.reset();
    return result;
  };
  const user = (name: string, extra: Partial<SystemUser> = {}) =>
    sim.tenant.createUser({ username: `${name}${n}`, email: `${name}${n}@acme.example`, firstname: name[0]!.toUpperCase() + name.slice(1), lastname: 'Tester', ...extra });
  const group = (name: string) => sim.tenant.createGroup({ name: `${name} ${n}` });
  const idle = () => sim.connectors.idle(app._id);
  return { stub, app, n, settings, configure, user, group, idle };
}

describe('settings', () => {
  test('defaults fill in, and every option is validated', () => {
    const s = resolveSettings({ baseUrl: 'http://127.0.0.1:1/scim/v2/', token: 't', testUserEmail: 'a@b.example' });
    assert.equal(s.baseUrl, 'http://127.0.0.1:1/scim/v2');
    assert.equal(s.version, '2.0');
    assert.equal(s.updateMethod, 'put');
    assert.equal(s.userLookupFilter, 'userName eq "{username}"');
    assert.equal(s.groupLookupFilter, 'displayName eq "{name}"');
    assert.equal(s.sendGroupExternalId, false);
    assert.deepEqual(s.unbindStrategy, { removeMembers: 'patch', orphanedUsers: 'deactivate', group: 'keep' });
    assert.equal(s.deleteUserOn, 'user-deleted');
    assert.deepEqual(s.retry.retryOn, [429, '5xx', 'network']);
    assert.equal(s.contentType, 'application/scim+json');
    assert.deepEqual({ ...s, baseUrl: undefined, token: undefined, testUserEmail: undefined }, { ...DEFAULT_CONNECTOR_SETTINGS, baseUrl: undefined, token: undefined, testUserEmail: undefined });
    const base = { baseUrl: 'http://x.example/scim', token: 't', testUserEmail: 'a@b.example' };
    for (const bad of [
      { ...base, baseUrl: 'ftp://x' },
      { ...base, token: '' },
      { ...base, testUserEmail: 'nope' },
      { ...base, version: '1.1' },
      { ...base, updateMethod: 'post' },
      { ...base, retry: { retryOn: ['4xx'] } },
      { ...base, unbindStrategy: { group: 'archive' } },
      { ...base, tokne: 'typo' },
    ]) {
      assert.throws(() => resolveSettings(bad as unknown as ConnectorSettingsInput), /connector settings/, JSON.stringify(bad));
    }
  });

  test('lookup filters escape their values; phone numbers become tel: URIs', () => {
    assert.equal(fillFilter('userName eq "{username}"', { username: 'a"b\\c' }), 'userName eq "a\\"b\\\\c"');
    assert.equal(fillFilter('emails eq "{email}" or x eq "{unknown}"', { email: 'e@x' }), 'emails eq "e@x" or x eq "{unknown}"');
    assert.equal(telUri('+1 303 555 0101'), 'tel:+1-303-555-0101');
    assert.equal(telUri('+1 (555) 555-5555'), 'tel:+1-555-555-5555');
    assert.equal(telUri('tel:+1-555'), 'tel:+1-555');
  });

  test('a user without an e-mail gets the real minimal PUT form, and PATCH sends one op per attribute', () => {
    const s = resolveSettings({ baseUrl: 'http://x.example', token: 't', testUserEmail: 'a@b.example' });
    const user = { _id: '0123456789abcdef01234567', username: 'jd', email: '', firstname: 'John', lastname: 'Doe', displayname: '', jobTitle: '', department: '', phoneNumbers: [], addresses: [], employeeIdentifier: null, state: 'ACTIVATED' as const, password_expired: false };
    assert.deepEqual(userBody(user, s, { id: 'abc' }), { active: true, emails: null, id: 'abc', name: { familyName: 'Doe', givenName: 'John' }, schemas: [CORE], userName: 'jd' });
    const before = userBody({ ...user, email: 'jd@x.example' }, s, { id: 'abc' });
    const after = userBody({ ...user, email: 'jd@x.example', firstname: 'Jon', jobTitle: 'Captain' }, s, { id: 'abc', active: false });
    assert.deepEqual(userPatchOperations(before, after), [
      { op: 'replace', path: 'name.givenName', value: 'Jon' },
      { op: 'replace', path: 'title', value: 'Captain' },
      { op: 'replace', path: 'active', value: false },
    ]);
  });
});

describe('Test Connection', () => {
  test('looks up, creates and deletes a test user and a test group, with the token never recorded', async () => {
    const { stub, app, n, settings } = await fixture();
    const result = await sim.connectors.configure(app._id, settings({ syncOnActivate: false }));
    assert.equal(result.ok, true, JSON.stringify(result.test));
    assert.equal(result.connector.status, 'active');
    assert.deepEqual(stub.summary(), [`GET /Users?filter=userName eq "scim-test-${n}@acme.example"`, 'POST /Users', 'POST /Groups', 'DELETE /Groups/:id', 'DELETE /Users/:id']);
    assert.deepEqual(result.test.steps.map((s) => [s.step, s.status]), [
      ['lookupUser', 200],
      ['createUser', 201],
      ['createGroup', 201],
      ['deleteGroup', 204],
      ['deleteUser', 204],
    ]);
    assert.equal(stub.users.size + stub.groups.size, 0, 'no residue');
    const created = stub.requests[1]!;
    assert.equal(created.headers['content-type'], 'application/scim+json');
    assert.equal(created.headers.accept, 'application/scim+json');
    assert.equal(created.headers.authorization, `Bearer ${stub.token}`);
    assert.equal(created.body.userName, `scim-test-${n}@acme.example`);
    assert.match(created.body.externalId, /^[0-9a-f]{24}$/);
    const log = sim.connectors.requests(app._id);
    assert.equal(log.length, 5);
    assert.equal(log[1]!.requestHeaders.authorization, 'Bearer [REDACTED]');
    assert.ok(!JSON.stringify(log).includes(stub.token), 'the token is never in the log');
    assert.equal(log[1]!.status, 201);
    assert.equal(log[1]!.operation, 'test.createUser');
    assert.ok(log.every((e) => e.durationMs >= 0 && e.attempt === 1));
    assert.ok(!JSON.stringify(sim.connectors.connector(app._id).view()).includes(stub.token), 'nor in the view');
  });

  test('a test e-mail that already exists fails with 409 at createUser, and nothing is pushed', async () => {
    const { stub, app, n, settings, user, group } = await fixture();
    stub.seedUser({ userName: `scim-test-${n}@acme.example` });
    const result = await sim.connectors.configure(app._id, settings());
    assert.equal(result.ok, false);
    assert.deepEqual(result.test.failure && { step: result.test.failure.step, status: result.test.failure.status }, { step: 'createUser', status: 409 });
    assert.equal(result.connector.status, 'failed');
    stub.reset();
    const g = group('Eng');
    sim.tenant.addMember(g.id, user('amy')._id);
    sim.tenant.bindGroup(app._id, g.id);
    await sim.connectors.idle(app._id);
    assert.equal(stub.requests.length, 0, 'a failed connector pushes nothing');
  });

  test('DELETE /Users refused (405) → the test user is deactivated instead; other failures clean up', async () => {
    const { stub, app, settings } = await fixture();
    stub.deleteUsers = false;
    const result = await sim.connectors.configure(app._id, settings({ syncOnActivate: false }));
    assert.equal(result.ok, true);
    assert.equal(result.test.testUserDeactivated, true);
    assert.deepEqual(stub.summary().slice(-2), ['DELETE /Users/:id', 'PUT /Users/:id']);
    assert.equal(stub.requests.at(-1)!.body.active, false);
    assert.equal([...stub.users.values()][0]!.active, false);

    const second = await fixture();
    second.stub.fail(500, { method: 'POST', path: /^\/Groups$/, times: 10 });
    const failed = await sim.connectors.configure(second.app._id, second.settings({ retry: { retries: 1, backoffMs: 1 } }));
    assert.equal(failed.ok, false);
    assert.equal(failed.test.failure?.step, 'createGroup');
    assert.equal(failed.test.failure?.status, 500);
    assert.equal(second.stub.users.size, 0, 'the test user was cleaned up');
    assert.equal(failed.test.steps.at(-1)!.step, 'cleanup');
  });

  test('an unreachable service provider fails at the first step with no status', async () => {
    const app = sim.tenant.createApp({ displayLabel: 'Nowhere' });
    const result = await sim.connectors.configure(app._id, { baseUrl: 'http://127.0.0.1:9/scim/v2', token: 't', testUserEmail: 'x@acme.example', retry: { retries: 1, backoffMs: 1 } });
    assert.equal(result.ok, false);
    assert.deepEqual([result.test.failure?.step, result.test.failure?.status], ['lookupUser', null]);
    assert.equal(sim.connectors.requests(app._id).length, 2, 'one retry');
  });
});

describe('pushing users', () => {
  test('binding a group creates its ACTIVATED members with the JumpCloud body, skips STAGED, then the group', async () => {
    const f = await fixture();
    await f.configure();
    const amy = f.user('amy', {
      displayname: 'Amy Tester',
      jobTitle: 'Engineer',
      department: 'R&D',
      phoneNumbers: [{ id: 'p', number: '+1 303 555 0101', type: 'work' }],
      addresses: [{ id: 'a', type: 'work', streetAddress: '1 Main St', locality: 'Denver', region: 'CO', postalCode: '80203', country: 'US', poBox: '', extendedAddress: '' }],
    });
    const bob = f.user('bob');
    const stan = f.user('stan', { state: 'STAGED' });
    const g = f.group('Eng');
    for (const u of [amy, bob, stan]) sim.tenant.addMember(g.id, u._id);
    await f.idle();
    assert.equal(f.stub.requests.length, 0, 'nothing is bound yet');
    sim.tenant.bindGroup(f.app._id, g.id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), [
      `GET /Users?filter=userName eq "amy${f.n}"`,
      'POST /Users',
      `GET /Users?filter=userName eq "bob${f.n}"`,
      'POST /Users',
      `GET /Groups?filter=displayName eq "Eng ${f.n}"`,
      'POST /Groups',
    ]);
    assert.deepEqual(f.stub.requests[1]!.body, {
      active: true,
      addresses: [{ country: 'US', locality: 'Denver', postalCode: '80203', primary: true, region: 'CO', streetAddress: '1 Main St', type: 'work' }],
      displayName: 'Amy Tester',
      emails: [{ primary: true, type: 'work', value: `amy${f.n}@acme.example` }],
      externalId: amy._id,
      locale: 'en-US',
      name: { familyName: 'Tester', givenName: 'Amy' },
      phoneNumbers: [{ primary: true, type: 'work', value: 'tel:+1-303-555-0101' }],
      preferredLanguage: 'en-US',
      schemas: [CORE, ENTERPRISE],
      title: 'Engineer',
      [ENTERPRISE]: { department: 'R&D' },
      userName: `amy${f.n}`,
    });
    assert.deepEqual(Object.keys(f.stub.requests[1]!.body), Object.keys(f.stub.requests[1]!.body).sort(), 'keys sorted, as JumpCloud sends them');
    const bobBody = f.stub.requests[3]!.body;
    assert.deepEqual([bobBody.addresses, bobBody.phoneNumbers, bobBody.schemas], [[], [], [CORE, ENTERPRISE]], 'empty arrays, enterprise URN without a body');
    assert.equal(bobBody[ENTERPRISE], undefined);
    const amyId = f.stub.userByName(`amy${f.n}`)!.id;
    const bobId = f.stub.userByName(`bob${f.n}`)!.id;
    assert.deepEqual(f.stub.requests[5]!.body, { displayName: `Eng ${f.n}`, members: [{ value: amyId }, { value: bobId }], schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] });
    assert.equal(f.stub.userByName(`stan${f.n}`), undefined);
    const view = sim.connectors.connector(f.app._id).view({ mappings: true });
    assert.deepEqual(view.mappings!.users.map((u) => [u.jumpcloudId, u.scimId]).sort(), [[amy._id, amyId], [bob._id, bobId]].sort());
    assert.equal(view.mappings!.groups[0]!.jumpcloudId, g.id);

    // activating the STAGED user pushes it and adds it to the group
    f.stub.reset();
    sim.tenant.activateUser(stan._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), [`GET /Users?filter=userName eq "stan${f.n}"`, 'POST /Users', 'PATCH /Groups/:id']);
    assert.deepEqual(f.stub.requests[2]!.body, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: f.stub.userByName(`stan${f.n}`)!.id }] }] });
  });

  test('lookup before create adopts an existing user by userName (PUT, not POST)', async () => {
    const f = await fixture();
    await f.configure();
    const existing = f.stub.seedUser({ userName: `cara${f.n}`, active: false });
    const cara = f.user('cara');
    sim.tenant.bindUser(f.app._id, cara._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), [`GET /Users?filter=userName eq "cara${f.n}"`, 'PUT /Users/:id']);
    assert.equal(f.stub.requests[1]!.path, `/Users/${existing.id}`);
    assert.equal(f.stub.requests[1]!.body.id, existing.id);
    assert.equal(f.stub.users.get(existing.id)!.active, true);
    assert.equal(f.stub.users.size, 1);
  });

  test('updates are full-body PUTs with our id; suspension and reactivation flip active; deletion DELETEs', async () => {
    const f = await fixture();
    await f.configure();
    const dan = f.user('dan');
    sim.tenant.bindUser(f.app._id, dan._id);
    await f.idle();
    const id = f.stub.userByName(`dan${f.n}`)!.id;
    f.stub.reset();
    sim.tenant.updateUser(dan._id, { lastname: 'Dawson', jobTitle: 'Lead' });
    sim.tenant.updateUser(dan._id, { costCenter: 'CC-1' }); // not mapped: nothing to send
    sim.tenant.suspendUser(dan._id);
    sim.tenant.activateUser(dan._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['PUT /Users/:id', 'PUT /Users/:id', 'PUT /Users/:id']);
    const [update, suspend, reactivate] = f.stub.requests.map((r) => r.body);
    assert.equal(update.id, id);
    assert.deepEqual([update.name, update.title, update.active], [{ familyName: 'Dawson', givenName: 'Dan' }, 'Lead', true]);
    assert.equal(suspend.active, false);
    assert.equal(suspend.userName, `dan${f.n}`, 'the full body, active:false');
    assert.equal(reactivate.active, true);
    assert.deepEqual(sim.connectors.requests(f.app._id).map((e) => e.operation).slice(-3), ['user.update', 'user.deactivate', 'user.reactivate']);

    f.stub.reset();
    sim.tenant.deleteUser(dan._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['DELETE /Users/:id']);
    assert.equal(f.stub.users.size, 0);
  });

  test("updateMethod 'patch' sends one op per changed attribute, active as a replace op", async () => {
    const f = await fixture();
    await f.configure({ updateMethod: 'patch' });
    const eve = f.user('eve');
    sim.tenant.bindUser(f.app._id, eve._id);
    await f.idle();
    f.stub.reset();
    sim.tenant.updateUser(eve._id, { firstname: 'Eva', lastname: 'Evans' });
    sim.tenant.suspendUser(eve._id);
    sim.tenant.activateUser(eve._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['PATCH /Users/:id', 'PATCH /Users/:id', 'PATCH /Users/:id']);
    assert.deepEqual(
      f.stub.requests.map((r) => r.body),
      [
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'name.givenName', value: 'Eva' }, { op: 'replace', path: 'name.familyName', value: 'Evans' }] },
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
        { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: true }] },
      ],
    );
  });

  test('unbinding a user deactivates it (deleteUserOn "access-lost" deletes; "never" deactivates on delete)', async () => {
    const f = await fixture();
    await f.configure();
    const fay = f.user('fay');
    sim.tenant.bindUser(f.app._id, fay._id);
    await f.idle();
    f.stub.reset();
    sim.tenant.unbindUser(f.app._id, fay._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['PUT /Users/:id']);
    assert.equal(f.stub.requests[0]!.body.active, false);

    const g = await fixture();
    await g.configure({ deleteUserOn: 'access-lost' });
    const gus = g.user('gus');
    sim.tenant.bindUser(g.app._id, gus._id);
    await g.idle();
    g.stub.reset();
    sim.tenant.unbindUser(g.app._id, gus._id);
    await g.idle();
    assert.deepEqual(g.stub.summary(), ['DELETE /Users/:id']);

    const h = await fixture();
    await h.configure({ deleteUserOn: 'never' });
    const hal = h.user('hal');
    sim.tenant.bindUser(h.app._id, hal._id);
    await h.idle();
    h.stub.reset();
    sim.tenant.deleteUser(hal._id);
    await h.idle();
    assert.deepEqual(h.stub.summary(), ['PUT /Users/:id']);
    assert.equal(h.stub.requests[0]!.body.active, false);
  });

  test('a user with an expired password is pushed inactive (unless passwordExpiredDeactivates is off)', async () => {
    const f = await fixture();
    await f.configure();
    const ivy = f.user('ivy', { password_expired: true });
    sim.tenant.bindUser(f.app._id, ivy._id);
    await f.idle();
    assert.equal(f.stub.requests.find((r) => r.method === 'POST')!.body.active, false);
    const g = await fixture();
    await g.configure({ passwordExpiredDeactivates: false, userNameFrom: 'email', externalIdFrom: 'employeeIdentifier', locale: null });
    const jo = g.user('jo', { password_expired: true, employeeIdentifier: `E-${g.n}` });
    sim.tenant.bindUser(g.app._id, jo._id);
    await g.idle();
    const body = g.stub.requests.find((r) => r.method === 'POST')!.body;
    assert.deepEqual([body.active, body.userName, body.externalId, body.locale], [true, `jo${g.n}@acme.example`, `E-${g.n}`, undefined]);
    assert.equal(g.stub.requests[0]!.filter, `userName eq "jo${g.n}@acme.example"`);
  });
});

describe('pushing groups', () => {
  test('no empty groups: a bound group of STAGED users is created with its first pushed member', async () => {
    const f = await fixture();
    await f.configure();
    const kim = f.user('kim', { state: 'STAGED' });
    const g = f.group('Ops');
    sim.tenant.addMember(g.id, kim._id);
    sim.tenant.bindGroup(f.app._id, g.id);
    await f.idle();
    assert.equal(f.stub.requests.length, 0);
    sim.tenant.activateUser(kim._id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), [`GET /Users?filter=userName eq "kim${f.n}"`, 'POST /Users', `GET /Groups?filter=displayName eq "Ops ${f.n}"`, 'POST /Groups']);
  });

  test('takeover by displayName, members by value arrays, rename by PUT, delete', async () => {
    const f = await fixture();
    await f.configure({ sendGroupExternalId: true });
    const old = f.stub.seedGroup(`Sales ${f.n}`, ['someone-else']);
    const lou = f.user('lou');
    const max = f.user('max');
    const g = f.group('Sales');
    sim.tenant.addMember(g.id, lou._id);
    sim.tenant.bindGroup(f.app._id, g.id);
    await f.idle();
    assert.deepEqual(f.stub.summary().slice(-2), [`GET /Groups?filter=displayName eq "Sales ${f.n}"`, 'PATCH /Groups/:id']);
    assert.equal(f.stub.groups.size, 1, 'taken over, not created');
    const louId = f.stub.userByName(`lou${f.n}`)!.id;
    assert.deepEqual([...old.members].sort(), [louId, 'someone-else'].sort(), 'members it does not know stay');

    f.stub.reset();
    sim.tenant.addMember(g.id, max._id);
    sim.tenant.removeMember(g.id, lou._id);
    sim.tenant.renameGroup(g.id, `Revenue ${f.n}`);
    await f.idle();
    const maxId = f.stub.userByName(`max${f.n}`)!.id;
    assert.deepEqual(f.stub.summary(), [`GET /Users?filter=userName eq "max${f.n}"`, 'POST /Users', 'PATCH /Groups/:id', 'PATCH /Groups/:id', 'PUT /Users/:id', 'PUT /Groups/:id']);
    assert.deepEqual(f.stub.requests[2]!.body.Operations, [{ op: 'add', path: 'members', value: [{ value: maxId }] }]);
    assert.deepEqual(f.stub.requests[3]!.body.Operations, [{ op: 'remove', path: 'members', value: [{ value: louId }] }]);
    assert.equal(f.stub.requests[4]!.body.active, false, 'lou lost access: deactivated');
    assert.deepEqual(f.stub.requests[5]!.body, { displayName: `Revenue ${f.n}`, externalId: g.id, id: old.id, schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'] });
    assert.equal(old.displayName, `Revenue ${f.n}`);

    f.stub.reset();
    sim.tenant.deleteGroup(g.id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['DELETE /Groups/:id', 'PUT /Users/:id']);
    assert.equal(f.stub.requests[1]!.body.active, false, 'max lost access with the group');
    assert.equal(f.stub.groups.size, 0);
  });

  test("groupRenameMethod 'patch' and manageGroups false", async () => {
    const f = await fixture();
    await f.configure({ groupRenameMethod: 'patch' });
    const ned = f.user('ned');
    const g = f.group('QA');
    sim.tenant.addMember(g.id, ned._id);
    sim.tenant.bindGroup(f.app._id, g.id);
    await f.idle();
    f.stub.reset();
    sim.tenant.renameGroup(g.id, `Quality ${f.n}`);
    await f.idle();
    assert.deepEqual(f.stub.requests.map((r) => [r.method, r.body]), [['PATCH', { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: `Quality ${f.n}` }] }]]);

    const h = await fixture();
    await h.configure({ manageGroups: false });
    const olive = h.user('olive');
    const hg = h.group('NoGroups');
    sim.tenant.addMember(hg.id, olive._id);
    sim.tenant.bindGroup(h.app._id, hg.id);
    await h.idle();
    assert.deepEqual(h.stub.summary(), [`GET /Users?filter=userName eq "olive${h.n}"`, 'POST /Users']);
    h.stub.reset();
    sim.tenant.unbindGroup(h.app._id, hg.id);
    await h.idle();
    assert.deepEqual(h.stub.summary(), ['PUT /Users/:id']);
    assert.equal(h.stub.requests[0]!.body.active, false);
  });

  test('unbinding empties the group with one value-array PATCH, deactivates orphans only, keeps the group', async () => {
    const f = await fixture();
    await f.configure();
    const [pat, quinn, rae] = [f.user('pat'), f.user('quinn'), f.user('rae')];
    const a = f.group('A');
    const b = f.group('B');
    for (const u of [pat, quinn, rae]) sim.tenant.addMember(a.id, u._id);
    sim.tenant.addMember(b.id, quinn._id);
    sim.tenant.bindGroup(f.app._id, a.id);
    sim.tenant.bindGroup(f.app._id, b.id);
    sim.tenant.bindUser(f.app._id, rae._id);
    await f.idle();
    const ids = Object.fromEntries(['pat', 'quinn', 'rae'].map((name) => [name, f.stub.userByName(`${name}${f.n}`)!.id]));
    f.stub.reset();
    sim.tenant.unbindGroup(f.app._id, a.id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['PATCH /Groups/:id', 'PUT /Users/:id']);
    assert.deepEqual(f.stub.requests[0]!.body.Operations, [{ op: 'remove', path: 'members', value: [{ value: ids.pat }, { value: ids.quinn }, { value: ids.rae }] }]);
    assert.equal(f.stub.requests[1]!.path, `/Users/${ids.pat}`, 'only pat: quinn is in B, rae is bound directly');
    assert.equal(f.stub.requests[1]!.body.active, false);
    assert.equal(f.stub.groupByName(`A ${f.n}`)!.members.size, 0, 'the group stays, empty');

    // later changes to the unbound group are not pushed; binding it again resumes
    f.stub.reset();
    sim.tenant.renameGroup(a.id, `A2 ${f.n}`);
    await f.idle();
    assert.equal(f.stub.requests.length, 0);
    sim.tenant.bindGroup(f.app._id, a.id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['PUT /Users/:id', 'PUT /Groups/:id', 'PATCH /Groups/:id']);
    assert.equal(f.stub.requests[0]!.body.active, true, 'pat reactivated');
  });

  test("unbind strategy options: PUT members [], delete the group, leave users", async () => {
    const f = await fixture();
    await f.configure({ unbindStrategy: { removeMembers: 'put', group: 'delete', orphanedUsers: 'none' } });
    const sam = f.user('sam');
    const g = f.group('Temp');
    sim.tenant.addMember(g.id, sam._id);
    sim.tenant.bindGroup(f.app._id, g.id);
    await f.idle();
    f.stub.reset();
    sim.tenant.unbindGroup(f.app._id, g.id);
    await f.idle();
    assert.deepEqual(f.stub.summary(), ['PUT /Groups/:id', 'DELETE /Groups/:id']);
    assert.deepEqual(f.stub.requests[0]!.body.members, []);
    assert.equal(f.stub.userByName(`sam${f.n}`)!.active, true);
  });
});

describe('delivery', () => {
  test('retries 503 and 429 (honouring Retry-After) and dropped connections, then succeeds', async () => {
    const f = await fixture();
    await f.configure({ retry: { retries: 3, backoffMs: 5 } });
    f.stub.fail(503, { times: 1, method: 'POST' });
    f.stub.fail(429, { times: 1, method: 'POST', headers: { 'retry-after': '1' } });
    f.stub.fail('drop', { times: 1, method: 'POST' });
    const tom = f.user('tom');
    const started = Date.now();
    sim.tenant.bindUser(f.app._id, tom._id);
    await f.idle();
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After: 1');
    assert.ok(f.stub.userByName(`tom${f.n}`));
    const attempts = sim.connectors.requests(f.app._id).filter((e) => e.operation === 'user.create');
    assert.deepEqual(attempts.map((e) => [e.attempt, e.status]), [[1, 503], [2, 429], [3, null], [4, 201]]);
    assert.ok(attempts[2]!.error);
    assert.equal(sim.connectors.connector(f.app._id).view().counts.failures, 0);
  });

  test('retries exhausted → recorded failure; sync() converges later (and re-creates what vanished)', async () => {
    const f = await fixture();
    await f.configure({ retry: { retries: 1, backoffMs: 1 } });
    const uma = f.user('uma');
    const vic = f.user('vic');
    const g = f.group('Sync');
    sim.tenant.addMember(g.id, uma._id);
    sim.tenant.addMember(g.id, vic._id);
    f.stub.fail(502, { times: 2, method: 'POST', path: /^\/Users$/ });
    sim.tenant.bindGroup(f.app._id, g.id);
    await f.idle();
    const connector = sim.connectors.connector(f.app._id);
    assert.equal(connector.view().counts.failures, 1);
    assert.equal(connector.failures[0]!.status, 502);
    assert.equal(connector.failures[0]!.operation, 'user.create');
    assert.equal(f.stub.users.size, 1);
    // behind the connector's back: the service provider loses vic
    const vicId = f.stub.userByName(`vic${f.n}`)!.id;
    f.stub.users.delete(vicId);
    for (const group of f.stub.groups.values()) group.members.delete(vicId);
    const report = await sim.connectors.sync(f.app._id);
    assert.equal(report.failures, 0);
    assert.equal(report.users, 2);
    assert.ok(f.stub.userByName(`uma${f.n}`) && f.stub.userByName(`vic${f.n}`));
    const group = f.stub.groupByName(`Sync ${f.n}`)!;
    assert.deepEqual([...group.members].sort(), [f.stub.userByName(`uma${f.n}`)!.id, f.stub.userByName(`vic${f.n}`)!.id].sort());
  });

  test('pushes are serialized in event order; idle() waits for all of them', async () => {
    const f = await fixture();
    await f.configure();
    const g = f.group('Order');
    sim.tenant.bindGroup(f.app._id, g.id);
    const users = Array.from({ length: 5 }, (_, i) => f.user(`ord${i}x`));
    for (const u of users) sim.tenant.addMember(g.id, u._id);
    await f.idle();
    const created = f.stub.requests.filter((r) => r.method === 'POST' && r.path === '/Users').map((r) => r.body.userName);
    assert.deepEqual(created, users.map((u) => u.username));
    assert.deepEqual([...f.stub.groupByName(`Order ${f.n}`)!.members].length, 5);
    assert.equal(sim.connectors.connector(f.app._id).view().queue.pending, 0);
  });

  test('deactivate stops pushing; deleting the app stops the connector', async () => {
    const f = await fixture();
    await f.configure();
    sim.connectors.deactivate(f.app._id);
    const wes = f.user('wes');
    sim.tenant.bindUser(f.app._id, wes._id);
    await f.idle();
    assert.equal(f.stub.requests.length, 0);
    const again = await sim.connectors.activate(f.app._id);
    assert.equal(again.ok, true);
    await f.idle();
    assert.ok(f.stub.userByName(`wes${f.n}`), 'the sync after activation pushed wes');
    sim.tenant.deleteApp(f.app._id);
    assert.equal(sim.connectors.connector(f.app._id).status, 'stopped');
  });
});

describe('control API', () => {
  async function control(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${sim.consoleUrl}/sim${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  }

  test('configure + activate, inspect, requests, sync, flush, deactivate', async () => {
    const f = await fixture();
    assert.equal((await control(`/apps/${f.app._id}/connector`)).status, 404);
    assert.equal((await control(`/apps/${f.app._id}/connector`, 'POST', { ...f.settings(), version: '1.1' })).status, 400);
    const configured = await control(`/apps/${f.app._id}/connector`, 'POST', f.settings());
    assert.equal(configured.status, 200, JSON.stringify(configured.body));
    assert.equal(configured.body.ok, true);
    assert.equal(configured.body.connector.settings.token, '[REDACTED]');
    const xavier = await control('/users', 'POST', { username: `xavier${f.n}`, email: `xavier${f.n}@acme.example` });
    assert.equal((await control(`/apps/${f.app._id}/users/${xavier.body._id}`, 'PUT')).status, 204);
    const flushed = await control(`/apps/${f.app._id}/connector/flush`, 'POST');
    assert.equal(flushed.body.status, 'active');
    assert.equal(flushed.body.counts.users, 1);
    const view = await control(`/apps/${f.app._id}/connector?mappings=true`);
    assert.equal(view.body.mappings.users[0].jumpcloudId, xavier.body._id);
    const log = await control(`/apps/${f.app._id}/connector/requests?limit=2`);
    assert.equal(log.body.requests.length, 2);
    assert.equal(log.body.requests[1].method, 'POST');
    assert.equal(log.body.requests[1].requestHeaders.authorization, 'Bearer [REDACTED]');
    const later = await control(`/apps/${f.app._id}/connector/requests?after=${log.body.lastSeq}`);
    assert.deepEqual(later.body.requests, []);
    const sync = await control(`/apps/${f.app._id}/connector/sync`, 'POST');
    assert.equal(sync.status, 200);
    assert.equal(sync.body.users, 1);
    assert.equal((await control('/connectors')).body.connectors.some((c: { appId: string }) => c.appId === f.app._id), true);
    assert.equal((await control(`/apps/${f.app._id}/connector`, 'DELETE')).status, 204);
    assert.equal((await control(`/apps/${f.app._id}/connector`)).body.status, 'inactive');

    f.stub.seedUser({ userName: f.settings().testUserEmail });
    const failing = await control(`/apps/${f.app._id}/connector`, 'POST', f.settings());
    assert.equal(failing.status, 422);
    assert.equal(failing.body.error.code, 'test_failed');
    assert.equal(failing.body.test.failure.status, 409);
    assert.equal((await control(`/apps/${f.app._id}/connector?forget=true`, 'DELETE')).status, 204);
    assert.equal((await control(`/apps/${f.app._id}/connector`)).status, 404);
  });
});

describe('CLI', () => {
  test('--scim-url/--scim-token/--scim-app parse together (test e-mail defaulted), and not alone', () => {
    assert.deepEqual(parseCliArgs(['--scim-url', 'http://h/scim/v2/d', '--scim-token', 't', '--scim-app', 'acme-portal']).scim, {
      app: 'acme-portal',
      baseUrl: 'http://h/scim/v2/d',
      token: 't',
      testUserEmail: 'scim-test@acme.example',
    });
    assert.equal(parseCliArgs(['--seed', 'none']).scim, undefined);
    assert.equal('scim' in parseCliArgs([]), false);
    assert.throws(() => parseCliArgs(['--scim-url', 'http://h']), /go together/);
    assert.throws(() => parseCliArgs(['--scim-token']), /needs a value/);
  });

  test('the command activates the connector before its ready line, and pushes the demo app', async () => {
    const stub = await new ScimStub().start();
    stubs.push(stub);
    const root = resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/main.ts', '--port', '0', '--scim-app', 'acme-portal', '--scim-url', stub.url, '--scim-token', stub.token], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    try {
      const line = await new Promise<Record<string, any>>((done, fail) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) done(JSON.parse(out.slice(0, out.indexOf('\n'))));
        });
        setTimeout(() => fail(new Error('not ready in 15 s')), 15_000).unref();
      });
      assert.deepEqual(Object.keys(line), ['consoleUrl', 'apiKey', 'orgId', 'scim']);
      assert.equal(line.scim.ok, true);
      assert.equal(line.scim.failure, null);
      const flushed = await fetch(`${line.consoleUrl}/sim/apps/${line.scim.appId}/connector/flush`, { method: 'POST' });
      assert.equal(((await flushed.json()) as { counts: { users: number } }).counts.users, 11);
      assert.equal(stub.users.size, 11);
      assert.deepEqual([...stub.groups.values()].map((g) => g.displayName).sort(), ['Engineering', 'Sales']);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
    }
  });
});
