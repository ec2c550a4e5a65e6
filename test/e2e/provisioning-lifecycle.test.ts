/**
 * End to end (issue 5, item 6): the simulator's JumpCloud SCIM connector provisions into a started
 * Gatehouse while a webhook receiver is down; afterwards the receiver gets every event, each signed.
 * bind a group → group, users and member events; role mappings follow membership; suspend → deactivated;
 * rename → group.updated; unbind (the IdP only empties the group) → emptied, orphans deactivated by
 * Gatehouse, group kept; delete → group.deleted. Outcomes are read through the admin API and the events
 * API, never through the connector's own view. Both databases, both of the connector's update methods.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../sdk/verify-webhook.js';
import type { ConnectorSettingsInput } from '../../sim/connector/settings.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { dialects } from '../support/databases.js';
import { adminClient, startTestServer, type TestServer } from '../support/server.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

interface GatehouseEvent {
  id: string;
  type: string;
  data: Record<string, any>;
  previous?: Record<string, any>;
}

const FAST_WEBHOOKS = { GATEHOUSE_WEBHOOK_BACKOFF_MS: '20', GATEHOUSE_WEBHOOK_BACKOFF_MAX_MS: '150', GATEHOUSE_WEBHOOK_POLL_MS: '20' };

/** The resource an event is ordered by: the user, or the group (membership events go with their group). */
function resourceOf(event: GatehouseEvent): string | undefined {
  if (event.type.startsWith('user.')) return `user:${event.data.id}`;
  if (event.type === 'group.user_added' || event.type === 'group.user_removed') return `group:${event.data.group.id}`;
  if (event.type.startsWith('group.')) return `group:${event.data.id}`;
  return undefined;
}

