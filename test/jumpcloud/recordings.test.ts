/**
 * The JumpCloud client and inventory mapping read the real recorded exchanges
 * (shared/jumpcloud-api-specs/recordings/*.har, console.jumpcloud.com 2021): a replay server answers each
 * recorded path with its recorded status, headers and body, and the client pages, parses and maps them.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { JumpCloudClient } from '../../src/jumpcloud/client.js';
import { mapApplication, mapGroup, mapUser, objectWithPaths } from '../../src/jumpcloud/inventory-mapping.js';
import { readAll } from '../../src/jumpcloud/paging.js';
import { loadRecordings, type HarEntry } from '../sim/helpers.js';

const recordings = loadRecordings();
const APP = '617c3664e6f8ae27f7e1201e';
const TEST_GROUP = '6026da081f24755306c2ee0d';
const USER = '6026bec6b8207255280d5981';

/** Answers a request with the recorded exchange of the same path and skip (the recordings page by 1 or 2). */
function replay(entries: HarEntry[]): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://replay');
    const skip = Number(url.searchParams.get('skip') ?? '0');
    const same = entries.filter((e) => e.method === request.method && e.url.pathname === url.pathname);
    // the first recorded page for skip 0; any later recorded page (empty) past it
    const entry = same.find((e) => Number(e.url.searchParams.get('skip') ?? '0') === 0 && skip === 0) ?? same.find((e) => Number(e.url.searchParams.get('skip') ?? '0') > 0);
    if (!entry) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'x-total-count', 'etag']) if (entry.responseHeaders[name] !== undefined) headers[name] = entry.responseHeaders[name]!;
    response.writeHead(entry.status, headers).end(entry.text);
  });
}

describe('the client reads the recorded JumpCloud answers', { skip: recordings === null ? 'shared/jumpcloud-api-specs/recordings not found (set JUMPCLOUD_SPECS_DIR)' : false }, () => {
  let server: Server;
  let client: JumpCloudClient;

  before(async () => {
    server = replay(recordings ?? []);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new JumpCloudClient({ apiKey: 'recorded', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pages v1 system users ({totalCount, results}) and maps the recorded user', async () => {
    const users = await readAll(client, '/api/systemusers', { sort: '_id' });
    assert.equal(users.length, 1);
    const user = mapUser(users[0]!);
    assert.ok(user);
    assert.equal(user.id, USER);
    assert.equal(user.name, 'austinkellehertest');
    assert.equal(user.email, 'austin.kelleher+testjc@jupiterone.com');
    assert.equal(user.data.state, 'ACTIVATED', 'the 2021 record has no state: activated users are ACTIVATED');
    assert.equal(user.data.suspended, false);
    assert.equal(user.data.passwordExpired, false);
    assert.equal(user.data.alternateEmail, null);
  });

  it('pages v2 user groups (bare array, x-total-count)', async () => {
    const groups = await readAll(client, '/api/v2/usergroups', { sort: '_id' });
    assert.deepEqual(groups.map((g) => mapGroup(g)?.name).sort(), ['All Users', 'My Test Group']);
  });

  it('maps the recorded SSO application: label, logo, SSO URL, type, certificate expiry', async () => {
    const apps = await readAll(client, '/api/applications', { sort: '_id' });
    assert.equal(apps.length, 1);
    const app = mapApplication(apps[0]!);
    assert.ok(app);
    assert.equal(app.id, APP);
    assert.equal(app.data.name, 'aws-sso');
    assert.equal(app.data.label, 'AWS SSO');
    assert.equal(app.data.logoUrl, 'https://s3.amazonaws.com/static.jumpcloud.com/applications/logos/application-icon-aws-sso.png');
    assert.equal(app.data.ssoUrl, 'https://sso.jumpcloud.com/saml2/aws-sso');
    assert.equal(app.data.type, 'saml');
    assert.equal(app.data.certificateExpiresAt, '2026-10-29T17:58:59.000Z');
  });

  it("reads an app's effective users with the group that grants access, and its groups", async () => {
    const users = (await readAll(client, `/api/v2/applications/${APP}/users`)).map(objectWithPaths);
    assert.deepEqual(users, [{ id: USER, type: 'user', viaGroups: [TEST_GROUP], direct: false }]);
    const groups = (await readAll(client, `/api/v2/applications/${APP}/usergroups`)).map(objectWithPaths);
    assert.deepEqual(groups.map((g) => g && { id: g.id, type: g.type }), [{ id: TEST_GROUP, type: 'user_group' }]);
  });

  it('reads the organizations list', async () => {
    const orgs = await readAll(client, '/api/organizations');
    assert.equal(orgs.length, 1);
    assert.equal(orgs[0]!._id, '60259a2ad81e1a474d4e7c83');
  });
});
