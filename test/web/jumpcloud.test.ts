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

    it("drives the page against CONTRACT.md's shapes (the pull routes answered in the browser): connect, progress bar, inventory, logos, access", async (t) => {
      if (PULL_BACKEND_MERGED) return t.skip('the real pull backend is present: the end-to-end test covers the page');
      let polls = 0;
      const json = (body: unknown, status = 200) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });
      await page.route('**/api/organizations/*/jumpcloud', (route) =>
        route.fulfill(route.request().method() === 'POST' ? json({ id: 'jc_1' }, 201) : json({ data: [], next: null })),
      );
      await page.route('**/api/jumpcloud/jc_1/**', (route) => {
        const url = new URL(route.request().url());
        const path = url.pathname.replace('/api/jumpcloud/jc_1', '');
        if (path === '/sync') return route.fulfill(json({ runId: 'run_1' }, 202));
        if (path === '/runs/run_1') {
          polls++;
          return route.fulfill(
            json(polls < 4 ? { state: 'running', progress: { phase: 'users', done: polls * 25, total: 100 }, counts: { users: polls * 25 } } : { state: 'succeeded', progress: { done: 100, total: 100 }, counts: { users: 100, applications: 2 } }),
          );
        }
        if (path === '/inventory/users') return route.fulfill(json({ data: Array.from({ length: 50 }, (_, i) => ({ id: `u${i}`, username: `user${i}`, email: `user${i}@acme.example` })), next: 'c2' }));
        if (path === '/inventory/applications') {
          return route.fulfill(json({ data: [{ id: 'app_1', displayName: 'Slack', logo: { url: 'data:image/png;base64,iVBORw0KGgo=' } }, { id: 'app_2', displayName: 'Internal tool' }], next: null }));
        }
        if (path === '/applications/app_1/access') return route.fulfill(json({ groups: [{ id: 'g1', name: 'Everyone' }], users: [{ id: 'u1', username: 'user1' }] }));
        if (path === '/findings') return route.fulfill(json({ data: [{ id: 'f1', severity: 'high', title: 'Admin without MFA' }], next: null }));
        if (path === '/drift') return route.fulfill(json({ data: [], next: null }));
        return route.fulfill(json({ data: [], next: null }));
      });
      try {
        await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/jumpcloud`);
        await page.getByLabel('API key').fill('jc-key');
        await page.getByRole('button', { name: 'Connect' }).click();
        await page.getByRole('button', { name: 'Run pull' }).click();
        const bar = page.getByTestId('pull-progress').locator('progress');
        await page.getByTestId('pull-progress').getByText('Pulling: users').waitFor();
        assert.ok(Number(await bar.getAttribute('value')) > 0, 'the bar moves');
        await screenshot(page, `${dialect}-jumpcloud-progress`);
        await page.getByTestId('pull-progress').getByText('Pull finished').waitFor();
        assert.equal(await bar.getAttribute('value'), '1');
        const pollsAtEnd = polls;
        const users = page.getByTestId('inventory-users').locator('li');
        await waitFor(async () => (await users.count()) === 50);
        await page.getByRole('navigation', { name: 'Inventory pages' }).getByRole('button', { name: 'Next' }).waitFor();
        await page.getByRole('tab', { name: 'Applications' }).click();
        const apps = page.getByTestId('inventory-applications').locator('li');
        await waitFor(async () => (await apps.count()) === 2);
        assert.equal(await apps.first().locator('img').count(), 1, 'the logo');
        await apps.first().getByRole('button', { name: 'Who can reach it' }).click();
        assert.match(await page.getByLabel('Who can reach Slack').innerText(), /Everyone/);
        await page.getByRole('tab', { name: 'Findings' }).click();
        await page.getByTestId('inventory-findings').getByText('Admin without MFA').waitFor();
        await assertAccessible(page, 'jumpcloud inventory (stubbed)');
        await screenshot(page, `${dialect}-jumpcloud-inventory-stubbed`);
        await new Promise((r) => setTimeout(r, 1200));
        assert.equal(polls, pollsAtEnd, 'polling stops when the run is over');
      } finally {
        await page.unrouteAll();
      }
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
