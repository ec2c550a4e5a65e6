/**
 * JumpCloud runs across restarts and nodes: a run interrupted by a shutdown is resumed by the next node to
 * start on the same database, redoing only its unfinished steps; two nodes never run the same connection
 * at once (the database's partial unique index), and a periodic sync due on both nodes starts once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { loadConfig } from '../../src/config.js';
import { startRuntime, type Runtime } from '../../src/runtime.js';
import { dialects, freshDatabaseUrl } from '../support/databases.js';
import { freePort } from '../support/embedded-postgres.js';
import { http, ADMIN_KEY } from '../support/server.js';

async function node(databaseUrl: string): Promise<Runtime> {
  return startRuntime(
    loadConfig({
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      DATABASE_URL: databaseUrl,
      GATEHOUSE_ADMIN_KEY: ADMIN_KEY,
      GATEHOUSE_SECRET_KEY: 'test-secret-key-0123456789abcdef0123456789',
      NODE_ENV: 'test',
      GATEHOUSE_JUMPCLOUD_CONCURRENCY: '2',
      GATEHOUSE_JUMPCLOUD_HEARTBEAT_MS: '50',
      GATEHOUSE_JUMPCLOUD_TICK_MS: '100',
      GATEHOUSE_JUMPCLOUD_BACKOFF_MS: '20',
    }),
  );
}

const call = (runtime: Runtime, method: string, path: string, body?: unknown) => http(method, `${runtime.url}/api${path}`, { token: ADMIN_KEY, ...(body !== undefined ? { body } : {}) });

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const dialect of dialects) {
  describe(`JumpCloud runs across restarts and nodes (${dialect})`, () => {
    let sim: Simulator;
    let databaseUrl: string;
    let dir: string | undefined;
    const open: Runtime[] = [];

    before(async () => {
      sim = await startSimulator({ seed: { users: 400, groups: 24, apps: 8 } });
      if (dialect === 'sqlite') {
        dir = mkdtempSync(join(tmpdir(), 'gh-jc-'));
        databaseUrl = `sqlite:${join(dir, 'gatehouse.db')}`;
      } else databaseUrl = await freshDatabaseUrl('postgres');
    });
    after(async () => {
      for (const r of open) await r.close();
      await sim.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('resumes a run interrupted by a shutdown, redoing only unfinished steps', async () => {
      const first = await node(databaseUrl);
      const org = await call(first, 'POST', '/organizations', { name: 'Resume' });
      const conn = await call(first, 'POST', `/organizations/${org.body.id}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl });
      assert.equal(conn.status, 201, conn.text);
      const latency = sim.faults.addLatency(40);
      const started = await call(first, 'POST', `/jumpcloud/${conn.body.id}/sync`);
      assert.equal(started.status, 202);
      const runId = started.body.runId as string;
      await until('some graph steps', async () => {
        const r = await call(first, 'GET', `/jumpcloud/${conn.body.id}/runs/${runId}`);
        return r.body.progress.graph.done >= 12 ? r.body : undefined; // the 8 apps come first, then groups
      });
      await first.close();
      sim.faults.remove(latency.id);
      const listCalls = sim.faults.stats.count('GET /api/systemusers');
      const marker = Math.max(0, ...sim.faults.stats.requests().map((r) => r.seq));

      const second = await node(databaseUrl);
      open.push(second);
      const run = await until('the resumed run', async () => {
        const r = await call(second, 'GET', `/jumpcloud/${conn.body.id}/runs/${runId}`);
        return r.body.state !== 'running' ? r.body : undefined;
      });
      assert.equal(run.state, 'succeeded', JSON.stringify(run.error));
      assert.equal(run.counts.users, 400);
      assert.equal(run.counts.groups, 24);
      assert.equal(run.counts.applications, 8);
      assert.equal(sim.faults.stats.count('GET /api/systemusers'), listCalls, 'the finished user list was not read again');
      const groupsRead = new Set(sim.faults.stats.requests().filter((r) => r.seq > marker && /\/usergroups\/[^/]+\/members/.test(r.url)).map((r) => r.url.split('/')[4]));
      assert.ok(groupsRead.size > 0 && groupsRead.size < 24, `only unfinished groups were read again (${groupsRead.size})`);
      assert.ok(!sim.faults.stats.requests().some((r) => r.seq > marker && /\/applications\/[^/]+\/users/.test(r.url)), 'finished applications were not read again');
      const memberships = sim.tenant.groups.list().reduce((n, g) => n + sim.tenant.membersOf(g.id).length, 0);
      assert.equal(run.counts.memberships, memberships);
    });

    it('never runs one connection on two nodes at once, and starts a due periodic sync once', async () => {
      const a = open[0]!;
      // SQLite is one process: the "second node" is the same one (the database index still decides)
      const b = dialect === 'sqlite' ? a : await node(databaseUrl);
      if (b !== a) open.push(b);
      const org = await call(a, 'POST', '/organizations', { name: 'Two nodes' });
      const conn = await call(a, 'POST', `/organizations/${org.body.id}/jumpcloud`, { apiKey: sim.apiKey, apiBaseUrl: sim.consoleUrl, syncIntervalMinutes: 5 });
      const latency = sim.faults.addLatency(30);
      try {
        const answers = await Promise.all([call(a, 'POST', `/jumpcloud/${conn.body.id}/sync`), call(b, 'POST', `/jumpcloud/${conn.body.id}/sync`)]);
        assert.deepEqual(answers.map((r) => r.status).sort(), [202, 409]);
        const runId = answers.find((r) => r.status === 202)!.body.runId;
        await until('the manual run', async () => ((await call(a, 'GET', `/jumpcloud/${conn.body.id}/runs/${runId}`)).body.state !== 'running' ? true : undefined));
        const later = new Date(Date.now() + 6 * 60_000);
        await Promise.all([a.gatehouse.jumpcloud.tick(later), b.gatehouse.jumpcloud.tick(later)]);
        const runs = await call(a, 'GET', `/jumpcloud/${conn.body.id}/runs`);
        const scheduled = runs.body.data.filter((r: any) => r.trigger === 'schedule');
        assert.equal(scheduled.length, 1, JSON.stringify(runs.body.data.map((r: any) => [r.trigger, r.state])));
        const done = await until('the scheduled run', async () => {
          const r = await call(b, 'GET', `/jumpcloud/${conn.body.id}/runs/${scheduled[0].id}`);
          return r.body.state !== 'running' ? r.body : undefined;
        });
        assert.equal(done.state, 'succeeded');
      } finally {
        sim.faults.remove(latency.id);
      }
    });
  });
}
