import type { SsoCertificateConfig, SsoConfig } from '../config.js';
import { DomainError, notFound } from '../core/errors.js';
import type { Repositories, Store } from '../store/store.js';
import type { IdpCertificateRenewal, IdpCertificatesView } from './certificate-renewal.js';
import { connectionEvent } from './connection-event.js';
import { fetchPublishedCertificates } from './idp-metadata-source.js';

/** Connections refreshed per job tick (the rest wait for the next tick). */
const BATCH = 20;

/**
 * Periodic re-reading of the IdP metadata of connections created from a metadata URL (issue 6 item 1):
 * every `metadataRefreshMs` (every `renewalPollMs` while a renewal waits for the IdP's new certificate),
 * with the import's SSRF guard and the configured timeout and size cap. New certificates are handed to the
 * renewal logic (pending, or trusted beside the old one when a renewal waits); nothing is ever dropped.
 * A failure is recorded on the connection (`lastRefreshAt`, `lastRefreshError`) and announced once per
 * failing streak (`connection.metadata_refresh_failed`); it never touches the trusted certificates, so
 * logins go on with what the connection already trusts. Each due refresh is claimed by one node (a
 * compare-and-set on its `next_at`).
 */
export class MetadataRefresher {
  private running: Promise<number> | undefined;

  /** Resolves when the run in progress (if any) has finished. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  constructor(
    private readonly store: Store,
    private readonly sso: SsoConfig,
    private readonly limits: SsoCertificateConfig,
    private readonly renewal: IdpCertificateRenewal,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Refreshes the connections due now; returns how many this node refreshed. One run at a time per node. */
  runDue(): Promise<number> {
    this.running ??= this.refreshDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async refreshDue(): Promise<number> {
    const now = this.clock();
    const due = await this.store.ssoCertificates.dueRefreshes(now.toISOString(), BATCH);
    let done = 0;
    for (const d of due) {
      const waiting = (await this.store.ssoCertificates.renewal(d.connection_id))?.certificate_id === null;
      const next = new Date(now.getTime() + (waiting ? this.limits.renewalPollMs : this.limits.metadataRefreshMs)).toISOString();
      if (!(await this.store.ssoCertificates.claimRefresh(d.connection_id, d.next_at, next))) continue;
      await this.refreshOne(d.connection_id).catch(() => undefined);
      done++;
    }
    return done;
  }

  /**
   * Re-reads one connection's metadata now (the admin's "refresh" and the job). Returns the certificates
   * view; a fetch or parse failure is recorded and thrown as a 4xx-mapped DomainError with its reason.
   */
  async refreshOne(connectionId: string): Promise<IdpCertificatesView> {
    const now = this.clock();
    const at = now.toISOString();
    const row = await this.store.ssoConnections.get(connectionId);
    if (!row) throw notFound('SSO connection');
    if (row.idp_metadata_url === null) throw new DomainError('invalid', 'this connection was not created from a metadata URL; there is nothing to refresh');
    // the next read is scheduled from the renewal state at the end of this one, not at its start: a renewal
    // started while the fetch was under way must keep its quick poll (the renewal sets `next_at` to now)
    const nextAt = async (repositories: Repositories): Promise<{ waiting: boolean; next: string }> => {
      const waiting = (await repositories.ssoCertificates.renewal(connectionId))?.certificate_id === null;
      return { waiting, next: new Date(now.getTime() + (waiting ? this.limits.renewalPollMs : this.limits.metadataRefreshMs)).toISOString() };
    };
    let published;
    try {
      published = await fetchPublishedCertificates(row, this.sso, this.limits, now);
    } catch (error) {
      const message = error instanceof DomainError ? error.message : 'the IdP metadata could not be read';
      const before = await this.store.ssoCertificates.refreshState(connectionId);
      await this.store.transaction(async (tx) => {
        const { next } = await nextAt(tx);
        await tx.ssoCertificates.recordRefresh(connectionId, { attempted_at: at, error: message, next_at: next });
        if (!before?.error) await tx.events.append([connectionEvent(row, 'connection.metadata_refresh_failed', { url: row.idp_metadata_url, error: message }, at)]);
      });
      throw new DomainError('invalid', `metadata refresh failed: ${message}`);
    }
    return this.store.transaction(async (tx) => {
      const current = await tx.ssoConnections.get(connectionId);
      if (!current) throw notFound('SSO connection');
      const { waiting, next } = await nextAt(tx);
      const outcome = await this.renewal.applyPublished(tx, current, published.certificates, at);
      const stillWaiting = waiting && !outcome.trusted;
      const error = published.skipped.length > 0 ? `some published certificates were not usable: ${published.skipped.join('; ')}` : null;
      await tx.ssoCertificates.recordRefresh(connectionId, { attempted_at: at, succeeded_at: at, error, next_at: stillWaiting ? next : new Date(now.getTime() + this.limits.metadataRefreshMs).toISOString() });
      await tx.ssoConnections.update(connectionId, { idp_metadata_fetched_at: at });
      return this.renewal.view(connectionId, tx);
    });
  }
}
