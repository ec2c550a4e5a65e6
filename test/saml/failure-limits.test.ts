/**
 * Failed SSO attempts are limited per address (README "Operations → Limits"): an address that keeps posting
 * refused SAML responses to a connection's ACS gets 429 (the uniform error, Retry-After) without an
 * sso.login.failed event each, while other connections and addresses go on; failed client authentications
 * at /oauth/token are limited the same way. Good credentials do not count.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../support/databases.js';
import { ADMIN_KEY, http } from '../support/server.js';
import { Browser, REDIRECT_URI, codeOf, failureReasons, spInitiatedLogin, startSsoWorld, tokenRequest, type SsoWorld } from './support/sso-harness.js';

const LIMIT = 3;

for (const dialect of dialects) {
  describe(`SSO failure limits per address (${dialect})`, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect, { env: { GATEHOUSE_AUTH_FAILURE_LIMIT: String(LIMIT), GATEHOUSE_AUTH_FAILURE_WINDOW_MS: '60000' } });
    });
    after(async () => world.close());

    it('failed client authentications at /oauth/token: 429 after the limit; the right secret is not blocked before it', async () => {
      // a good exchange first (it must not count)
      const login = await spInitiatedLogin(world, new Browser());
      assert.equal(login.acs.status, 302, (await failureReasons(world)).join('\n'));
      const good = await tokenRequest(world, { code: codeOf(login.acs.location).code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier });
      assert.equal(good.status, 200, good.text);
      const bad = (secret: string) =>
        http('POST', `${world.server.url}/oauth/token`, {
          rawBody: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT_URI, client_id: world.connection.oauth.clientId, client_secret: secret }).toString(),
          contentType: 'application/x-www-form-urlencoded',
        });
      for (let i = 0; i < LIMIT; i++) assert.equal((await bad(`wrong-${i}`)).status, 401);
      const blocked = await bad('wrong-again');
      assert.equal(blocked.status, 429, blocked.text);
      assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
      assert.equal(blocked.body.error, 'invalid_request');
    });

    it('refused SAML responses: after the limit the ACS answers 429 with Retry-After and records no more failures', async () => {
      for (let i = 0; i < LIMIT; i++) {
        const refused = await new Browser().postResponse(world.connection.acsUrl, Buffer.from('<not-saml/>').toString('base64'));
        assert.equal(refused.status, 400, refused.text);
      }
      const recorded = (await failureReasons(world)).length;
      assert.equal(recorded, LIMIT);
      const blocked = await new Browser().postResponse(world.connection.acsUrl, Buffer.from('<not-saml/>').toString('base64'));
      assert.equal(blocked.status, 429);
      assert.ok(Number(blocked.headers.get('retry-after')) >= 1);
      assert.equal(JSON.parse(blocked.text).error.code, 'sso_failed', 'the uniform error, nothing more');
      assert.equal((await failureReasons(world)).length, recorded, 'a blocked post writes no event');
      // another connection of the same organization is its own scope
      const { tenant, app } = world.sim.idp.app({ slug: 'acme-portal' });
      const other = await world.admin.call('POST', `/organizations/${world.orgId}/sso-connections`, {
        idpMetadataXml: await world.sim.idp.metadata(tenant, app),
        redirectUris: [REDIRECT_URI],
      });
      assert.equal(other.status, 201, other.text);
      assert.equal((await new Browser().postResponse(other.body.acsUrl, Buffer.from('<not-saml/>').toString('base64'))).status, 400);
      // and the blocked address cannot sign in on the first connection until its failures age out
      assert.equal((await spInitiatedLogin(world, new Browser())).acs.status, 429);
      // /metrics counts both kinds of failures
      const metrics = await http('GET', `${world.server.url}/metrics`, { token: ADMIN_KEY });
      assert.match(metrics.text, /^gatehouse_auth_failures_total\{api="sso"\} [1-9]/m);
      assert.match(metrics.text, /^gatehouse_auth_failures_total\{api="oauth"\} [1-9]/m);
    });
  });
}
