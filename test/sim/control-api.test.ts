/** The simulator's control API under /sim: seed, mutate (through the tenant, so with events), inspect. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { call, type V1List } from './helpers.js';

type Rec = Record<string, unknown>;

let sim: Simulator;

before(async () => {
  sim = await startSimulator({ seed: 'none' });
});
after(async () => {
  await sim?.stop();
});

async function control(path: string, method = 'GET', body?: unknown): Promise<{ status: number; body: Rec }> {
  const response = await fetch(`${sim.consoleUrl}/sim${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Rec) };
}

describe('control API', () => {
  test('GET /sim tells the ready line, organizations and keys', async () => {
    const info = await control('');
    assert.equal(info.status, 200);
    assert.equal(info.body.consoleUrl, sim.consoleUrl);
    assert.equal(info.body.apiKey, sim.apiKey);
    assert.equal(info.body.orgId, sim.orgId);
    assert.equal((info.body.organizations as Rec[]).length, 1);
  });

  test('POST /sim/seed reseeds (demo, none, sizes) and refuses nonsense', async () => {
    const demo = await control('/seed', 'POST', { seed: 'demo' });
    assert.equal(demo.status, 200);
    assert.equal((demo.body.counts as Rec).users, 20);
    const sized = await control('/seed', 'POST', { seed: { users: 40, groups: 3, apps: 2 } });
    assert.deepEqual([(sized.body.counts as Rec).users, (sized.body.counts as Rec).groups, (sized.body.counts as Rec).apps], [40, 3, 2]);
    assert.equal(((await call(sim, '/api/systemusers')).body as V1List).totalCount, 40);
    assert.equal((await control('/seed', 'POST', { seed: 'lots' })).status, 400);
    assert.equal((await control('/seed', 'POST', { seed: { users: -1 } })).status, 400);
    const none = await control('/seed', 'POST', { seed: 'none' });
    assert.equal((none.body.counts as Rec).users, 0);
  });

  test('mutations go through the tenant and show in the console API and the event feed', async () => {
    const start = (await control('/state')).body.lastEventSeq as number;
    const user = await control('/users', 'POST', { username: 'zed', email: 'zed@example.com', firstname: 'Zed', state: 'STAGED' });
    assert.equal(user.status, 201);
    const userId = user.body._id as string;
    const group = await control('/groups', 'POST', { name: 'Ops' });
    const groupId = group.body.id as string;
    const app = await control('/apps', 'POST', { displayLabel: 'Ops Portal', saml: { acsUrl: 'https://sp.example/acs', spEntityId: 'https://sp.example' } });
    assert.equal(app.status, 201);
    const appId = app.body._id as string;
    assert.equal((await control(`/groups/${groupId}/members/${userId}`, 'PUT')).status, 204);
    assert.equal((await control(`/apps/${appId}/groups/${groupId}`, 'PUT', { attributes: { ldapGroups: [{ name: 'Ops' }] } })).status, 204);
    assert.equal((await control(`/users/${userId}/activate`, 'POST')).status, 200);
    assert.equal((await control(`/users/${userId}`, 'PATCH', { department: 'Ops', jobTitle: 'SRE' })).body.department, 'Ops');
    assert.equal((await control(`/users/${userId}/suspend`, 'POST')).body.state, 'SUSPENDED');
    assert.equal((await control(`/groups/${groupId}`, 'PATCH', { name: 'Operations' })).body.name, 'Operations');
    const regenerated = await control(`/apps/${appId}/regenerate-cert`, 'POST');
    assert.equal((regenerated.body.cert as Rec).generation, 2);
    assert.equal((await control(`/apps/${appId}/users/${userId}`, 'PUT')).status, 204);
    assert.equal((await control(`/apps/${appId}/users/${userId}`, 'DELETE')).status, 204);
    assert.equal((await control(`/apps/${appId}/groups/${groupId}`, 'DELETE')).status, 204);
    assert.equal((await control(`/groups/${groupId}/members/${userId}`, 'DELETE')).status, 204);

    const seen = await call(sim, `/api/systemusers/${userId}`);
    assert.equal((seen.body as Rec).state, 'SUSPENDED');
    assert.equal((seen.body as Rec).jobTitle, 'SRE');

    const ldap = await control('/ldap-servers', 'POST', { name: 'LDAP' });
    assert.equal((await control(`/servers/ldap_server/${ldap.body.id as string}/user_group/${groupId}`, 'PUT')).status, 204);
    assert.equal((await control(`/servers/ftp_server/${ldap.body.id as string}/user_group/${groupId}`, 'PUT')).status, 400);
    const role = await control('/roles', 'POST', { name: 'Auditor', scopes: ['users.readonly'] });
    const admin = await control('/admins', 'POST', { email: 'ops@example.com', roleName: 'Auditor' });
    assert.equal(admin.status, 201);
    assert.equal((await control(`/admins/${admin.body._id as string}`, 'PATCH', { enableMultiFactor: true })).body.enableMultiFactor, true);
    assert.equal((await control(`/admins/${admin.body._id as string}`, 'DELETE')).status, 204);
    assert.equal((await control(`/roles/${role.body.id as string}`, 'DELETE')).status, 204);

    assert.equal((await control(`/groups/${groupId}`, 'DELETE')).status, 204);
    assert.equal((await control(`/users/${userId}`, 'DELETE')).status, 204);
    assert.equal((await control(`/apps/${appId}`, 'DELETE')).status, 204);

    const events = (await control(`/events?after=${start}`)).body.events as Rec[];
    assert.deepEqual(
      events.map((e) => e.type),
      [
        'user.created',
        'group.created',
        'app.created',
        'member.added',
        'group.bound',
        'user.activated',
        'user.updated',
        'user.suspended',
        'group.renamed',
        'app.cert_regenerated',
        'user.bound',
        'user.unbound',
        'group.unbound',
        'member.removed',
        'server.bound',
        'role.created',
        'admin.created',
        'admin.updated',
        'admin.deleted',
        'role.deleted',
        'group.deleted',
        'user.deleted',
        'app.deleted',
      ],
    );
  });

  test('errors: 404 unknown, 409 conflict, 400 invalid; inspection of stored state', async () => {
    assert.deepEqual((await control('/users/0123456789abcdef01234567/suspend', 'POST')).body, { error: { code: 'not_found', message: 'no system user has id 0123456789abcdef01234567' } });
    await control('/users', 'POST', { username: 'dup', email: 'dup@example.com' });
    assert.equal((await control('/users', 'POST', { username: 'dup', email: 'other@example.com' })).status, 409);
    assert.equal((await control('/users', 'POST', { email: 'x@example.com' })).status, 400);
    assert.equal((await control('/nothing')).status, 404);
    const users = await control('/state/users?limit=1');
    assert.equal(users.body.total, 1);
    assert.equal(((users.body.items as Rec[])[0]!).username, 'dup');
    assert.equal((await control('/state/nothing')).status, 404);
    const dup = (users.body.items as Rec[])[0]!;
    const detail = await control(`/users/${dup._id as string}`);
    assert.deepEqual(detail.body.groupIds, []);
  });

  test('organizations and API keys for multi-tenant tests', async () => {
    const org = await control('/organizations', 'POST', { displayName: 'Delta', seed: { users: 3, groups: 1, apps: 0 } });
    assert.equal(org.status, 201);
    const orgId = org.body.orgId as string;
    const key = await control('/api-keys', 'POST', { orgIds: [sim.orgId, orgId] });
    assert.equal(key.status, 201);
    assert.equal(key.body.multiTenant, true);
    const users = await call(sim, '/api/systemusers', { apiKey: key.body.key as string, headers: { 'x-org-id': orgId } });
    assert.equal((users.body as V1List).totalCount, 3);
    assert.equal((await control(`/state?org=${orgId}`)).body.orgId, orgId);
    assert.equal((await control(`/api-keys/${key.body.key as string}`, 'DELETE')).status, 204);
    assert.equal((await call(sim, '/api/systemusers', { apiKey: key.body.key as string, headers: { 'x-org-id': orgId } })).status, 401);
    assert.equal((await control('/api-keys', 'POST', { orgIds: ['0123456789abcdef01234567'] })).status, 404);
  });
});
