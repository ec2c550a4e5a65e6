/**
 * A JumpCloud run survives kill -9 of the node running it: on SQLite the next start resumes it; on
 * PostgreSQL another node takes it over once the dead node's lease lapses. Either way it finishes with the
 * whole inventory, without reading again what the dead node had finished.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { dialects, freshDatabaseUrl } from '../support/databases.js';
import { serveProcess, type NodeProcess } from '../support/node-process.js';

const root = resolve(import.meta.dirname, '..', '..');
const ADMIN = 'gha_jc-crash-test-key-0123456789abcdef0123';

/** `gatehouse serve` on `databaseUrl`, working in `cwd`. */
function serve(cwd: string, databaseUrl: string): Promise<NodeProcess> {
  return serveProcess(
    {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      GATEHOUSE_ADMIN_KEY: ADMIN,
      GATEHOUSE_SECRET_KEY: 'jc-crash-test-secret-key-0123456789abcdef',
      GATEHOUSE_JUMPCLOUD_CONCURRENCY: '2',
      GATEHOUSE_JUMPCLOUD_LEASE_MS: '1500',
      GATEHOUSE_JUMPCLOUD_HEARTBEAT_MS: '100',
      GATEHOUSE_JUMPCLOUD_TICK_MS: '200',
    },
    cwd,
  );
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await r.text();
  return { status: r.status, body: text ? JSON.parse(text) : undefined };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of dialects) {
  describe(`a JumpCloud run survives kill -9 (${dialect})`, () => {
    const work = join(root, '.tmp', `jc-crash-${dialect}-${process.pid}`);
    let sim: Simulator;
    before(async () => {
      mkdirSync(work, { recursive: true });
      sim = await startSimulator({ seed: { users: 400, groups: 24, apps: 8 } });
    });
    after(async () => {
      await sim.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it('is resumed by the next node and finishes with the whole inventory', async () => {
      const databaseUrl = dialect === 'sqlite' ? `sqlite:${join(work, 'g.db')}` : await freshDatabaseUrl('postgres');
      const first = await serve(work, databaseUrl);
      const org = (await call(first.url, 'POST', '/organizations', { name: 'Crash' })).body;
      const conn = (await call(first.url, 'POST', `/organizations/${org.id}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl })).body;
      const latency = sim.faults.addLatency(40);
      const { runId } = (await call(first.url, 'POST', `/jumpcloud/${conn.id}/sync`)).body;
      await until('a few finished graph steps', async () => {
        const r = await call(first.url, 'GET', `/jumpcloud/${conn.id}/runs/${runId}`);
        return r.body.progress.graph.done >= 10 ? true : undefined;
      });
      first.child.kill('SIGKILL');
      await first.exited;
      sim.faults.remove(latency.id);
      const marker = Math.max(0, ...sim.faults.stats.requests().map((r) => r.seq));

      const second = await serve(work, databaseUrl);
      try {
        const run = await until('the resumed run', async () => {
          const r = await call(second.url, 'GET', `/jumpcloud/${conn.id}/runs/${runId}`);
          return r.body.state !== 'running' ? r.body : undefined;
        });
        assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
        assert.equal(run.counts.users, 400);
        assert.equal(run.counts.groups, 24);
        assert.equal(run.counts.applications, 8);
        const again = sim.faults.stats.requests().filter((r) => r.seq > marker);
        assert.ok(!again.some((r) => r.url.startsWith('/api/systemusers')), 'the finished user list was not read again');
        assert.ok(!again.some((r) => /\/applications\/[^/]+\/users/.test(r.url)), 'finished applications were not read again');
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    });
  });
}
