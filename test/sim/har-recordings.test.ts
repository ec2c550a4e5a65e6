/**
 * Every request of the real JumpCloud recordings (shared/jumpcloud-api-specs/recordings/*.har), replayed
 * against the simulator: (1) seeded with the recorded tenant itself, the answers equal the recorded ones
 * (same status, headers of note, and body, except "[REDACTED]" values and fields newer than the 2021
 * recordings); (2) seeded with the demo, the answers have the recorded structure.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import type { Tenant } from '../../sim/tenant/tenant.js';
import { alignToRecording, call, loadRecordings, structureDiff, type HarEntry } from './helpers.js';

const recordings = loadRecordings();

/** Fields the simulator adds to the 2021 recordings: `state` (absent from the older user recordings) and the spec's `membershipMethod`. */
const NEWER_FIELDS = ['state', 'membershipMethod'] as const;

const RECORDED = {
  orgId: '60259a2ad81e1a474d4e7c83',
  orgCreated: '2021-02-11T20:57:14.837Z',
  allUsers: '60259a3cb544065d1eaf2760',
  testGroup: '6026da081f24755306c2ee0d',
  user: '6026bec6b8207255280d5981',
  app: '617c3664e6f8ae27f7e1201e',
};

/** The recorded tenant, rebuilt through the tenant methods. */
function loadRecordedTenant(tenant: Tenant): void {
  tenant.reseed('recorded', (t) => {
    t.createGroup({ id: RECORDED.allUsers, name: 'All Users', created: '2021-02-11T20:57:32.000Z' });
    t.createGroup({ id: RECORDED.testGroup, name: 'My Test Group', description: 'Testing!', created: '2021-02-12T19:41:28.000Z' });
    t.createUser({
      _id: RECORDED.user,
      username: 'austinkellehertest',
      email: 'austin.kelleher+testjc@jupiterone.com',
      firstname: 'Austin',
      lastname: 'Kelleher',
      displayname: 'Austin K',
      description: 'Testing desc',
      state: 'ACTIVATED',
      activated: false,
      created: '2021-02-12T17:45:42.369Z',
    });
    t.addMember(RECORDED.testGroup, RECORDED.user);
    t.createApp({ _id: RECORDED.app, name: 'aws-sso', displayLabel: 'AWS SSO', slug: 'aws-sso', created: '2021-10-29T17:59:00.448Z' });
    t.bindGroup(RECORDED.app, RECORDED.testGroup, { Hello: 'World', ldapGroups: [{ name: 'My Test Group' }] });
  });
}

function pathOf(entry: HarEntry, appId: string): string {
  return `${entry.url.pathname.replace(RECORDED.app, appId)}${entry.url.search}`;
}

function label(entry: HarEntry): string {
  return `${entry.file}: ${entry.method} ${entry.url.pathname}${entry.url.search}`;
}

describe('the recorded JumpCloud exchanges', { skip: recordings === null ? 'shared/jumpcloud-api-specs/recordings not found (set JUMPCLOUD_SPECS_DIR)' : false }, () => {
  let recorded: Simulator;
  let demo: Simulator;

  before(async () => {
    recorded = await startSimulator({ seed: 'none', organization: { _id: RECORDED.orgId, displayName: null, created: RECORDED.orgCreated }, ssoBaseUrl: 'https://sso.jumpcloud.com' });
    loadRecordedTenant(recorded.tenant);
    demo = await startSimulator({ seed: 'demo' });
  });

  after(async () => {
    await recorded?.stop();
    await demo?.stop();
  });

  test('there are recordings to replay', () => {
    assert.ok(recordings && recordings.length >= 20, `found ${recordings?.length} entries`);
  });

  for (const entry of recordings ?? []) {
    test(`recorded tenant: ${label(entry)}`, async () => {
      const answer = await call(recorded, pathOf(entry, RECORDED.app), { method: entry.method, headers: { 'x-org-id': entry.requestHeaders['x-org-id'] ?? '', contenttype: 'application/json' } });
      assert.equal(answer.status, entry.status);
      assert.equal(answer.headers.get('content-type'), entry.responseHeaders['content-type']);
      assert.equal(answer.headers.get('cache-control'), entry.responseHeaders['cache-control']);
      assert.equal(answer.headers.get('x-total-count'), entry.responseHeaders['x-total-count'] ?? null);
      assert.match(answer.headers.get('x-response-time') ?? '', /^\d+\.\d{3}ms$/);
      assert.match(answer.headers.get('etag') ?? '', /^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
      if (answer.text === entry.text) assert.equal(answer.headers.get('etag'), entry.responseHeaders.etag, 'same body, same etag');

      const want = JSON.parse(entry.text) as unknown;
      assert.deepEqual(structureDiff(want, answer.body, { allowedExtra: NEWER_FIELDS, sameLength: true }), []);
      assert.deepStrictEqual(alignToRecording(want, answer.body, NEWER_FIELDS), want);
    });

    test(`demo tenant: ${label(entry)}`, async () => {
      const appId = demo.tenant.apps.find((a) => a.name === 'aws-sso')!._id;
      const answer = await call(demo, pathOf(entry, appId), { method: entry.method, headers: { 'x-org-id': '' } });
      assert.equal(answer.status, entry.status);
      assert.equal(answer.headers.get('content-type'), entry.responseHeaders['content-type']);
      assert.equal(answer.headers.has('x-total-count'), 'x-total-count' in entry.responseHeaders);
      if (answer.headers.has('x-total-count')) assert.ok(Number(answer.headers.get('x-total-count')) >= (answer.body as unknown[]).length);
      const want = JSON.parse(entry.text) as unknown;
      const demoExtras = [
        ...NEWER_FIELDS,
        'alternateEmail',
        'recoveryEmail',
        'manager',
        'password_date',
        'password_expiration_date',
        'mfaEnrollment',
        'tags',
        'admin',
        'creationSource',
        'exclusionUntil',
        'exclusionDays',
      ];
      assert.deepEqual(structureDiff(want, answer.body, { allowedExtra: demoExtras, nullMatchesAny: true }), []);
      if (Array.isArray(want)) assert.ok(Array.isArray(answer.body), 'v2 lists are bare arrays');
      else assert.deepEqual(Object.keys(answer.body as object).sort(), Object.keys(want as object).sort(), 'v1 lists are {totalCount, results}');
    });
  }
});
