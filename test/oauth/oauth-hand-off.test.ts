/**
 * The OAuth 2.0 / OIDC hand-off (issue 6, item 4), black-box: /oauth/authorize refuses unknown clients and
 * inexact redirect URIs without redirecting, and reports other errors at the redirect URI; /oauth/token
 * binds codes to client, redirect_uri, PKCE and connection, makes them single use (a second use revokes
 * the tokens), expires them after 60 s, authenticates clients (post and Basic); userinfo and JWKS with
 * key rotation; hostile bodies get a 4xx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { dialects } from '../support/databases.js';
import { http } from '../support/server.js';
import { Browser, REDIRECT_URI, codeOf, pkce, spInitiatedLogin, startSsoWorld, tokenRequest, type SsoWorld } from '../saml/support/sso-harness.js';

for (const dialect of dialects) {
  describe(`OAuth hand-off (${dialect})`, () => {
    let world: SsoWorld;
    before(async () => {
      world = await startSsoWorld(dialect);
    });
    after(async () => world.close());

    const authorizeUrl = (params: Record<string, string>) => `${world.server.url}/oauth/authorize?${new URLSearchParams(params)}`;
    const good = () => {
      const { challenge } = pkce();
      return { client_id: world.connection.oauth.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256' };
    };

    it('authorize: an unknown client or an inexact redirect_uri is a 400 page, never a redirect', async () => {
      const tricks = [`${REDIRECT_URI}/`, `${REDIRECT_URI}x`, `${REDIRECT_URI}?a=1`, `${REDIRECT_URI}#f`, 'http://127.0.0.1:9/callbac', 'http://127.0.0.1:9/CALLBACK', 'https://evil.example/callback', `${REDIRECT_URI}/../evil`, ''];
      for (const redirect_uri of tricks) {
        const r = await new Browser().request('GET', authorizeUrl({ ...good(), redirect_uri }));
        assert.equal(r.status, 400, redirect_uri);
        assert.equal(r.location, null);
      }
      const unknown = await new Browser().request('GET', authorizeUrl({ ...good(), client_id: 'ghc_nope' }));
      assert.equal(unknown.status, 400);
      const twice = await new Browser().request('GET', `${authorizeUrl(good())}&redirect_uri=${encodeURIComponent('https://evil.example/')}`);
      assert.equal(twice.status, 400);
      assert.equal(twice.location, null);
    });

    it('authorize: missing state, missing or plain PKCE, a wrong response_type, or another connection → error at the redirect URI', async () => {
      const cases: [Record<string, string>, string][] = [
        [{ state: '' }, 'invalid_request'],
        [{ code_challenge_method: 'plain' }, 'invalid_request'],
        [{ code_challenge: 'short' }, 'invalid_request'],
        [{ response_type: 'token' }, 'unsupported_response_type'],
        [{ connection: 'sso_other' }, 'invalid_request'],
        [{ organization: 'org_other' }, 'invalid_request'],
      ];
      for (const [change, error] of cases) {
        const r = await new Browser().request('GET', authorizeUrl({ ...good(), ...change }));
        assert.equal(r.status, 302, JSON.stringify(change));
        const url = new URL(r.location!);
        assert.equal(`${url.origin}${url.pathname}`, REDIRECT_URI);
        assert.equal(url.searchParams.get('error'), error, JSON.stringify(change));
        assert.equal(url.searchParams.get('code'), null);
      }
      const noPkce: Record<string, string> = { ...good() };
      delete noPkce.code_challenge;
      delete noPkce.code_challenge_method;
      assert.equal(new URL((await new Browser().request('GET', authorizeUrl(noPkce))).location!).searchParams.get('error'), 'invalid_request');
    });

    it('authorize: a good request sets a __Host- cookie and redirects to the IdP with a signed AuthnRequest and a short RelayState handle', async () => {
      const browser = new Browser();
      const r = await browser.request('GET', authorizeUrl({ ...good(), organization: world.orgId, connection: world.connection.id }));
      assert.equal(r.status, 302);
      const cookie = r.headers.get('set-cookie')!;
      assert.match(cookie, /^__Host-[^=]+=[A-Za-z0-9_-]{43}; Path=\/; Secure; HttpOnly; SameSite=None/);
      const url = new URL(r.location!);
      assert.match(url.pathname, /\/saml2\/acme-portal$/);
      assert.ok(url.searchParams.get('SAMLRequest'));
      assert.equal(url.searchParams.get('SigAlg'), 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      assert.ok(url.searchParams.get('Signature'));
      const relay = url.searchParams.get('RelayState')!;
      assert.ok(relay.length <= 80);
      assert.doesNotMatch(relay, /[:/]/);
    });

    it('token: wrong verifier, missing verifier, wrong redirect_uri, wrong client secret and another client are refused; the code still works afterwards', async () => {
      const login = await spInitiatedLogin(world, new Browser());
      const { code } = codeOf(login.acs.location);
      const base = { code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier };
      const wrong = await tokenRequest(world, { ...base, code_verifier: pkce().verifier });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error, 'invalid_grant');
      assert.equal((await tokenRequest(world, { code, redirect_uri: REDIRECT_URI })).body.error, 'invalid_grant');
      assert.equal((await tokenRequest(world, { ...base, redirect_uri: `${REDIRECT_URI}/` })).body.error, 'invalid_grant');
      const badSecret = await http('POST', `${world.server.url}/oauth/token`, { rawBody: new URLSearchParams({ grant_type: 'authorization_code', ...base, client_id: world.connection.oauth.clientId, client_secret: 'ghcs_wrong' }).toString(), contentType: 'application/x-www-form-urlencoded' });
      assert.equal(badSecret.status, 401);
      assert.equal(badSecret.body.error, 'invalid_client');
      const other = await world.admin.call('POST', `/organizations/${world.orgId}/sso-connections`, { idpMetadataUrl: world.sim.idp.metadataUrls(world.sim.idp.app({ slug: 'acme-portal' }).tenant, world.sim.idp.app({ slug: 'acme-portal' }).app).advertised, redirectUris: [REDIRECT_URI] });
      const otherClient = await tokenRequest({ ...world, connection: other.body }, base);
      assert.equal(otherClient.status, 400);
      assert.equal(otherClient.body.error, 'invalid_grant');
      const ok = await tokenRequest(world, base);
      assert.equal(ok.status, 200, ok.text);
    });

    it('token: a code used twice is refused the second time and the tokens from the first use are revoked', async () => {
      const login = await spInitiatedLogin(world, new Browser());
      const { code } = codeOf(login.acs.location);
      const params = { code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier };
      const first = await tokenRequest(world, params);
      assert.equal(first.status, 200);
      assert.equal((await http('GET', `${world.server.url}/oauth/userinfo`, { token: first.body.access_token })).status, 200);
      const second = await tokenRequest(world, params);
      assert.equal(second.status, 400);
      assert.equal(second.body.error, 'invalid_grant');
      const revoked = await http('GET', `${world.server.url}/oauth/userinfo`, { token: first.body.access_token });
      assert.equal(revoked.status, 401);
      assert.match(revoked.headers.get('www-authenticate')!, /invalid_token/);
    });

    it('token: concurrent redemptions of one code give exactly one token', async () => {
      const login = await spInitiatedLogin(world, new Browser());
      const { code } = codeOf(login.acs.location);
      const answers = await Promise.all(Array.from({ length: 8 }, () => tokenRequest(world, { code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier })));
      assert.equal(answers.filter((a) => a.status === 200).length, 1);
    });

    it('token: a code older than 60 s is refused', async () => {
      const login = await spInitiatedLogin(world, new Browser());
      const { code } = codeOf(login.acs.location);
      // age the code in the database (the clock is the server's): exactly what 60 s of waiting would do
      await world.server.runtime.gatehouse.store.handle.db.updateTable('oauth_codes').set({ expires_at: new Date(Date.now() - 1).toISOString() }).execute();
      const r = await tokenRequest(world, { code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier });
      assert.equal(r.status, 400);
      assert.match(r.body.error_description, /expired/);
    });

    it('token: hostile and malformed bodies are 4xx', async () => {
      const url = `${world.server.url}/oauth/token`;
      const form = 'application/x-www-form-urlencoded';
      const cases: [string | undefined, string][] = [
        ['grant_type=password&username=a&password=b', form],
        ['grant_type=authorization_code&code=%ZZ', form],
        ['grant_type=authorization_code&grant_type=authorization_code', form],
        ['__proto__=x', form],
        [`code=${'a'.repeat(20_000)}`, form],
        ['[1,2]', 'application/json'],
        ['{"grant_type":["authorization_code"]}', 'application/json'],
        ['not json', 'application/json'],
        ['x', 'text/plain'],
        [undefined, form],
      ];
      for (const [body, type] of cases) {
        const r = await http('POST', url, { ...(body !== undefined ? { rawBody: body } : {}), contentType: type });
        assert.ok(r.status >= 400 && r.status < 500, `${String(body).slice(0, 40)} ${type} → ${r.status} ${r.text}`);
      }
      const basicAndPost = await http('POST', url, { rawBody: 'grant_type=authorization_code&code=x&client_secret=y', contentType: form, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      assert.equal(basicAndPost.status, 400);
      const badBasic = await http('POST', url, { rawBody: 'grant_type=authorization_code&code=x', contentType: form, headers: { authorization: 'Basic !!!' } });
      assert.equal(badBasic.status, 401);
    });

    it('userinfo: no token, an unknown token, or a malformed header is 401', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'Bearer ghat_nope' }, { authorization: 'Basic abc' }, { authorization: `Bearer ${'x'.repeat(300)}` }]) {
        const r = await http('GET', `${world.server.url}/oauth/userinfo`, { headers });
        assert.equal(r.status, 401);
      }
    });

    it('JWKS: rotating the signing key keeps the old kid published; new id_tokens carry the new kid and verify', async () => {
      const login = await spInitiatedLogin(world, new Browser());
      const before = await tokenRequest(world, { code: codeOf(login.acs.location).code, redirect_uri: REDIRECT_URI, code_verifier: login.verifier });
      const oldKid = decodeProtectedHeader(before.body.id_token).kid;
      const rotated = await world.admin.call('POST', '/oauth/signing-keys/rotate');
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.kid, oldKid);
      const jwks = await http('GET', `${world.server.url}/oauth/jwks`);
      const kids = jwks.body.keys.map((k: any) => k.kid);
      assert.ok(kids.includes(oldKid) && kids.includes(rotated.body.kid));
      assert.ok(jwks.body.keys.every((k: any) => k.d === undefined && k.p === undefined), 'no private parts');
      const login2 = await spInitiatedLogin(world, new Browser());
      const after = await tokenRequest(world, { code: codeOf(login2.acs.location).code, redirect_uri: REDIRECT_URI, code_verifier: login2.verifier });
      assert.equal(decodeProtectedHeader(after.body.id_token).kid, rotated.body.kid);
      const set = createRemoteJWKSet(new URL(`${world.server.url}/oauth/jwks`));
      for (const t of [before.body.id_token, after.body.id_token]) await jwtVerify(t, set, { issuer: world.server.url, audience: world.connection.oauth.clientId });
    });
  });
}
