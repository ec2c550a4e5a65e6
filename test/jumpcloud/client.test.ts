/**
 * The JumpCloud client against the simulator's console API with fault injection: retries of 429 (with and
 * without Retry-After), 502 and 503, timeouts under latency, bounded concurrency, the request budget,
 * v1/v2 paging, multi-tenant x-org-id, and clear 401/403 errors. (No database: the client stands alone.)
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { JumpCloudClient, resolveBaseUrl, type JumpCloudClientOptions } from '../../src/jumpcloud/client.js';
import { JumpCloudError } from '../../src/jumpcloud/errors.js';
import { readAll, readAllPages } from '../../src/jumpcloud/paging.js';
import { backoffMs, DEFAULT_RETRY, retryAfterMs } from '../../src/jumpcloud/retry.js';

describe('JumpCloud client', () => {
  let sim: Simulator;
  const client = (options: Partial<JumpCloudClientOptions> = {}) => new JumpCloudClient({ apiKey: sim.apiKey, baseUrl: sim.consoleUrl, retry: { baseDelayMs: 10, maxDelayMs: 2000 }, ...options });

  before(async () => {
    sim = await startSimulator({ seed: { users: 250, groups: 5, apps: 3 } });
  });
  after(() => sim.stop());
  beforeEach(() => sim.faults.clear());

  it('resolves regions and base URLs', () => {
    assert.equal(resolveBaseUrl(undefined), 'https://console.jumpcloud.com');
    assert.equal(resolveBaseUrl('eu'), 'https://console.eu.jumpcloud.com');
    assert.equal(resolveBaseUrl('in'), 'https://console.in.jumpcloud.com');
    assert.equal(resolveBaseUrl('http://127.0.0.1:8090/api/'), 'http://127.0.0.1:8090');
    assert.throws(() => resolveBaseUrl('gopher://x'), JumpCloudError);
  });

  it('pages v1 and v2 lists completely with limit 100, skip and sort=_id', async () => {
    const c = client();
    const users = await readAll(c, '/api/systemusers', { sort: '_id' });
    assert.equal(users.length, 250);
    assert.equal(new Set(users.map((u) => u._id)).size, 250);
    assert.equal((await readAll(c, '/api/v2/usergroups', { sort: '_id' })).length, 5);
    const urls = sim.faults.stats.requests().map((r) => r.url).filter((u: string) => u.startsWith('/api/systemusers'));
    assert.ok(urls.every((u: string) => /limit=100/.test(u) && /sort=_id/.test(u)), urls.join(' '));
    assert.ok(urls.some((u: string) => /skip=200/.test(u)));
  });

  it('honours Retry-After on 429', async () => {
    sim.faults.failWith(429, { retryAfter: 1, times: 1 });
    const c = client();
    const started = Date.now();
    await c.get('/api/systemusers', { limit: 1 });
    assert.ok(Date.now() - started >= 950, 'waited the second Retry-After asked for');
    assert.equal(c.stats.retries, 1);
    assert.equal(c.stats.byStatus['429'], 1);
  });

  it('backs off on 429 without Retry-After, 502 and 503, and gives up with a clear error', async () => {
    sim.faults.failWith(429, { times: 1 });
    sim.faults.failWith(502, { times: 1 });
    sim.faults.failWith(503, { times: 1 });
    const c = client();
    await c.get('/api/systemusers', { limit: 1 });
    assert.equal(c.stats.retries, 3);
    sim.faults.failWith(503);
    const failing = client({ retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    await assert.rejects(failing.get('/api/systemusers'), (e: JumpCloudError) => e.kind === 'unavailable' && e.status === 503 && /after every retry/.test(e.message));
    assert.equal(failing.stats.requests, 3);
  });

  it('times out a slow answer, retries, then reports the timeout', async () => {
    sim.faults.addLatency(300);
    const c = client({ timeoutMs: 50, retry: { maxRetries: 1, baseDelayMs: 5 } });
    await assert.rejects(c.get('/api/systemusers'), (e: JumpCloudError) => e.kind === 'timeout');
    assert.equal(c.stats.requests, 2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    sim.faults.addLatency(100);
    const c = client({ concurrency: 3 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 9 }, () => c.get('/api/systemusers', { limit: 1 })));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 290, `9 requests of 100 ms, 3 at a time, took ${elapsed} ms`);
    assert.ok(elapsed < 900, `and ran in parallel (${elapsed} ms)`);
  });

  it('stops at the request budget', async () => {
    const c = client({ requestBudget: 2 });
    await assert.rejects(readAllPages(c, '/api/systemusers', {}, () => {}), (e: JumpCloudError) => e.kind === 'budget_exhausted');
    assert.equal(c.stats.requests, 2);
  });

  it('explains a bad key (401) and missing rights (403), without retrying', async () => {
    const bad = new JumpCloudClient({ apiKey: 'k3y-not-valid', baseUrl: sim.consoleUrl });
    await assert.rejects(bad.get('/api/systemusers'), (e: JumpCloudError) => e.kind === 'unauthorized' && /refused the API key/.test(e.message) && !/k3y-not-valid/.test(e.message));
    assert.equal(bad.stats.requests, 1);
    sim.faults.failWith(403, { path: '/api/users' });
    await assert.rejects(client().get('/api/users'), (e: JumpCloudError) => e.kind === 'forbidden' && /rights/.test(e.message));
  });

  it('sends x-org-id for a multi-tenant key (and none to the organizations list)', async () => {
    const other = sim.addOrganization({ seed: 'none' });
    const key = sim.addApiKey({ orgIds: [sim.orgId, other.orgId] });
    await assert.rejects(new JumpCloudClient({ apiKey: key.key, baseUrl: sim.consoleUrl }).get('/api/systemusers'), (e: JumpCloudError) => e.kind === 'unauthorized' && /multi-tenant/.test(e.message));
    const scoped = new JumpCloudClient({ apiKey: key.key, baseUrl: sim.consoleUrl, orgId: other.orgId });
    assert.deepEqual((await scoped.get('/api/systemusers')).body, { totalCount: 0, results: [] });
    const orgs = await readAll(new JumpCloudClient({ apiKey: key.key, baseUrl: sim.consoleUrl }), '/api/organizations');
    assert.equal(orgs.length, 2);
  });

  it('computes backoff and reads Retry-After in seconds and as a date', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs(new Date(Date.now() + 3000).toUTCString())! > 1000, true);
    assert.equal(retryAfterMs('soon'), null);
    assert.equal(backoffMs(DEFAULT_RETRY, 1, 120_000), DEFAULT_RETRY.maxDelayMs, 'a huge Retry-After is capped');
    const d = backoffMs({ maxRetries: 5, baseDelayMs: 100, maxDelayMs: 10_000 }, 3, null, () => 1);
    assert.equal(d, 400);
  });
});
