/**
 * bench/webhooks: webhook delivery throughput from the outbox to a loopback receiver.
 *   node --import tsx bench/webhooks.ts      (EVENTS=10000 DIRS=100 by default)
 * Starts Gatehouse in this process on a fresh SQLite file, creates a disabled endpoint pointing at a
 * loopback node:http receiver (also in this process), appends EVENTS events spread over DIRS directories
 * straight into the outbox, enables the endpoint and measures until every event is acknowledged.
 * Prints one JSON object; writes bench/results/webhooks.json.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { newId } from '../src/core/ids.js';
import { startRuntime } from '../src/runtime.js';
import { freePort } from '../test/support/embedded-postgres.js';
import { machine } from './machine.js';

const EVENTS = Number(process.env.EVENTS ?? 10_000);
const DIRS = Number(process.env.DIRS ?? 100);
const root = resolve(import.meta.dirname, '..');
const workDir = join(root, '.tmp', `bench-webhooks-${process.pid}`);

rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
let received = 0;
const ids = new Set<string>();
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    received++;
    ids.add(String(req.headers['gatehouse-event-id']));
    res.writeHead(204).end();
  });
});
await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const config = loadConfig({
  PORT: String(await freePort()),
  DATABASE_URL: `sqlite:${join(workDir, 'gatehouse.db')}`,
  GATEHOUSE_ADMIN_KEY: 'gha_bench-admin-key-0123456789abcdef0123456789',
  GATEHOUSE_SECRET_KEY: 'bench-secret-key-0123456789abcdef0123456789',
  LOG_LEVEL: 'warn',
  ...(process.env.GATEHOUSE_WEBHOOK_CONCURRENCY ? { GATEHOUSE_WEBHOOK_CONCURRENCY: process.env.GATEHOUSE_WEBHOOK_CONCURRENCY } : {}),
});
const runtime = await startRuntime(config);
const gh = runtime.gatehouse;
const endpoint = await gh.webhooks.create({ url, enabled: false });
const at = new Date().toISOString();
const events = Array.from({ length: EVENTS }, (_, i) => ({
  id: newId('evt'),
  type: 'user.updated',
  organizationId: 'org_bench',
  directoryId: `dir_bench${i % DIRS}`,
  occurredAt: at,
  data: { id: `user-${i}`, userName: `user${i}@bench.example`, state: 'active', groups: [], roles: [] },
  previous: { displayName: null },
}));
for (let i = 0; i < events.length; i += 1000) await gh.store.transaction((tx) => tx.events.append(events.slice(i, i + 1000)));

const started = Date.now();
await gh.webhooks.update(endpoint.id, { enabled: true });
while (ids.size < EVENTS) {
  if (Date.now() - started > 300_000) throw new Error(`only ${ids.size} of ${EVENTS} delivered in 300 s`);
  await new Promise((r) => setTimeout(r, 20));
}
const ms = Date.now() - started;
await runtime.close();
await new Promise<void>((done) => receiver.close(() => done()));
const result = {
  machine: machine(),
  events: EVENTS,
  directories: DIRS,
  concurrency: config.webhooks.concurrency,
  deliveryMs: ms,
  eventsPerSecond: Math.round((EVENTS / ms) * 1000),
  requests: received,
  duplicates: received - ids.size,
  target: '≥ 2,000 events/s',
};
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'webhooks.json'), JSON.stringify(result, null, 2) + '\n');
rmSync(workDir, { recursive: true, force: true });
