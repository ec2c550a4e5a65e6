/**
 * The portal's JumpCloud inventory page in chromium against the real pull backend, on both dialects, with
 * the simulator as JumpCloud: connect with its API key, run a pull and watch the progress bar move and its
 * polling stop, browse users, admins, roles, groups, applications (logos, who can reach each), findings,
 * and drift — a user JumpCloud suspended is still active in a SCIM directory: a dry run lists it, the heal
 * deactivates it (and only it).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { assertAccessible, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, adminClient, http, startTestServer, type TestServer } from '../support/server.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of dialects) {
  describe(`JumpCloud inventory page (${dialect})`, () => {
    let server: TestServer;
    let sim: Simulator;
    let context: BrowserContext;
    let page: Page;
    let orgId: string;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect, { GATEHOUSE_JUMPCLOUD_HEARTBEAT_MS: '100' }), startSimulator({ seed: 'demo' })]);
      ({ context, page } = await newPage(browser));
      page.setDefaultTimeout(20_000);
      orgId = (await adminClient(server).organization('Acme Inventory')).id;
      await page.goto(`${server.url}/admin/`);
      await page.getByLabel('Admin key').fill(ADMIN_KEY);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
    });
    after(async () => {
      await context?.close();
      await sim?.stop();
      await server?.close();
    });

    it('connects, runs a pull with a moving progress bar, and shows the inventory: users, admins, roles, groups, applications with logos and access', async () => {
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/jumpcloud`);
      await page.getByLabel('API key').fill(sim.apiKey);
      await page.getByLabel(/^API base URL/).fill(sim.consoleUrl);
      await assertAccessible(page, 'jumpcloud connect');
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByTestId('jc-connection').getByText(`key …${sim.apiKey.slice(-4)}`).waitFor();
      const connections = await adminClient(server).call('GET', `/jumpcloud?organization=${orgId}`);
      assert.equal(connections.body.data.length, 1);
      const connectionId: string = connections.body.data[0].id;

      sim.faults.addLatency(250); // a pull long enough to watch its progress
      const polls: string[] = [];
      page.on('request', (r) => {
        if (r.url().includes(`/api/jumpcloud/${connectionId}/runs/`)) polls.push(r.url());
      });
      await page.getByRole('button', { name: 'Run pull' }).click();
      const progress = page.getByTestId('pull-progress');
      const bar = progress.locator('progress');
      // the bar moves: a value strictly between 0 and 1 while the run is running
      const seen = new Set<number>();
      await waitFor(async () => {
        const value = await bar.getAttribute('value');
        if (value !== null) seen.add(Number(value));
        return (await progress.getByText('Pull finished').count()) > 0;
      }, 60_000);
      assert.ok([...seen].some((v) => v > 0 && v < 1), `a partial value was shown: ${[...seen].join(', ')}`);
      assert.equal(await bar.getAttribute('value'), '1');
      assert.match(await page.getByTestId('pull-counts').innerText(), /users: \d+/);
      sim.faults.clear();
      const pollsAtEnd = polls.length;
      await screenshot(page, `${dialect}-jumpcloud-pulled`);

      const users = page.getByTestId('inventory-users').locator('li');
      await users.first().waitFor();
      const apiUsers = await adminClient(server).call('GET', `/jumpcloud/${connectionId}/inventory/users?limit=50`);
      assert.equal(await users.count(), apiUsers.body.data.length);
      await page.getByTestId('inventory-users').getByText('alice.anders', { exact: false }).first().waitFor();
      await assertAccessible(page, 'jumpcloud users');

      await page.getByRole('tab', { name: 'Admins' }).click();
      await page.getByTestId('inventory-admins').locator('li').first().waitFor();
      await page.getByRole('tab', { name: 'Roles' }).click();
      await page.getByTestId('inventory-roles').getByText(/built-in role/).first().waitFor();
      await page.getByRole('tab', { name: 'Groups' }).click();
      await page.getByTestId('inventory-groups').getByText(/\d+ members/).first().waitFor();

      await page.getByRole('tab', { name: 'Applications' }).click();
      const apps = page.getByTestId('inventory-applications').locator('li');
      await apps.first().waitFor();
      const apiApps = (await adminClient(server).call('GET', `/jumpcloud/${connectionId}/inventory/applications`)).body.data;
      assert.equal(await apps.count(), apiApps.length);
      const portal = apiApps.find((a: any) => a.logoUrl);
      assert.ok(portal, 'the simulator gives its apps logos');
      const row = apps.filter({ hasText: portal.label });
      assert.equal(await row.locator('img').getAttribute('src'), portal.logoUrl, 'the logo is the app’s own (https)');
      await row.getByRole('button', { name: 'Who can reach it' }).click();
      const access = page.getByRole('region', { name: `Who can reach ${portal.label}` });
      await access.waitFor();
      const apiAccess = (await adminClient(server).call('GET', `/jumpcloud/${connectionId}/applications/${portal.id}/access`)).body;
      assert.match(await access.innerText(), new RegExp(`^${apiAccess.counts.users} users can reach`));
      for (const u of apiAccess.users.slice(0, 3)) await access.getByRole('cell', { name: u.username, exact: true }).waitFor();
      await assertAccessible(page, 'jumpcloud applications');
      await screenshot(page, `${dialect}-jumpcloud-applications`);

      await page.getByRole('tab', { name: 'Findings' }).click();
      const apiFindings = (await adminClient(server).call('GET', `/jumpcloud/${connectionId}/findings?state=open`)).body.data;
      assert.ok(apiFindings.length > 0, 'the demo tenant has findings');
      const findings = page.getByTestId('inventory-findings').locator('li');
      await findings.first().waitFor();
      assert.equal(await findings.count(), apiFindings.length);
      await findings.first().getByRole('button', { name: 'Evidence' }).click();
      await assertAccessible(page, 'jumpcloud findings');
      await page.getByLabel('Severity').selectOption('critical');
      const critical = apiFindings.filter((f: any) => f.severity === 'critical').length;
      await waitFor(async () => (critical === 0 ? (await page.getByText('No findings.').count()) === 1 : (await findings.count()) === critical));
      assert.equal(polls.length, pollsAtEnd, 'polling stopped when the run was over');
    });

    it('drift: reports a user JumpCloud suspended who is still active in the app; heal is a dry run first, then deactivates only that user', async () => {
      const admin = adminClient(server);
      const directory = await admin.directory(orgId, 'jumpcloud');
      const alice = sim.tenant.userByEmail('alice.anders@acme.example')!;
      const bruno = sim.tenant.userByEmail('bruno.brennan@acme.example')!;
      const scimUser = async (u: { _id: string; username: string; email: string }) => {
        const r = await http('POST', `${directory.scim.endpoint}/Users`, {
          token: directory.scim.token,
          body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: u.email, externalId: u._id, active: true, emails: [{ value: u.email, primary: true }] },
        });
        assert.equal(r.status, 201, r.text);
        return r.body.id as string;
      };
      const aliceId = await scimUser(alice);
      const brunoId = await scimUser(bruno);
      sim.tenant.suspendUser(alice._id);

      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/jumpcloud`);
      await page.getByRole('button', { name: 'Run pull' }).click();
      await page.getByTestId('pull-progress').getByText('Pull finished').waitFor({ timeout: 60_000 });
      await page.getByRole('tab', { name: 'Drift' }).click();
      const summary = page.getByTestId('drift-summary');
      await summary.getByText(/^1 to deactivate/).waitFor();
      await page.getByRole('table', { name: 'Users to deactivate' }).getByRole('cell', { name: 'suspended in JumpCloud' }).waitFor();
      await page.getByRole('button', { name: 'Heal: dry run' }).click();
      const dialog = page.getByRole('dialog', { name: 'Heal drift' });
      await dialog.getByTestId('heal-dry-run').getByText(`Would deactivate 1 users: ${alice.email} (suspended)`, { exact: false }).waitFor();
      await assertAccessible(page, 'jumpcloud drift dry run');
      await screenshot(page, `${dialect}-jumpcloud-drift`);
      const scimGet = (id: string) => http('GET', `${directory.scim.endpoint}/Users/${id}`, { token: directory.scim.token });
      assert.equal((await scimGet(aliceId)).body.active, true, 'the dry run changed nothing');

      await dialog.getByRole('button', { name: 'Deactivate 1 users' }).click();
      await page.getByText(`Deactivated 1 users: ${alice.email}`).waitFor();
      await summary.getByText(/^0 to deactivate/).waitFor();
      assert.equal((await scimGet(aliceId)).body.active, false);
      assert.equal((await scimGet(brunoId)).body.active, true, 'only the drifted user');
      const events = await admin.call('GET', `/events?organization=${orgId}&type=user.deactivated`);
      assert.equal(events.body.data.length, 1);
      await assertAccessible(page, 'jumpcloud drift healed');
    });
  });
}
