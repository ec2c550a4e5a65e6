import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBox, SecretBoxError } from '../../src/core/secret-box.js';
import { backoffDelay } from '../../src/core/webhook-worker.js';
import { signatureHeader } from '../../src/core/webhook-signature.js';
import { verifyWebhook, WebhookVerificationError } from '../../sdk/verify-webhook.js';

describe('webhook building blocks', () => {
  it('seals secrets with AES-256-GCM: round trip, fresh IV, tamper and context detection, wrong key', () => {
    const key = randomBytes(32);
    const box = new SecretBox(key);
    const a = box.seal('whsec_abc', 'whe_1');
    assert.notEqual(a, box.seal('whsec_abc', 'whe_1'), 'a fresh IV every time');
    assert.doesNotMatch(a, /whsec_abc/);
    assert.equal(box.open(a, 'whe_1'), 'whsec_abc');
    assert.throws(() => box.open(a, 'whe_2'), SecretBoxError, 'bound to its row');
    const parts = a.split('.');
    parts[3] = Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url');
    assert.throws(() => box.open(parts.join('.'), 'whe_1'), SecretBoxError);
    assert.throws(() => new SecretBox(randomBytes(32)).open(a, 'whe_1'), SecretBoxError);
    assert.throws(() => box.open('garbage', 'whe_1'), SecretBoxError);
    assert.throws(() => new SecretBox(randomBytes(16)), SecretBoxError);
  });

  it('backs off exponentially with jitter, capped', () => {
    const config = { backoffBaseMs: 10_000, backoffMaxMs: 6 * 3600_000 };
    assert.equal(backoffDelay(1, config, () => 0), 5_000);
    assert.equal(backoffDelay(1, config, () => 1), 10_000);
    assert.equal(backoffDelay(4, config, () => 1), 80_000);
    assert.equal(backoffDelay(100, config, () => 1), 6 * 3600_000);
    for (let n = 1; n < 30; n++) {
      const d = backoffDelay(n, config);
      const cap = Math.min(config.backoffMaxMs, 10_000 * 2 ** (n - 1));
      assert.ok(d >= cap / 2 && d <= cap, `attempt ${n}: ${d}`);
    }
  });

  it('the SDK verifies what Gatehouse signs, and refuses the rest', () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'user.created', data: { é: 'ü' } });
    const now = 1_800_000_000;
    const header = signatureHeader('whsec_s', now, body);
    assert.equal(verifyWebhook(body, header, 'whsec_s', { now }).id, 'evt_1');
    assert.equal(verifyWebhook(Buffer.from(body), header, 'whsec_s', { now: now + 299 }).id, 'evt_1');
    assert.equal(verifyWebhook(body, `t=${now},v1=${'0'.repeat(64)},${header.split(',')[1]}`, 'whsec_s', { now }).id, 'evt_1', 'any v1 may match');
    for (const [label, h, opts] of [
      ['stale', header, { now: now + 301 }],
      ['future', header, { now: now - 301 }],
      ['no header', undefined, { now }],
      ['no t', header.split(',')[1], { now }],
      ['no v1', `t=${now}`, { now }],
      ['short v1', `t=${now},v1=abcd`, { now }],
      ['other secret', signatureHeader('whsec_other', now, body), { now }],
      ['other timestamp', `t=${now + 1},${header.split(',')[1]}`, { now }],
    ] as const) {
      assert.throws(() => verifyWebhook(body, h as string | undefined, 'whsec_s', opts), WebhookVerificationError, label);
    }
  });
});
