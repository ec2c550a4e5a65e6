/**
 * The portal's SSO page in chromium against the real SSO backend, on both dialects, with the simulator's
 * IdP as JumpCloud: link the IdP metadata URL, download the SP metadata, point the simulator's app at the
 * ACS, sign in through the OAuth hand-off (Test sign-in: the simulator's login page, the ACS, the portal's
 * callback with a code); an IdP certificate renewal from a pasted certificate that expires soon (the expiry
 * warning) cancelled, then JumpCloud's "Renew Certificate" → "Confirm Certificate Renewal" with a sign-in
 * signed by the new key in between; the SP key rollover (next → activate → retire) and a sign-in after it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../sim/seed/demo.js';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { makeCertificate } from '../saml/support/certificate-factory.js';
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

/** The user the simulator's "acme-portal" app is assigned to. */
const PORTAL_USER = 'bruno.brennan@acme.example';

for (const dialect of dialects) {
  describe(`SSO page (${dialect})`, () => {
    let server: TestServer;
    let sim: Simulator;
    let context: BrowserContext;
    let page: Page;
    let orgId: string;
    let connectionId: string;

    before(async () => {
      [server, sim] = await Promise.all([startTestServer(dialect, { GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE: '1' }), startSimulator({ seed: 'demo' })]);
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

    const ssoPage = () => page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/sso`);
    const certificates = async () => (await adminClient(server).call('GET', `/sso-connections/${connectionId}/idp-certificates`)).body;

    /** Test sign-in: a new tab through /oauth/authorize, the simulator's login page and the ACS back to the portal's callback. */
    async function testSignIn(label: string): Promise<void> {
      const popupPromise = context.waitForEvent('page');
      await page.getByRole('button', { name: 'Test sign-in' }).click();
      const popup = await popupPromise;
      const email = popup.getByLabel('Email');
      await email.waitFor().catch(async () => {
        throw new Error(`${label}: no IdP login page at ${popup.url()}: ${(await popup.locator('body').innerText()).slice(0, 500)}`);
      });
      await email.fill(PORTAL_USER);
      await popup.getByLabel('Password').fill(DEMO_PASSWORD);
      await popup.getByRole('button', { name: 'Continue' }).click();
      const result = popup.getByTestId('sso-test-result');
      await result.waitFor();
      const url = new URL(popup.url());
      const text = await result.innerText();
      await screenshot(popup, `${dialect}-sso-test-sign-in-${label}`);
      await popup.close();
      assert.match(text, /^Sign-in succeeded/, `${label}: ${text} at ${url.pathname}${url.search}`);
      assert.equal(url.pathname, '/admin/sso-callback');
      assert.match(url.searchParams.get('code') ?? '', /.{20,}/);
    }

    it('links the IdP metadata URL, offers the SP metadata and login URL, and signs in through the OAuth hand-off', async () => {
      const { tenant, app } = sim.idp.app({ slug: 'acme-portal' });
      await ssoPage();
      await page.getByLabel('Link the metadata URL').check();
      await page.getByLabel('Metadata URL', { exact: true }).fill(sim.idp.metadataUrls(tenant, app).advertised);
      await page.getByLabel(/^Redirect URIs/).fill('https://app.acme.example/callback');
      await assertAccessible(page, 'sso form');
      await page.getByRole('button', { name: 'Save connection' }).click();
      await page.getByTestId('sso-connection').waitFor();
      const listed = await adminClient(server).call('GET', `/organizations/${orgId}/sso-connections`);
      assert.equal(listed.body.data.length, 1);
      const connection = listed.body.data[0];
      connectionId = connection.id;
      assert.deepEqual(connection.redirectUris, ['https://app.acme.example/callback', `${server.url}/admin/sso-callback`]);

      const secret = await page.getByRole('textbox', { name: 'OAuth client secret', exact: true }).inputValue();
      assert.match(secret, /^ghcs_/, 'the client secret is shown once');
      assert.equal(connection.oauth.clientSecretHint, secret.slice(-4));
      assert.equal(await page.getByRole('textbox', { name: 'SP entity ID', exact: true }).inputValue(), connection.spEntityId);
      assert.equal(await page.getByRole('textbox', { name: 'ACS URL', exact: true }).inputValue(), connection.acsUrl);
      assert.equal(await page.getByRole('textbox', { name: 'Login URL', exact: true }).inputValue(), connection.loginUrl);
      assert.equal(await page.getByRole('textbox', { name: 'OAuth client ID', exact: true }).inputValue(), connection.oauth.clientId);
      const metadataHref = await page.getByRole('link', { name: 'Download SP metadata' }).getAttribute('href');
      const metadata = await http('GET', new URL(metadataHref!, server.url).toString());
      assert.equal(metadata.status, 200);
      assert.match(metadata.text, new RegExp(`entityID="${connection.spEntityId}"`));
      assert.equal(await page.getByTestId('idp-certificates').getByText('active').count(), 1);
      assert.equal(await page.getByRole('alert').filter({ hasText: /expire/ }).count(), 0, 'no expiry warning for certificates valid for years');
      await assertAccessible(page, 'sso connection');
      await screenshot(page, `${dialect}-sso-connection`);

      // JumpCloud side: the app's SP entity ID and ACS URL are Gatehouse's
      tenant.updateApp(app._id, { saml: { acsUrl: connection.acsUrl, spEntityId: connection.spEntityId } });
      await testSignIn('first');
      const events = await adminClient(server).call('GET', `/events?organization=${orgId}&type=sso.login.succeeded`);
      assert.equal(events.body.data.length, 1);
      assert.equal(events.body.data[0].data.initiatedBy, 'sp');
    });

    it('a pasted certificate that expires in 10 days: trusted beside the old one, an expiry warning; cancelling the renewal restores the old one', async () => {
      const soon = await makeCertificate({ notAfter: new Date(Date.now() + 10 * 86_400_000), commonName: 'next-idp' });
      await ssoPage();
      await page.getByRole('button', { name: 'Renew Certificate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Certificate renewal' });
      await dialog.getByLabel('Paste the new certificate (PEM)').check();
      await dialog.getByLabel('New IdP certificate').fill(soon.certificatePem);
      await assertAccessible(page, 'sso renewal form');
      await dialog.getByRole('button', { name: 'Start renewal' }).click();
      await dialog.getByTestId('renewal-state').getByText(/is trusted beside the old one/).waitFor();
      await page.getByRole('alert').filter({ hasText: /IdP certificate .* \(active\) expires/ }).waitFor();
      assert.deepEqual((await certificates()).certificates.map((c: any) => c.state).sort(), ['active', 'retiring']);
      await assertAccessible(page, 'sso expiry warning');
      await screenshot(page, `${dialect}-sso-expiry-warning`);
      await dialog.getByRole('button', { name: 'Cancel renewal' }).click();
      await dialog.waitFor({ state: 'detached' });
      await waitFor(async () => (await page.getByRole('alert').filter({ hasText: /expire/ }).count()) === 0);
      assert.deepEqual((await certificates()).certificates.map((c: any) => c.state).sort(), ['active', 'removed']);
    });

    it('Renew Certificate from the metadata URL, JumpCloud regenerates, a sign-in with the new key, then Confirm Certificate Renewal', async () => {
      const { app } = sim.idp.app({ slug: 'acme-portal' });
      await ssoPage();
      await page.getByRole('button', { name: 'Renew Certificate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Certificate renewal' });
      await dialog.getByLabel(/The IdP metadata URL/).check();
      await dialog.getByRole('button', { name: 'Start renewal' }).click();
      await dialog.getByTestId('renewal-state').getByText(/Waiting for the IdP metadata/).waitFor();
      assert.equal(await dialog.getByRole('button', { name: 'Confirm Certificate Renewal' }).isDisabled(), true, 'nothing to confirm yet');
      await assertAccessible(page, 'sso renewal waiting');
      // JumpCloud: "Regenerate" — the old key stops signing at once
      assert.equal((await http('POST', `${sim.consoleUrl}/sim/apps/${app._id}/regenerate-cert`)).status, 200);
      await dialog.getByRole('button', { name: 'Check the metadata now' }).click();
      await dialog.getByTestId('renewal-state').getByText(/is trusted beside the old one/).waitFor();
      await testSignIn('new-idp-key');
      await dialog.getByRole('button', { name: 'Confirm Certificate Renewal' }).click();
      await dialog.waitFor({ state: 'detached' });
      const states = (await certificates()).certificates.map((c: any) => c.state).sort();
      assert.deepEqual(states, ['active', 'removed', 'removed']);
      assert.equal((await certificates()).renewal, null);
      await page.getByRole('button', { name: 'Renew Certificate' }).waitFor();
      await assertAccessible(page, 'sso renewal confirmed');
      await testSignIn('after-confirm');
    });

    it('SP key rollover: the next key is published, activated, the old one retired; sign-in still works', async () => {
      await ssoPage();
      const keys = page.getByTestId('sp-keys');
      await page.getByRole('button', { name: 'Generate next SP key' }).click();
      await keys.getByText('next', { exact: true }).waitFor();
      const metadata = await http('GET', `${server.url}/sso/${connectionId}/metadata.xml`);
      assert.equal((metadata.text.match(/<ds:X509Certificate>/g) ?? []).length, 2, 'both SP certificates published');
      await keys.getByRole('button', { name: 'Activate' }).click();
      await keys.getByText('retiring', { exact: true }).waitFor();
      await assertAccessible(page, 'sso sp keys');
      await keys.getByRole('button', { name: 'Retire' }).click();
      await waitFor(async () => (await keys.locator('tbody tr').count()) === 1);
      const spKeys = (await adminClient(server).call('GET', `/sso-connections/${connectionId}/sp-keys`)).body.spKeys;
      assert.deepEqual(spKeys.map((k: any) => k.state), ['active']);
      await screenshot(page, `${dialect}-sso-sp-keys`);
      await testSignIn('new-sp-key');
    });
  });
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
