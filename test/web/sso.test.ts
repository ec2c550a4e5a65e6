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

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
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

    it("drives the page against CONTRACT.md's shapes (the SSO routes answered in the browser): upload, SP metadata, test sign-in, renewal, expiry warning", async (t) => {
      if (SSO_BACKEND_MERGED) return t.skip('the real SSO backend is present: the end-to-end test covers the page');
      const soon = new Date(Date.now() + 10 * 86_400_000).toISOString();
      const connection = {
        id: 'conn_1',
        spEntityId: `${server.url}/sso/conn_1`,
        acsUrl: `${server.url}/sso/conn_1/acs`,
        spMetadataUrl: `${server.url}/sso/conn_1/metadata.xml`,
        loginUrl: `${server.url}/oauth/authorize?connection=conn_1`,
        idpEntityId: 'jumpcloud-acme-portal',
        idpCertificates: [{ notAfter: soon }],
        oauth: { clientId: 'client_1' },
      };
      let created: unknown = null;
      let posted: any = null;
      let authorize: URL | null = null;
      const steps: string[] = [];
      const json = (body: unknown, status = 200) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });
      await context.route(/\/api\/organizations\/[^/]+\/sso-connections(\?.*)?$/, async (route) => {
        if (route.request().method() === 'POST') {
          posted = route.request().postDataJSON();
          created = connection;
          return route.fulfill(json({ ...connection, oauth: { clientId: 'client_1', clientSecret: 'secret_shown_once' } }, 201));
        }
        return route.fulfill(json({ data: created ? [created] : [], next: null }));
      });
      await context.route('**/api/sso-connections/conn_1/certificate/*', (route) => {
        steps.push(route.request().url().split('/').pop()!);
        return route.fulfill(json({ ...connection, pendingSpCertificate: { notAfter: '2031-01-01T00:00:00.000Z' } }));
      });
      await context.route('**/oauth/authorize?**', (route) => {
        authorize = new URL(route.request().url());
        const back = new URL(authorize.searchParams.get('redirect_uri')!);
        back.searchParams.set('code', 'code_1');
        back.searchParams.set('state', authorize.searchParams.get('state')!);
        return route.fulfill({ status: 302, headers: { location: back.toString() } });
      });
      try {
        await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/sso`);
        await page.getByLabel('Metadata file', { exact: true }).setInputFiles({ name: 'JumpCloud-metadata.xml', mimeType: 'application/xml', buffer: Buffer.from('<EntityDescriptor entityID="jumpcloud-acme-portal"/>') });
        await waitFor(async () => (await page.getByLabel('Metadata XML', { exact: true }).inputValue()).includes('EntityDescriptor'));
        await page.getByLabel(/^Redirect URIs/).fill('https://app.acme.example/callback');
        await assertAccessible(page, 'sso form');
        await page.getByRole('button', { name: 'Save connection' }).click();
        await page.getByTestId('sso-connection').waitFor();
        assert.equal(posted.idpMetadataXml, '<EntityDescriptor entityID="jumpcloud-acme-portal"/>');
        assert.deepEqual(posted.redirectUris, ['https://app.acme.example/callback', `${server.url}/admin/sso-callback`]);
        assert.equal(await page.getByRole('textbox', { name: 'OAuth client secret', exact: true }).inputValue(), 'secret_shown_once');
        assert.equal(await page.getByRole('textbox', { name: 'ACS URL', exact: true }).inputValue(), connection.acsUrl);
        assert.equal(await page.getByRole('link', { name: 'Download SP metadata' }).getAttribute('href'), connection.spMetadataUrl);
        await page.getByText(/IdP certificate 1 expires/).waitFor();
        await assertAccessible(page, 'sso connection (stubbed)');
        await screenshot(page, `${dialect}-sso-connection-stubbed`);

        const popupPromise = context.waitForEvent('page');
        await page.getByRole('button', { name: 'Test sign-in' }).click();
        const popup = await popupPromise;
        await popup.getByTestId('sso-test-result').getByText(/^Sign-in succeeded/).waitFor();
        const sent = authorize as URL | null;
        assert.ok(sent);
        assert.equal(sent.searchParams.get('client_id'), 'client_1');
        assert.equal(sent.searchParams.get('connection'), 'conn_1');
        assert.equal(sent.searchParams.get('response_type'), 'code');
        assert.equal(sent.searchParams.get('code_challenge_method'), 'S256');
        assert.match(sent.searchParams.get('code_challenge')!, /^[A-Za-z0-9_-]{43}$/);
        await popup.close();

        await page.getByRole('button', { name: 'Renew Certificate' }).click();
        const dialog = page.getByRole('dialog', { name: 'Certificate renewal' });
        await dialog.getByText(/A new SP certificate is ready/).waitFor();
        await assertAccessible(page, 'certificate renewal');
        await dialog.getByRole('button', { name: 'Confirm Certificate Renewal' }).click();
        await dialog.waitFor({ state: 'detached' });
        assert.deepEqual(steps, ['renew', 'confirm']);
      } finally {
        await context.unrouteAll();
      }
    });

    it('links the IdP metadata, offers the SP metadata and login URL, and signs in through the OAuth hand-off', async (t) => {
      if (!SSO_BACKEND_MERGED) return t.skip('SSO_BACKEND_MERGED guard: the SSO backend (issue 6) is not in this server yet');
      const app = sim.tenant.appBySlug('acme-portal')!;
      await page.goto(`${server.url}/admin/orgs/${encodeURIComponent(orgId)}/sso`);
      await page.getByLabel('Link the metadata URL').check();
      await page.getByLabel('Metadata URL', { exact: true }).fill(`${sim.consoleUrl}/saml2/acme-portal/metadata`);
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
