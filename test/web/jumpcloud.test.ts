/**
 * The portal's JumpCloud inventory page in chromium, on both dialects. The pull backend (issue 7) is built
 * on another branch: until it is merged this suite checks the page's "not available on this server" state,
 * and the end-to-end part is skipped by the guard PULL_BACKEND_MERGED (the lead removes it after merging).
 * End to end: connect the simulator's console with its API key, run a pull and watch its progress bar,
 * then browse users, admins, roles, applications (logos, who can reach each), findings and drift.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { routeExists } from '../support/backend-route.js';
import { assertAccessible, launchBrowser, newPage, screenshot } from '../support/browser.js';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, adminClient, startTestServer, type TestServer } from '../support/server.js';

let browser: Browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

for (const dialect of dialects) {
  describe(`JumpCloud inventory page (${dialect})`, () => {
    let server: TestServer;
    let sim: Simulator;
    let context: BrowserContext;
    let page: Page;
    let orgId: string;
    /** the merge guard: false until the JumpCloud pull backend (issue 7) is part of this server */
    let PULL_BACKEND_MERGED = false;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect), startSimulator({ seed: { users: 2000, groups: 40, apps: 12 } })]);
      PULL_BACKEND_MERGED = await routeExists(server, 'GET', '/api/organizations/org_probe/jumpcloud');
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

    it('without the pull backend, says the feature is not available on this server', async (t) => {
      if (PULL_BACKEND_MERGED) return t.skip('the pull backend is present');
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/jumpcloud`);
      await page.getByTestId('not-available').getByText('The JumpCloud directory pull is not available on this server.').waitFor();
      await assertAccessible(page, 'jumpcloud not available');
      await screenshot(page, `${dialect}-jumpcloud-not-available`);
    });

    it('connects, runs a pull with a progress bar, and shows the inventory', async (t) => {
      if (!PULL_BACKEND_MERGED) return t.skip('PULL_BACKEND_MERGED guard: the JumpCloud pull backend (issue 7) is not in this server yet');
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/jumpcloud`);
      await page.getByLabel('API key').fill(sim.apiKey);
      await page.getByLabel('API base URL').fill(sim.consoleUrl);
      await page.getByRole('button', { name: 'Connect' }).click();
      sim.faults.addLatency(20); // a pull long enough to watch its progress
      await page.getByRole('button', { name: 'Run pull' }).click();
      const progress = page.getByTestId('pull-progress');
      await progress.waitFor();
      await screenshot(page, `${dialect}-jumpcloud-pulling`);
      await progress.getByText('Pull finished').waitFor({ timeout: 60_000 });
      const users = page.getByTestId('inventory-users').locator('li');
      await users.first().waitFor();
      assert.ok((await users.count()) > 0);
      for (const name of ['Admins', 'Roles', 'Applications', 'Findings', 'Drift']) {
        await page.getByRole('tab', { name }).click();
        await page.getByRole('tabpanel').waitFor();
      }
      await page.getByRole('tab', { name: 'Applications' }).click();
      const apps = page.getByTestId('inventory-applications').locator('li');
      await apps.first().waitFor();
      await apps.first().getByRole('button', { name: 'Who can reach it' }).click();
      await page.getByLabel(/^Who can reach/).waitFor();
      await assertAccessible(page, 'jumpcloud inventory');
      await screenshot(page, `${dialect}-jumpcloud-inventory`);
    });
  });
}
