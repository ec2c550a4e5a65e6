/**
 * Hostile and malformed input on every certificate-lifecycle route (renewal, confirm, cancel, dismiss,
 * metadata refresh, SP keys): a clear 4xx, no stack trace, nothing changed. And the metadata refresh against
 * an IdP metadata URL that fails (5xx, timeout, oversized, redirect, another IdP, not XML): the failure is
 * recorded on the connection, announced once, and the trusted certificates do not change.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { IdpCertificateRenewal } from '../../src/saml/certificate-renewal.js';
import { MetadataRefresher } from '../../src/saml/metadata-refresh.js';
import { openDatabase } from '../../src/store/database.js';
import { Store } from '../../src/store/store.js';
import { dialects } from '../support/databases.js';
import { adminClient, ADMIN_KEY, http, startTestServer, type HttpResult, type TestServer } from '../support/server.js';
import { certificateBody, makeCertificate } from './support/certificate-factory.js';

const DAY = 86_400_000;
const STACK_TRACE = /\bat [^\n]*\((?:file:|node:|\/)[^)]*:\d+:\d+\)|\bat [^\n]*\.(?:ts|js|mjs):\d+|node_modules\//;

function metadataXml(entityId: string, certificatePem: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${certificateBody(certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

type Mode = 'ok' | '500' | 'slow' | 'big' | 'redirect' | 'other-idp' | 'not-xml' | 'doctype';

/** An IdP metadata URL whose answer the test chooses (and which counts its requests). */
async function metadataServer(entityId: string, certificatePem: string): Promise<{ url: string; mode: Mode; server: Server; hits: number }> {
  const state = { url: '', mode: 'ok' as Mode, server: undefined as unknown as Server, hits: 0 };
  state.server = createServer((req, res) => {
    state.hits++;
    const send = (status: number, body: string, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/xml', ...headers }).end(body);
    switch (state.mode) {
      case 'ok': return send(200, metadataXml(entityId, certificatePem));
      case '500': return send(500, 'boom');
      case 'slow': return void setTimeout(() => send(200, metadataXml(entityId, certificatePem)), 2_000);
      case 'big': return send(200, `<!-- ${'x'.repeat(200_000)} -->` + metadataXml(entityId, certificatePem));
      case 'redirect': return send(302, '', { location: 'http://169.254.169.254/latest/meta-data/' });
      case 'other-idp': return send(200, metadataXml('https://evil.example/idp', certificatePem));
      case 'not-xml': return send(200, '{"not":"xml"}');
      case 'doctype': return send(200, `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>` + metadataXml(entityId, certificatePem).replace(/^<\?xml[^>]*>/, ''));
    }
  });
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve));
  const address = state.server.address();
  state.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/metadata.xml`;
  return state;
}

function assertRefused(r: HttpResult, status: number, label: string): void {
  assert.equal(r.status, status, `${label} → ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(typeof r.body?.error?.code, 'string', `${label}: an error object`);
  assert.equal(typeof r.body?.error?.message, 'string', `${label}: an error message`);
  assert.doesNotMatch(r.text, STACK_TRACE, `${label}: leaks a stack trace`);
}

