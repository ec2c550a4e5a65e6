/**
 * Several Gatehouse nodes on one PostgreSQL (issue 9): two `gatehouse serve` processes behind a round-robin
 * proxy take concurrent JumpCloud-style pushes (user creates, group creates, membership PATCHes, user
 * deactivations), some deliberately sent to both nodes at once (a retrying client). Afterwards users, groups,
 * memberships and events are exact — one event per change, none duplicated, none lost, strictly ordered —
 * and every event is delivered to the webhook endpoint exactly once across both nodes' workers. SSO across
 * the nodes: one SAML response posted to both at once is accepted once (the replay store's unique key),
 * and a code issued by one node is redeemed once, at the other.
 */
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSimulator } from '../../sim/simulator.js';
import { freshDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/embedded-postgres.js';
import { jumpcloudAddMember, jumpcloudCreateUser, jumpcloudPatchUser, jumpcloudRemoveMember } from '../support/jumpcloud-payloads.js';
import { serveProcess, type NodeProcess } from '../support/node-process.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const ADMIN = 'gha_multi-node-key-0123456789abcdef01234';
const USERS = 60;
const GROUPS = 4;

/** A tiny round-robin HTTP proxy: request n goes to backend n mod k. */
async function roundRobin(backends: string[], port = 0): Promise<{ url: string; close(): Promise<void> }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  let next = 0;
  const server: Server = createServer((req, res) => {
    const target = new URL(backends[next++ % backends.length]!);
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function call(url: string, method: string, body?: unknown, token = ADMIN): Promise<{ status: number; body: any; text: string }> {
  const r = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/scim+json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined, text };
}

async function all(url: string): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  do {
    const r = await call(`${url}${url.includes('?') ? '&' : '?'}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'GET');
    assert.equal(r.status, 200, r.text);
    out.push(...r.body.data);
    cursor = r.body.next;
  } while (cursor);
  return out;
}

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(tasks: (() => Promise<T>)[], width = 16): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let i = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (i < tasks.length) {
      const n = i++;
      results[n] = await tasks[n]!();
    }
  }));
  return results;
}

const userBody = (i: number) => ({
  ...jumpcloudCreateUser,
  userName: `user${i}@example.io`,
  externalId: `ext-${i}`,
  emails: [{ primary: true, type: 'work', value: `user${i}@example.io` }],
});

describe('two nodes on one PostgreSQL behind round-robin', () => {
  let nodes: NodeProcess[] = [];
  let proxy: { url: string; close(): Promise<void> };
  let rx: Receiver;

  before(async () => {
    // one public address for both nodes (the balancer's), as in production: SSO URLs are the same on each
    const proxyPort = await freePort();
    const env = {
      PUBLIC_URL: `http://127.0.0.1:${proxyPort}`,
      DATABASE_URL: await freshDatabaseUrl('postgres'),
      GATEHOUSE_ADMIN_KEY: ADMIN,
      GATEHOUSE_SECRET_KEY: 'multi-node-secret-key-0123456789abcdef',
      GATEHOUSE_WEBHOOK_POLL_MS: '20',
      GATEHOUSE_WEBHOOK_CONCURRENCY: '4',
    };
    nodes = await Promise.all([serveProcess(env), serveProcess(env)]);
    proxy = await roundRobin(nodes.map((n) => n.url), proxyPort);
    rx = await startReceiver();
    rx.delayMs = 2;
  });
  after(async () => {
    await proxy?.close();
    await Promise.all(nodes.map((n) => n.kill('SIGTERM')));
    await rx?.close();
  });

  it('users, groups, memberships, events and webhook deliveries are exact', async () => {
    const org = (await call(`${proxy.url}/api/organizations`, 'POST', { name: 'Acme' })).body;
    const hook = await call(`${proxy.url}/api/webhooks`, 'POST', { url: rx.url, organizationId: org.id });
    assert.equal(hook.status, 201, hook.text);
    const dir = (await call(`${proxy.url}/api/organizations/${org.id}/directories`, 'POST', { provider: 'jumpcloud' })).body;
    const scimPath = new URL(dir.scim.endpoint).pathname;
    const scim = (base: string, method: string, path: string, body?: unknown) => call(`${base}${scimPath}${path}`, method, body, dir.scim.token);
    const [a, b] = nodes.map((n) => n.url) as [string, string];

    // 1. users and groups; every fifth user and one group pushed to both nodes at the same moment
    const userIds = new Map<number, string>();
    const createTasks: (() => Promise<void>)[] = [];
    for (let i = 0; i < USERS; i++) {
      if (i % 5 === 0) {
        createTasks.push(async () => {
          const answers = await Promise.all([scim(a, 'POST', '/Users', userBody(i)), scim(b, 'POST', '/Users', userBody(i))]);
          assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409], `user${i}: ${answers.map((r) => r.text).join(' | ')}`);
          userIds.set(i, answers.find((r) => r.status === 201)!.body.id);
        });
      } else {
        createTasks.push(async () => {
          const r = await scim(proxy.url, 'POST', '/Users', userBody(i));
          assert.equal(r.status, 201, r.text);
          userIds.set(i, r.body.id);
        });
      }
    }
    const groupIds: string[] = [];
    for (let g = 0; g < GROUPS; g++) {
      createTasks.push(async () => {
        const r = await scim(proxy.url, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Team ${g}` });
        assert.equal(r.status, 201, r.text);
        groupIds[g] = r.body.id;
      });
    }
    createTasks.push(async () => {
      const body = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Raced' };
      const answers = await Promise.all([scim(a, 'POST', '/Groups', body), scim(b, 'POST', '/Groups', body)]);
      assert.deepEqual(answers.map((r) => r.status).sort(), [201, 409]);
    });
    await pool(createTasks);

    // 2. memberships: user i joins group i%4, even users also (i+1)%4; every third add is sent to both nodes
    //    at once; every third user is deactivated (every sixth by both nodes at once)
    const expected = new Map<string, Set<string>>(groupIds.map((g) => [g, new Set<string>()]));
    const changeTasks: (() => Promise<void>)[] = [];
    let adds = 0;
    for (let i = 0; i < USERS; i++) {
      const uid = userIds.get(i)!;
      const joins = i % 2 === 0 ? [i % GROUPS, (i + 1) % GROUPS] : [i % GROUPS];
      for (const g of joins) {
        expected.get(groupIds[g]!)!.add(uid);
        adds++;
        const both = adds % 3 === 0;
        changeTasks.push(async () => {
          const targets = both ? [a, b] : [proxy.url];
          const answers = await Promise.all(targets.map((t) => scim(t, 'PATCH', `/Groups/${groupIds[g]}`, jumpcloudAddMember(uid))));
          for (const r of answers) assert.equal(r.status, 204, r.text);
        });
      }
      if (i % 3 === 0) {
        changeTasks.push(async () => {
          const targets = i % 6 === 0 ? [a, b] : [proxy.url];
          const answers = await Promise.all(targets.map((t) => scim(t, 'PATCH', `/Users/${uid}`, jumpcloudPatchUser)));
          for (const r of answers) assert.equal(r.status, 200, r.text);
        });
      }
    }
    await pool(changeTasks);

    // 3. removals: users divisible by 4 leave group i%4 (= group 0)
    const removeTasks: (() => Promise<void>)[] = [];
    let removals = 0;
    for (let i = 0; i < USERS; i += 4) {
      const uid = userIds.get(i)!;
      expected.get(groupIds[0]!)!.delete(uid);
      removals++;
      removeTasks.push(async () => {
        const r = await scim(proxy.url, 'PATCH', `/Groups/${groupIds[0]}`, jumpcloudRemoveMember(uid));
        assert.equal(r.status, 204, r.text);
      });
    }
    await pool(removeTasks);

    // exact state, read through both nodes
    for (const base of [a, b]) {
      const users = await all(`${base}/api/directories/${dir.id}/users`);
      assert.equal(users.length, USERS);
      assert.deepEqual(new Set(users.map((u) => u.id)), new Set(userIds.values()));
      assert.equal(users.filter((u) => u.state === 'inactive' || u.active === false).length, USERS / 3);
      const groups = await all(`${base}/api/directories/${dir.id}/groups`);
      assert.equal(groups.length, GROUPS + 1);
      for (const [gid, members] of expected) {
        const got = (await all(`${base}/api/directories/${dir.id}/groups/${gid}/members`)).map((m) => m.id as string);
        assert.deepEqual(new Set(got), members, `members of ${gid}`);
        assert.equal(got.length, members.size);
      }
    }

    // events: one per change, none twice, none lost, in one strict order whichever node is asked
    const events = await all(`${a}/api/events?directory=${dir.id}`);
    const count = (type: string) => events.filter((e) => e.type === type).length;
    assert.equal(count('directory.created'), 1);
    assert.equal(count('user.created'), USERS);
    assert.equal(count('group.created'), GROUPS + 1);
    assert.equal(count('group.user_added'), adds);
    assert.equal(count('group.user_removed'), removals);
    assert.equal(count('user.deactivated'), USERS / 3);
    assert.equal(count('user.updated'), USERS / 3, 'the name change of each deactivation, once');
    assert.equal(events.length, 1 + USERS + GROUPS + 1 + adds + removals + (2 * USERS) / 3);
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, 'an event id twice');
    const fromB = await all(`${b}/api/events?directory=${dir.id}`);
    assert.deepEqual(fromB.map((e) => e.id), events.map((e) => e.id), 'both nodes list the same events in the same order');
    // paging with `after` from any event continues exactly where it stopped
    const middle = events[Math.floor(events.length / 2)]!.id;
    const rest = await all(`${b}/api/events?directory=${dir.id}&after=${middle}`);
    assert.deepEqual(rest.map((e) => e.id), events.slice(Math.floor(events.length / 2) + 1).map((e) => e.id));
    // a user's events come in the order of its changes: created, then (added…/updated/deactivated) — never before
    for (const uid of userIds.values()) {
      const mine = events.filter((e) => e.data?.id === uid || e.data?.user?.id === uid);
      assert.equal(mine[0]?.type, 'user.created', `first event of ${uid}`);
    }

    // webhooks: every event of the organization delivered once, across both nodes' workers
    const orgEvents = await all(`${a}/api/events?organization=${org.id}`);
    const wanted = orgEvents.filter((e) => e.type !== 'organization.created').map((e) => e.id as string);
    await waitFor('every event delivered', () => {
      const acked = new Set(rx.acknowledged());
      return wanted.every((id) => acked.has(id));
    }, 60_000);
    await new Promise((r) => setTimeout(r, 300)); // a duplicate, if any, would arrive now
    const received = rx.received.map((r) => r.eventId);
    assert.equal(received.length, wanted.length, `${received.length} requests for ${wanted.length} events`);
    assert.deepEqual(new Set(received), new Set(wanted));
    const deliveries = await all(`${b}/api/webhooks/${hook.body.id}/deliveries`);
    assert.equal(deliveries.length, wanted.length);
    assert.ok(deliveries.every((d) => d.state === 'delivered' && d.attempts === 1), 'one attempt per delivery');
    // each node counts its own attempts: together exactly one per event
    let attempts = 0;
    for (const node of nodes) {
      const text = await (await fetch(`${node.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })).text();
      attempts += Number(/^gatehouse_webhook_attempts_total\{result="success"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    }
    assert.equal(attempts, wanted.length);
    for (const node of nodes) assert.doesNotMatch(node.output(), /"level":50/, 'no error logged');
  });
  it('SSO across nodes: an assertion is accepted once whichever node gets it; a code is redeemed once', async () => {
    const sim = await startSimulator({ seed: 'demo' });
    try {
      const org = (await call(`${proxy.url}/api/organizations`, 'POST', { name: 'SSO Co' })).body;
      const { tenant, app } = sim.idp.app({ slug: 'acme-portal' });
      const created = await call(`${proxy.url}/api/organizations/${org.id}/sso-connections`, 'POST', {
        idpMetadataXml: await sim.idp.metadata(tenant, app),
        redirectUris: ['http://127.0.0.1:9/callback'],
        allowIdpInitiated: true,
      });
      assert.equal(created.status, 201, created.text);
      const connection = created.body;
      tenant.updateApp(app._id, { saml: { acsUrl: connection.acsUrl, spEntityId: connection.spEntityId } });
      const [a, b] = nodes.map((n) => n.url) as [string, string];
      const acsPath = new URL(connection.acsUrl).pathname;
      const post = (base: string, samlResponse: string) =>
        fetch(`${base}${acsPath}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: new URLSearchParams({ SAMLResponse: samlResponse }).toString() });
      const user = 'bruno.brennan@acme.example';

      // the same response to both nodes at once, ten times: exactly one is accepted each time
      for (let i = 0; i < 10; i++) {
        const signed = await sim.idp.signIn({ slug: 'acme-portal', user });
        const answers = await Promise.all([post(a, signed.samlResponse), post(b, signed.samlResponse)]);
        assert.deepEqual(answers.map((r) => r.status).sort(), [302, 400], `round ${i}`);
      }
      // a code issued by one node is redeemed at the other, once
      const signed = await sim.idp.signIn({ slug: 'acme-portal', user });
      const accepted = await post(a, signed.samlResponse);
      assert.equal(accepted.status, 302);
      const code = new URL(accepted.headers.get('location')!).searchParams.get('code')!;
      const redeem = (base: string) =>
        fetch(`${base}/oauth/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/callback', client_id: connection.oauth.clientId, client_secret: connection.oauth.clientSecret }).toString(),
        });
      const first = await redeem(b);
      assert.equal(first.status, 200, await first.clone().text());
      assert.equal((await redeem(a)).status, 400, 'a code is single-use across nodes');
      const events = await all(`${a}/api/events?organization=${org.id}&type=sso.login.succeeded`);
      assert.equal(events.length, 11);
      const failed = await all(`${b}/api/events?organization=${org.id}&type=sso.login.failed`);
      assert.equal(failed.length, 10);
      assert.ok(failed.every((e) => e.data.reason === 'replay'), JSON.stringify(failed.map((e) => e.data.reason)));
    } finally {
      await sim.stop();
    }
  });
});
