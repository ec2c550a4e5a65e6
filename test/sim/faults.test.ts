/** Fault injection (429 with and without Retry-After, 502, 503, latency, rate limits), per key or global, and the per-route counters. */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { call, timed } from './helpers.js';

let sim: Simulator;
let otherKey: string;

before(async () => {
  sim = await startSimulator({ seed: 'demo' });
  otherKey = sim.addApiKey({ orgIds: [sim.orgId] }).key;
});
afterEach(() => {
  sim.faults.clear();
});
after(async () => {
  await sim?.stop();
});

describe('status faults', () => {
  test('429 with Retry-After, once, then normal service', async () => {
    sim.faults.failWith(429, { retryAfter: 2, times: 1 });
    const limited = await call(sim, '/api/systemusers');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.deepEqual(limited.body, { message: 'Too Many Requests' });
    assert.equal((await call(sim, '/api/systemusers')).status, 200);
    assert.deepEqual(sim.faults.list(), [], 'a rule whose times ran out is removed');
  });

  test('429 without Retry-After', async () => {
    sim.faults.failWith(429);
    const limited = await call(sim, '/api/v2/usergroups');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
  });

  test('502 and 503 come as nginx HTML pages; 503 may carry Retry-After', async () => {
    sim.faults.failWith(502, { times: 1 });
    const bad = await call(sim, '/api/systemusers');
    assert.equal(bad.status, 502);
    assert.match(bad.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(bad.text, /<title>502 Bad Gateway<\/title>[\s\S]*nginx/);
    sim.faults.failWith(503, { times: 1, retryAfter: 5 });
    const unavailable = await call(sim, '/api/systemusers');
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.headers.get('retry-after'), '5');
    assert.match(unavailable.text, /503 Service Unavailable/);
  });

  test('a custom body; every Nth request; a fault before authentication', async () => {
    sim.faults.failWith(500, { body: { message: 'Internal Server Error', code: 500 }, every: 2 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(sim, '/api/systemusers')).status);
    assert.deepEqual(statuses, [200, 500, 200, 500]);
    sim.faults.clear();
    sim.faults.failWith(503);
    assert.equal((await call(sim, '/api/systemusers', { apiKey: null })).status, 503, 'the gateway answers before the key is checked');
  });

  test('per key and per route', async () => {
    sim.faults.failWith(503, { apiKey: otherKey });
    assert.equal((await call(sim, '/api/systemusers')).status, 200);
    assert.equal((await call(sim, '/api/systemusers', { apiKey: otherKey })).status, 503);
    sim.faults.clear();
    const userId = sim.tenant.users.list()[0]!._id;
    sim.faults.failWith(502, { path: '/api/v2/users/:id/memberof' });
    assert.equal((await call(sim, `/api/v2/users/${userId}/memberof`)).status, 502);
    assert.equal((await call(sim, `/api/systemusers/${userId}`)).status, 200);
    sim.faults.clear();
    sim.faults.failWith(429, { path: '/api/v2/', method: 'GET' });
    assert.equal((await call(sim, '/api/v2/usergroups')).status, 429);
    assert.equal((await call(sim, '/api/systemusers')).status, 200);
  });

  test('faults never touch the control API', async () => {
    sim.faults.failWith(503);
    const control = await fetch(`${sim.consoleUrl}/sim/state`);
    assert.equal(control.status, 200);
  });
});

