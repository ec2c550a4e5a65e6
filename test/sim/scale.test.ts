/** 50,000 users: the seed is fast and small, and the console API serves every page of it. */
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { after, before, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { call, timed, type V1List } from './helpers.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const USERS = 50_000;
let sim: Simulator;
let baseline: number;
let seedMs: number;

before(async () => {
  gc();
  baseline = process.memoryUsage().heapUsed;
  const started = await timed(() => startSimulator({ seed: { users: USERS, groups: 50, apps: 10 } }));
  sim = started.result;
  seedMs = started.ms;
});
after(async () => {
  await sim?.stop();
});

function heapGrowthMb(): number {
  gc();
  return (process.memoryUsage().heapUsed - baseline) / 1024 / 1024;
}

test(`${USERS} users seed in under 10 s with under 300 MB of heap`, (t) => {
  assert.equal(sim.tenant.users.size, USERS);
  assert.ok(seedMs < 10_000, `seeded and started in ${Math.round(seedMs)} ms`);
  const growth = heapGrowthMb();
  t.diagnostic(`seed and start: ${Math.round(seedMs)} ms; heap growth: ${Math.round(growth)} MB`);
  assert.ok(growth < 300, `heap grew ${Math.round(growth)} MB`);
});

test('every page of /api/systemusers, 100 at a time, each user once', async (t) => {
  const ids = new Set<string>();
  const pages = USERS / 100;
  const { ms } = await timed(async () => {
    for (let start = 0; start < pages; start += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, pages - start) }, (_, i) => call(sim, `/api/systemusers?limit=100&skip=${(start + i) * 100}`)),
      );
      for (const page of batch) {
        const body = page.body as V1List;
        assert.equal(body.totalCount, USERS);
        for (const u of body.results) ids.add(u._id as string);
      }
    }
  });
  assert.equal(ids.size, USERS);
  assert.ok(ms < 20_000, `paged in ${Math.round(ms)} ms`);
  const growth = heapGrowthMb();
  t.diagnostic(`500 pages: ${Math.round(ms)} ms; heap growth after serving: ${Math.round(growth)} MB`);
  assert.ok(growth < 300, `heap grew ${Math.round(growth)} MB after serving`);
});

test('filters, sorts and graph traversals at scale answer quickly', async () => {
  const { ms, result } = await timed(async () => {
    const sorted = await call(sim, '/api/systemusers?limit=100&skip=49900&sort=-username');
    const filtered = await call(sim, '/api/systemusers?limit=100&filter=state:$eq:STAGED');
    const appId = sim.tenant.apps.list()[0]!._id;
    const appUsers = await call(sim, `/api/v2/applications/${appId}/users?limit=100&skip=49950`);
    const all = sim.tenant.groupByName('All Users')!.id;
    const members = await call(sim, `/api/v2/usergroups/${all}/members?limit=100&skip=100`);
    return { sorted, filtered, appUsers, members };
  });
  assert.equal((result.sorted.body as V1List).results.length, 100);
  const staged = (result.filtered.body as V1List).totalCount;
  assert.ok(staged > USERS * 0.03 && staged < USERS * 0.07, `${staged} STAGED`);
  assert.equal(result.appUsers.headers.get('x-total-count'), String(USERS));
  assert.equal((result.appUsers.body as unknown[]).length, 50);
  assert.equal(result.members.headers.get('x-total-count'), String(USERS));
  assert.ok(ms < 5_000, `took ${Math.round(ms)} ms`);
});
