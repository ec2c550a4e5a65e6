/**
 * Certificate rollover without a failed login (issue 6 items 3 and 6), with the simulator as JumpCloud:
 * IdP side — "Renew Certificate" from the metadata URL, JumpCloud "Regenerate", the metadata refresh picks the
 * new certificate up and trusts it beside the old one, "Confirm Certificate Renewal" drops the old one; the
 * gapless variant (the admin pastes the new certificate before JumpCloud switches); cancel; a refresh outside
 * a renewal only adds a pending certificate. SP side — a next key published beside the active one, switched,
 * retired, as the SP metadata and the AuthnRequest signatures show. Logins go through the real ACS.
 */
import assert from 'node:assert/strict';
import { createVerify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { generateSigningPair } from '../../sim/idp/certificates.js';
import { DEFAULT_CERT_SUBJECT } from '../../sim/idp/key-store.js';
import { dialects } from '../support/databases.js';
import { http } from '../support/server.js';
import { certificateBody } from './support/certificate-factory.js';
import { Browser, PORTAL_USER, REDIRECT_URI, pkce, startSsoWorld, type SsoWorld } from './support/sso-harness.js';

const DAY = 86_400_000;

for (const dialect of dialects) {
  describe(`certificate rollover without a failed login (${dialect})`, () => {
    let world: SsoWorld;
    let connId: string;
    const app = () => world.sim.idp.app({ slug: 'acme-portal' });

    before(async () => {
      world = await startSsoWorld(dialect, {
        allowIdpInitiated: true,
        // the job looks for due refreshes every 50 ms; a renewal waiting for the new certificate polls every 100 ms
        env: { GATEHOUSE_SSO_JOB_TICK_MS: '50', GATEHOUSE_SSO_RENEWAL_POLL_MS: '100' },
      });
      connId = world.connection.id;
    });
    after(() => world.close());

    /** A fresh IdP-initiated response from the simulator (signed with the app's current key). */
    const signed = () => world.sim.idp.signIn({ slug: 'acme-portal', user: PORTAL_USER });

    /** POSTs a response to the ACS; true when Gatehouse accepted it (302 to the redirect URI with a code). */
    async function accepted(response: { acsUrl: string; samlResponse: string; relayState: string | null }): Promise<boolean> {
      const r = await new Browser().postResponse(response.acsUrl, response.samlResponse, response.relayState);
      if (r.status === 302 && r.location?.startsWith(REDIRECT_URI) && new URL(r.location).searchParams.get('code')) return true;
      assert.ok(r.status >= 400 && r.status < 500, `a refusal is a 4xx, got ${r.status} ${r.text.slice(0, 300)}`);
      return false;
    }

    async function login(label: string): Promise<void> {
      assert.equal(await accepted(await signed()), true, `login ${label} must succeed`);
    }

    const view = async () => {
      const r = await world.admin.call('GET', `/sso-connections/${connId}/idp-certificates`);
      assert.equal(r.status, 200, r.text);
      return r.body as { renewal: { certificateId: string | null; awaitingCertificate: boolean } | null; metadataRefresh: Record<string, string | null>; certificates: { id: string; state: string; fingerprintSha256: string; certificate: string; source: string }[] };
    };
    const states = async () => Object.fromEntries((await view()).certificates.map((c) => [certificateBody(c.certificate).slice(-24), c.state]));
    const simCertBody = async () => {
      const { tenant, app: a } = app();
      return certificateBody((await world.sim.idp.signingPair(tenant, a)).certificatePem).slice(-24);
    };

    async function eventTypes(): Promise<string[]> {
      const r = await world.admin.call('GET', `/events?organization=${world.orgId}&limit=500`);
      assert.equal(r.status, 200, r.text);
      return (r.body.data as { type: string }[]).map((e) => e.type).filter((t) => t.startsWith('connection.'));
    }

    it('JumpCloud "Regenerate": renew from the metadata URL, the refresh trusts the new certificate beside the old, confirm drops the old', async () => {
      const a = await simCertBody();
      await login('before the renewal');
      const signedWithA = await signed(); // a response in flight while the IdP switches
      const alsoSignedWithA = await signed();

      const started = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal`, { fromMetadata: true });
      assert.equal(started.status, 201, started.text);
      assert.equal(started.body.renewal.awaitingCertificate, true, 'the metadata does not publish a new certificate yet');
      assert.deepEqual(await states(), { [a]: 'active' });
      await login('renewal started, IdP not switched yet');

      // JumpCloud: "Regenerate certificate" (the old key stops signing at once)
      const regenerated = await http('POST', `${world.sim.consoleUrl}/sim/apps/${app().app._id}/regenerate-cert`);
      assert.equal(regenerated.status, 200, regenerated.text);
      // the waiting renewal polls the metadata URL: the new certificate is trusted beside the old one
      let v = await view();
      // (every 100 ms; up to 15 s for a loaded CI machine)
      for (let i = 0; i < 300 && v.renewal?.awaitingCertificate !== false; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        v = await view();
      }
      const b = await simCertBody();
      assert.notEqual(a, b);
      assert.deepEqual(await states(), { [a]: 'retiring', [b]: 'active' });
      assert.equal(v.renewal?.awaitingCertificate, false);
      assert.ok(v.metadataRefresh.lastSuccessAt, 'the refresh is recorded');

      await login('IdP switched: signed with the new key');
      assert.equal(await accepted(signedWithA), true, 'a response signed with the old key just before the switch still logs in');

      const confirmed = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal/confirm`);
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(confirmed.body.renewal, null);
      assert.deepEqual(await states(), { [a]: 'removed', [b]: 'active' });
      await login('after the confirmation');
      assert.equal(await accepted(alsoSignedWithA), false, 'after the confirmation the old key is no longer trusted');

      const types = await eventTypes();
      for (const t of ['connection.certificate_renewal_started', 'connection.certificate_added', 'connection.certificate_renewal_confirmed']) assert.ok(types.includes(t), `${t} in ${types}`);
    });

    it('gapless: the new certificate is pasted first, the IdP switches to it, every login succeeds; confirm', async () => {
      const b = await simCertBody();
      const now = Date.now();
      const pair = await generateSigningPair({ ...DEFAULT_CERT_SUBJECT, notBefore: new Date(now - 60_000), notAfter: new Date(now + 5 * 365 * DAY) });
      const c = certificateBody(pair.certificatePem).slice(-24);

      const started = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal`, { certificate: pair.certificatePem });
      assert.equal(started.status, 201, started.text);
      assert.equal(started.body.renewal.awaitingCertificate, false);
      assert.equal((await states())[c], 'active');
      assert.equal((await states())[b], 'retiring');
      await login('renewal started, IdP still signs with the old key');

      // JumpCloud: upload the admin's own pair (the simulator's "issuer" fills the new window with it)
      const { tenant, app: a } = app();
      const next = tenant.regenerateAppCert(a._id);
      tenant.recordCertificate(a._id, next.cert, pair);
      assert.equal(await simCertBody(), c);
      await login('IdP switched to the pasted certificate');

      const confirmed = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal/confirm`);
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal((await states())[b], 'removed');
      await login('after the confirmation');
    });

    it('cancel: the new certificate is removed and the old one is the only trusted one again', async () => {
      const now = Date.now();
      const other = await generateSigningPair({ ...DEFAULT_CERT_SUBJECT, notBefore: new Date(now - 60_000), notAfter: new Date(now + 365 * DAY) });
      const d = certificateBody(other.certificatePem).slice(-24);
      const current = await simCertBody();
      const started = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal`, { certificate: other.certificatePem });
      assert.equal(started.status, 201, started.text);
      const again = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal`, { fromMetadata: true });
      assert.equal(again.status, 409, 'one renewal at a time');
      const cancelled = await world.admin.call('DELETE', `/sso-connections/${connId}/idp-certificates/renewal`);
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.renewal, null);
      const s = await states();
      assert.equal(s[d], 'removed');
      assert.equal(s[current], 'active');
      await login('after the cancellation');
      assert.ok((await eventTypes()).includes('connection.certificate_renewal_cancelled'));
      for (const [method, path] of [['POST', 'renewal/confirm'], ['DELETE', 'renewal']] as const) {
        const r = await world.admin.call(method, `/sso-connections/${connId}/idp-certificates/${path}`);
        assert.equal(r.status, 409, `${method} ${path} without a renewal: ${r.text}`);
      }
    });

    it('a refresh outside a renewal adds a new certificate as pending: never trusted by itself, never dropping the old one', async () => {
      const current = await simCertBody();
      world.sim.tenant.regenerateAppCert(app().app._id);
      const refreshed = await world.admin.call('POST', `/sso-connections/${connId}/idp-metadata/refresh`);
      assert.equal(refreshed.status, 200, refreshed.text);
      const fresh = await simCertBody();
      const s = await states();
      assert.equal(s[current], 'active', 'the old certificate stays');
      assert.equal(s[fresh], 'pending', 'the new one waits for an admin');
      assert.equal(await accepted(await signed()), false, 'a pending certificate verifies nothing');
      const pending = (await view()).certificates.find((c) => c.state === 'pending')!;
      const started = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal`, { certificateId: pending.id });
      assert.equal(started.status, 201, started.text);
      await login('pending certificate promoted');
      assert.equal((await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal/confirm`)).status, 200);
      await login('after the confirmation');
      assert.equal((await world.admin.call('POST', `/sso-connections/${connId}/idp-metadata/refresh`)).status, 200);
      assert.equal(Object.values(await states()).filter((x) => x === 'pending').length, 0, 'known certificates are not added twice');
    });

    it('SP key rollover: next key published beside the active one, switched (signs AuthnRequests), old one retired', async () => {
      const spMetadata = async () => {
        const r = await http('GET', `${world.server.url}/sso/${connId}/metadata.xml`);
        assert.equal(r.status, 200, r.text);
        return r.text.replace(/\s+/g, '');
      };
      const keys = async () => (await world.admin.call('GET', `/sso-connections/${connId}/sp-keys`)).body.spKeys as { id: string; state: string; certificate: string }[];
      const [first] = await keys();
      assert.equal(first!.state, 'active');

      const created = await world.admin.call('POST', `/sso-connections/${connId}/sp-keys`);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.state, 'next');
      assert.doesNotMatch(created.text, /PRIVATE KEY/, 'the private key is never shown');
      assert.equal((await world.admin.call('POST', `/sso-connections/${connId}/sp-keys`)).status, 409, 'one next key at a time');
      let xml = await spMetadata();
      assert.ok(xml.includes(certificateBody(first!.certificate)) && xml.includes(certificateBody(created.body.certificate)), 'both keys are published during the rollover');
      assert.ok(await authnRequestVerifiesWith(first!.certificate), 'the active key still signs');

      const activated = await world.admin.call('POST', `/sso-connections/${connId}/sp-keys/${created.body.id}/activate`);
      assert.equal(activated.status, 200, activated.text);
      assert.deepEqual(Object.fromEntries((activated.body.spKeys as { id: string; state: string }[]).map((k) => [k.id, k.state])), { [first!.id]: 'retiring', [created.body.id]: 'active' });
      xml = await spMetadata();
      assert.ok(xml.includes(certificateBody(first!.certificate)) && xml.includes(certificateBody(created.body.certificate)), 'the retiring key stays published');
      assert.ok(await authnRequestVerifiesWith(created.body.certificate), 'the new key signs AuthnRequests');
      assert.equal(await authnRequestVerifiesWith(first!.certificate), false);

      assert.equal((await world.admin.call('POST', `/sso-connections/${connId}/sp-keys/${created.body.id}/retire`)).status, 409, 'the active key cannot be retired');
      const retired = await world.admin.call('POST', `/sso-connections/${connId}/sp-keys/${first!.id}/retire`);
      assert.equal(retired.status, 200, retired.text);
      assert.deepEqual((retired.body.spKeys as { id: string }[]).map((k) => k.id), [created.body.id]);
      xml = await spMetadata();
      assert.ok(!xml.includes(certificateBody(first!.certificate)), 'the retired key left the metadata');
      assert.ok(xml.includes(certificateBody(created.body.certificate)));
      await login('after the SP key rollover');
      const types = await eventTypes();
      for (const t of ['connection.sp_key_created', 'connection.sp_key_activated', 'connection.sp_key_retired']) assert.ok(types.includes(t), t);
    });

    /** Starts an SP-initiated login and checks the Redirect-binding signature of its AuthnRequest against `certificatePem`. */
    async function authnRequestVerifiesWith(certificatePem: string): Promise<boolean> {
      const { challenge } = pkce();
      const r = await new Browser().request(
        'GET',
        `${world.server.url}/oauth/authorize?${new URLSearchParams({ client_id: world.connection.oauth.clientId, redirect_uri: REDIRECT_URI, response_type: 'code', state: 's', code_challenge: challenge, code_challenge_method: 'S256', connection: connId })}`,
      );
      assert.equal(r.status, 302, r.text);
      const query = new URL(r.location!).search.slice(1);
      const raw = Object.fromEntries(query.split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
      assert.ok(raw.Signature && raw.SigAlg, 'a signed AuthnRequest');
      const signedPart = ['SAMLRequest', 'RelayState', 'SigAlg'].filter((k) => raw[k] !== undefined).map((k) => `${k}=${raw[k]}`).join('&');
      return createVerify('RSA-SHA256').update(signedPart).verify(certificatePem, Buffer.from(decodeURIComponent(raw.Signature), 'base64'));
    }
  });
}

