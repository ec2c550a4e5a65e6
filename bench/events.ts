/**
 * bench/events: what the event outbox costs a SCIM write.
 *   npm run bench:events            (DURATION=8 seconds per HTTP phase by default)
 * 1. In process, on SQLite: the same user insert committed alone vs with its event appended in the same
 *    transaction (the outbox write a SCIM change always pays).
 * 2. Over HTTP, Gatehouse as its own process: `POST /Users` throughput and p99 with 0, 1 and 5 webhook
 *    endpoints (all events, to a loopback receiver in this process), and how long delivery takes to drain
 *    after the load stops.
 * Prints one JSON object; writes bench/results/events.json.
 */
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../src/config.js';
import { directoryEvent } from '../src/core/events.js';
import { Gatehouse } from '../src/gatehouse.js';
import { newResourceId } from '../src/core/ids.js';
import { presentUser } from '../src/core/presenters.js';
import { userProfile } from '../src/core/user-profile.js';
import { openDatabase } from '../src/store/database.js';
import { Store } from '../src/store/store.js';
import { freePort } from '../test/support/embedded-postgres.js';
import { machine } from './machine.js';

const DURATION = Number(process.env.DURATION ?? 8);
const ADMIN_KEY = 'gha_bench-admin-key-0123456789abcdef0123456789';
const root = resolve(import.meta.dirname, '..');
const workDir = join(root, '.tmp', `bench-events-${process.pid}`);
rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });

const userBody = (i: number) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `user${i}@events.example`,
  name: { givenName: `Given${i}`, familyName: `Family${i}` },
  emails: [{ primary: true, type: 'work', value: `user${i}@events.example` }],
  active: true,
});

/** Part 1: the outbox write alone, in process. */
async function outboxCost() {
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(workDir, 'micro.db')}` });
  const store = new Store(openDatabase(config.databaseUrl));
  await store.migrate();
  // a throwaway database: a throwaway key for secrets at rest
  const gatehouse = new Gatehouse(store, config, randomBytes(32));
  const { directory } = await gatehouse.directories.create((await gatehouse.organizations.create({ name: 'Micro' })).id, 'generic');
  const N = 5000;
  const time = async (withEvent: boolean, offset: number) => {
    const started = performance.now();
    for (let i = 0; i < N; i++) {
      const body = userBody(offset + i);
      const at = new Date().toISOString();
      const user = { id: newResourceId(), directoryId: directory.id, attributes: body, raw: body, version: 1, createdAt: at, updatedAt: at };
      await store.transaction(async (tx) => {
        await tx.users.insert(user, userProfile(body));
        if (withEvent) await tx.events.append([directoryEvent(directory, 'user.created', presentUser(user, [], []), at)]);
      });
    }
    return ((performance.now() - started) * 1000) / N;
  };
  await time(true, 1_000_000); // warm up
  const withoutUs = await time(false, 0);
  const withUs = await time(true, N);
  await store.close();
  return { writes: N, userInsertAloneUs: Math.round(withoutUs), userInsertWithEventUs: Math.round(withUs), eventCostUs: Math.round(withUs - withoutUs) };
}

/** Part 2: SCIM creates over HTTP with 0, 1 and 5 webhook endpoints. */
async function httpPhases() {
  let delivered = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      delivered++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve'], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(workDir, 'http.db')}`, GATEHOUSE_ADMIN_KEY: ADMIN_KEY, LOG_LEVEL: 'warn', GATEHOUSE_SCIM_RATE_LIMIT: '0' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}/api${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return r.json() as Promise<any>;
  };
  try {
    for (let i = 0; i < 200 && !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
    const org = await api('POST', '/organizations', { name: 'Events bench' });
    const dir = await api('POST', `/organizations/${org.id}/directories`, { provider: 'jumpcloud' });
    let n = 0;
    const phases = [];
    for (const endpoints of [0, 1, 5]) {
      while ((await api('GET', '/webhooks?limit=500')).data.length < endpoints) await api('POST', '/webhooks', { url: hookUrl, organizationId: org.id });
      const before = delivered;
      const result = await autocannon({
        url: base,
        connections: 16,
        duration: DURATION,
        headers: { authorization: `Bearer ${dir.scim.token}`, 'content-type': 'application/scim+json' },
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, path: `/scim/v2/${dir.id}/Users`, body: JSON.stringify(userBody(n++)) }) }],
      });
      const expected = result['2xx'] * endpoints;
      const stopped = Date.now();
      while (delivered - before < expected && Date.now() - stopped < 120_000) await new Promise((r) => setTimeout(r, 20));
      phases.push({
        webhookEndpoints: endpoints,
        createsPerSecond: Math.round(result.requests.average),
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        deliveries: delivered - before,
        drainAfterLoadMs: endpoints === 0 ? 0 : Date.now() - stopped,
      });
    }
    return phases;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    receiver.close();
  }
}

const outbox = await outboxCost();
const http = await httpPhases();
const result = { benchmark: 'events', machine: machine(), settings: { database: 'sqlite (WAL)', durationSeconds: DURATION, connections: 16 }, outbox, scimCreates: http };
const text = JSON.stringify(result, null, 2);
process.stdout.write(text + '\n');
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'events.json'), text + '\n');
rmSync(workDir, { recursive: true, force: true });
