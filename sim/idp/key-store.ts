import type { Tenant } from '../tenant/tenant.js';
import type { Application } from '../tenant/types.js';
import { generateSigningPair, type CertificateRequest, type SigningPair } from './certificates.js';

/** A signing pair of one generation of one app's certificate. */
export interface AppSigningPair extends SigningPair {
  appId: string;
  generation: number;
  notBefore: string;
  notAfter: string;
}

/** Makes a pair for an app; the default is {@link generateSigningPair} with {@link DEFAULT_CERT_SUBJECT}. */
export type PairFactory = (request: CertificateRequest) => Promise<SigningPair>;

/**
 * The subject of the simulator's IdP certificates (CN first). JumpCloud's real subject is not confirmed
 * (jumpcloud-wire.md "Could NOT confirm" 8: no real metadata file was found); this one is a plausible guess
 * and nothing should depend on it.
 */
export const DEFAULT_CERT_SUBJECT = { commonName: 'JumpCloud', attributes: { OU: 'JumpCloudSAMLIdP', O: 'JumpCloud', L: 'Louisville', ST: 'Colorado', C: 'US' } } as const;

/**
 * The IdP signing keys of every app of every organization, made lazily. The first use of an app's
 * certificate (metadata, a sign-in) generates its RSA key and self-signed certificate for the app's current
 * `cert.generation` and window (`cert.notBefore`/`notAfter`); later uses get the cached pair, and concurrent
 * first uses share one generation. After "Regenerate certificate" (`tenant.regenerateAppCert`, generation + 1)
 * the next use makes a new pair and the old one is dropped: it can no longer sign, as in JumpCloud.
 *
 * Lazy, because RSA key generation costs ~200 ms: 50 apps are only paid for when 50 apps are used. That is
 * also why the PEMs reach the app record afterwards, through `tenant.recordCertificate`
 * (WebCrypto and @peculiar/x509 are asynchronous). Instead, once a pair exists, the PEMs are written into
 * the app record (`app.cert.certificatePem` / `privateKeyPem`, generation unchanged, no event: the same
 * filling the issuer would do), so the console API's IdP Certificate field shows it from then on.
 */
export class SigningKeyStore {
  readonly #pairs = new Map<string, Promise<AppSigningPair>>();
  readonly #factory: PairFactory;
  readonly #fillAppRecords: boolean;

  constructor(options: { factory?: PairFactory; fillAppRecords?: boolean } = {}) {
    this.#factory = options.factory ?? ((request) => generateSigningPair(request));
    this.#fillAppRecords = options.fillAppRecords ?? true;
  }

  /** The pair of the app's current certificate generation, generated on first use. */
  async pairFor(tenant: Tenant, app: Application): Promise<AppSigningPair> {
    const prefix = `${tenant.orgId}/${app._id}/`;
    const key = `${prefix}${app.cert.generation}/${app.cert.notBefore}`;
    let made = this.#pairs.get(key);
    if (!made) {
      for (const old of this.#pairs.keys()) if (old.startsWith(prefix)) this.#pairs.delete(old);
      made = this.#make(app);
      this.#pairs.set(key, made);
      made.catch(() => this.#pairs.delete(key));
    }
    const pair = await made;
    if (this.#fillAppRecords) tenant.recordCertificate(pair.appId, pair, pair);
    return pair;
  }

  async #make(app: Application): Promise<AppSigningPair> {
    const { generation, notBefore, notAfter } = app.cert;
    // an app record that already carries PEMs (a certificate issuer ran) is used as is
    const pems =
      app.cert.certificatePem !== null && app.cert.privateKeyPem !== null
        ? { certificatePem: app.cert.certificatePem, privateKeyPem: app.cert.privateKeyPem }
        : await this.#factory({ ...DEFAULT_CERT_SUBJECT, notBefore: new Date(notBefore), notAfter: new Date(notAfter) });
    return { ...pems, appId: app._id, generation, notBefore, notAfter };
  }

  /** Generates the pairs of these apps now (e.g. before a demo), a few at a time. */
  async warm(tenant: Tenant, apps: readonly Application[] = tenant.apps.list(), concurrency = 2): Promise<void> {
    const queue = [...apps];
    const worker = async (): Promise<void> => {
      for (let app = queue.shift(); app; app = queue.shift()) await this.pairFor(tenant, app);
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  }

  /** Forgets every pair (the app records keep their PEMs, so the same keys come back). */
  clear(): void {
    this.#pairs.clear();
  }
}

