/**
 * SSO connections in the admin API (issue 6, item 1): create from IdP metadata XML, a metadata URL or
 * fields; list, get, patch, delete; secrets never shown again; SP metadata (signing certificates,
 * WantAssertionsSigned, ACS); hostile input (XXE and oversized metadata, SSRF metadata URLs, bad
 * certificates and redirect URIs) refused with a 4xx that changes nothing.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { startSimulator, type Simulator } from '../../sim/simulator.js';
import { generateSigningPair } from '../../sim/idp/certificates.js';
import { dialects } from '../support/databases.js';
import { adminClient, http, startTestServer, type TestServer } from '../support/server.js';

for (const dialect of dialects) {
  describe(`SSO connections admin API (${dialect})`, () => {
    let server: TestServer;
    let strictServer: TestServer;
    let sim: Simulator;
    let admin: ReturnType<typeof adminClient>;
    let orgId: string;
    let metadataXml: string;
    let metadataUrl: string;
    let cert: string;
    let helper: Server;
    let helperUrl: string;

    before(async () => {
      server = await startTestServer(dialect, { GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE: '1' });
      strictServer = await startTestServer(dialect);
      sim = await startSimulator({ seed: 'demo' });
      admin = adminClient(server);
      orgId = (await admin.organization('Acme')).id;
      const { tenant, app } = sim.idp.app({ slug: 'acme-portal' });
      metadataXml = await sim.idp.metadata(tenant, app);
      metadataUrl = sim.idp.metadataUrls(tenant, app).advertised;
      cert = (await sim.idp.signingPair(tenant, app)).certificatePem;
      // answers with a redirect, slowly, or with too much
      helper = createServer((req, res) => {
        if (req.url === '/redirect') return void res.writeHead(302, { location: metadataUrl }).end();
        if (req.url === '/huge') {
          res.writeHead(200, { 'content-type': 'application/xml' });
          const chunk = 'x'.repeat(64 * 1024);
          for (let i = 0; i < 20; i++) res.write(chunk);
          return void res.end();
        }
        if (req.url === '/slow') return void setTimeout(() => res.end(metadataXml), 6_000).unref();
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => helper.listen(0, '127.0.0.1', resolve));
      helperUrl = `http://127.0.0.1:${(helper.address() as AddressInfo).port}`;
    });
    after(async () => {
      helper.closeAllConnections();
      await new Promise((resolve) => helper.close(resolve));
      await sim.stop();
      await strictServer.close();
      await server.close();
    });

    const create = (body: unknown, target = server) => http('POST', `${target.url}/api/organizations/${orgId}/sso-connections`, { token: 'gha_test-admin-key-0123456789abcdef0123456789', body });

    it('creates from metadata XML: the answer has the SP side, the login URL and the client secret once', async () => {
      const r = await create({ idpMetadataXml: metadataXml, redirectUris: ['https://app.example/callback'] });
      assert.equal(r.status, 201, r.text);
      const c = r.body;
      assert.match(c.id, /^sso_/);
      assert.equal(c.spEntityId, `${server.url}/sso/${c.id}`);
      assert.equal(c.acsUrl, `${server.url}/sso/${c.id}/acs`);
      assert.equal(c.spMetadataUrl, `${server.url}/sso/${c.id}/metadata.xml`);
      assert.equal(c.loginUrl, `${server.url}/sso/${c.id}/login`);
      assert.match(c.oauth.clientSecret, /^ghcs_/);
      assert.equal(c.idp.entityId, 'jumpcloud-acme-portal');
      assert.match(c.idp.ssoUrl, /\/saml2\/acme-portal$/);
      assert.equal(c.allowIdpInitiated, false, 'IdP-initiated is off by default');
      assert.equal(c.idpCertificates.length, 1);
      assert.equal(c.idpCertificates[0].state, 'active');
      assert.equal(c.spKeys.length, 1);
      assert.equal(c.spKeys[0].state, 'active');

      const got = await admin.call('GET', `/sso-connections/${c.id}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.oauth.clientSecret, undefined, 'the secret is never shown again');
      assert.equal(got.body.oauth.clientSecretHint, c.oauth.clientSecret.slice(-4));
      assert.doesNotMatch(got.text, /PRIVATE KEY|ghcs_/);

      const list = await admin.call('GET', `/organizations/${orgId}/sso-connections`);
      assert.equal(list.status, 200);
      assert.ok(list.body.data.some((x: any) => x.id === c.id));
      assert.doesNotMatch(list.text, /PRIVATE KEY|ghcs_/);
    });

    it('creates from a metadata URL, and from fields', async () => {
      const byUrl = await create({ idpMetadataUrl: metadataUrl });
      assert.equal(byUrl.status, 201, byUrl.text);
      assert.equal(byUrl.body.idp.metadataUrl, metadataUrl);
      assert.equal(byUrl.body.idpCertificates[0].source, 'metadata_url');
      const byFields = await create({ idpEntityId: 'JumpCloud', idpSsoUrl: 'https://sso.jumpcloud.com/saml2/acme', idpCertificates: [cert], allowIdpInitiated: true });
      assert.equal(byFields.status, 201, byFields.text);
      assert.equal(byFields.body.allowIdpInitiated, true);
      assert.equal(byFields.body.idpCertificates[0].fingerprintSha256, new X509Certificate(cert).fingerprint256.replace(/:/g, '').toLowerCase());
    });

    it('serves SP metadata with the signing certificate(s), WantAssertionsSigned and the ACS', async () => {
      const c = (await create({ idpMetadataXml: metadataXml, wantAssertionsSigned: true })).body;
      const r = await http('GET', c.spMetadataUrl);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type')!, /samlmetadata\+xml/);
      assert.match(r.text, new RegExp(`entityID="${c.spEntityId}"`));
      assert.match(r.text, /WantAssertionsSigned="true"/);
      assert.match(r.text, /AuthnRequestsSigned="true"/);
      assert.match(r.text, /<KeyDescriptor use="signing">/);
      assert.match(r.text, new RegExp(`Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${c.acsUrl}"`));
      const certBody = c.spKeys[0].certificate.replace(/-----[A-Z ]+-----|\s/g, '');
      assert.ok(r.text.replace(/\s/g, '').includes(certBody));
      assert.doesNotMatch(r.text, /PRIVATE/);
      assert.equal((await http('GET', `${server.url}/sso/sso_unknown/metadata.xml`)).status, 404);
    });

    it('patches settings and deletes; unknown ids are 404', async () => {
      const c = (await create({ idpMetadataXml: metadataXml })).body;
      const p = await admin.call('PATCH', `/sso-connections/${c.id}`, { allowIdpInitiated: true, redirectUris: ['https://a.example/cb', 'http://localhost:3000/cb'], attributeMapping: { email: 'mail' }, refuseDeactivatedUsers: false, name: 'Portal' });
      assert.equal(p.status, 200, p.text);
      assert.equal(p.body.allowIdpInitiated, true);
      assert.deepEqual(p.body.redirectUris, ['https://a.example/cb', 'http://localhost:3000/cb']);
      assert.deepEqual(p.body.attributeMapping, { email: 'mail' });
      assert.equal(p.body.refuseDeactivatedUsers, false);
      assert.equal((await admin.call('DELETE', `/sso-connections/${c.id}`)).status, 204);
      assert.equal((await admin.call('GET', `/sso-connections/${c.id}`)).status, 404);
      assert.equal((await admin.call('PATCH', `/sso-connections/${c.id}`, { name: 'x' })).status, 404);
      assert.equal((await admin.call('DELETE', `/sso-connections/${c.id}`)).status, 404);
      assert.equal((await admin.call('POST', `/organizations/org_nope/sso-connections`, { idpMetadataXml: metadataXml })).status, 404);
    });

    it('refuses hostile metadata and fields with a 4xx, creating nothing', async () => {
      const before = (await admin.call('GET', `/organizations/${orgId}/sso-connections?limit=500`)).body.data.length;
      const xxe = `<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${metadataXml.replace(/<\?xml[^>]*\?>/, '')}`;
      const bad: unknown[] = [
        { idpMetadataXml: xxe },
        { idpMetadataXml: `<!DOCTYPE md:EntityDescriptor>${metadataXml.replace(/<\?xml[^>]*\?>/, '')}` },
        { idpMetadataXml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>' },
        { idpMetadataXml: 'not xml at all' },
        { idpMetadataXml: `<a>${'<b>'.repeat(100)}${'</b>'.repeat(100)}</a>` },
        { idpMetadataXml: metadataXml, idpMetadataUrl: metadataUrl },
        {},
        { idpEntityId: 'x', idpSsoUrl: 'https://idp.example/sso', idpCertificates: ['not a certificate'] },
        { idpEntityId: 'x', idpSsoUrl: 'https://idp.example/sso', idpCertificates: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'] },
        { idpEntityId: 'x', idpSsoUrl: 'javascript:alert(1)', idpCertificates: [cert] },
        { idpEntityId: '', idpSsoUrl: 'https://idp.example/sso', idpCertificates: [cert] },
        { idpEntityId: 'x', idpCertificates: [cert] },
        { idpMetadataXml: metadataXml, redirectUris: ['https://app.example/cb#frag'] },
        { idpMetadataXml: metadataXml, redirectUris: ['http://app.example/cb'] },
        { idpMetadataXml: metadataXml, redirectUris: ['javascript:alert(1)'] },
        { idpMetadataXml: metadataXml, redirectUris: ['https://user:pw@app.example/cb'] },
        { idpMetadataXml: metadataXml, redirectUris: ['/relative'] },
        { idpMetadataXml: metadataXml, attributeMapping: { password: 'x' } },
        { idpMetadataXml: metadataXml, unknownField: true },
        { idpMetadataXml: 42 },
        { idpMetadataUrl: 'file:///etc/passwd' },
        { idpMetadataUrl: 'ftp://idp.example/metadata' },
        { idpMetadataUrl: `${helperUrl}/redirect` },
        { idpMetadataUrl: `${helperUrl}/huge` },
        { idpMetadataUrl: `${helperUrl}/missing` },
        { idpMetadataUrl: 'not a url' },
      ];
      for (const body of bad) {
        const r = await create(body);
        assert.ok(r.status >= 400 && r.status < 500, `${JSON.stringify(body).slice(0, 120)} → ${r.status} ${r.text}`);
        assert.ok(r.body?.error?.code, r.text);
      }
      const oversized = await create({ idpMetadataXml: `<x>${'a'.repeat(1_100_000)}</x>` });
      assert.equal(oversized.status, 413);
      assert.equal((await admin.call('GET', `/organizations/${orgId}/sso-connections?limit=500`)).body.data.length, before);
    });

    it('a metadata URL that hangs is given up after 5 s', async () => {
      const t0 = Date.now();
      const r = await create({ idpMetadataUrl: `${helperUrl}/slow` });
      assert.equal(r.status, 400);
      assert.match(r.body.error.message, /timed out/);
      assert.ok(Date.now() - t0 < 5_900);
    });

    it('SSRF: by default metadata URLs must be https and may not reach loopback, private or link-local addresses', async () => {
      const strictOrg = (await adminClient(strictServer).organization('Strict')).id;
      for (const url of [metadataUrl, 'http://169.254.169.254/latest/meta-data/', 'https://127.0.0.1/metadata', 'https://10.0.0.1/m', 'https://[::1]/m', 'https://192.168.1.1/m', 'https://localhost/m', 'https://169.254.169.254/m']) {
        const r = await http('POST', `${strictServer.url}/api/organizations/${strictOrg}/sso-connections`, { token: 'gha_test-admin-key-0123456789abcdef0123456789', body: { idpMetadataUrl: url } });
        assert.equal(r.status, 400, `${url}: ${r.text}`);
      }
    });

    it('a certificate with an RSA key under 2048 bits is refused', async () => {
      const weak = await generateSigningPair({ commonName: 'Weak', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000), modulusLength: 1024 });
      const r = await create({ idpEntityId: 'x', idpSsoUrl: 'https://idp.example/sso', idpCertificates: [weak.certificatePem] });
      assert.equal(r.status, 400);
      assert.match(r.body.error.message, /2048/);
    });
  });
}
