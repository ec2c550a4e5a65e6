/**
 * End to end: the simulator's JumpCloud SCIM connector drives a real started Gatehouse (SQLite and
 * PostgreSQL); every outcome is checked through Gatehouse's admin API (directory users, groups, members,
 * events), never through the connector's own view.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectorSettingsInput } from '../../sim/connector/settings.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { SystemUser } from '../../sim/tenant/types.js';
import { dialects } from '../support/databases.js';
import { adminClient, scimClient, startTestServer, type TestServer } from '../support/server.js';
import { FaultProxy } from './fault-proxy.js';

interface DirectoryUser {
  id: string;
  externalId: string | null;
  userName: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  state: 'active' | 'inactive';
  groups: { id: string; name: string }[];
  raw: Record<string, any>;
}
interface DirectoryGroup {
  id: string;
  externalId: string | null;
  name: string;
  memberCount: number;
}
interface GatehouseEvent {
  id: string;
  type: string;
  data: Record<string, any>;
  previous?: Record<string, any>;
}

for (const dialect of dialects) {
  describe(`JumpCloud SCIM connector → Gatehouse (${dialect})`, () => {
    let server: TestServer;
    let admin: ReturnType<typeof adminClient>;
    let orgId: string;
    let sim: Simulator;
    let proxy: FaultProxy;
    let n = 0;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect), startSimulator({ seed: 'none' })]);
      admin = adminClient(server);
      orgId = (await admin.organization('Acme')).id;
      proxy = await new FaultProxy(server.url).start();
    });
    after(async () => {
      await sim?.stop();
      await proxy?.stop();
      await server?.close();
    });

    const list = <T>(path: string) => admin.all<T>(path);

    /**
     * One scenario's world: a new Gatehouse directory, a new JumpCloud app whose connector points at it
     * (directly, or through the fault proxy), and helpers to read Gatehouse back.
     */
    async function world(options: { viaProxy?: boolean; settings?: Partial<ConnectorSettingsInput>; connect?: boolean; directorySettings?: Record<string, unknown> } = {}) {
      const k = ++n;
      const dir = await admin.directory(orgId, 'jumpcloud');
      if (options.directorySettings) {
        const changed = await admin.call('PATCH', `/directories/${dir.id}`, { settings: options.directorySettings });
        assert.equal(changed.status, 200, JSON.stringify(changed.body));
      }
      const app = sim.tenant.createApp({ displayLabel: `Gatehouse ${k}` });
      const endpoint = options.viaProxy ? dir.scim.endpoint.replace(server.url, proxy.url) : dir.scim.endpoint;
      const settings: ConnectorSettingsInput = { baseUrl: endpoint, token: dir.scim.token, testUserEmail: `scim-test-${k}@acme.example`, retry: { backoffMs: 20 }, ...options.settings };
      const w = {
        k,
        dir,
        app,
        settings,
        scim: scimClient(dir.scim.endpoint, dir.scim.token),
        connect: async (extra: Partial<ConnectorSettingsInput> = {}) => {
          const result = await sim.connectors.configure(app._id, { ...settings, ...extra });
          await sim.connectors.idle(app._id);
          return result;
        },
        idle: () => sim.connectors.idle(app._id),
        user: (name: string, extra: Partial<SystemUser> = {}) =>
          sim.tenant.createUser({ username: `${name}.${k}`, email: `${name}.${k}@acme.example`, firstname: name[0]!.toUpperCase() + name.slice(1), lastname: `Test${k}`, ...extra }),
        group: (name: string) => sim.tenant.createGroup({ name: `${name} ${k}` }),
        users: () => list<DirectoryUser>(`/directories/${dir.id}/users`),
        userNamed: async (name: string) => (await list<DirectoryUser>(`/directories/${dir.id}/users`)).find((u) => u.userName === `${name}.${k}`),
        groups: () => list<DirectoryGroup>(`/directories/${dir.id}/groups`),
        members: async (groupId: string) => (await list<DirectoryUser>(`/directories/${dir.id}/groups/${groupId}/members`)).map((u) => u.userName).sort(),
        events: (after?: string) => list<GatehouseEvent>(`/events?directory=${dir.id}${after ? `&after=${after}` : ''}`),
        /** the events after the last one seen so far (call once to set the mark) */
        eventsSince: async (mark: { last?: string }) => {
          const events = await list<GatehouseEvent>(`/events?directory=${dir.id}${mark.last ? `&after=${mark.last}` : ''}`);
          if (events.length > 0) mark.last = events.at(-1)!.id;
          return events;
        },
      };
      if (options.connect !== false) {
        const result = await w.connect();
        assert.equal(result.ok, true, JSON.stringify(result.test));
      }
      return w;
    }

    const types = (events: GatehouseEvent[]) => events.map((e) => e.type);
    const who = (events: GatehouseEvent[], type: string) =>
      events
        .filter((e) => e.type === type)
        .map((e) => (e.data.user?.userName ?? e.data.userName ?? e.data.name) as string)
        .sort();

    it('Test Connection creates and deletes a test user and group, leaving no residue; a taken test e-mail fails with 409', async () => {
      const w = await world();
      assert.deepEqual(await w.users(), []);
      assert.deepEqual(await w.groups(), []);
      const events = (await w.events()).filter((e) => e.type !== 'directory.created');
      assert.deepEqual(types(events), ['user.created', 'group.created', 'group.deleted', 'user.deleted']);
      assert.equal(events[0]!.data.userName, `scim-test-${w.k}@acme.example`);
      assert.match(events[0]!.data.externalId, /^[0-9a-f]{24}$/);

      // the test e-mail already exists in Gatehouse → POST /Users answers 409 → the test fails, nothing is pushed
      const taken = await w.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `scim-test-${w.k}@acme.example` });
      assert.equal(taken.status, 201);
      const result = await w.connect();
      assert.equal(result.ok, false);
      assert.deepEqual([result.test.failure?.step, result.test.failure?.status], ['createUser', 409]);
      assert.equal(sim.connectors.connector(w.app._id).status, 'failed');
      const u = w.user('ignored');
      sim.tenant.bindUser(w.app._id, u._id);
      await w.idle();
      assert.deepEqual((await w.users()).map((x) => x.userName), [`scim-test-${w.k}@acme.example`]);
    });

    it('binding a group pushes it with its ACTIVATED members (not STAGED); members, suspension, rename and removal follow', async () => {
      const w = await world();
      const mark: { last?: string } = {};
      await w.eventsSince(mark);
      const alice = w.user('alice', { displayname: 'Alice A', jobTitle: 'VP', department: 'Engineering', phoneNumbers: [{ id: 'p1', number: '+1 303 555 0101', type: 'work' }] });
      const bob = w.user('bob');
      const stan = w.user('stan', { state: 'STAGED' });
      const eng = w.group('Engineering');
      for (const u of [alice, bob, stan]) sim.tenant.addMember(eng.id, u._id);
      sim.tenant.bindGroup(w.app._id, eng.id);
      await w.idle();

      const users = await w.users();
      assert.deepEqual(users.map((u) => u.userName).sort(), [`alice.${w.k}`, `bob.${w.k}`]);
      const a = users.find((u) => u.userName === `alice.${w.k}`)!;
      assert.deepEqual([a.externalId, a.email, a.firstName, a.state], [alice._id, `alice.${w.k}@acme.example`, 'Alice', 'active']);
      assert.equal(a.raw.title, 'VP');
      assert.deepEqual(a.raw.phoneNumbers, [{ primary: true, type: 'work', value: 'tel:+1-303-555-0101' }]);
      const [group] = await w.groups();
      assert.equal(group!.name, `Engineering ${w.k}`);
      assert.equal(group!.memberCount, 2);
      assert.deepEqual(await w.members(group!.id), [`alice.${w.k}`, `bob.${w.k}`]);
      let events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.created', 'user.created', 'group.created', 'group.user_added', 'group.user_added']);
      assert.deepEqual(who(events, 'group.user_added'), [`alice.${w.k}`, `bob.${w.k}`]);

      // a new member: created, then added
      const carol = w.user('carol');
      sim.tenant.addMember(eng.id, carol._id);
      await w.idle();
      events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.created', 'group.user_added']);
      assert.deepEqual(await w.members(group!.id), [`alice.${w.k}`, `bob.${w.k}`, `carol.${w.k}`]);

      // suspend, reactivate
      sim.tenant.suspendUser(alice._id);
      await w.idle();
      assert.equal((await w.userNamed('alice'))!.state, 'inactive');
      sim.tenant.activateUser(alice._id);
      await w.idle();
      assert.equal((await w.userNamed('alice'))!.state, 'active');
      events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.deactivated', 'user.reactivated']);

      // an attribute change: one full-body PUT → user.updated with the previous value
      sim.tenant.updateUser(bob._id, { lastname: 'Builder' });
      await w.idle();
      events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.updated']);
      assert.equal(events[0]!.previous?.lastName, `Test${w.k}`);
      assert.equal(events[0]!.data.lastName, 'Builder');

      // rename: group.updated with the previous name, members kept
      sim.tenant.renameGroup(eng.id, `Platform ${w.k}`);
      await w.idle();
      events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['group.updated']);
      assert.equal(events[0]!.previous?.name, `Engineering ${w.k}`);
      assert.equal(events[0]!.data.name, `Platform ${w.k}`);
      assert.equal((await w.groups())[0]!.memberCount, 3);

      // removal: user_removed, and bob (no other way to the app) is deactivated
      sim.tenant.removeMember(eng.id, bob._id);
      await w.idle();
      events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['group.user_removed', 'user.deactivated']);
      assert.equal(events[0]!.data.user.userName, `bob.${w.k}`);
      assert.deepEqual(await w.members(group!.id), [`alice.${w.k}`, `carol.${w.k}`]);
      assert.equal((await w.userNamed('stan')), undefined, 'STAGED never pushed');
    });

    it('unbinding a group keeps it, empties it, deactivates members no other bound group keeps', async () => {
      const w = await world();
      const [pat, quinn] = [w.user('pat'), w.user('quinn')];
      const a = w.group('Alpha');
      const b = w.group('Beta');
      sim.tenant.addMember(a.id, pat._id);
      sim.tenant.addMember(a.id, quinn._id);
      sim.tenant.addMember(b.id, quinn._id);
      sim.tenant.bindGroup(w.app._id, a.id);
      sim.tenant.bindGroup(w.app._id, b.id);
      await w.idle();
      const mark: { last?: string } = {};
      await w.eventsSince(mark);

      sim.tenant.unbindGroup(w.app._id, a.id);
      await w.idle();
      const groups = await w.groups();
      const alpha = groups.find((g) => g.name === `Alpha ${w.k}`)!;
      assert.ok(alpha, 'the group is left in place');
      assert.equal(alpha.memberCount, 0);
      assert.equal(groups.find((g) => g.name === `Beta ${w.k}`)!.memberCount, 1);
      assert.equal((await w.userNamed('pat'))!.state, 'inactive');
      assert.equal((await w.userNamed('quinn'))!.state, 'active', 'still in a bound group');
      const events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['group.user_removed', 'group.user_removed', 'user.deactivated']);
      assert.equal(events[2]!.data.userName, `pat.${w.k}`);

      // later changes of the unbound group are not pushed
      sim.tenant.renameGroup(a.id, `Alpha renamed ${w.k}`);
      await w.idle();
      assert.deepEqual(await w.eventsSince(mark), []);
    });

    it('deleting a group in JumpCloud deletes it in Gatehouse; deleting a user deletes it', async () => {
      const w = await world();
      const [rita, sam] = [w.user('rita'), w.user('sam')];
      const g = w.group('Temp');
      sim.tenant.addMember(g.id, rita._id);
      sim.tenant.bindGroup(w.app._id, g.id);
      sim.tenant.bindUser(w.app._id, sam._id);
      await w.idle();
      const mark: { last?: string } = {};
      await w.eventsSince(mark);

      sim.tenant.deleteGroup(g.id);
      await w.idle();
      assert.deepEqual(await w.groups(), []);
      let events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['group.user_removed', 'group.deleted', 'user.deactivated']);
      assert.equal(events[1]!.data.name, `Temp ${w.k}`);

      sim.tenant.deleteUser(sam._id);
      await w.idle();
      events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.deleted']);
      assert.equal(events[0]!.data.userName, `sam.${w.k}`);
      assert.deepEqual((await w.users()).map((u) => u.userName), [`rita.${w.k}`]);
    });

    it('takes over a Gatehouse group of the same displayName, and adopts an existing user by userName', async () => {
      const w = await world();
      const existingGroup = await w.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Design ${w.k}` });
      const existingUser = await w.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `tess.${w.k}`, active: false });
      assert.equal(existingGroup.status, 201);
      assert.equal(existingUser.status, 201);
      const mark: { last?: string } = {};
      await w.eventsSince(mark);
      const tess = w.user('tess');
      const design = w.group('Design');
      sim.tenant.addMember(design.id, tess._id);
      sim.tenant.bindGroup(w.app._id, design.id);
      await w.idle();
      const groups = await w.groups();
      assert.deepEqual(groups.map((g) => g.id), [existingGroup.body.id], 'no second group');
      const users = await w.users();
      assert.deepEqual(users.map((u) => u.id), [existingUser.body.id], 'no second user');
      assert.equal(users[0]!.state, 'active');
      assert.equal(users[0]!.externalId, tess._id);
      assert.deepEqual(await w.members(existingGroup.body.id), [`tess.${w.k}`]);
      const events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.updated', 'user.reactivated', 'group.user_added']);
    });

    it("updateMethod 'patch': updates, suspension and reactivation as PATCH ops", async () => {
      const w = await world({ settings: { updateMethod: 'patch', groupRenameMethod: 'patch' } });
      const uma = w.user('uma');
      const g = w.group('Patchers');
      sim.tenant.addMember(g.id, uma._id);
      sim.tenant.bindGroup(w.app._id, g.id);
      await w.idle();
      const mark: { last?: string } = {};
      await w.eventsSince(mark);
      const seqBefore = sim.connectors.connector(w.app._id).log.lastSeq;

      sim.tenant.updateUser(uma._id, { firstname: 'Umberta', jobTitle: 'Lead' });
      sim.tenant.suspendUser(uma._id);
      sim.tenant.activateUser(uma._id);
      sim.tenant.renameGroup(g.id, `Patched ${w.k}`);
      await w.idle();
      const sent = sim.connectors.requests(w.app._id, { after: seqBefore });
      assert.deepEqual(sent.map((e) => `${e.method} ${e.status}`), ['PATCH 200', 'PATCH 200', 'PATCH 200', 'PATCH 204']);
      assert.deepEqual((sent[0]!.requestBody as any).Operations.map((o: any) => o.path), ['name.givenName', 'title']);
      const events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['user.updated', 'user.deactivated', 'user.reactivated', 'group.updated']);
      assert.equal(events[0]!.previous?.firstName, 'Uma');
      assert.equal((await w.userNamed('uma'))!.raw.title, 'Lead');
      assert.equal(events[3]!.previous?.name, `Patchers ${w.k}`);
    });

    it('options: group externalId, unbind by PUT members [] then DELETE, access-lost deletes, userName from e-mail, SPC read', async () => {
      const w = await world({
        settings: {
          sendGroupExternalId: true,
          unbindStrategy: { removeMembers: 'put', group: 'delete' },
          deleteUserOn: 'access-lost',
          userNameFrom: 'email',
          testReadsServiceProviderConfig: true,
        },
        // yuri is bound directly as well as through the group: losing his last group must not deactivate him
        directorySettings: { orphanedMembers: 'keep' },
      });
      assert.deepEqual(sim.connectors.connector(w.app._id).lastTest!.steps[0], { step: 'serviceProviderConfig', method: 'GET', path: '/ServiceProviderConfig', status: 200, ok: true });
      const [xena, yuri] = [w.user('xena'), w.user('yuri')];
      const g = w.group('Options');
      sim.tenant.addMember(g.id, xena._id);
      sim.tenant.addMember(g.id, yuri._id);
      sim.tenant.bindGroup(w.app._id, g.id);
      sim.tenant.bindUser(w.app._id, yuri._id);
      await w.idle();
      const [group] = await w.groups();
      assert.equal(group!.externalId, g.id);
      assert.deepEqual((await w.users()).map((u) => u.userName).sort(), [`xena.${w.k}@acme.example`, `yuri.${w.k}@acme.example`]);

      // a new e-mail in JumpCloud: the PUT changes userName and email
      sim.tenant.updateUser(yuri._id, { email: `yuri.new.${w.k}@acme.example` });
      await w.idle();
      const yuriNow = (await w.users()).find((u) => u.externalId === yuri._id)!;
      assert.deepEqual([yuriNow.userName, yuriNow.email], [`yuri.new.${w.k}@acme.example`, `yuri.new.${w.k}@acme.example`]);

      const mark: { last?: string } = {};
      await w.eventsSince(mark);
      sim.tenant.unbindGroup(w.app._id, g.id);
      await w.idle();
      const events = await w.eventsSince(mark);
      assert.deepEqual(types(events), ['group.user_removed', 'group.user_removed', 'group.deleted', 'user.deleted']);
      assert.equal(events[3]!.data.externalId, xena._id, 'xena lost access and is deleted; yuri is bound directly');
      assert.deepEqual(await w.groups(), []);
      assert.deepEqual((await w.users()).map((u) => [u.externalId, u.state]), [[yuri._id, 'active']]);
    });

    it('activating a connector on the demo tenant pushes everything bound to the app, and a sync changes nothing', async () => {
      const demo = await startSimulator({ seed: 'demo' });
      try {
        const dir = await admin.directory(orgId, 'jumpcloud');
        const portal = demo.tenant.appBySlug('acme-portal')!;
        const result = await demo.connectors.configure(portal._id, { baseUrl: dir.scim.endpoint, token: dir.scim.token, testUserEmail: 'scim-test@acme.example' });
        assert.equal(result.ok, true);
        await demo.connectors.idle();
        const expected = demo.tenant
          .appUsers(portal._id)
          .map((e) => demo.tenant.user(e.userId))
          .filter((u) => u.state === 'ACTIVATED')
          .map((u) => u.username)
          .sort();
        assert.equal(expected.length, 11);
        const users = await list<DirectoryUser>(`/directories/${dir.id}/users`);
        assert.deepEqual(users.map((u) => u.userName).sort(), expected);
        const groups = await list<DirectoryGroup>(`/directories/${dir.id}/groups`);
        assert.deepEqual(groups.map((g) => [g.name, g.memberCount]).sort(), [['Engineering', 7], ['Sales', 4]]);
        const before = (await list<GatehouseEvent>(`/events?directory=${dir.id}`)).length;
        const report = await demo.connectors.sync(portal._id);
        assert.equal(report.failures, 0);
        assert.equal(report.users, 15, 'every user bound, whatever the state');
        assert.equal((await list<GatehouseEvent>(`/events?directory=${dir.id}`)).length, before, 'a sync of a converged directory changes nothing');
      } finally {
        await demo.stop();
      }
    });

    it('a Gatehouse answering 503 and 429 for a while: the connector retries per policy and converges', async () => {
      const w = await world({ viaProxy: true, settings: { retry: { retries: 4, backoffMs: 50 } } });
      const [vera, walt] = [w.user('vera'), w.user('walt')];
      const g = w.group('Flaky');
      sim.tenant.addMember(g.id, vera._id);
      sim.tenant.addMember(g.id, walt._id);
      proxy.fail(503, { times: 2 });
      proxy.fail(429, { times: 1, headers: { 'retry-after': '1' } });
      const faultedBefore = proxy.faulted;
      sim.tenant.bindGroup(w.app._id, g.id);
      await w.idle();
      assert.equal(proxy.faulted - faultedBefore, 3);
      const connector = sim.connectors.connector(w.app._id);
      assert.equal(connector.view().counts.failures, 0, JSON.stringify(connector.failures));
      const attempts = connector.requests().filter((e) => e.operation === 'user.lookup');
      assert.deepEqual(attempts.slice(0, 4).map((e) => [e.attempt, e.status]), [[1, 503], [2, 503], [3, 429], [4, 200]]);
      assert.deepEqual((await w.users()).map((u) => u.userName).sort(), [`vera.${w.k}`, `walt.${w.k}`]);
      const [group] = await w.groups();
      assert.equal(group!.memberCount, 2);

      // down for longer than the policy: the push fails and is recorded; a sync converges afterwards
      proxy.fail(503, { times: 5 });
      sim.tenant.suspendUser(vera._id);
      await w.idle();
      assert.equal(connector.view().counts.failures, 1);
      assert.equal((await w.userNamed('vera'))!.state, 'active');
      const report = await sim.connectors.sync(w.app._id);
      assert.equal(report.failures, 0);
      assert.equal((await w.userNamed('vera'))!.state, 'inactive');
    });
  });
}