for (const dialect of dialects) {
  describe(`JumpCloud "Regenerate" without a gap, before the next metadata poll (${dialect})`, () => {
    let world: SsoWorld;
    before(async () => {
      // the background refresh would come only after an hour: what closes the gap is the ACS itself
      world = await startSsoWorld(dialect, { allowIdpInitiated: true, env: { GATEHOUSE_SSO_JOB_TICK_MS: '3600000', GATEHOUSE_SSO_RENEWAL_POLL_MS: '3600000' } });
    });
    after(() => world.close());

    it('a response signed with the regenerated key re-reads the metadata once and logs in; no failure is recorded', async () => {
      const connId = world.connection.id;
      const post = async () => {
        const r = await world.sim.idp.signIn({ slug: 'acme-portal', user: PORTAL_USER });
        return new Browser().postResponse(r.acsUrl, r.samlResponse, r.relayState);
      };
      assert.equal((await post()).status, 302, 'before the renewal');
      const started = await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal`, { fromMetadata: true });
      assert.equal(started.status, 201, started.text);
      assert.equal(started.body.renewal.awaitingCertificate, true);
      const { app } = world.sim.idp.app({ slug: 'acme-portal' });
      assert.equal((await http('POST', `${world.sim.consoleUrl}/sim/apps/${app._id}/regenerate-cert`)).status, 200);

      const first = await post();
      assert.equal(first.status, 302, first.text);
      const renewal = (await world.admin.call('GET', `/sso-connections/${connId}/idp-certificates`)).body.renewal;
      assert.equal(renewal.awaitingCertificate, false, 'the ACS found the new certificate');
      const failures = await world.admin.call('GET', `/events?organization=${world.orgId}&type=sso.login.failed`);
      assert.deepEqual(failures.body.data, [], 'no login failed on the way');

      // outside a waiting renewal, a response signed by an unknown key does not trigger a fetch: refused
      assert.equal((await world.admin.call('POST', `/sso-connections/${connId}/idp-certificates/renewal/confirm`)).status, 200);
      assert.equal((await http('POST', `${world.sim.consoleUrl}/sim/apps/${app._id}/regenerate-cert`)).status, 200);
      const refused = await post();
      assert.equal(refused.status, 400);
      const refreshed = (await world.admin.call('GET', `/sso-connections/${connId}/idp-certificates`)).body.certificates;
      assert.equal(refreshed.filter((c: { state: string }) => c.state === 'pending').length, 0, 'no metadata fetch happened');
    });
  });
}
