/**
 * Certificate expiry warnings (issue 6 item 3): connection.certificate_expiring at 60, 30, 7 and 1 days for
 * trusted IdP certificates and SP keys, with the days left and the fingerprint; each (certificate, threshold)
 * once, however many runs and nodes; the serving node's job emits them by itself. The clock is injected
 * (the watch's `run(now)`), the events are read over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CertificateExpiryWatch } from '../../src/saml/certificate-expiry.js';
import { Store } from '../../src/store/store.js';
import { openDatabase } from '../../src/store/database.js';
import { dialects } from '../support/databases.js';
import { adminClient, startTestServer, type TestServer } from '../support/server.js';
import { makeCertificate } from './support/certificate-factory.js';

const DAY = 86_400_000;

interface ExpiringEvent {
  type: string;
  organizationId: string;
  data: { connection: { id: string }; kind: string; certificateId: string; fingerprintSha256: string; thresholdDays: number; daysLeft: number; expired: boolean };
}

for (const dialect of dialects) {
  describe(`certificate expiry warnings (${dialect})`, () => {
    let server: TestServer;
    let admin: ReturnType<typeof adminClient>;
    let orgId: string;
    const start = Date.now();

    before(async () => {
      // the job runs every 200 ms here, so that its own run (real clock) can be seen
      server = await startTestServer(dialect, { GATEHOUSE_SSO_CERT_CHECK_MS: '200' });
      admin = adminClient(server);
      orgId = (await admin.organization('Expiring')).id;
    });
    after(() => server.close());

    async function connectionWith(notAfter: Date): Promise<{ id: string; idpCertificates: { id: string; fingerprintSha256: string }[]; spKeys: { id: string; notAfter: string; fingerprintSha256: string }[] }> {
      const cert = await makeCertificate({ notBefore: new Date(start - 300 * DAY), notAfter });
      const r = await admin.call('POST', `/organizations/${orgId}/sso-connections`, { idpEntityId: `https://idp.example/${notAfter.getTime()}`, idpSsoUrl: 'https://idp.example/sso', idpCertificates: [cert.certificatePem] });
      assert.equal(r.status, 201, r.text);
      return r.body;
    }

    async function warnings(connectionId: string): Promise<ExpiringEvent[]> {
      const r = await admin.call('GET', `/events?organization=${orgId}&type=connection.certificate_expiring&limit=500`);
      assert.equal(r.status, 200, r.text);
      return (r.body.data as ExpiringEvent[]).filter((e) => e.type === 'connection.certificate_expiring' && e.data.connection.id === connectionId);
    }

    it('the serving node emits the warning a certificate has reached, by itself', async () => {
      const c = await connectionWith(new Date(start + 20 * DAY));
      let seen: ExpiringEvent[] = [];
      for (let i = 0; i < 100 && seen.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = await warnings(c.id);
      }
      assert.equal(seen.length, 1, 'one warning: the 30-day one (60 was never reached while watched)');
      const [w] = seen;
      assert.equal(w!.organizationId, orgId);
      assert.deepEqual({ kind: w!.data.kind, threshold: w!.data.thresholdDays, fingerprint: w!.data.fingerprintSha256, certificateId: w!.data.certificateId }, { kind: 'idp_certificate', threshold: 30, fingerprint: c.idpCertificates[0]!.fingerprintSha256, certificateId: c.idpCertificates[0]!.id });
      assert.ok(w!.data.daysLeft === 19 || w!.data.daysLeft === 20, `days left: ${w!.data.daysLeft}`);
    });

    it('thresholds 60, 30, 7, 1 with an injected clock, each once; SP keys too', async () => {
      const notAfter = new Date(start + 100 * DAY);
      const c = await connectionWith(notAfter);
      const watch = server.runtime.gatehouse.ssoCertificates.expiry;
      const at = (daysBefore: number) => new Date(notAfter.getTime() - daysBefore * DAY);
      const thresholds = async () => (await warnings(c.id)).filter((e) => e.data.kind === 'idp_certificate').map((e) => [e.data.thresholdDays, e.data.daysLeft, e.data.expired]);

      await watch.run(at(61));
      assert.deepEqual(await thresholds(), [], 'nothing 61 days before');
      await watch.run(at(59.5));
      await watch.run(at(59));
      assert.deepEqual(await thresholds(), [[60, 59, false]]);
      await watch.run(at(29.5));
      await watch.run(at(8));
      assert.deepEqual(await thresholds(), [[60, 59, false], [30, 29, false]]);
      await watch.run(at(6.5));
      await watch.run(at(0.5));
      await watch.run(at(-3));
      assert.deepEqual(await thresholds(), [[60, 59, false], [30, 29, false], [7, 6, false], [1, 0, false]], 'an expired certificate already warned at 1 day gets nothing more');

      const sp = c.spKeys[0]!;
      const spAt = (daysBefore: number) => new Date(Date.parse(sp.notAfter) - daysBefore * DAY);
      await watch.run(spAt(5));
      const spWarnings = (await warnings(c.id)).filter((e) => e.data.kind === 'sp_key');
      assert.deepEqual(spWarnings.map((e) => [e.data.thresholdDays, e.data.certificateId, e.data.fingerprintSha256]), [[7, sp.id, sp.fingerprintSha256]]);
    });

    it('several nodes running the check at once emit each warning once', async () => {
      const notAfter = new Date(start + 50 * DAY);
      const c = await connectionWith(notAfter);
      const now = new Date(notAfter.getTime() - 45 * DAY);
      // another node: its own store (PostgreSQL: its own pool on the same database; SQLite in memory: the same store)
      const other = dialect === 'postgres' ? new Store(openDatabase(server.databaseUrl)) : undefined;
      try {
        const watches = [server.runtime.gatehouse.ssoCertificates.expiry, new CertificateExpiryWatch(server.runtime.gatehouse.store), ...(other ? [new CertificateExpiryWatch(other), new CertificateExpiryWatch(other)] : [])];
        await Promise.all(watches.map((w) => w.run(now)));
        const mine = (await warnings(c.id)).filter((e) => e.data.kind === 'idp_certificate');
        assert.deepEqual(mine.map((e) => e.data.thresholdDays), [60]);
      } finally {
        await other?.close();
      }
    });
  });
}