for (const dialect of dialects) {
  describe(`certificate lifecycle routes, hostile input (${dialect})`, () => {
    let server: TestServer;
    let admin: ReturnType<typeof adminClient>;
    let orgId: string;
    let manual: { id: string };
    let viaUrl: { id: string };
    let idp: Awaited<ReturnType<typeof metadataServer>>;
    const certs: Record<string, string> = {};

    before(async () => {
      server = await startTestServer(dialect, {
        GATEHOUSE_SSO_METADATA_ALLOW_PRIVATE: '1',
        GATEHOUSE_SSO_METADATA_TIMEOUT_MS: '300',
        GATEHOUSE_SSO_METADATA_MAX_BYTES: '65536',
        GATEHOUSE_SSO_JOB_TICK_MS: '3600000',
      });
      admin = adminClient(server);
      orgId = (await admin.organization('Hostile')).id;
      const now = Date.now();
      const [idpCert, rsa1024, expired, ec256, ed25519, fresh] = await Promise.all([
        makeCertificate(),
        makeCertificate({ key: { type: 'rsa', bits: 1024 } }),
        makeCertificate({ notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - DAY) }),
        makeCertificate({ key: { type: 'ec', curve: 'P-256' } }),
        makeCertificate({ key: { type: 'ed25519' } }),
        makeCertificate(),
      ]);
      Object.assign(certs, { idp: idpCert.certificatePem, rsa1024: rsa1024.certificatePem, expired: expired.certificatePem, ec256: ec256.certificatePem, ed25519: ed25519.certificatePem, fresh: fresh.certificatePem });
      let r = await admin.call('POST', `/organizations/${orgId}/sso-connections`, { idpEntityId: 'https://idp.example/manual', idpSsoUrl: 'https://idp.example/sso', idpCertificates: [certs.idp] });
      assert.equal(r.status, 201, r.text);
      manual = r.body;
      idp = await metadataServer('https://idp.example/by-url', certs.idp!);
      r = await admin.call('POST', `/organizations/${orgId}/sso-connections`, { idpMetadataUrl: idp.url });
      assert.equal(r.status, 201, r.text);
      viaUrl = r.body;
    });
    after(async () => {
      idp.server.close();
      await server.close();
    });

    const snapshot = async (id: string) => {
      const r = await admin.call('GET', `/sso-connections/${id}/idp-certificates`);
      assert.equal(r.status, 200, r.text);
      return { renewal: r.body.renewal, certificates: r.body.certificates.map((c: { id: string; state: string }) => `${c.id}:${c.state}`) };
    };

    it('renewal bodies that are malformed, oversized or hostile: 400, nothing changes', async () => {
      const before = await snapshot(manual.id);
      const url = `${server.url}/api/sso-connections/${manual.id}/idp-certificates/renewal`;
      const raw = (rawBody: string | Buffer, contentType = 'application/json') => http('POST', url, { token: ADMIN_KEY, rawBody, contentType });
      const cases: [string, Promise<HttpResult>, number][] = [
        ['not JSON', raw('{"certificate": '), 400],
        ['an array', raw('[]'), 400],
        ['empty object', raw('{}'), 400],
        ['two sources', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.fresh, fromMetadata: true }), 400],
        ['unknown field', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.fresh, state: 'active' }), 400],
        ['fromMetadata false', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { fromMetadata: false }), 400],
        ['certificate not a string', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: { pem: 1 } }), 400],
        ['garbage certificate', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----' }), 400],
        ['script in certificate', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: '<script>alert(1)</script>' }), 400],
        ['oversized certificate', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: 'A'.repeat(20_000) }), 400],
        ['RSA 1024', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.rsa1024 }), 400],
        ['expired', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.expired }), 400],
        ['Ed25519', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.ed25519 }), 400],
        ['the current certificate again', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.idp }), 409],
        ['unknown certificateId', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificateId: 'idpc_nope' }), 404],
        ['fromMetadata without a metadata URL', admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { fromMetadata: true }), 400],
        ['5 MB body', raw(Buffer.alloc(5 * 1024 * 1024, 'a')), 413],
        ['form body', raw('certificate=x', 'application/x-www-form-urlencoded'), 415],
      ];
      for (const [label, request, status] of cases) {
        const r = await request;
        if (label === 'form body') assert.ok(r.status === 415 || r.status === 400, `${label} → ${r.status} ${r.text.slice(0, 200)}`);
        else assertRefused(r, status, label);
        assert.doesNotMatch(r.text, STACK_TRACE, label);
      }
      assert.deepEqual(await snapshot(manual.id), before, 'nothing changed');
      assert.equal(before.renewal, null);
    });

    it('an EC P-256 certificate is accepted (then cancelled)', async () => {
      const r = await admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/renewal`, { certificate: certs.ec256 });
      assert.equal(r.status, 201, r.text);
      assert.equal((await admin.call('DELETE', `/sso-connections/${manual.id}/idp-certificates/renewal`)).status, 200);
    });

    it('unknown and hostile ids on every route: 400/404, never a 5xx', async () => {
      const ids = ['sso_doesnotexist', 'x'.repeat(101), "' or 1=1 --", '../../etc/passwd', '%00', 'é'];
      for (const id of ids) {
        const c = encodeURIComponent(id);
        const requests: [string, string][] = [
          ['GET', `/sso-connections/${c}/idp-certificates`],
          ['POST', `/sso-connections/${c}/idp-certificates/renewal/confirm`],
          ['DELETE', `/sso-connections/${c}/idp-certificates/renewal`],
          ['POST', `/sso-connections/${c}/idp-metadata/refresh`],
          ['GET', `/sso-connections/${c}/sp-keys`],
          ['POST', `/sso-connections/${c}/sp-keys`],
          ['POST', `/sso-connections/${manual.id}/sp-keys/${c}/activate`],
          ['POST', `/sso-connections/${manual.id}/sp-keys/${c}/retire`],
          ['POST', `/sso-connections/${manual.id}/idp-certificates/${c}/dismiss`],
          ['POST', `/sso-connections/${c}/idp-certificates/idpc_x/dismiss`],
        ];
        for (const [method, path] of requests) {
          const r = await admin.call(method, path);
          assert.ok(r.status === 400 || r.status === 404, `${method} ${path} → ${r.status} ${r.text.slice(0, 200)}`);
          assert.doesNotMatch(r.text, STACK_TRACE);
        }
        const renewal = await admin.call('POST', `/sso-connections/${c}/idp-certificates/renewal`, { certificate: certs.fresh });
        assert.ok(renewal.status === 400 || renewal.status === 404, `renewal on ${id} → ${renewal.status}`);
      }
      const unauthenticated = await http('POST', `${server.url}/api/sso-connections/${manual.id}/sp-keys`);
      assert.equal(unauthenticated.status, 401);
      assertRefused(await admin.call('POST', `/sso-connections/${manual.id}/idp-metadata/refresh`), 400, 'refresh without a metadata URL');
      const keys = (await admin.call('GET', `/sso-connections/${manual.id}/sp-keys`)).body.spKeys as { id: string }[];
      assertRefused(await admin.call('POST', `/sso-connections/${manual.id}/sp-keys/${keys[0]!.id}/activate`), 409, 'activate the active key');
      assertRefused(await admin.call('POST', `/sso-connections/${manual.id}/sp-keys/${keys[0]!.id}/retire`), 409, 'retire the active key');
      assertRefused(await admin.call('POST', `/sso-connections/${viaUrl.id}/sp-keys/${keys[0]!.id}/activate`), 404, "another connection's key");
      const certId = (await snapshot(manual.id)).certificates[0]!.split(':')[0];
      assertRefused(await admin.call('POST', `/sso-connections/${manual.id}/idp-certificates/${certId}/dismiss`), 409, 'dismiss a trusted certificate');
    });

    it('a failing metadata URL: the refresh records why, announces it once, and trusts what it trusted before', async () => {
      const before = await snapshot(viaUrl.id);
      const expected: [Mode, RegExp][] = [
        ['500', /answered 500/],
        ['slow', /timed out/],
        ['big', /larger than 65536 bytes/],
        ['redirect', /redirect/],
        ['other-idp', /no IdP with entityID/],
        ['not-xml', /refused|not a SAML|metadata/i],
        ['doctype', /refused/],
      ];
      for (const [mode, message] of expected) {
        idp.mode = mode;
        const r = await admin.call('POST', `/sso-connections/${viaUrl.id}/idp-metadata/refresh`);
        assertRefused(r, 400, `refresh (${mode})`);
        assert.match(r.body.error.message, message, mode);
        const v = await admin.call('GET', `/sso-connections/${viaUrl.id}/idp-certificates`);
        assert.match(v.body.metadataRefresh.lastRefreshError, message, `${mode}: recorded on the connection`);
        assert.ok(v.body.metadataRefresh.lastRefreshAt);
        const connection = await admin.call('GET', `/sso-connections/${viaUrl.id}`);
        assert.match(connection.body.idp.lastRefreshError, message, `${mode}: shown on the connection`);
        assert.equal(connection.body.idp.lastRefreshAt, v.body.metadataRefresh.lastRefreshAt);
      }
      assert.deepEqual(await snapshot(viaUrl.id), before, 'the trusted certificates did not change');
      const events = await admin.call('GET', `/events?organization=${orgId}&type=connection.metadata_refresh_failed`);
      assert.equal(events.body.data.filter((e: { data: { connection: { id: string } } }) => e.data.connection.id === viaUrl.id).length, 1, 'one event per failing streak');

      idp.mode = 'ok';
      const ok = await admin.call('POST', `/sso-connections/${viaUrl.id}/idp-metadata/refresh`);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.metadataRefresh.lastRefreshError, null);
      assert.equal((await admin.call('GET', `/sso-connections/${viaUrl.id}`)).body.idp.lastRefreshError, null);
      assert.ok(ok.body.metadataRefresh.lastSuccessAt);
      assert.deepEqual(await snapshot(viaUrl.id), before);
    });


    it('several nodes: a due refresh is claimed by one of them; the routes are in the OpenAPI document', async () => {
      idp.mode = 'ok';
      const r = await admin.call('POST', `/organizations/${orgId}/sso-connections`, { idpMetadataUrl: idp.url });
      assert.equal(r.status, 201, r.text);
      const hitsBefore = idp.hits;
      const config = server.runtime.gatehouse.config;
      const other = dialect === 'postgres' ? new Store(openDatabase(server.databaseUrl)) : undefined;
      try {
        const stores = [server.runtime.gatehouse.store, server.runtime.gatehouse.store, ...(other ? [other, other] : [])];
        const nodes = stores.map((store) => new MetadataRefresher(store, config.sso, config.ssoCertificates, new IdpCertificateRenewal(store, config.sso, config.ssoCertificates)));
        const refreshed = await Promise.all(nodes.map((n) => n.runDue()));
        assert.ok(refreshed.reduce((a, b) => a + b, 0) >= 1, `some node refreshed: ${refreshed}`);
        assert.equal(idp.hits - hitsBefore, 1, 'the new connection was read once, by one node (the others are not due for hours)');
        const v = await admin.call('GET', `/sso-connections/${r.body.id}/idp-certificates`);
        assert.ok(v.body.metadataRefresh.lastSuccessAt);
        assert.ok(Date.parse(v.body.metadataRefresh.nextRefreshAt) > Date.now() + 5 * 3600_000, 'next refresh in about 6 hours');
        assert.deepEqual(await Promise.all(nodes.map((n) => n.runDue())), nodes.map(() => 0), 'nothing due any more');
      } finally {
        await other?.close();
      }
      const doc = await http('GET', `${server.url}/openapi.json`);
      for (const path of ['/api/sso-connections/{id}/idp-certificates', '/api/sso-connections/{id}/idp-certificates/renewal', '/api/sso-connections/{id}/idp-certificates/renewal/confirm', '/api/sso-connections/{id}/idp-metadata/refresh', '/api/sso-connections/{id}/sp-keys', '/api/sso-connections/{id}/sp-keys/{keyId}/activate', '/api/sso-connections/{id}/sp-keys/{keyId}/retire']) {
        assert.ok(doc.body.paths[path], `OpenAPI lists ${path}`);
      }
    });
  });
}