for (const dialect of dialects) {
  describe(`Provisioning lifecycle: JumpCloud connector → Gatehouse → webhooks (${dialect})`, () => {
    let server: TestServer;
    let admin: ReturnType<typeof adminClient>;
    let sim: Simulator;
    let n = 0;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect, FAST_WEBHOOKS), startSimulator({ seed: 'none' })]);
      admin = adminClient(server);
    });
    after(async () => {
      await sim?.stop();
      await server?.close();
    });

    const list = <T>(path: string) => admin.all<T>(path);

    for (const updateMethod of ['put', 'patch'] as const) {
      it(`the whole lifecycle with updateMethod '${updateMethod}', the receiver down throughout, then everything delivered and signed`, async () => {
        const k = ++n;
        const org = (await admin.organization(`Lifecycle ${k}`)).id;
        // the receiver is down (connection refused) while everything happens
        const probe = await startReceiver();
        const port = Number(new URL(probe.url).port);
        await probe.close();
        // the endpoint gets the events written after its creation (organization.created came before)
        const before = (await list<GatehouseEvent>(`/events?organization=${org}`)).at(-1)!.id;
        const hook = await admin.call('POST', '/webhooks', { url: `http://127.0.0.1:${port}/hook`, organizationId: org });
        assert.equal(hook.status, 201, hook.text);
        const secret: string = hook.body.secret;

        const dirCreated = await admin.call('POST', `/organizations/${org}/directories`, { provider: 'jumpcloud' });
        assert.equal(dirCreated.status, 201, dirCreated.text);
        const dir = dirCreated.body as { id: string; scim: { endpoint: string; token: string } };
        const app = sim.tenant.createApp({ displayLabel: `Lifecycle ${k}` });
        const settings: ConnectorSettingsInput = {
          baseUrl: dir.scim.endpoint,
          token: dir.scim.token,
          testUserEmail: `scim-test-${k}@acme.example`,
          updateMethod,
          groupRenameMethod: updateMethod,
          // the IdP only empties the group on unbind (Scalekit's account): deactivating orphans is Gatehouse's job
          unbindStrategy: { orphanedUsers: 'none' },
          retry: { backoffMs: 20 },
        };
        const user = (name: string) =>
          sim.tenant.createUser({ username: `${name}.${k}`, email: `${name}.${k}@acme.example`, firstname: name, lastname: `Test${k}` });
        const idle = () => sim.connectors.idle(app._id);
        const users = () => list<any>(`/directories/${dir.id}/users`);
        const byName = async (name: string) => (await users()).find((u) => u.userName === `${name}.${k}`);
        const mark: { last?: string } = {};
        const eventsSince = async () => {
          const events = await list<GatehouseEvent>(`/events?directory=${dir.id}${mark.last ? `&after=${mark.last}` : ''}`);
          if (events.length > 0) mark.last = events.at(-1)!.id;
          return events;
        };
        const typesOf = (events: GatehouseEvent[]) => events.map((e) => e.type);
        await eventsSince();

        // Test Connection: the test user and group come and go, no residue
        const connected = await sim.connectors.configure(app._id, settings);
        assert.equal(connected.ok, true, JSON.stringify(connected.test.failure));
        await idle();
        assert.deepEqual(typesOf(await eventsSince()), ['user.created', 'group.created', 'group.deleted', 'user.deleted']);
        assert.deepEqual(await users(), []);
        assert.deepEqual(await list(`/directories/${dir.id}/users?state=deleted`), [], 'the test user is purged, not kept as deleted');

        // bind a group: the group and its users are created, with member events
        const [alice, bob] = [user('alice'), user('bob')];
        const eng = sim.tenant.createGroup({ name: `Engineering ${k}` });
        sim.tenant.addMember(eng.id, alice._id);
        sim.tenant.addMember(eng.id, bob._id);
        sim.tenant.bindGroup(app._id, eng.id);
        await idle();
        let events = await eventsSince();
        assert.deepEqual(typesOf(events), ['user.created', 'user.created', 'group.created', 'group.user_added', 'group.user_added']);
        const [group] = await list<any>(`/directories/${dir.id}/groups`);
        assert.deepEqual([group.name, group.memberCount], [`Engineering ${k}`, 2]);

        // role mapping follows membership
        const mapped = await admin.call('PUT', `/organizations/${org}/role-mappings`, { mappings: [{ directoryGroupId: group.id, role: 'engineer' }] });
        assert.equal(mapped.status, 200, mapped.text);
        events = await eventsSince();
        // (role_mappings.updated is an organization event, not in the directory's feed)
        assert.deepEqual(typesOf(events), ['user.updated', 'user.updated']);
        assert.ok(events.every((e) => e.data.roles.includes('engineer') && (e.previous?.roles as string[]).length === 0));
        const carol = user('carol');
        sim.tenant.addMember(eng.id, carol._id);
        await idle();
        events = await eventsSince();
        assert.deepEqual(typesOf(events), ['user.created', 'group.user_added', 'user.updated']);
        assert.deepEqual([events[2]!.data.userName, events[2]!.data.roles, events[2]!.previous], [`carol.${k}`, ['engineer'], { roles: [] }]);
        assert.deepEqual((await byName('carol')).roles, ['engineer']);
        sim.tenant.removeMember(eng.id, carol._id);
        await idle();
        events = await eventsSince();
        // carol loses the app: JumpCloud deactivates her; her role went with the group
        assert.deepEqual(typesOf(events), ['group.user_removed', 'user.updated', 'user.deactivated']);
        assert.deepEqual([events[1]!.data.roles, events[1]!.previous], [[], { roles: ['engineer'] }]);
        sim.tenant.addMember(eng.id, carol._id);
        await idle();
        events = await eventsSince();
        assert.deepEqual(typesOf(events), ['user.reactivated', 'group.user_added', 'user.updated']);
        assert.deepEqual((await byName('carol')).state, 'active');

        // suspend in JumpCloud → deactivated in Gatehouse (groups and group roles kept by default)
        sim.tenant.suspendUser(bob._id);
        await idle();
        events = await eventsSince();
        assert.deepEqual(typesOf(events), ['user.deactivated']);
        const bobNow = await byName('bob');
        assert.deepEqual([bobNow.state, bobNow.groups.map((g: any) => g.id), bobNow.roles], ['inactive', [group.id], ['engineer']]);

        // rename → group.updated
        sim.tenant.renameGroup(eng.id, `Platform ${k}`);
        await idle();
        events = await eventsSince();
        assert.deepEqual(typesOf(events), ['group.updated']);
        assert.deepEqual([events[0]!.data.name, events[0]!.previous], [`Platform ${k}`, { name: `Engineering ${k}` }]);

        // a second bound group, so that one member keeps a group after the unbind
        const ops = sim.tenant.createGroup({ name: `Ops ${k}` });
        sim.tenant.addMember(ops.id, alice._id);
        sim.tenant.bindGroup(app._id, ops.id);
        await idle();
        assert.deepEqual(typesOf(await eventsSince()), ['group.created', 'group.user_added']);

        // unbind: the IdP empties the group; Gatehouse keeps it and deactivates carol (no group left),
        // not alice (still in Ops), not bob (already inactive)
        sim.tenant.unbindGroup(app._id, eng.id);
        await idle();
        events = await eventsSince();
        const removed = events.filter((e) => e.type === 'group.user_removed').map((e) => e.data.user.userName).sort();
        assert.deepEqual(removed, [`alice.${k}`, `bob.${k}`, `carol.${k}`]);
        assert.deepEqual(events.filter((e) => e.type === 'user.deactivated').map((e) => e.data.userName), [`carol.${k}`]);
        assert.ok(!events.some((e) => e.type === 'group.deleted'));
        const kept = (await list<any>(`/directories/${dir.id}/groups`)).find((g) => g.id === group.id);
        assert.deepEqual([kept?.name, kept?.memberCount], [`Platform ${k}`, 0], 'the group is kept, empty');
        assert.deepEqual(
          (await users()).map((u) => [u.userName, u.state, u.roles]).sort(),
          [[`alice.${k}`, 'active', []], [`bob.${k}`, 'inactive', []], [`carol.${k}`, 'inactive', []]],
          'the mapped role went with the membership',
        );

        // delete a group in JumpCloud → group.deleted; alice, left in no group, is deactivated
        sim.tenant.deleteGroup(ops.id);
        await idle();
        events = await eventsSince();
        assert.ok(events.some((e) => e.type === 'group.deleted' && e.data.name === `Ops ${k}`), JSON.stringify(typesOf(events)));
        assert.equal((await byName('alice')).state, 'inactive');

        // meanwhile deliveries were attempted and failed (the receiver was down)
        await waitFor('a failed attempt', async () => {
          const deliveries = await list<any>(`/webhooks/${hook.body.id}/deliveries`);
          return deliveries.some((d) => d.attempts > 0 && d.lastError !== null && d.state === 'pending');
        });

        // the receiver comes back: it gets every event of the organization, signed, in order per resource
        const all = await list<GatehouseEvent>(`/events?organization=${org}&after=${before}`);
        assert.ok(all.length > 30, `${all.length} events`);
        const receiver: Receiver = await startReceiver({ port });
        try {
          const wanted = new Set(all.map((e) => e.id));
          await waitFor('every event delivered', () => [...wanted].every((id) => receiver.acknowledged().includes(id)), 20_000);
          for (const r of receiver.received) {
            const event = verifyWebhook(r.body, r.headers['gatehouse-signature'], secret);
            assert.equal(r.headers['gatehouse-event-id'], event.id);
            assert.ok(wanted.has(event.id), `${event.type} belongs to this organization`);
          }
          const firstAck = [...new Set(receiver.acknowledged())];
          const seq = new Map(all.map((e, i) => [e.id, i]));
          const lastByResource = new Map<string, number>();
          for (const id of firstAck) {
            const event = all[seq.get(id)!]!;
            const resource = resourceOf(event);
            if (!resource) continue;
            assert.ok((lastByResource.get(resource) ?? -1) < seq.get(id)!, `${event.type} of ${resource} delivered out of order`);
            lastByResource.set(resource, seq.get(id)!);
          }
        } finally {
          await receiver.close();
        }
      });
    }
  });
}
