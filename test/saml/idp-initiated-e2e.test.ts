/**
 * IdP-initiated SSO and the portal tile, end to end with the simulator's JumpCloud IdP (issue 6): the
 * unsolicited response (opt-in per connection) lands at the default redirect URI with a code and no
 * state; the client redeems it with its secret. The "Login URL" tile starts an SP-initiated login instead.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, http } from '../support/server.js';
import { Browser, PORTAL_USER, REDIRECT_URI, codeOf, eventsOf, failureReasons, startSsoWorld, tokenRequest, type SsoWorld } from './support/sso-harness.js';

for (const dialect of dialects) {
  describe(`IdP-initiated SSO and the portal tile (${dialect})`, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect, { allowIdpInitiated: true });
    });
    after(async () => world.close());

    /** The portal tile without a Login URL: the IdP's SSO URL with no SAMLRequest (sign in as the user). */
    async function tile(user = PORTAL_USER) {
      const r = await http('GET', `${world.sim.consoleUrl}/saml2/acme-portal?user=${encodeURIComponent(user)}&format=json`);
      assert.equal(r.status, 200, r.text);
      return r.body as { acsUrl: string; SAMLResponse: string; RelayState: string | null };
    }

    it('an unsolicited response reaches the default redirect URI with a code (no state); the client redeems it with its secret', async () => {
      const signed = await tile();
      assert.equal(signed.acsUrl, world.connection.acsUrl);
      const acs = await new Browser().postResponse(signed.acsUrl, signed.SAMLResponse, signed.RelayState);
      assert.equal(acs.status, 302, (await failureReasons(world)).join('\n'));
      const { code, state, base } = codeOf(acs.location);
      assert.equal(base, REDIRECT_URI);
      assert.equal(state, null);
      const token = await tokenRequest(world, { code, redirect_uri: REDIRECT_URI });
      assert.equal(token.status, 200, token.text);
      const info = await http('GET', `${world.server.url}/oauth/userinfo`, { token: token.body.access_token });
      assert.equal(info.body.email, PORTAL_USER);
      const events = await eventsOf(world, 'sso.login.succeeded');
      assert.equal(events.at(-1).data.initiatedBy, 'idp');
    });

    it('the same response replayed is refused; with IdP-initiated switched off, a fresh one is refused', async () => {
      const signed = await tile();
      assert.equal((await new Browser().postResponse(signed.acsUrl, signed.SAMLResponse)).status, 302);
      const replay = await new Browser().postResponse(signed.acsUrl, signed.SAMLResponse);
      assert.equal(replay.status, 400);
      assert.match((await failureReasons(world)).at(-1)!, /^replay/);
      assert.equal((await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { allowIdpInitiated: false })).status, 200);
      const off = await new Browser().postResponse(signed.acsUrl, (await tile()).SAMLResponse);
      assert.equal(off.status, 400);
      assert.match((await failureReasons(world)).at(-1)!, /unsolicited|InResponseTo/);
      await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { allowIdpInitiated: true });
      // both outcomes are counted in /metrics
      const metrics = await http('GET', `${world.server.url}/metrics`, { token: ADMIN_KEY });
      assert.equal(metrics.status, 200, metrics.text);
      const count = (result: string) => Number(metrics.text.match(new RegExp(`^gatehouse_sso_logins_total\\{result="${result}"\\} (\\d+)$`, 'm'))?.[1] ?? 0);
      assert.ok(count('success') >= 1, 'successful logins are counted');
      assert.ok(count('failure') >= 2, 'refused logins are counted');
    });

    it('the portal tile with a Login URL starts an SP-initiated login; the code goes to the default redirect URI', async () => {
      const { tenant, app } = world.sim.idp.app({ slug: 'acme-portal' });
      tenant.updateApp(app._id, { saml: { loginUrl: world.connection.loginUrl } });
      try {
        const browser = new Browser();
        const tileAnswer = await browser.request('GET', `${world.sim.consoleUrl}/saml2/acme-portal`);
        assert.equal(tileAnswer.status, 302);
        assert.equal(tileAnswer.location, world.connection.loginUrl);
        const login = await browser.request('GET', tileAnswer.location!);
        assert.equal(login.status, 302, login.text);
        const idp = new URL(login.location!);
        assert.ok(idp.searchParams.get('SAMLRequest'));
        idp.searchParams.set('user', PORTAL_USER);
        idp.searchParams.set('format', 'json');
        const signed = (await http('GET', idp.toString())).body;
        assert.ok(signed.inResponseTo, 'a solicited response');
        const acs = await browser.postResponse(signed.acsUrl, signed.SAMLResponse, signed.RelayState);
        assert.equal(acs.status, 302, (await failureReasons(world)).join('\n'));
        const { code, state, base } = codeOf(acs.location);
        assert.equal(base, REDIRECT_URI);
        assert.equal(state, null);
        assert.equal((await tokenRequest(world, { code, redirect_uri: REDIRECT_URI })).status, 200);
        assert.equal((await eventsOf(world, 'sso.login.succeeded')).at(-1).data.initiatedBy, 'sp');
      } finally {
        tenant.updateApp(app._id, { saml: { loginUrl: '' } });
      }
    });

    it('the login URL of an unknown or inactive connection shows the uniform error', async () => {
      assert.equal((await new Browser().request('GET', `${world.server.url}/sso/sso_nope/login`)).status, 404);
      await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { state: 'inactive' });
      const r = await new Browser().request('GET', world.connection.loginUrl);
      assert.equal(r.status, 400);
      assert.match(r.text, /sign-in could not be completed/);
      await world.admin.call('PATCH', `/sso-connections/${world.connection.id}`, { state: 'active' });
    });

    it('a signed error Status from the IdP (user not allowed) is refused', async () => {
      const signed = await world.sim.idp.signIn({ slug: 'acme-portal', user: PORTAL_USER, variant: 'error-status' });
      assert.equal((await new Browser().postResponse(signed.acsUrl, signed.samlResponse)).status, 400);
      assert.match((await failureReasons(world)).at(-1)!, /^idp_status/);
    });
  });
}
