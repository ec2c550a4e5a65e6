/**
 * The portal's SSO page in chromium, on both dialects. The SSO backend (issue 6) is built on another
 * branch: until it is merged this suite checks the page's "not available on this server" state, and the
 * end-to-end part is skipped by the guard SSO_BACKEND_MERGED (the lead removes the guard after merging).
 * End to end: link the simulator IdP's metadata, download the SP metadata, point the simulator's app at
 * the ACS, sign in through the OAuth hand-off (Test sign-in), renew and confirm the certificate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../sim/seed/demo.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { routeExists } from '../support/backend-route.js';
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

async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/admin/`);
  await page.getByLabel('Admin key').fill(ADMIN_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Organizations', level: 1 }).waitFor();
}

for (const dialect of dialects) {
  describe(`SSO page (${dialect})`, () => {
    let server: TestServer;
    let sim: Simulator;
    let context: BrowserContext;
    let page: Page;
    let orgId: string;
    /** the merge guard: false until the SSO backend (issue 6) is part of this server */
    let SSO_BACKEND_MERGED = false;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect), startSimulator({ seed: 'demo' })]);
      SSO_BACKEND_MERGED = await routeExists(server, 'GET', '/api/organizations/org_probe/sso-connections');
      ({ context, page } = await newPage(browser));
      page.setDefaultTimeout(15_000);
      orgId = (await adminClient(server).organization('Acme SSO')).id;
      await signIn(page, server.url);
    });
    after(async () => {
      await context?.close();
      await sim?.stop();
      await server?.close();
    });

    it('without the SSO backend, says the feature is not available on this server', async (t) => {
      if (SSO_BACKEND_MERGED) return t.skip('the SSO backend is present');
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/sso`);
      await page.getByTestId('not-available').getByText('SAML SSO is not available on this server.').waitFor();
      await assertAccessible(page, 'sso not available');
      await screenshot(page, `${dialect}-sso-not-available`);
    });

    it('links the IdP metadata, offers the SP metadata and login URL, and signs in through the OAuth hand-off', async (t) => {
      if (!SSO_BACKEND_MERGED) return t.skip('SSO_BACKEND_MERGED guard: the SSO backend (issue 6) is not in this server yet');
      const app = sim.tenant.appBySlug('acme-portal')!;
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/sso`);
      await page.getByLabel('Link the metadata URL').check();
      await page.getByLabel('Metadata URL').fill(`${sim.consoleUrl}/saml2/acme-portal/metadata`);
      await page.getByRole('button', { name: 'Save connection' }).click();
      const card = page.getByTestId('sso-connection');
      await card.waitFor();
      const secret = await page.getByRole('textbox', { name: 'OAuth client secret', exact: true }).inputValue();
      assert.ok(secret.length > 10, 'the client secret is shown once');
      const spEntityId = await page.getByRole('textbox', { name: 'SP entity ID', exact: true }).inputValue();
      const acsUrl = await page.getByRole('textbox', { name: 'ACS URL', exact: true }).inputValue();
      assert.match(await page.getByRole('textbox', { name: 'Login URL', exact: true }).inputValue(), /^http/);
      const metadataHref = await page.getByRole('link', { name: 'Download SP metadata' }).getAttribute('href');
      const metadata = await http('GET', new URL(metadataHref!, server.url).toString());
      assert.equal(metadata.status, 200);
      assert.match(metadata.text, /EntityDescriptor/);
      await assertAccessible(page, 'sso connection');
      await screenshot(page, `${dialect}-sso-connection`);

      // JumpCloud side: the app's SP entity ID and ACS URL are Gatehouse's
      sim.tenant.updateApp(app._id, { saml: { ...app.saml, spEntityId, acsUrl } } as never);
      const popupPromise = context.waitForEvent('page');
      await page.getByRole('button', { name: 'Test sign-in' }).click();
      const popup = await popupPromise;
      await popup.getByLabel('Email').fill('alice.anders@acme.example');
      await popup.getByLabel('Password').fill(DEMO_PASSWORD);
      await popup.getByRole('button', { name: 'Continue' }).click();
      await popup.getByTestId('sso-test-result').getByText('Sign-in succeeded').waitFor();
      await screenshot(popup, `${dialect}-sso-test-sign-in`);
      await popup.close();
    });

    it('renews the certificate: Renew Certificate, then Confirm Certificate Renewal', async (t) => {
      if (!SSO_BACKEND_MERGED) return t.skip('SSO_BACKEND_MERGED guard: the SSO backend (issue 6) is not in this server yet');
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/sso`);
      await page.getByRole('button', { name: 'Renew Certificate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Certificate renewal' });
      if ((await page.getByTestId('not-available').count()) > 0) return t.skip('the certificate renewal routes are not defined yet');
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Confirm Certificate Renewal' }).click();
      await dialog.waitFor({ state: 'detached' });
      await assertAccessible(page, 'sso renewal');
    });
  });
}
