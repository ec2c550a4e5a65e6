/** The association graph over the console API: bindings, effective access, membership, mutations. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { TenantEvent } from '../../sim/tenant/events.js';
import { call } from './helpers.js';

type Rec = Record<string, unknown>;

let sim: Simulator;
let ids: { portal: string; aws: string; slack: string; engineering: string; sales: string; all: string; contractors: string; rosa: string; quentin: string; ldap: string; radius: string };

before(async () => {
  sim = await startSimulator({ seed: 'demo' });
  const t = sim.tenant;
  ids = {
    portal: t.appBySlug('acme-portal')!._id,
    aws: t.appBySlug('aws-sso')!._id,
    slack: t.appBySlug('slack-acme')!._id,
    engineering: t.groupByName('Engineering')!.id,
    sales: t.groupByName('Sales')!.id,
    all: t.groupByName('All Users')!.id,
    contractors: t.groupByName('Contractors')!.id,
    rosa: t.userByUsername('rosa.rossi')!._id,
    quentin: t.userByUsername('quentin.quinn')!._id,
    ldap: t.ldapServers.list()[0]!.id,
    radius: t.radiusServers.list()[0]!._id,
  };
});
after(async () => {
  await sim?.stop();
});

async function list(path: string): Promise<{ items: Rec[]; total: number; status: number; body: unknown }> {
  const answer = await call(sim, path);
  return { items: Array.isArray(answer.body) ? (answer.body as Rec[]) : [], total: Number(answer.headers.get('x-total-count')), status: answer.status, body: answer.body };
}

describe('application associations', () => {
  test('targets is required and checked', async () => {
    const missing = await list(`/api/v2/applications/${ids.portal}/associations`);
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body, { message: 'Bad Request: request parameter "targets" is required' });
    assert.equal((await list(`/api/v2/applications/${ids.portal}/associations?targets=ldap_server`)).status, 400);
    assert.equal((await list(`/api/v2/applications/0123456789abcdef01234567/associations?targets=user`)).status, 404);
  });

  test('direct bindings as GraphConnection, per target type', async () => {
    const groups = await list(`/api/v2/applications/${ids.portal}/associations?targets=user_group`);
    assert.equal(groups.status, 200);
    assert.equal(groups.total, 2);
    assert.deepEqual(groups.items, [
      { attributes: null, to: { attributes: null, id: ids.engineering, type: 'user_group' } },
      { attributes: null, to: { attributes: null, id: ids.sales, type: 'user_group' } },
    ]);
    const users = await list(`/api/v2/applications/${ids.portal}/associations?targets=user`);
    assert.deepEqual(users.items.map((c) => (c.to as Rec).id), [ids.rosa]);
    assert.equal((await list(`/api/v2/applications/${ids.portal}/associations?targets=user,user_group`)).total, 3);
    assert.equal((await list(`/api/v2/applications/${ids.portal}/associations?targets=agent_group`)).total, 0);
  });

  test('effective users: every way in, with paths; includes STAGED and SUSPENDED users (callers filter)', async () => {
    const users = await list(`/api/v2/applications/${ids.portal}/users?limit=100`);
    const engineering = sim.tenant.membersOf(ids.engineering);
    const sales = sim.tenant.membersOf(ids.sales);
    const expected = new Set([...engineering, ...sales, ids.rosa]);
    assert.equal(users.total, expected.size);
    assert.deepEqual(new Set(users.items.map((u) => u.id)), expected);
    assert.ok(users.items.some((u) => u.id === ids.quentin), 'a STAGED user stays bound');
    const hana = users.items.find((u) => u.id === sim.tenant.userByUsername('hana.hoshino')!._id)!;
    assert.equal((hana.paths as unknown[]).length, 2, 'member of two bound groups: two paths');
    const rosa = users.items.find((u) => u.id === ids.rosa)!;
    assert.deepEqual(rosa, { id: ids.rosa, type: 'user', compiledAttributes: null, paths: [[{ attributes: null, to: { attributes: null, id: ids.rosa, type: 'user' } }]] });
    const viaGroup = users.items.find((u) => u.id === engineering[0])!;
    assert.deepEqual((viaGroup.paths as Rec[][])[0]!.map((hop) => (hop.to as Rec).type), ['user_group', 'user']);
  });

  test('effective user groups', async () => {
    const groups = await list(`/api/v2/applications/${ids.portal}/usergroups`);
    assert.deepEqual(groups.items.map((g) => [g.id, g.type]), [
      [ids.engineering, 'user_group'],
      [ids.sales, 'user_group'],
    ]);
  });

  test('binding attributes show on the hop and in compiledAttributes', async () => {
    sim.tenant.bindGroup(ids.aws, ids.engineering, { ldapGroups: [{ name: 'Engineering' }], Hello: 'World' });
    const users = await list(`/api/v2/applications/${ids.aws}/users`);
    const first = users.items[0]!;
    assert.deepEqual(first.compiledAttributes, { ldapGroups: [{ name: 'Engineering' }], Hello: 'World' });
    assert.deepEqual(((first.paths as Rec[][])[0]![0]!.to as Rec).attributes, { ldapGroups: [{ name: 'Engineering' }], Hello: 'World' });
    sim.tenant.bindGroup(ids.aws, ids.engineering, null);
  });

  test('POST associations {op,type,id} → 204, through the tenant (events)', async () => {
    const events: TenantEvent[] = [];
    const off = sim.tenant.on((e) => {
      events.push(e);
    });
    try {
      const add = await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'add', type: 'user_group', id: ids.contractors } });
      assert.equal(add.status, 204);
      assert.equal(add.text, '');
      const addUser = await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'add', type: 'user', id: ids.quentin } });
      assert.equal(addUser.status, 204);
      assert.equal((await list(`/api/v2/applications/${ids.slack}/associations?targets=user_group`)).total, 2);
      const remove = await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'remove', type: 'user_group', id: ids.contractors } });
      assert.equal(remove.status, 204);
      await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'remove', type: 'user', id: ids.quentin } });
      assert.deepEqual(
        events.map((e) => e.type),
        ['group.bound', 'user.bound', 'group.unbound', 'user.unbound'],
      );
      const bound = events[0]!;
      assert.ok(bound.type === 'group.bound' && bound.appId === ids.slack && bound.groupId === ids.contractors);
      assert.equal((await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'add', type: 'user_group' } })).status, 400);
      assert.equal((await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'add', type: 'user_group', id: '0123456789abcdef01234567' } })).status, 404);
      assert.equal((await call(sim, `/api/v2/applications/${ids.slack}/associations`, { method: 'POST', body: { op: 'bind', type: 'user_group', id: ids.sales } })).status, 400);
    } finally {
      off();
    }
  });
});

describe('user groups and users', () => {
  test('members (GraphConnection), membership (GraphObjectWithPaths) and memberof', async () => {
    const members = await list(`/api/v2/usergroups/${ids.contractors}/members`);
    assert.equal(members.total, 3);
    assert.deepEqual(members.items[0], { attributes: null, to: { attributes: null, id: ids.rosa, type: 'user' } });
    const membership = await list(`/api/v2/usergroups/${ids.contractors}/membership?filter=type:eq:user`);
    assert.equal(membership.total, 3);
    assert.deepEqual(Object.keys(membership.items[0]!), ['id', 'type', 'compiledAttributes', 'paths']);
    assert.equal((await list(`/api/v2/usergroups/${ids.contractors}/membership?filter=object_id:eq:${ids.rosa}`)).total, 1);
    assert.equal((await list(`/api/v2/usergroups/${ids.contractors}/membership?filter=type:eq:user_group`)).total, 0);
    const memberof = await list(`/api/v2/users/${ids.rosa}/memberof`);
    assert.deepEqual(new Set(memberof.items.map((g) => g.id)), new Set([ids.all, ids.contractors]));
    assert.ok(memberof.items.every((g) => g.type === 'user_group'));
    assert.equal((await list(`/api/v2/users/0123456789abcdef01234567/memberof`)).status, 404);
    assert.equal((await list(`/api/v2/usergroups/${ids.contractors}`)).status, 200);
  });

  test('POST usergroups/:id/members {op,type:user,id} → 204 and member events', async () => {
    const events: TenantEvent[] = [];
    const off = sim.tenant.on((e) => {
      events.push(e);
    });
    try {
      assert.equal((await call(sim, `/api/v2/usergroups/${ids.sales}/members`, { method: 'POST', body: { op: 'add', type: 'user', id: ids.rosa } })).status, 204);
      assert.ok(sim.tenant.membersOf(ids.sales).includes(ids.rosa));
      assert.equal((await call(sim, `/api/v2/usergroups/${ids.sales}/members`, { method: 'POST', body: { op: 'remove', type: 'user', id: ids.rosa } })).status, 204);
      assert.deepEqual(
        events.map((e) => e.type),
        ['member.added', 'member.removed'],
      );
      assert.equal((await call(sim, `/api/v2/usergroups/${ids.sales}/members`, { method: 'POST', body: { op: 'add', type: 'user_group', id: ids.rosa } })).status, 400);
    } finally {
      off();
    }
  });

  test('LDAP and RADIUS bindings appear only where asked for, never among applications', async () => {
    const ldap = await list(`/api/v2/usergroups/${ids.engineering}/associations?targets=ldap_server`);
    assert.deepEqual(ldap.items, [{ attributes: null, to: { attributes: null, id: ids.ldap, type: 'ldap_server' } }]);
    const radius = await list(`/api/v2/usergroups/${ids.all}/associations?targets=radius_server`);
    assert.deepEqual(radius.items.map((c) => (c.to as Rec).type), ['radius_server']);
    const apps = await list(`/api/v2/usergroups/${ids.engineering}/associations?targets=application`);
    assert.ok(apps.items.every((c) => (c.to as Rec).type === 'application'));
    assert.deepEqual(new Set(apps.items.map((c) => (c.to as Rec).id)), new Set([ids.aws, ids.portal]));
    assert.equal((await list(`/api/v2/usergroups/${ids.engineering}/associations`)).status, 400);
    for (const app of [ids.aws, ids.slack, ids.portal]) {
      const all = await list(`/api/v2/applications/${app}/associations?targets=user_group,user`);
      assert.ok(all.items.every((c) => ['user_group', 'user'].includes((c.to as Rec).type as string)));
    }
    assert.deepEqual((await list(`/api/v2/ldapservers/${ids.ldap}/usergroups`)).items.map((g) => g.id), [ids.engineering]);
    assert.equal((await list(`/api/v2/radiusservers/${ids.radius}/users?limit=100`)).total, 20);
  });

  test('applications of a group and of a user, with paths', async () => {
    const groupApps = await list(`/api/v2/usergroups/${ids.engineering}/applications`);
    assert.deepEqual(new Set(groupApps.items.map((a) => a.id)), new Set([ids.aws, ids.portal]));
    const rosaApps = await list(`/api/v2/users/${ids.rosa}/applications`);
    assert.deepEqual(new Set(rosaApps.items.map((a) => a.id)), new Set([ids.slack, ids.portal]));
    const portal = rosaApps.items.find((a) => a.id === ids.portal)!;
    assert.equal((portal.paths as unknown[]).length, 1, 'bound directly only');
    const assoc = await list(`/api/v2/users/${ids.rosa}/associations?targets=application`);
    assert.deepEqual(assoc.items.map((c) => (c.to as Rec).id), [ids.portal]);
  });
});
