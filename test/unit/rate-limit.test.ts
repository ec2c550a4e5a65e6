import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, ConfigError } from '../../src/config.js';
import { TokenBuckets } from '../../src/http/rate-limit.js';

describe('TokenBuckets', () => {
  it('admits the capacity, then tells how long to wait, and refills at the rate', () => {
    const buckets = new TokenBuckets(3, 1, 100);
    assert.deepEqual([0, 1, 2, 3].map(() => buckets.take('k', 1000)), [0, 0, 0, 1]);
    assert.equal(buckets.waitFor('k', 1000), 1);
    assert.equal(buckets.take('k', 2000), 0);
    assert.equal(buckets.take('k', 2000), 1);
    assert.equal(buckets.waitFor('unknown', 2000), 0);
  });

  it('keeps at most maxKeys buckets, forgetting the least recently used', () => {
    const buckets = new TokenBuckets(1, 0.001, 100);
    for (let i = 0; i < 10_000; i++) buckets.take(`addr-${i}`, 0);
    assert.equal(buckets.size, 100);
    assert.equal(buckets.waitFor('addr-9999', 0) > 0, true, 'a recent key is remembered');
    assert.equal(buckets.waitFor('addr-0', 0), 0, 'an old key is forgotten');
  });
});

describe('limit configuration', () => {
  it('rejects nonsense and applies defaults', () => {
    const c = loadConfig({});
    assert.equal(c.limits.scimRatePerSecond, 1000);
    assert.equal(c.limits.scimBurst, 2000);
    assert.equal(c.limits.authFailureLimit, 30);
    assert.equal(c.trustProxy, false);
    assert.equal(loadConfig({ GATEHOUSE_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(loadConfig({ GATEHOUSE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, '10.0.0.0/8, 127.0.0.1');
    for (const env of [{ GATEHOUSE_SCIM_RATE_LIMIT: '-1' }, { GATEHOUSE_AUTH_FAILURE_WINDOW_MS: '5' }, { GATEHOUSE_TRUST_PROXY: 'maybe;rm' }, { GATEHOUSE_METRICS_PER_DIRECTORY: 'perhaps' }, { GATEHOUSE_ADMIN_BODY_LIMIT: '1e9x' }]) {
      assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
    }
  });
});
