import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook, WebhookVerificationError } from '../../sdk/verify-webhook.js';
import { dialects } from '../support/databases.js';
import { adminClient, http, scimClient, startTestServer, ADMIN_KEY, type TestServer } from '../support/server.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const FAST = {
  GATEHOUSE_WEBHOOK_BACKOFF_MS: '20',
  GATEHOUSE_WEBHOOK_BACKOFF_MAX_MS: '150',
  GATEHOUSE_WEBHOOK_POLL_MS: '20',
};

for (const dialect of dialects) {
  describe(`webhooks (${dialect})`, () => {
    let server: TestServer;
    let admin: ReturnType<typeof adminClient>;
    const receivers: Receiver[] = [];

    before(async () => {
      server = await startTestServer(dialect, FAST);
      admin = adminClient(server);
    });
    after(async () => {
      await server.close();
      await Promise.all(receivers.map((r) => r.close()));
    });

    async function receiver(): Promise<Receiver> {
      const r = await startReceiver();
      receivers.push(r);
      return r;
    }

    async function endpoint(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
      const r = await admin.call('POST', '/webhooks', body);
      assert.equal(r.status, 201, r.text);
      return r.body;
    }

    /** an organization with a directory and a SCIM client for it */
    async function tenant(name: string) {
      const org = await admin.organization(name);
      const dir = await admin.directory(org.id);
      return { org, dir, scim: scimClient(dir.scim.endpoint, dir.scim.token) };
    }

    async function createUser(scim: ReturnType<typeof scimClient>, userName: string): Promise<string> {
      const r = await scim('POST', '/Users', { schemas: [USER], userName, active: true });
      assert.equal(r.status, 201, r.text);
      return r.body.id;
    }

    async function eventIds(query: string): Promise<string[]> {
      const r = await admin.call('GET', `/events?limit=500&${query}`);
      assert.equal(r.status, 200, r.text);
      return r.body.data.map((e: { id: string }) => e.id);
    }

    it('shows the secret once, signs every delivery so the SDK verifies it, with the documented headers and body', async () => {
      const rx = await receiver();
      const { org, scim, dir } = await tenant('Signed');
      const created = await admin.call('POST', '/webhooks', { url: rx.url, organizationId: org.id });
      assert.equal(created.status, 201);
      assert.match(created.body.id, /^whe_/);
      assert.match(created.body.secret, /^whsec_[A-Za-z0-9_-]{43}$/);
      const secret: string = created.body.secret;
      const got = await admin.call('GET', `/webhooks/${created.body.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.secret, undefined, 'the secret is never shown again');
      assert.equal(got.body.secretHint, secret.slice(-4));
      assert.equal(got.body.state, 'enabled');
      const listed = await admin.call('GET', '/webhooks');
      assert.ok(listed.body.data.some((e: any) => e.id === created.body.id && e.secret === undefined));
      assert.doesNotMatch(listed.text, new RegExp(secret));

      await createUser(scim, 'signed1@example.com');
      await createUser(scim, 'signed2@example.com');
      const expected = await eventIds(`directory=${dir.id}&type=user.created`);
      assert.equal(expected.length, 2);
      await waitFor('both user events delivered', () => ((acked) => expected.every((id) => acked.has(id)))(new Set(rx.acknowledged())));
      for (const r of rx.received) {
        const event = verifyWebhook(r.body, r.headers['gatehouse-signature'], secret);
        assert.equal(r.headers['gatehouse-event-id'], event.id);
        assert.equal(r.headers['gatehouse-event-type'], event.type);
        assert.match(String(r.headers['gatehouse-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
        assert.equal(r.headers['content-type'], 'application/json');
        const fromApi = await admin.call('GET', `/events/${event.id}`);
        assert.deepEqual(JSON.parse(r.body), fromApi.body, 'the body is the public event');
        assert.throws(() => verifyWebhook(r.body, r.headers['gatehouse-signature'], secret + 'x'), WebhookVerificationError);
        assert.throws(() => verifyWebhook(r.body + ' ', r.headers['gatehouse-signature'], secret), WebhookVerificationError);
        assert.throws(() => verifyWebhook(r.body, r.headers['gatehouse-signature'], secret, { now: Math.floor(Date.now() / 1000) + 3600 }), /tolerance/);
      }

      // rotation: a new secret, shown once; later deliveries are signed with it
      const rotated = await admin.call('POST', `/webhooks/${created.body.id}/rotate-secret`);
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.secret, secret);
      const count = rx.received.length;
      await createUser(scim, 'signed3@example.com');
      await waitFor('a delivery after rotation', () => rx.received.length > count);
      const last = rx.received[rx.received.length - 1]!;
      assert.equal(verifyWebhook(last.body, last.headers['gatehouse-signature'], rotated.body.secret).type, 'user.created');
      assert.throws(() => verifyWebhook(last.body, last.headers['gatehouse-signature'], secret), /does not match/);
    });

    it('secret rotation with a grace period: both secrets sign (two v1=) until it ends; a rotation without one stops the old at once', async () => {
      const rx = await receiver();
      const { org, scim } = await tenant('Rotation grace');
      const hook = await endpoint({ url: rx.url, organizationId: org.id, events: ['user.created'] });
      const graced = await admin.call('POST', `/webhooks/${hook.id}/rotate-secret`, { graceSeconds: 3600 });
      assert.equal(graced.status, 200, graced.text);
      const expires = Date.parse(graced.body.previousSecretExpiresAt);
      assert.ok(Math.abs(expires - (Date.now() + 3_600_000)) < 60_000, graced.body.previousSecretExpiresAt);
      assert.equal((await admin.call('GET', `/webhooks/${hook.id}`)).body.previousSecretExpiresAt, graced.body.previousSecretExpiresAt);
      await createUser(scim, 'grace1@example.com');
      const first = await waitFor('a delivery in the grace period', () => rx.received[0]);
      assert.match(String(first.headers['gatehouse-signature']), /^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
      const event = verifyWebhook(first.body, first.headers['gatehouse-signature'], graced.body.secret);
      assert.equal(verifyWebhook(first.body, first.headers['gatehouse-signature'], hook.secret).id, event.id, 'the previous secret verifies too');
      // a rotation without grace: only the newest secret signs; both older ones fail
      const now = await admin.call('POST', `/webhooks/${hook.id}/rotate-secret`, {});
      assert.equal(now.status, 200, now.text);
      assert.equal(now.body.previousSecretExpiresAt, null);
      await createUser(scim, 'grace2@example.com');
      const second = await waitFor('a delivery after the second rotation', () => rx.received[1]);
      assert.match(String(second.headers['gatehouse-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
      verifyWebhook(second.body, second.headers['gatehouse-signature'], now.body.secret);
      for (const old of [hook.secret, graced.body.secret]) assert.throws(() => verifyWebhook(second.body, second.headers['gatehouse-signature'], old), /does not match/);
      // hostile bodies: clean 400s, the secret unchanged
      for (const body of [{ graceSeconds: -1 }, { graceSeconds: 604_801 }, { graceSeconds: 1.5 }, { graceSeconds: '60' }, { graceSeconds: 60, extra: 1 }, []]) {
        const r = await admin.call('POST', `/webhooks/${hook.id}/rotate-secret`, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text.slice(0, 200)}`);
      }
      await createUser(scim, 'grace3@example.com');
      const third = await waitFor('a delivery after the refused rotations', () => rx.received[2]);
      verifyWebhook(third.body, third.headers['gatehouse-signature'], now.body.secret);
    });

    it('a keep-alive connection the receiver closed meanwhile is retried at once on a new one, not counted as a failed attempt', async () => {
      // a receiver that drops every connection on its second request (as one whose idle timeout just fired)
      const requestsOnSocket = new Map<object, number>();
      const delivered: string[] = [];
      const flaky = createServer((req, res) => {
        const n = (requestsOnSocket.get(req.socket) ?? 0) + 1;
        requestsOnSocket.set(req.socket, n);
        if (n >= 2) {
          req.socket.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          delivered.push(String(JSON.parse(Buffer.concat(chunks).toString('utf8')).id));
          res.writeHead(200, { connection: 'keep-alive' }).end('ok');
        });
      });
      await new Promise<void>((done) => flaky.listen(0, '127.0.0.1', done));
      try {
        const { org, scim } = await tenant('Stale sockets');
        const hook = await endpoint({ url: `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/hook`, organizationId: org.id, events: ['user.created'] });
        // one delivery at a time, so that each next one finds the previous one's idle connection
        for (let i = 0; i < 6; i++) {
          await createUser(scim, `stale${i}@example.com`);
          await waitFor(`delivery ${i + 1}`, () => delivered.length >= i + 1);
        }
        const deliveries = await waitFor('six recorded deliveries', async () => {
          const r = await admin.call('GET', `/webhooks/${hook.id}/deliveries?state=delivered`);
          return r.body.data.length === 6 ? r.body.data : undefined;
        });
        assert.ok([...requestsOnSocket.values()].some((n) => n >= 2), 'a keep-alive connection was reused and dropped');
        assert.deepEqual(deliveries.map((d: any) => [d.attempts, d.lastError]), Array.from({ length: 6 }, () => [1, null]), 'no attempt failed');
      } finally {
        flaky.closeAllConnections();
        await new Promise((done) => flaky.close(done));
      }
    });

    it('a receiver that answers 500 for a while gets everything afterwards, in order per resource, with every attempt logged', async () => {
      const rx = await receiver();
      const { org, scim, dir } = await tenant('Flaky');
      const hook = await endpoint({ url: rx.url, organizationId: org.id });
      let down = true;
      // down, then flaky: every other request fails
      rx.respond = (_body, i) => (down ? 500 : i % 2 === 0 ? 503 : 200);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) ids.push(await createUser(scim, `flaky${i}@example.com`));
      for (const id of ids) {
        const r = await scim('PATCH', `/Users/${id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: `Renamed ${id}` }] });
        assert.equal(r.status, 200, r.text);
      }
      await waitFor('failed attempts', () => rx.received.length >= 3);
      down = false;
      const expected = await eventIds(`directory=${dir.id}&type=user.created,user.updated`);
      assert.equal(expected.length, 8);
      await waitFor('every event acknowledged', () => ((acked) => expected.every((id) => acked.has(id)))(new Set(rx.acknowledged())), 15_000);
      // per resource (here: each user), first acknowledgements follow the event order: user.created, then
      // user.updated; events of different users may overtake one another
      const firstAck = [...new Set(rx.acknowledged())].filter((id) => expected.includes(id));
      const events = new Map(rx.received.map((r) => [JSON.parse(r.body).id as string, JSON.parse(r.body) as { type: string; data: { id: string } }]));
      for (const userId of ids) {
        const ofUser = expected.filter((id) => events.get(id)?.data.id === userId);
        assert.equal(ofUser.length, 2, `user.created and user.updated of ${userId}`);
        assert.deepEqual(firstAck.filter((id) => ofUser.includes(id)), ofUser, `no event of user ${userId} is acknowledged before an earlier one`);
      }

      // the receiver answered; the attempts are recorded right after
      const deliveries = await waitFor('every delivery recorded', async () => {
        const r = await admin.call('GET', `/webhooks/${hook.id}/deliveries?limit=500`);
        return r.body.data.filter((d: any) => expected.includes(d.eventId) && d.state === 'delivered').length === 8 ? r : undefined;
      });
      const mine = deliveries.body.data.filter((d: any) => expected.includes(d.eventId));
      assert.equal(mine.length, 8);
      assert.ok(mine.every((d: any) => d.state === 'delivered' && d.deliveredAt));
      const retried = mine.find((d: any) => d.attempts > 1);
      assert.ok(retried, 'some delivery needed several attempts');
      const one = await admin.call('GET', `/webhooks/${hook.id}/deliveries/${retried.id}`);
      assert.equal(one.body.attemptLog.length, retried.attempts);
      const failed = one.body.attemptLog.find((a: any) => a.status >= 500);
      assert.ok(failed);
      assert.ok(failed.responseSnippet.length <= 1024 && failed.responseSnippet.startsWith('nope'), 'the response snippet is at most 1 KB');
      assert.equal(one.body.attemptLog[one.body.attemptLog.length - 1].status, 200);

      // cursor pagination over deliveries
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await admin.call('GET', `/webhooks/${hook.id}/deliveries?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200);
        seen.push(...page.body.data.map((d: any) => d.id));
        cursor = page.body.next;
      } while (cursor);
      assert.equal(new Set(seen).size, deliveries.body.data.length);
    });

    it('filters by organization and event type; a global endpoint gets every organization', async () => {
      const onlyCreated = await receiver();
      const global = await receiver();
      const a = await tenant('Filter A');
      const b = await tenant('Filter B');
      await endpoint({ url: onlyCreated.url, organizationId: b.org.id, events: ['user.created'] });
      await endpoint({ url: global.url });
      const ua = await createUser(a.scim, 'fa@example.com');
      const ub = await createUser(b.scim, 'fb@example.com');
      await b.scim('PATCH', `/Users/${ub}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] });
      const marker = await createUser(b.scim, 'fb2@example.com');
      await waitFor('the global endpoint gets both organizations', () => {
        const types = global.received.map((r) => JSON.parse(r.body));
        return types.some((e) => e.data.id === ua) && types.some((e) => e.data.id === marker) && types.some((e) => e.type === 'user.deactivated');
      });
      await waitFor('the filtered endpoint gets the marker', () => onlyCreated.received.some((r) => JSON.parse(r.body).data.id === marker));
      const got = onlyCreated.received.map((r) => JSON.parse(r.body));
      assert.ok(got.every((e) => e.type === 'user.created' && e.organizationId === b.org.id), JSON.stringify(got.map((e) => e.type)));
      assert.deepEqual(got.map((e) => e.data.id).sort(), [ub, marker].sort());
    });

    it('redelivers a delivery or an event, with the same event id', async () => {
      const rx = await receiver();
      const { org, scim } = await tenant('Redeliver');
      const hook = await endpoint({ url: rx.url, organizationId: org.id, events: ['user.created'] });
      await createUser(scim, 'again@example.com');
      await waitFor('the first delivery', () => rx.acknowledged().length === 1);
      const eventId = rx.acknowledged()[0]!;
      // the receiver answered; the attempt is recorded right after
      const list = await waitFor('the delivery recorded', async () => {
        const r = await admin.call('GET', `/webhooks/${hook.id}/deliveries?state=delivered`);
        return r.body.data.length === 1 ? r : undefined;
      });
      const again = await admin.call('POST', `/webhooks/${hook.id}/deliveries/${list.body.data[0].id}/redeliver`);
      assert.equal(again.status, 202, again.text);
      assert.equal(again.body.state, 'pending');
      await waitFor('the redelivery', () => rx.acknowledged().length === 2);
      assert.deepEqual(rx.acknowledged(), [eventId, eventId]);
      const byEvent = await admin.call('POST', `/webhooks/${hook.id}/redeliver`, { eventId });
      assert.equal(byEvent.status, 202, byEvent.text);
      await waitFor('the redelivery by event', () => rx.acknowledged().length === 3);
      // an event from before the endpoint's filter: delivered on request
      const orgEvent = (await eventIds(`organization=${org.id}&type=organization.created`))[0]!;
      const older = await admin.call('POST', `/webhooks/${hook.id}/redeliver`, { eventId: orgEvent });
      assert.equal(older.status, 202, older.text);
      await waitFor('the older event', () => rx.acknowledged().includes(orgEvent));
      assert.equal((await admin.call('POST', `/webhooks/${hook.id}/deliveries/whd_nope/redeliver`)).status, 404);
      assert.equal((await admin.call('POST', `/webhooks/${hook.id}/redeliver`, { eventId: 'evt_nope' })).status, 400);
    });

    it('disables and re-enables an endpoint by PATCH; what waited is sent on re-enabling; delete removes it', async () => {
      const rx = await receiver();
      const { org, scim } = await tenant('Toggle');
      const hook = await endpoint({ url: rx.url, organizationId: org.id });
      const off = await admin.call('PATCH', `/webhooks/${hook.id}`, { enabled: false });
      assert.equal(off.status, 200);
      assert.equal(off.body.state, 'disabled');
      const uid = await createUser(scim, 'waited@example.com');
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(rx.received.length, 0, 'a disabled endpoint gets nothing');
      const on = await admin.call('PATCH', `/webhooks/${hook.id}`, { enabled: true, events: ['user.created', 'user.updated'] });
      assert.equal(on.status, 200);
      assert.deepEqual(on.body.events, ['user.created', 'user.updated']);
      await waitFor('the waiting event', () => rx.received.some((r) => JSON.parse(r.body).data.id === uid));
      assert.equal((await admin.call('DELETE', `/webhooks/${hook.id}`)).status, 204);
      assert.equal((await admin.call('GET', `/webhooks/${hook.id}`)).status, 404);
      assert.equal((await admin.call('GET', `/webhooks/${hook.id}/deliveries`)).status, 404);
    });

    it('rejects malformed and hostile input with a 4xx in the documented shape', async () => {
      const org = await admin.organization('Hostile');
      const before = (await admin.call('GET', '/webhooks?limit=500')).body.data.length;
      const cases: [string, unknown, number][] = [
        ['no url', {}, 400],
        ['url not a string', { url: 42 }, 400],
        ['relative url', { url: '/hook' }, 400],
        ['ftp url', { url: 'ftp://example.com/x' }, 400],
        ['javascript url', { url: 'javascript:alert(1)' }, 400],
        ['file url', { url: 'file:///etc/passwd' }, 400],
        ['credentials in url', { url: 'https://user:pass@example.com/hook' }, 400],
        ['user only in url', { url: 'https://user@example.com/hook' }, 400],
        ['spaces in url', { url: 'https://exa mple.com/hook' }, 400],
        ['huge url', { url: `https://example.com/${'a'.repeat(3000)}` }, 400],
        ['unknown event type', { url: 'https://example.com/h', events: ['user.exploded'] }, 400],
        ['empty events', { url: 'https://example.com/h', events: [] }, 400],
        ['events not an array', { url: 'https://example.com/h', events: 'user.created' }, 400],
        ['unknown organization', { url: 'https://example.com/h', organizationId: 'org_nope' }, 400],
        ['unknown field', { url: 'https://example.com/h', secret: 'mine' }, 400],
        ['__proto__', JSON.parse('{"url":"https://example.com/h","__proto__":{"x":1}}'), 400],
      ];
      for (const [label, body, status] of cases) {
        const r = await admin.call('POST', '/webhooks', body);
        assert.equal(r.status, status, `${label}: ${r.text}`);
        assert.equal(typeof r.body?.error?.code, 'string', label);
        assert.equal(typeof r.body?.error?.message, 'string', label);
      }
      for (const raw of ['{"url":', '[1]', 'null', '"x"']) {
        const r = await http('POST', `${server.url}/api/webhooks`, { token: ADMIN_KEY, rawBody: raw });
        assert.equal(r.status, 400, `${raw}: ${r.text}`);
      }
      const ok = await endpoint({ url: 'https://example.com/h', organizationId: org.id });
      for (const body of [{ url: 'gopher://x' }, { events: ['nope'] }, { enabled: 'yes' }, { organizationId: 'org_x' }]) {
        const r = await admin.call('PATCH', `/webhooks/${ok.id}`, body);
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      }
      for (const q of ['limit=0', 'limit=501', 'cursor=%%%', 'cursor=bm90LWEtY3Vyc29y', 'state=weird']) {
        assert.equal((await admin.call('GET', `/webhooks/${ok.id}/deliveries?${q}`)).status, 400, q);
      }
      assert.equal((await admin.call('GET', '/webhooks?cursor=bm90LWEtY3Vyc29y')).status, 400);
      assert.equal((await admin.call('GET', '/webhooks/whe_nope')).status, 404);
      assert.equal((await admin.call('PATCH', '/webhooks/whe_nope', { enabled: true })).status, 404);
      assert.equal((await admin.call('DELETE', '/webhooks/whe_nope')).status, 404);
      assert.equal((await admin.call('POST', '/webhooks/whe_nope/rotate-secret')).status, 404);
      assert.equal((await admin.call('GET', '/webhooks/whe_nope/deliveries')).status, 404);
      assert.equal((await http('GET', `${server.url}/api/webhooks`)).status, 401);
      assert.equal((await admin.call('GET', '/webhooks?limit=500')).body.data.length, before + 1);
    });
  });

  describe(`webhook endpoint disabling (${dialect})`, () => {
    let server: TestServer;
    let rx: Receiver;
    before(async () => {
      server = await startTestServer(dialect, { ...FAST, GATEHOUSE_WEBHOOK_RETRY_WINDOW_MS: '600', GATEHOUSE_WEBHOOK_DISABLE_AFTER_FAILURES: '3' });
      rx = await startReceiver();
      rx.respond = () => 500;
    });
    after(async () => {
      await server.close();
      await rx.close();
    });

    it('disables an endpoint after sustained failure and raises webhook.endpoint_disabled', async () => {
      const admin = adminClient(server);
      const org = await admin.organization('Down');
      const hook = (await admin.call('POST', '/webhooks', { url: rx.url, organizationId: org.id })).body;
      await admin.directory(org.id);
      const disabled = await waitFor('the endpoint disabled', async () => {
        const r = await admin.call('GET', `/webhooks/${hook.id}`);
        return r.body.state === 'disabled' ? r.body : undefined;
      });
      assert.match(disabled.disabledReason, /failed/);
      assert.ok(disabled.consecutiveFailures >= 3);
      const events = await admin.call('GET', `/events?type=webhook.endpoint_disabled&organization=${org.id}`);
      assert.equal(events.body.data.length, 1);
      assert.equal(events.body.data[0].data.id, hook.id);
      assert.equal(events.body.data[0].data.state, 'disabled');
      const deliveries = await admin.call('GET', `/webhooks/${hook.id}/deliveries`);
      assert.ok(deliveries.body.data.length >= 1);
      assert.ok(deliveries.body.data.some((d: any) => d.state === 'failed' && d.lastStatus === 500), 'a delivery past the retry window is failed');
      const count = rx.received.length;
      await new Promise((r) => setTimeout(r, 150));
      assert.equal(rx.received.length, count, 'a disabled endpoint is not called');
    });
  });
}
