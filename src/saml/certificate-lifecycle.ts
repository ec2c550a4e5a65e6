import type { SsoCertificateConfig, SsoConfig } from '../config.js';
import type { SecretBox } from '../core/secret-box.js';
import type { Store } from '../store/store.js';
import { CertificateExpiryWatch } from './certificate-expiry.js';
import { IdpCertificateRenewal } from './certificate-renewal.js';
import { MetadataRefresher } from './metadata-refresh.js';
import { SpKeyRollover } from './sp-key-rollover.js';

/**
 * The certificate lifecycle of SSO connections in one place: IdP certificate renewal, SP key rollover,
 * expiry warnings and the metadata-URL refresh, plus the background jobs a serving node runs for the last
 * two (started and stopped with the node's maintenance, Gatehouse.startMaintenance).
 */
export class SsoCertificateLifecycle {
  readonly renewal: IdpCertificateRenewal;
  readonly spKeys: SpKeyRollover;
  readonly expiry: CertificateExpiryWatch;
  readonly refresher: MetadataRefresher;
  private timers: { tick: NodeJS.Timeout; expiry: NodeJS.Timeout } | undefined;

  constructor(store: Store, box: SecretBox, sso: SsoConfig, readonly config: SsoCertificateConfig, clock: () => Date = () => new Date()) {
    this.renewal = new IdpCertificateRenewal(store, sso, config, clock);
    this.spKeys = new SpKeyRollover(store, box, clock);
    this.expiry = new CertificateExpiryWatch(store, clock);
    this.refresher = new MetadataRefresher(store, sso, config, this.renewal, clock);
  }

  /** Starts the jobs (idempotent): due metadata refreshes every `jobTickMs`, expiry warnings now and every `expiryCheckMs`. */
  start(onError: (error: unknown, job: string) => void = () => {}): void {
    if (this.timers) return;
    const refresh = () => void this.refresher.runDue().catch((error: unknown) => onError(error, 'SSO metadata refresh'));
    const expiry = () => void this.expiry.run().catch((error: unknown) => onError(error, 'SSO certificate expiry'));
    this.timers = { tick: setInterval(refresh, this.config.jobTickMs).unref(), expiry: setInterval(expiry, this.config.expiryCheckMs).unref() };
    expiry();
  }

  /** Stops the jobs and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timers) {
      clearInterval(this.timers.tick);
      clearInterval(this.timers.expiry);
      this.timers = undefined;
    }
    await Promise.all([this.refresher.settled(), this.expiry.settled()]);
  }
}
