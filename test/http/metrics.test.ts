/**
 * Prometheus /metrics (issue 9): protected by the admin key or GATEHOUSE_METRICS_TOKEN; request rate and
 * latency per route family (bounded labels: the route pattern's family, never the raw URL), SCIM operations
 * per directory, webhook attempts and the outbox gauges.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, http, startTestServer, type TestServer } from '../support/server.js';
import { createGroup, createUser, patchOp, scimDirectory, type ScimDirectory } from '../support/scim.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample, by name and exact labels (in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) return Number(m[3]);
  }
  return undefined;
}

for (const dialect of dialects) {
  describe(`metrics (${dialect})`, () => {
    let server: TestServer;
    let d: ScimDirectory;
    let rx: Receiver;
    const scrape = async (token = ADMIN_KEY) => {
      const r = await http('GET', `${server.url}/metrics`, { token });
      assert.equal(r.status, 200, r.text);
      return r.text;
    };

    before(async () => {
      rx = await startReceiver();
      server = await startTestServer(dialect, { GATEHOUSE_METRICS_TOKEN: METRICS_TOKEN, GATEHOUSE_WEBHOOK_POLL_MS: '20', GATEHOUSE_WEBHOOK_BACKOFF_MS: '50' });
      d = await scimDirectory(server, 'jumpcloud');
    });
    after(async () => {
      await server.close();
      await rx.close();
    });

    it('answers only the admin key or the metrics token (401 in the admin error shape otherwise)', async () => {
      for (const token of [undefined, 'wrong', d.token, 'x'.repeat(10_000), `${METRICS_TOKEN}x`]) {
        const r = await http('GET', `${server.url}/metrics`, token === undefined ? {} : { token });
        assert.equal(r.status, 401, `token ${String(token).slice(0, 20)}`);
        assert.equal(r.body.error.code, 'unauthorized');
        assert.match(r.headers.get('www-authenticate') ?? '', /Bearer/);
      }
      for (const token of [ADMIN_KEY, METRICS_TOKEN]) {
        const r = await http('GET', `${server.url}/metrics`, { token });
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        assert.match(r.text, /^# HELP gatehouse_http_requests_total /m);
        assert.match(r.text, /^process_cpu_user_seconds_total /m);
      }
      const post = await http('POST', `${server.url}/metrics`, { token: ADMIN_KEY, body: {} });
      assert.equal(post.status, 404);
    });

    it('counts requests per route family and SCIM operations per directory, never with raw URLs', async () => {
      const alice = await createUser(d.scim, 'alice@example.com');
      const bob = await createUser(d.scim, 'bob@example.com');
      const group = await createGroup(d.scim, 'Engineering', [alice.id]);
      assert.equal((await d.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: bob.id }] }))).status, 204);
      assert.equal((await d.scim('GET', `/Users/${alice.id}`)).status, 200);
      assert.equal((await d.scim('GET', '/Users/no-such-user')).status, 404);
      assert.equal((await d.scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'alice@example.com' })).status, 409);
      assert.equal((await http('GET', `${d.endpoint}/Users`, { token: 'bad' })).status, 401);
      assert.equal((await http('GET', `${server.url}/no/such/route/secret-looking-${alice.id}`)).status, 404);

      const text = await scrape();
      const ops = (operation: string, outcome: string, resource = 'Users') =>
        sample(text, 'gatehouse_scim_operations_total', { directory: d.dirId, resource, operation, outcome });
      assert.equal(ops('create', 'success'), 2);
      assert.equal(ops('create', 'client_error'), 1);
      assert.equal(ops('get', 'success'), 1);
      assert.equal(ops('get', 'client_error'), 1);
      assert.equal(ops('create', 'success', 'Groups'), 1);
      assert.equal(ops('patch', 'success', 'Groups'), 1);
      assert.ok((sample(text, 'gatehouse_http_requests_total', { family: 'scim_users', method: 'POST', status: '2xx' }) ?? 0) >= 2);
      assert.ok((sample(text, 'gatehouse_http_requests_total', { family: 'scim_users', method: 'GET', status: '4xx' }) ?? 0) >= 2);
      assert.ok((sample(text, 'gatehouse_http_requests_total', { family: 'admin_organizations', method: 'POST', status: '2xx' }) ?? 0) >= 1);
      assert.equal(sample(text, 'gatehouse_http_requests_total', { family: 'unmatched', method: 'GET', status: '4xx' }), 1);
      assert.ok((sample(text, 'gatehouse_http_request_duration_seconds_count', { family: 'scim_groups', method: 'PATCH' }) ?? 0) >= 1);
      assert.ok((sample(text, 'gatehouse_auth_failures_total', { api: 'scim' }) ?? 0) >= 1);
      // bounded labels: no resource id, no unmatched path appears anywhere
      assert.ok(!text.includes(alice.id), 'a user id appears in /metrics');
      assert.ok(!text.includes('secret-looking'), 'a raw URL appears in /metrics');
      assert.ok(!/family="[^"]*\//.test(text), 'a family label holds a path');
    });

    it('reports webhook attempts and the outbox gauges', async () => {
      const hook = await d.admin.call('POST', '/webhooks', { url: rx.url, organizationId: d.orgId });
      assert.equal(hook.status, 201, hook.text);
      rx.respond = (_b, i) => (i === 0 ? 500 : 200);
      await createUser(d.scim, 'carol@example.com');
      await waitFor('a delivery acknowledged', () => rx.acknowledged().length >= 1, 15_000);
      const text = await scrape(METRICS_TOKEN);
      assert.ok((sample(text, 'gatehouse_webhook_attempts_total', { result: 'success' }) ?? 0) >= 1);
      assert.ok((sample(text, 'gatehouse_webhook_attempts_total', { result: 'failure' }) ?? 0) >= 1);
      assert.equal(sample(text, 'gatehouse_database_up'), 1);
      for (const name of ['gatehouse_outbox_lag_events', 'gatehouse_outbox_pending_deliveries', 'gatehouse_outbox_oldest_pending_seconds']) {
        const value = sample(text, name);
        assert.ok(value !== undefined && value >= 0, `${name} = ${value}`);
      }
      for (const name of ['gatehouse_pull_duration_seconds', 'gatehouse_sso_logins_total', 'gatehouse_rate_limited_total']) {
        assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'));
      }
    });
  });
}
