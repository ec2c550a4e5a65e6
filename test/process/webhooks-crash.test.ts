import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifyWebhook } from '../../sdk/verify-webhook.js';
import { dialects, freshDatabaseUrl } from '../support/databases.js';
import { serveProcess, type NodeProcess } from '../support/node-process.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

const root = resolve(import.meta.dirname, '..', '..');
const ADMIN = 'gha_crash-test-key-0123456789abcdef0123';
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';

/** `gatehouse serve` on `databaseUrl`, working in `cwd`. */
function serve(cwd: string, databaseUrl: string): Promise<NodeProcess> {
  return serveProcess(
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      GATEHOUSE_ADMIN_KEY: ADMIN,
      GATEHOUSE_SECRET_KEY: 'crash-test-secret-key-0123456789abcdef',
      GATEHOUSE_WEBHOOK_BACKOFF_MS: '20',
      GATEHOUSE_WEBHOOK_BACKOFF_MAX_MS: '200',
      GATEHOUSE_WEBHOOK_POLL_MS: '20',
      GATEHOUSE_WEBHOOK_CONCURRENCY: '4',
      // PostgreSQL keeps a killed node's claims until their lease lapses (another node may be alive)
      GATEHOUSE_WEBHOOK_TIMEOUT_MS: '1000',
      GATEHOUSE_WEBHOOK_LEASE_MS: '2000',
    },
    cwd,
  );
}

async function call(url: string, method: string, path: string, body?: unknown, token = ADMIN): Promise<any> {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

for (const dialect of dialects) {
describe(`webhooks survive kill -9 (${dialect})`, () => {
  const work = join(root, '.tmp', `webhooks-crash-${dialect}-${process.pid}`);
  let rx: Receiver;
  before(async () => {
    mkdirSync(work, { recursive: true });
    rx = await startReceiver();
  });
  after(async () => {
    await rx.close();
    if (!process.env.KEEP_CRASH_DB) rmSync(work, { recursive: true, force: true });
  });

  it('a SIGKILL during delivery loses no event; every delivery is signed, duplicates carry the same id', async () => {
    const db = dialect === 'sqlite' ? `sqlite:${join(work, 'g.db')}` : await freshDatabaseUrl('postgres');
    let node = await serve(work, db);
    const org = (await call(node.url, 'POST', '/api/organizations', { name: 'Crash' })).body;
    const hook = (await call(node.url, 'POST', '/api/webhooks', { url: rx.url, organizationId: org.id })).body;
    assert.match(hook.secret, /^whsec_/);
    const dir = (await call(node.url, 'POST', `/api/organizations/${org.id}/directories`, { provider: 'generic' })).body;
    // slow and sometimes failing: deliveries are in flight and in retry when the process dies
    rx.delayMs = 15;
    rx.respond = (_b, i) => (i % 5 === 4 ? 500 : 200);

    let written = 0;
    const writeUsers = async (url: string, from: number, count: number) => {
      for (let i = from; i < from + count; i++) {
        try {
          const r = await call(dir.scim.endpoint.replace(/^http:\/\/127\.0\.0\.1:\d+/, url), 'POST', '/Users', { schemas: [USER], userName: `crash${i}@example.com` }, dir.scim.token);
          if (r.status === 201) written++;
        } catch {
          return; // the server died under this request
        }
      }
    };

    for (let round = 0; round < 3; round++) {
      const writing = writeUsers(node.url, round * 100, 40);
      await waitFor('deliveries in flight', () => rx.received.length >= (round + 1) * 10, 15_000);
      node.child.kill('SIGKILL');
      await node.exited;
      await writing;
      node = await serve(work, db);
    }
    await writeUsers(node.url, 1000, 5);

    const events = (await call(node.url, 'GET', `/api/events?directory=${dir.id}&limit=500`)).body.data as { id: string }[];
    assert.ok(events.length >= written, `${events.length} events for ${written} acknowledged writes`);
    const expected = events.map((e) => e.id);
    try {
      await waitFor('every event acknowledged after the restarts', () => ((acked) => expected.every((id) => acked.has(id)))(new Set(rx.acknowledged())), 30_000);
    } catch (error) {
      const acked = new Set(rx.acknowledged());
      const missing = expected.filter((id) => !acked.has(id));
      const deliveries = (await call(node.url, 'GET', `/api/webhooks/${hook.id}/deliveries?limit=500`)).body.data as { eventId: string }[];
      const endpoint = (await call(node.url, 'GET', `/api/webhooks/${hook.id}`)).body;
      throw new Error(`${missing.length} of ${expected.length} events never acknowledged: ${JSON.stringify(deliveries.filter((d) => missing.includes(d.eventId)).slice(0, 3))} ${deliveries.length} deliveries; endpoint ${JSON.stringify(endpoint)}`, { cause: error });
    }
    for (const r of rx.received) {
      const event = verifyWebhook(r.body, r.headers['gatehouse-signature'], hook.secret);
      assert.equal(r.headers['gatehouse-event-id'], event.id, 'a duplicate carries the same event id');
    }
    node.child.kill('SIGTERM');
    await node.exited;
  });
});
}
