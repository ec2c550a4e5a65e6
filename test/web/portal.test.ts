/**
 * The admin portal end to end, in Debian's chromium (playwright-core), on SQLite and PostgreSQL: sign in,
 * create an organization, issue a SCIM token in the page, let the simulator's JumpCloud connector push,
 * see the users (search, state filter, roles, raw attributes), groups and members, edit the role mapping,
 * follow the event log, add a webhook and redeliver, rotate the token, and open a setup link restricted to
 * the organization. axe-core checks every page; screenshots land in test-artifacts/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { assertAccessible, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, adminClient, http, scimClient, startTestServer, type TestServer } from '../support/server.js';
import { startReceiver, waitFor, type Receiver } from '../support/webhook-receiver.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const dialect of dialects) {
  describe(`admin portal in a browser (${dialect})`, () => {
    let server: TestServer;
    let sim: Simulator;
    let receiver: Receiver;
    let context: BrowserContext;
    let page: Page;
    let errors: string[];
    let orgId: string;
    let endpoint: string;
    let token: string;
    let dirId: string;
    const ids: Record<string, string> = {};
    const shot = (name: string) => screenshot(page, `${dialect}-${name}`);

    before(async () => {
      [server, sim, receiver] = await Promise.all([startTestServer(dialect, { GATEHOUSE_WEBHOOK_POLL_MS: '50' }), startSimulator({ seed: 'none' }), startReceiver()]);
      ({ context, page, errors } = await newPage(browser));
      page.setDefaultTimeout(15_000);
    });
    after(async () => {
      await context?.close();
      await sim?.stop();
      await receiver?.close();
      await server?.close();
    });

    const tab = (name: string) => page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name, exact: true }).click();

    it('refuses a wrong key, then signs in with the admin key', async () => {
      await page.goto(`${server.url}/admin/`);
      await assertAccessible(page, 'sign-in');
      await page.getByLabel('Admin key').fill('gha_wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').getByText('That key was not accepted.').waitFor();
      await page.getByLabel('Admin key').fill(ADMIN_KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
      await shot('01-organizations');
    });

    it('creates an organization and issues a SCIM token in the page (shown once, with copy buttons)', async () => {
      await page.getByLabel('Name').fill('Acme Corp');
      await page.getByLabel('Domains (optional, comma separated)').fill('acme.example');
      await page.getByRole('button', { name: 'Create organization' }).click();
      await page.getByRole('heading', { name: 'SCIM Provisioning' }).waitFor();
      orgId = decodeURIComponent(/\/orgs\/([^/]+)\/scim/.exec(page.url())![1]!);
      assert.equal((await adminClient(server).call('GET', `/organizations/${orgId}`)).body.name, 'Acme Corp');
      assert.equal(await page.getByLabel('JumpCloud').isChecked(), true, 'JumpCloud is the first, chosen provider');
      await assertAccessible(page, 'provider choice');
      await page.getByRole('button', { name: 'Get Endpoint URL and token' }).click();
      await page.getByTestId('issued-credentials').waitFor();
      endpoint = await page.getByRole('textbox', { name: 'Endpoint URL', exact: true }).inputValue();
      token = await page.getByRole('textbox', { name: 'Bearer token', exact: true }).inputValue();
      assert.match(endpoint, new RegExp(`^${server.url}/scim/v2/dir_`));
      assert.match(token, /^ghd_/);
      dirId = endpoint.split('/').pop()!;
      await page.getByRole('button', { name: 'Copy Endpoint URL', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Copy Bearer token', exact: true }).waitFor();
      const issued = page.getByTestId('issued-credentials');
      await issued.getByText('Step-by-step: connect JumpCloud').waitFor();
      await issued.getByText('Test Connection').waitFor();
      await assertAccessible(page, 'issued credentials');
      await shot('02-scim-token');
      const probe = await http('GET', `${endpoint}/ServiceProviderConfig`, { token });
      assert.equal(probe.status, 200, 'the token shown in the page works');
      await page.getByRole('button', { name: 'I have copied the token' }).click();
      assert.equal(await page.getByRole('textbox', { name: 'Bearer token', exact: true }).count(), 0, 'the token is gone from the page');
    });

    it("lets the simulator's JumpCloud connector push; the live status and the Users tab show the users", async () => {
      const app = sim.tenant.createApp({ displayLabel: `Portal ${dialect}` });
      const person = (name: string, last: string) =>
        sim.tenant.createUser({ username: name, email: `${name}@acme.example`, firstname: name[0]!.toUpperCase() + name.slice(1), lastname: last, jobTitle: 'Engineer' });
      const [alice, bob, carol] = [person('alice', 'Archer'), person('bob', 'Baker'), person('carol', 'Cole')];
      const eng = sim.tenant.createGroup({ name: 'Engineering' });
      const sales = sim.tenant.createGroup({ name: 'Sales' });
      sim.tenant.addMember(eng.id, alice._id);
      sim.tenant.addMember(eng.id, bob._id);
      sim.tenant.addMember(sales.id, carol._id);
      sim.tenant.bindGroup(app._id, eng.id);
      sim.tenant.bindGroup(app._id, sales.id);
      ids.carol = carol._id;
      ids.alice = alice._id;
      ids.app = app._id;
      ids.eng = eng.id;
      const result = await sim.connectors.configure(app._id, { baseUrl: endpoint, token, testUserEmail: 'scim-test@acme.example', retry: { backoffMs: 20 } });
      assert.equal(result.ok, true, JSON.stringify(result.test));
      await sim.connectors.idle(app._id);

      // the status card polls the directory: three users, requests counted
      await page.getByTestId('user-count').filter({ hasText: /^3$/ }).waitFor();
      await page.getByText('Receiving requests').waitFor();
      await shot('03-scim-status');

      await tab('Users');
      const rows = page.getByTestId('users-table').locator('tbody tr');
      await waitFor('three users', async () => (await rows.count()) === 3);
      assert.deepEqual((await rows.locator('td:first-child').allInnerTexts()).sort(), ['alice', 'bob', 'carol']);
      await assertAccessible(page, 'users');
      await shot('04-users');

      await page.getByLabel('Search').fill('ali');
      await waitFor('search narrows to alice', async () => (await rows.count()) === 1 && (await rows.first().innerText()).includes('alice'));
      await page.getByLabel('Search').fill('');
      await waitFor('all users again', async () => (await rows.count()) === 3);

      sim.tenant.suspendUser(carol._id);
      await sim.connectors.idle(app._id);
      await page.getByLabel('State').selectOption('inactive');
      await waitFor('only carol is inactive', async () => (await rows.count()) === 1 && (await rows.first().innerText()).includes('carol'));
      await page.getByLabel('State').selectOption('active');
      await waitFor('alice and bob are active', async () => (await rows.count()) === 2);
      await page.getByLabel('State').selectOption('');
    });

    it("shows a user's groups, roles and raw attributes, and a group's members", async () => {
      await page.getByRole('link', { name: 'alice', exact: true }).click();
      await page.getByRole('heading', { name: 'alice', level: 2 }).waitFor();
      const raw = JSON.parse(await page.getByLabel('Raw SCIM attributes').innerText());
      assert.equal(raw.userName, 'alice');
      assert.equal(raw.title, 'Engineer');
      await page.getByText('No roles.').waitFor();
      await assertAccessible(page, 'user detail');
      await shot('05-user');
      await page.getByRole('link', { name: 'Engineering' }).click();
      await page.getByRole('heading', { name: 'Engineering', level: 2 }).waitFor();
      const members = page.getByTestId('members-table').locator('tbody tr td:first-child');
      await waitFor('two members', async () => (await members.count()) === 2);
      assert.deepEqual((await members.allInnerTexts()).sort(), ['alice', 'bob']);
      await tab('Groups');
      const groups = page.getByTestId('groups-table').locator('tbody tr');
      await waitFor('two groups', async () => (await groups.count()) === 2);
      await assertAccessible(page, 'groups');
    });

    it('edits the role mapping; every user’s roles follow', async () => {
      await tab('Role mapping');
      await page.getByRole('button', { name: 'Add mapping' }).click();
      await page.getByLabel('Group of mapping 1').selectOption({ label: 'Engineering' });
      await page.getByLabel('Role of mapping 1').fill('engineer');
      await page.getByLabel('Default role (optional)').fill('member');
      await assertAccessible(page, 'role mapping');
      await page.getByRole('button', { name: 'Save role mapping' }).click();
      await page.getByText('Saved. Every user\'s roles follow.').waitFor();
      await shot('06-role-mapping');
      const users = (await adminClient(server).call('GET', `/directories/${dirId}/users?search=alice`)).body.data;
      assert.deepEqual(users[0].roles, ['engineer', 'member']);
      await tab('Users');
      await page.getByRole('cell', { name: 'engineer, member' }).first().waitFor();
    });

    it('follows the event log live, filters it, and shows the JSON of an event', async () => {
      await tab('Events');
      const log = page.getByTestId('event-log');
      await log.getByText('user.created').first().waitFor();
      // the filter offers every type the server writes (one list, src/core/event-types.ts), SSO and pulls included
      const offered = await page.getByLabel('Type').locator('option').allInnerTexts();
      for (const type of ['sso.login.failed', 'jumpcloud.finding_opened', 'directory.updated']) assert.ok(offered.includes(type), `${type} in ${offered}`);
      await page.getByLabel('Type').selectOption('group.user_added');
      await waitFor('only group.user_added', async () => {
        const types = await log.locator('.event-type').allInnerTexts();
        return types.length >= 3 && types.every((t) => t === 'group.user_added');
      });
      await log.getByRole('button').first().click();
      const json = JSON.parse(await page.getByLabel(/^Event evt_/).innerText());
      assert.equal(json.type, 'group.user_added');
      assert.equal(json.organizationId, orgId);
      await assertAccessible(page, 'events');
      await shot('07-events');

      // live: a new member appears without reloading
      const dave = sim.tenant.createUser({ username: 'dave', email: 'dave@acme.example', firstname: 'Dave', lastname: 'Dunn' });
      sim.tenant.addMember(ids.eng!, dave._id);
      await sim.connectors.idle(ids.app!);
      await log.getByRole('button', { name: /dave/ }).waitFor();
      await page.getByLabel('Type').selectOption('');
    });

    it('adds a webhook endpoint (secret shown once), shows its deliveries and attempts, and redelivers', async () => {
      await tab('Webhooks');
      await page.getByLabel('URL').fill(receiver.url);
      await page.getByLabel('user.updated').check();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const secret = await page.getByRole('textbox', { name: 'Signing secret', exact: true }).inputValue();
      assert.match(secret, /^whsec_/);
      await assertAccessible(page, 'webhooks');
      await page.getByRole('link', { name: receiver.url }).click();
      await page.getByRole('heading', { name: receiver.url }).waitFor();

      sim.tenant.updateUser(ids.alice!, { lastname: 'Adams' });
      await sim.connectors.idle(ids.app!);
      await waitFor('the delivery', () => receiver.acknowledged().length === 1);
      const rows = page.getByTestId('deliveries-table').locator('tbody tr');
      await waitFor('a delivered row', async () => {
        await page.getByRole('button', { name: 'Refresh' }).click();
        return (await rows.count()) === 1 && (await rows.first().innerText()).includes('delivered');
      });
      await rows.first().getByRole('button', { name: /^Attempts/ }).click();
      await page.getByRole('heading', { name: 'Attempts of user.updated' }).waitFor();
      await page.getByText(/#1 — 200 in \d+ ms/).waitFor();
      await assertAccessible(page, 'deliveries');
      await shot('08-webhook-deliveries');
      await rows.first().getByRole('button', { name: /^Redeliver/ }).click();
      await waitFor('the redelivery', () => receiver.acknowledged().length === 2);
      assert.equal(receiver.acknowledged()[0], receiver.acknowledged()[1], 'the same event id again');
    });

    it('rotates the SCIM token in the page: the new one is shown once, the old one stops', async () => {
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/scim`);
      await page.getByRole('button', { name: 'Rotate token', exact: true }).click();
      await page.getByRole('button', { name: 'Rotate token now' }).click();
      const fresh = await page.getByRole('textbox', { name: 'Bearer token', exact: true }).inputValue();
      assert.notEqual(fresh, token);
      assert.equal((await http('GET', `${endpoint}/Users`, { token })).status, 401);
      assert.equal((await http('GET', `${endpoint}/Users`, { token: fresh })).status, 200);
      token = fresh;
    });

    it("opens a setup link: the IT admin sees only that organization's setup pages", async () => {
      await tab('Setup links');
      await page.getByLabel('Expires after (hours)').fill('2');
      await page.getByRole('button', { name: 'Create setup link' }).click();
      const link = await page.getByRole('textbox', { name: 'Setup link', exact: true }).inputValue();
      assert.match(link, new RegExp(`^${server.url}/admin/setup#token=ghs_`));
      await assertAccessible(page, 'setup links');

      const guest = await newPage(browser);
      try {
        await guest.page.goto(link);
        await guest.page.getByRole('heading', { name: 'SCIM Provisioning' }).waitFor();
        assert.ok(!guest.page.url().includes('token='), 'the token left the address bar');
        const tabs = await guest.page.getByRole('navigation', { name: 'Organization' }).getByRole('link').allInnerTexts();
        assert.deepEqual(tabs, ['SCIM Provisioning', 'SSO', 'Users', 'Groups', 'Role mapping', 'Events', 'JumpCloud inventory']);
        assert.equal(await guest.page.getByRole('navigation', { name: 'Main' }).count(), 0, 'no global navigation');
        await assertAccessible(guest.page, 'setup link');
        await screenshot(guest.page, `${dialect}-09-setup-link`);
        // another address of the portal brings it back to its organization
        await guest.page.goto(`${server.url}/admin/webhooks`);
        await guest.page.getByRole('heading', { name: 'SCIM Provisioning' }).waitFor();
        assert.ok(guest.page.url().includes(`/orgs/${encodeURIComponent(orgId)}/scim`));
        await guest.page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Users' }).click();
        await guest.page.getByTestId('users-table').waitFor();
        // the SSO and JumpCloud pages work for the link (its organization's connections only: test/http/setup-links)
        await guest.page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'SSO' }).click();
        await guest.page.getByRole('heading', { name: 'Connect your identity provider' }).waitFor();
        await guest.page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'JumpCloud inventory' }).click();
        await guest.page.getByRole('heading', { name: 'Connect JumpCloud' }).waitFor();
        assert.equal(await guest.page.getByRole('alert').count(), 0, 'no error on either page');
        // revoked while open: the next call ends the session with a clear message
        const links = await adminClient(server).call('GET', `/organizations/${orgId}/setup-links`);
        assert.equal((await adminClient(server).call('DELETE', `/setup-links/${links.body.data[0].id}`)).status, 204);
        await guest.page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Groups' }).click();
        await guest.page.getByRole('alert').getByText('Your setup link has expired or was revoked.').waitFor();
        assert.equal(await guest.page.evaluate(() => sessionStorage.getItem('gatehouse.session')), null, 'the token left sessionStorage');
      } finally {
        await guest.context.close();
      }
      const expired = await newPage(browser);
      try {
        await expired.page.goto(`${server.url}/admin/setup#token=ghs_not-a-real-token`);
        await expired.page.getByText('This setup link has expired or was revoked.').waitFor();
      } finally {
        await expired.context.close();
      }
    });

    it('pages long lists 50 at a time (next and previous), with the search on the server', async () => {
      const scim = scimClient(endpoint, token);
      for (let i = 0; i < 60; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) => scim('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `bulk${String(i + j).padStart(2, '0')}@acme.example` })),
        );
      }
      await tab('Users');
      const rows = page.getByTestId('users-table').locator('tbody tr');
      await waitFor('a full first page', async () => (await rows.count()) === 50);
      const pager = page.getByRole('navigation', { name: 'Users pages' });
      await pager.getByRole('button', { name: 'Next' }).click();
      await pager.getByText('Page 2').waitFor();
      await waitFor('the rest on page 2', async () => (await rows.count()) === 64 - 50);
      assert.equal(await pager.getByRole('button', { name: 'Next' }).isDisabled(), true);
      await pager.getByRole('button', { name: 'Previous' }).click();
      await waitFor('page 1 again', async () => (await rows.count()) === 50);
      await page.getByLabel('Search').fill('bulk5');
      await waitFor('ten matches', async () => (await rows.count()) === 10);
      assert.equal(await page.getByRole('navigation', { name: 'Users pages' }).count(), 0, 'one page: no pager');
      await shot('10-users-search');
    });

    it('shows the overview, the global event log and the global webhooks, accessibly', async () => {
      await tab('Overview');
      await page.getByRole('heading', { name: 'Directories' }).waitFor();
      await page.getByRole('link', { name: '64' }).waitFor();
      await assertAccessible(page, 'overview');
      await shot('11-overview');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Events' }).click();
      await page.getByTestId('event-log').getByText('organization.created').waitFor();
      await assertAccessible(page, 'global events');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Webhooks' }).click();
      await page.getByTestId('webhooks-table').getByRole('link', { name: receiver.url }).waitFor();
      await assertAccessible(page, 'global webhooks');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('Admin key').waitFor();
      assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the key left sessionStorage');
    });

    it('had no script errors', () => {
      assert.deepEqual(errors, []);
    });
  });
}