describe('latency and rate limits', () => {
  test('added latency delays the answer', async () => {
    sim.faults.addLatency(150);
    const { ms, result } = await timed(() => call(sim, '/api/organizations'));
    assert.equal(result.status, 200);
    assert.ok(ms >= 140, `took ${ms} ms`);
    sim.faults.clear();
    sim.faults.addLatency(150, { apiKey: otherKey });
    const fast = await timed(() => call(sim, '/api/organizations'));
    assert.ok(fast.ms < 140, `the other key is not delayed (${fast.ms} ms)`);
  });

  test('a request-rate limit answers 429 with Retry-After above the rate, per key', async () => {
    sim.faults.rateLimit(5);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await call(sim, '/api/organizations')).status);
    assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
    assert.ok(statuses.slice(5).every((s) => s === 429), statuses.join(','));
    const limited = await call(sim, '/api/organizations');
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal((await call(sim, '/api/organizations', { apiKey: otherKey })).status, 200, 'another key has its own bucket');
    await new Promise((r) => setTimeout(r, 450));
    assert.equal((await call(sim, '/api/organizations')).status, 200, 'tokens come back at the rate');
  });

  test('a shared bucket without Retry-After', async () => {
    sim.faults.rateLimit(2, { shared: true, retryAfter: false });
    assert.equal((await call(sim, '/api/organizations')).status, 200);
    assert.equal((await call(sim, '/api/organizations', { apiKey: otherKey })).status, 200);
    const limited = await call(sim, '/api/organizations');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), null);
  });
});

describe('counters and the control API', () => {
  test('requests are counted per route, with their statuses, and logged', async () => {
    sim.faults.stats.reset();
    const id = sim.tenant.users.list()[0]!._id;
    await call(sim, '/api/systemusers');
    await call(sim, '/api/systemusers?skip=10');
    await call(sim, `/api/systemusers/${id}`);
    await call(sim, '/api/systemusers/0123456789abcdef01234567');
    await call(sim, '/api/unknown');
    assert.equal(sim.faults.stats.count('GET /api/systemusers'), 2);
    const snapshot = sim.faults.stats.snapshot();
    assert.deepEqual(snapshot.routes['GET /api/systemusers/:id'], { count: 2, statuses: { 200: 1, 404: 1 } });
    assert.equal(snapshot.routes['GET (unmatched)']?.count, 1);
    assert.equal(snapshot.total, 5);
    const log = sim.faults.stats.requests();
    assert.equal(log.length, 5);
    assert.equal(log[0]!.apiKey, sim.apiKey.slice(0, 6));
    assert.equal(log[0]!.orgId, sim.orgId);
  });

  test('faults and stats over HTTP: POST/GET/DELETE /sim/faults, GET/DELETE /sim/stats, GET /sim/requests', async () => {
    const control = (path: string, init: { method?: string; body?: unknown } = {}) =>
      fetch(`${sim.consoleUrl}/sim${path}`, { method: init.method ?? 'GET', headers: init.body ? { 'content-type': 'application/json' } : {}, body: init.body ? JSON.stringify(init.body) : undefined });
    const created = await control('/faults', { method: 'POST', body: { kind: 'status', status: 429, retryAfter: 1 } });
    assert.equal(created.status, 201);
    const rule = (await created.json()) as { id: string };
    assert.equal((await call(sim, '/api/systemusers')).status, 429);
    assert.deepEqual(((await (await control('/faults')).json()) as { rules: { id: string }[] }).rules.map((r) => r.id), [rule.id]);
    assert.equal((await control(`/faults/${rule.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await control(`/faults/${rule.id}`, { method: 'DELETE' })).status, 404);
    assert.equal((await call(sim, '/api/systemusers')).status, 200);
    assert.equal((await control('/faults', { method: 'POST', body: { kind: 'status', status: 200 } })).status, 400);
    assert.equal((await control('/faults', { method: 'POST', body: { kind: 'latency', ms: 10 } })).status, 201);
    assert.equal((await control('/faults', { method: 'POST', body: { kind: 'rateLimit', perSecond: 100, apiKey: otherKey } })).status, 201);
    assert.equal((await control('/faults', { method: 'DELETE' })).status, 204);
    assert.deepEqual(sim.faults.list(), []);
    const stats = (await (await control('/stats')).json()) as { total: number; routes: Record<string, { count: number }> };
    assert.ok(stats.total >= 2 && (stats.routes['GET /api/systemusers']?.count ?? 0) >= 2);
    const requests = (await (await control('/requests?limit=2')).json()) as { requests: { status: number }[] };
    assert.equal(requests.requests.length, 2);
    assert.equal((await control('/stats', { method: 'DELETE' })).status, 204);
    assert.equal(sim.faults.stats.snapshot().total, 0);
  });
});
