/**
 * SP-initiated SSO end to end (issue 6): a test client does PKCE at /oauth/authorize, the browser goes to
 * the simulator's JumpCloud IdP (its SSO URL checks the signed AuthnRequest), posts the response to the
 * ACS, and the client exchanges the code for tokens (verified against the JWKS) and reads /oauth/userinfo.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { dialects } from '../support/databases.js';
import { http } from '../support/server.js';
import { Browser, codeOf, eventsOf, PORTAL_USER, REDIRECT_URI, failureReasons, spInitiatedLogin, startSsoWorld, tokenRequest, type SsoWorld } from './support/sso-harness.js';

for (const dialect of dialects) {
  describe(`SP-initiated SSO through the OAuth hand-off (${dialect})`, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect);
    });
    after(async () => world.close());

    it('signs a user in: code + state at the redirect URI, tokens, id_token verified by the JWKS, userinfo', async () => {
      const browser = new Browser();
      const login = await spInitiatedLogin(world, browser);
      assert.equal(login.acs.status, 302, (await failureReasons(world)).join('\n'));
      const { code, state, base } = codeOf(login.acs.location);
      assert.equal(base, REDIRECT_URI);
      assert.equal(state, login.state);
      assert.ok(login.relayState.length <= 80 && !login.relayState.includes(':'), 'RelayState is a short handle, not a URL');

      const token = await tokenRequest(world, { code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier });
      assert.equal(token.status, 200, token.text);
      assert.equal(token.body.token_type, 'Bearer');
      assert.ok(token.body.expires_in > 0);
      assert.equal(token.headers.get('cache-control'), 'no-store');

      const discovery = await http('GET', `${world.server.url}/.well-known/openid-configuration`);
      assert.equal(discovery.status, 200);
      assert.equal(discovery.body.jwks_uri, `${world.server.url}/oauth/jwks`);
      assert.deepEqual(discovery.body.code_challenge_methods_supported, ['S256']);
      const jwks = createRemoteJWKSet(new URL(discovery.body.jwks_uri));
      const { payload } = await jwtVerify(token.body.id_token, jwks, { issuer: discovery.body.issuer, audience: world.connection.oauth.clientId });
      assert.equal(payload.email, PORTAL_USER);
      assert.equal(payload.given_name, 'Bruno');
      assert.equal(payload.family_name, 'Brennan');
      assert.equal(payload.connection, world.connection.id);
      assert.equal(payload.organization, world.orgId);

      const info = await http('GET', `${world.server.url}/oauth/userinfo`, { token: token.body.access_token });
      assert.equal(info.status, 200, info.text);
      assert.equal(info.body.sub, payload.sub);
      assert.equal(info.body.email, PORTAL_USER);
      assert.ok(info.body.groups.includes('Engineering'), JSON.stringify(info.body.groups));

      const succeeded = await eventsOf(world, 'sso.login.succeeded');
      assert.equal(succeeded.length, 1);
      assert.equal(succeeded[0].data.initiatedBy, 'sp');
      assert.equal(succeeded[0].data.user.email, PORTAL_USER);
    });

    it('HTTP Basic client authentication and JSON token bodies work too', async () => {
      const login = await spInitiatedLogin(world, new Browser());
      const { code } = codeOf(login.acs.location);
      const token = await tokenRequest(world, { code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier }, { basic: true, json: true });
      assert.equal(token.status, 200, token.text);
    });
  });
}
