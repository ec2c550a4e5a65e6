/** The tenant model: record defaults, state consistency, mutations and their change events, seeds. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applySeed } from '../../sim/seed/seed.js';
import { Cloud } from '../../sim/tenant/cloud.js';
import { TenantError } from '../../sim/tenant/errors.js';
import type { TenantEvent } from '../../sim/tenant/events.js';
import { isObjectId } from '../../sim/tenant/object-id.js';
import type { Tenant } from '../../sim/tenant/tenant.js';

function fresh(): Tenant {
  return new Cloud().createOrganization({ displayName: 'Test Org' });
}

function record(tenant: Tenant): TenantEvent[] {
  const events: TenantEvent[] = [];
  tenant.on((e) => {
    events.push(e);
  });
  return events;
}

describe('system users', () => {
  test('a new user gets every field, a 24-hex id, consistent state fields and increasing unix ids', () => {
    const t = fresh();
    const a = t.createUser({ username: 'ann', email: 'ann@example.com' });
    const b = t.createUser({ username: 'bob', email: 'bob@example.com', state: 'STAGED', activated: true });
    const c = t.createUser({ username: 'cid', email: 'cid@example.com', suspended: true });
    assert.ok(isObjectId(a._id));
    assert.equal(a.state, 'ACTIVATED');
    assert.equal(a.activated, true);
    assert.equal(a.suspended, false);
    assert.equal(b.state, 'STAGED');
    assert.equal(b.activated, false, 'a STAGED user is never activated');
    assert.equal(c.state, 'SUSPENDED');
    assert.equal(c.suspended, true);
    assert.deepEqual([a.unix_uid, b.unix_uid, c.unix_uid], [5001, 5002, 5003]);
    assert.deepEqual(a.mfa, { configured: false, exclusion: false, exclusionUntil: null, exclusionDays: null });
    assert.equal(a.employeeIdentifier, null);
    assert.ok(a._id < b._id && b._id < c._id, 'ids sort in creation order');
  });

  test('TOTP implies a configured MFA; phone numbers and addresses get ids', () => {
    const t = fresh();
    const u = t.createUser({ username: 'x', email: 'x@example.com', totp_enabled: true, phoneNumbers: [{ number: '+1 555 0100' }], addresses: [{ locality: 'Denver' }] });
    assert.equal(u.mfa.configured, true);
    assert.ok(isObjectId(u.phoneNumbers[0]!.id));
    assert.equal(u.phoneNumbers[0]!.type, 'work');
    assert.equal(u.addresses[0]!.locality, 'Denver');
    assert.equal(u.addresses[0]!.poBox, '');
  });

  test('username, email and employeeIdentifier are unique; bad input is refused', () => {
    const t = fresh();
    t.createUser({ username: 'a', email: 'a@example.com', employeeIdentifier: 'E1' });
    assert.throws(() => t.createUser({ username: 'a', email: 'b@example.com' }), (e: unknown) => e instanceof TenantError && e.code === 'conflict');
    assert.throws(() => t.createUser({ username: 'b', email: 'a@example.com' }), /email/);
    assert.throws(() => t.createUser({ username: 'c', email: 'c@example.com', employeeIdentifier: 'E1' }), /employeeIdentifier/);
    assert.throws(() => t.createUser({ username: '', email: 'd@example.com' }), (e: unknown) => e instanceof TenantError && e.code === 'invalid');
    assert.throws(() => t.createUser({ username: 'd', email: 'not-an-email' }), /email/);
    assert.throws(() => t.createUser({ username: 'd', email: 'd@example.com', manager: '0123456789abcdef01234567' }), /manager/);
  });

  test('suspend, activate, update and delete emit typed events with copies of the record', () => {
    const t = fresh();
    const events = record(t);
    const g = t.createGroup({ name: 'G' });
    const u = t.createUser({ username: 'u', email: 'u@example.com', state: 'STAGED' });
    const app = t.createApp({ displayLabel: 'App' });
    t.addMember(g.id, u._id);
    t.bindGroup(app._id, g.id);
    events.length = 0;

    t.activateUser(u._id);
    t.suspendUser(u._id);
    t.suspendUser(u._id); // no change, no event
    t.updateUser(u._id, { state: 'ACTIVATED', firstname: 'Una', department: 'IT' });
    t.updateUser(u._id, { firstname: 'Una' }); // no change, no event
    t.deleteUser(u._id);

    assert.deepEqual(
      events.map((e) => e.type),
      ['user.activated', 'user.suspended', 'user.activated', 'user.updated', 'user.deleted'],
    );
    const [activated, suspended, , updated, deleted] = events;
    assert.equal(activated?.type === 'user.activated' && activated.previousState, 'STAGED');
    assert.equal(suspended?.type === 'user.suspended' && suspended.user.suspended, true);
    assert.deepEqual(updated?.type === 'user.updated' && updated.changed, ['firstname', 'department']);
    assert.ok(deleted?.type === 'user.deleted');
    assert.deepEqual(deleted.groupIds, [g.id]);
    assert.deepEqual(deleted.appIds, [app._id]);
    assert.equal(deleted.user.firstname, 'Una');
    assert.ok(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq));
    assert.ok(events.every((e) => e.orgId === t.orgId && !Number.isNaN(Date.parse(e.at))));
    assert.equal(t.graph.members(g.id).size, 0, 'the delete removed the membership');
    assert.throws(() => t.user(u._id), (e: unknown) => e instanceof TenantError && e.status === 404);
    assert.throws(() => t.updateUser(t.createUser({ username: 'v', email: 'v@example.com' })._id, { state: 'STAGED' }), /STAGED/);
  });
});

describe('groups, apps and bindings', () => {
  test('group mutations emit group.created, group.renamed, member.added/removed, group.deleted', () => {
    const t = fresh();
    const events = record(t);
    const u = t.createUser({ username: 'u', email: 'u@example.com' });
    const g = t.createGroup({ name: 'Old' });
    assert.equal(t.addMember(g.id, u._id), true);
    assert.equal(t.addMember(g.id, u._id), false, 'already a member');
    t.renameGroup(g.id, 'New');
    t.updateGroup(g.id, { description: 'd' });
    assert.equal(t.removeMember(g.id, u._id), true);
    assert.equal(t.removeMember(g.id, u._id), false);
    t.addMember(g.id, u._id);
    t.deleteGroup(g.id);
    assert.deepEqual(
      events.map((e) => e.type),
      ['user.created', 'group.created', 'member.added', 'group.renamed', 'group.updated', 'member.removed', 'member.added', 'group.deleted'],
    );
    const renamed = events[3]!;
    assert.ok(renamed.type === 'group.renamed' && renamed.previousName === 'Old' && renamed.group.name === 'New');
    const deleted = events[7]!;
    assert.ok(deleted.type === 'group.deleted' && deleted.memberIds[0] === u._id);
    assert.throws(() => t.createGroup({ name: 'X' }) && t.createGroup({ name: 'X' }), /already exists/);
  });

  test('bind and unbind groups and users to apps; effective users carry every path', () => {
    const t = fresh();
    const events = record(t);
    const u1 = t.createUser({ username: 'u1', email: 'u1@example.com' });
    const u2 = t.createUser({ username: 'u2', email: 'u2@example.com' });
    const g = t.createGroup({ name: 'G' });
    t.addMember(g.id, u1._id);
    const app = t.createApp({ displayLabel: 'My App' });
    events.length = 0;
    assert.equal(t.bindGroup(app._id, g.id, { ldapGroups: [{ name: 'G' }] }), true);
    assert.equal(t.bindGroup(app._id, g.id, { ldapGroups: [{ name: 'G' }] }), false);
    t.bindUser(app._id, u1._id);
    t.bindUser(app._id, u2._id);
    const users = t.appUsers(app._id);
    assert.deepEqual(
      users.map((e) => [e.userId, e.paths.map((p) => p.via)]),
      [
        [u1._id, ['user_group', 'user']],
        [u2._id, ['user']],
      ],
    );
    assert.deepEqual(t.appsOfUser(u1._id), [app._id]);
    assert.equal(t.canReach(app._id, u2._id), true);
    t.unbindUser(app._id, u2._id);
    t.unbindGroup(app._id, g.id);
    assert.equal(t.canReach(app._id, u2._id), false);
    assert.deepEqual(
      events.map((e) => e.type),
      ['group.bound', 'user.bound', 'user.bound', 'user.unbound', 'group.unbound'],
    );
    const bound = events[0]!;
    assert.ok(bound.type === 'group.bound' && bound.appId === app._id && bound.groupId === g.id);
    assert.deepEqual(bound.attributes, { ldapGroups: [{ name: 'G' }] });
  });

  test('an app: template, unique slug, 5-year certificate from its creation, regeneration', () => {
    const t = fresh();
    const events = record(t);
    const app = t.createApp({ name: 'aws-sso', displayLabel: 'AWS', created: '2021-10-29T17:59:00.448Z' });
    assert.equal(app.slug, 'aws');
    assert.equal(app.displayName, 'AWS SSO');
    assert.match(app.logoUrl, /application-icon-aws-sso\.png$/);
    assert.equal(app.cert.notAfter, '2026-10-29T17:58:59.000Z', 'as recorded: created 17:59:00.448Z expires 17:58:59.000Z five years on');
    assert.equal(app.cert.generation, 1);
    assert.equal(app.saml.signResponse, true);
    assert.equal(app.saml.signAssertion, false);
    assert.equal(t.createApp({ displayLabel: 'AWS' }).slug, 'aws-2');
    assert.throws(() => t.createApp({ displayLabel: 'x', slug: 'aws' }), /slug/);
    assert.equal(t.appBySlug('aws')?._id, app._id);

    const at = new Date('2030-01-01T00:00:00.250Z');
    t.clock = () => at;
    const again = t.regenerateAppCert(app._id);
    assert.equal(again.cert.generation, 2);
    assert.equal(again.cert.notBefore, '2029-12-31T23:59:59.000Z');
    assert.equal(again.cert.notAfter, '2034-12-31T23:59:59.000Z');
    const last = events.at(-1)!;
    assert.ok(last.type === 'app.cert_regenerated' && last.previousGeneration === 1 && last.app.cert.generation === 2);
  });

  test('recorded certificate PEMs land on the app, unless its certificate was regenerated meanwhile', () => {
    const t = fresh();
    const app = t.createApp({ displayLabel: 'Before' });
    assert.equal(app.cert.certificatePem, null);
    const pems = { certificatePem: 'CERT 1', privateKeyPem: 'KEY 1' };
    t.recordCertificate(app._id, app.cert, pems);
    assert.equal(t.app(app._id).cert.certificatePem, 'CERT 1');
    const regenerated = t.regenerateAppCert(app._id);
    assert.equal(regenerated.cert.certificatePem, null, 'a new window has no PEMs until the IdP makes them');
    t.recordCertificate(app._id, app.cert, { certificatePem: 'STALE', privateKeyPem: 'STALE' });
    assert.equal(t.app(app._id).cert.certificatePem, null, 'PEMs of the old window are ignored');
  });

  test('LDAP and RADIUS bindings are kept apart from app bindings', () => {
    const t = fresh();
    const events = record(t);
    const g = t.createGroup({ name: 'G' });
    const ldap = t.createLdapServer({ name: 'LDAP' });
    const radius = t.createRadiusServer({ name: 'Wi-Fi' });
    t.bindServer('ldap_server', ldap.id, 'user_group', g.id);
    t.bindServer('radius_server', radius._id, 'user_group', g.id);
    assert.deepEqual(t.graph.sourcesOf('user_group', g.id, 'application'), []);
    assert.deepEqual(t.graph.sourcesOf('user_group', g.id, 'ldap_server'), [ldap.id]);
    assert.deepEqual(t.graph.counts(), { memberships: 0, appBindings: 0, serverBindings: 2 });
    assert.deepEqual(
      events.slice(-2).map((e) => e.type),
      ['server.bound', 'server.bound'],
    );
  });

  test('admins take built-in or custom roles; roles are unique', () => {
    const t = fresh();
    const role = t.createRole({ name: 'Auditor', scopes: ['users.readonly'] });
    assert.equal(role.isCustom, true);
    assert.deepEqual(role.organizationIds, [t.orgId]);
    const admin = t.createAdmin({ email: 'a@example.com', roleName: 'Read Only' });
    assert.equal(admin.roleName, 'Read Only');
    assert.equal(admin.role, t.builtInRoles.find((r) => r.name === 'Read Only')!.id);
    const updated = t.updateAdmin(admin._id, { roleName: 'Auditor', enableMultiFactor: true });
    assert.equal(updated.role, role.id);
    assert.throws(() => t.createAdmin({ email: 'b@example.com', roleName: 'Nope' }), /no role/);
    assert.throws(() => t.createRole({ name: 'Administrator', scopes: [] }), /already exists/);
    assert.throws(() => t.deleteRole(role.id), /still held/);
    assert.equal(t.roles().length, 9);
  });
});

describe('listeners', () => {
  test('a throwing listener does not undo the change nor stop other listeners; unsubscribe works', () => {
    const t = fresh();
    const errors: string[] = [];
    t.events.onListenerError = (error) => errors.push((error as Error).message);
    t.on(() => {
      throw new Error('boom');
    });
    const seen: string[] = [];
    const off = t.on('group.created', (e) => {
      seen.push(e.group.name);
    });
    t.createGroup({ name: 'A' });
    off();
    t.createGroup({ name: 'B' });
    assert.deepEqual(seen, ['A']);
    assert.deepEqual(errors, ['boom', 'boom']);
    assert.equal(t.groups.size, 2);
    assert.deepEqual(
      t.history().map((e) => e.type),
      ['group.created', 'group.created'],
    );
  });
});

describe('seeds', () => {
  test('the demo seed: 20 users (2 STAGED, 2 SUSPENDED), 4 groups, 3 apps, LDAP and RADIUS bindings, 2 admins, 2 roles', () => {
    const t = fresh();
    const events = record(t);
    applySeed(t, 'demo');
    const users = t.users.list();
    assert.equal(users.length, 20);
    assert.equal(users.filter((u) => u.state === 'STAGED').length, 2);
    assert.equal(users.filter((u) => u.state === 'SUSPENDED').length, 2);
    assert.ok(users.every((u) => u.suspended === (u.state === 'SUSPENDED') && (u.state !== 'STAGED' || !u.activated)));
    assert.ok(users.some((u) => u.password_expired));
    assert.ok(users.some((u) => u.totp_enabled) && users.some((u) => !u.mfa.configured));
    assert.ok(users.some((u) => u.manager !== null && u.phoneNumbers.length > 0 && u.addresses.length > 0));
    assert.ok(users.some((u) => u.attributes.length > 0 && u.alternateEmail !== null) || users.some((u) => u.attributes.length > 0));
    assert.ok(users.some((u) => u.recoveryEmail !== null));
    assert.equal(t.groups.size, 4);
    assert.equal(t.apps.size, 3);
    assert.ok(t.apps.list().every((a) => a.logoUrl.startsWith('https://') && a.sso.type === 'saml'));
    assert.deepEqual(t.graph.counts(), { memberships: 38, appBindings: 5, serverBindings: 2 });
    assert.equal(t.admins.size, 2);
    assert.ok(t.admins.list().some((a) => !a.enableMultiFactor && !a.totpEnrolled));
    assert.equal(t.customRoles.size, 2);
    assert.deepEqual(
      events.map((e) => e.type),
      ['tenant.seeded'],
      'a seed emits one event',
    );
  });

  test('seeds are deterministic: same seed, same ids; another seed number, other data', () => {
    const a = fresh();
    const b = fresh();
    applySeed(a, 'demo');
    applySeed(b, 'demo');
    assert.deepEqual(
      a.users.list().map((u) => u._id),
      b.users.list().map((u) => u._id),
    );
    applySeed(a, { users: 300, groups: 5, apps: 2, seed: 7 });
    applySeed(b, { users: 300, groups: 5, apps: 2, seed: 7 });
    assert.deepEqual(a.users.list(), b.users.list());
    assert.deepEqual(a.counts(), b.counts());
    applySeed(b, { users: 300, groups: 5, apps: 2, seed: 8 });
    assert.notDeepEqual(
      a.users.list().map((u) => u.username),
      b.users.list().map((u) => u.username),
    );
  });

  test('a scale seed: All Users holds everyone, every user is in one or two other groups, app 1 reaches all', () => {
    const t = fresh();
    applySeed(t, { users: 1000, groups: 6, apps: 3 });
    const [all] = t.groups.list();
    assert.equal(all?.name, 'All Users');
    assert.equal(t.graph.members(all!.id).size, 1000);
    for (const u of t.users.list().slice(0, 50)) assert.ok([2, 3].includes(t.graph.groupsOf(u._id).size));
    assert.equal(t.appUsers(t.apps.list()[0]!._id).length, 1000);
    const staged = t.users.list().filter((u) => u.state === 'STAGED').length;
    assert.ok(staged > 20 && staged < 90, `about 5% STAGED, got ${staged}`);
  });
});
