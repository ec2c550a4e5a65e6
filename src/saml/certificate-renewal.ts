import type { SsoCertificateConfig, SsoConfig } from '../config.js';
import { DomainError, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { NewEvent } from '../core/types.js';
import type { IdpCertificateRow, SsoConnectionRow } from '../store/repositories/sso-connections.js';
import type { Repositories, Store } from '../store/store.js';
import { validateNewIdpCertificate } from './certificate-validation.js';
import type { InspectedCertificate } from './certificates.js';
import { connectionEvent } from './connection-event.js';
import { presentIdpCertificate, type IdpCertificate, type IdpCertificateState } from './connections.js';
import { fetchPublishedCertificates } from './idp-metadata-source.js';

/** What starts a renewal: a pasted certificate, a pending one already known, or a fresh read of the metadata URL. */
export interface RenewalInput {
  certificate?: string;
  certificateId?: string;
  fromMetadata?: boolean;
}

/** The IdP side of a connection's certificates as the admin API shows it. */
export interface IdpCertificatesView {
  connectionId: string;
  /** the renewal in progress: the new certificate is trusted beside the old ones until confirmed or cancelled */
  renewal: { startedAt: string; certificateId: string | null; awaitingCertificate: boolean } | null;
  metadataRefresh: { url: string | null; lastRefreshAt: string | null; lastSuccessAt: string | null; lastRefreshError: string | null; nextRefreshAt: string | null };
  certificates: IdpCertificate[];
}

const TRUSTED = new Set(['active', 'retiring']);

/** The public part of a certificate in an event (no PEM: events stay small). */
function certificateSummary(c: IdpCertificateRow): Record<string, unknown> {
  return { id: c.id, fingerprintSha256: c.fingerprint_sha256, notBefore: c.not_before, notAfter: c.not_after, state: c.state, source: c.source };
}

/**
 * IdP certificate renewal of SSO connections (issue 6 item 3; JumpCloud "Renew Certificate" then "Confirm
 * Certificate Renewal"). **Start** makes the new certificate `active` and every previously active one
 * `retiring`: both verify signatures (the ACS trusts active and retiring), so responses signed with either
 * key are accepted while the IdP switches. **Confirm** marks the retiring ones `removed` (no longer trusted);
 * **cancel** marks the new one `removed` and the retiring ones `active` again. One renewal at a time per
 * connection. A renewal started from the metadata URL before the IdP has published its new certificate waits
 * for it: the metadata refresh polls sooner, and the first new certificate it finds is trusted beside the
 * old one (the admin consented by starting the renewal). Outside a renewal, a new certificate found by a
 * refresh is only `pending` (saml-security.md §8: never trusted automatically).
 */
export class IdpCertificateRenewal {
  constructor(
    private readonly store: Store,
    private readonly sso: SsoConfig,
    private readonly limits: SsoCertificateConfig,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async connection(tx: Repositories, id: string): Promise<SsoConnectionRow> {
    const row = await tx.ssoConnections.get(id);
    if (!row) throw notFound('SSO connection');
    return row;
  }

  /** The certificates, the renewal in progress and the metadata refresh state of a connection. */
  async view(connectionId: string, tx: Repositories = this.store): Promise<IdpCertificatesView> {
    const row = await this.connection(tx, connectionId);
    const [certificates, renewal, refresh] = [await tx.ssoConnections.idpCertificates(connectionId), await tx.ssoCertificates.renewal(connectionId), await tx.ssoCertificates.refreshState(connectionId)];
    return {
      connectionId,
      renewal: renewal ? { startedAt: renewal.started_at, certificateId: renewal.certificate_id, awaitingCertificate: renewal.certificate_id === null } : null,
      metadataRefresh: {
        url: row.idp_metadata_url,
        lastRefreshAt: refresh?.attempted_at ?? null,
        lastSuccessAt: refresh?.succeeded_at ?? null,
        lastRefreshError: refresh?.error ?? null,
        nextRefreshAt: row.idp_metadata_url !== null ? (refresh?.next_at ?? null) : null,
      },
      certificates: certificates.map(presentIdpCertificate),
    };
  }

  /**
   * "Renew Certificate": trusts a new certificate beside the current ones. Exactly one of `certificate` (PEM),
   * `certificateId` (a pending or removed certificate of the connection) or `fromMetadata: true` (re-read the
   * metadata URL now; if it does not publish a new certificate yet, the renewal waits for it).
   */
  async start(connectionId: string, input: RenewalInput): Promise<IdpCertificatesView> {
    const given = [input.certificate !== undefined, input.certificateId !== undefined, input.fromMetadata === true].filter(Boolean).length;
    if (given !== 1 || input.fromMetadata === false) throw new DomainError('invalid', 'give exactly one of "certificate" (PEM), "certificateId" (a pending certificate) or "fromMetadata": true');
    const now = this.clock();
    const at = now.toISOString();
    const proposed = input.certificate !== undefined ? validateNewIdpCertificate(input.certificate, now) : undefined;
    let published: InspectedCertificate[] | undefined;
    if (input.fromMetadata === true) {
      const row = await this.connection(this.store, connectionId);
      if (await this.store.ssoCertificates.renewal(connectionId)) throw renewalInProgress();
      published = (await fetchPublishedCertificates(row, this.sso, this.limits, now)).certificates;
    }
    return this.store.transaction(async (tx) => {
      const row = await this.connection(tx, connectionId);
      if (!(await tx.ssoCertificates.insertRenewal({ connection_id: connectionId, certificate_id: null, started_at: at }))) throw renewalInProgress();
      const certificates = await tx.ssoConnections.idpCertificates(connectionId);
      let target: IdpCertificateRow | undefined;
      const events: NewEvent[] = [];
      if (proposed) {
        const known = certificates.find((c) => c.fingerprint_sha256 === proposed.fingerprintSha256);
        if (known && TRUSTED.has(known.state)) throw new DomainError('conflict', 'this certificate is already trusted by the connection');
        target = known ?? (await insertCertificate(tx, connectionId, proposed, 'manual', 'pending', at));
      } else if (input.certificateId !== undefined) {
        target = certificates.find((c) => c.id === input.certificateId);
        if (!target) throw notFound('IdP certificate');
        if (TRUSTED.has(target.state)) throw new DomainError('conflict', 'this certificate is already trusted by the connection');
      } else {
        const fresh = (published ?? []).filter((p) => !certificates.some((c) => c.fingerprint_sha256 === p.fingerprintSha256 && TRUSTED.has(c.state)));
        for (const [i, p] of fresh.entries()) {
          const known = certificates.find((c) => c.fingerprint_sha256 === p.fingerprintSha256);
          const row = known ?? (await insertCertificate(tx, connectionId, p, 'metadata_url', 'pending', at));
          if (i === 0) target = row;
        }
        await tx.ssoConnections.update(connectionId, { idp_metadata_fetched_at: at });
      }
      let trusted: IdpCertificateRow | undefined;
      if (target) trusted = await trustBeside(tx, connectionId, target, at);
      else await tx.ssoCertificates.refreshNoLaterThan(connectionId, new Date(now.getTime() + this.limits.renewalPollMs).toISOString());
      events.push(
        connectionEvent(row, 'connection.certificate_renewal_started', { certificate: trusted ? certificateSummary(trusted) : null, awaitingCertificate: trusted === undefined, via: proposed ? 'certificate' : input.certificateId !== undefined ? 'certificate_id' : 'metadata_url' }, at),
      );
      await tx.events.append(events);
      return this.view(connectionId, tx);
    });
  }

  /** "Confirm Certificate Renewal": the new certificate stays the only trusted one; the old ones are removed. */
  async confirm(connectionId: string): Promise<IdpCertificatesView> {
    const at = this.clock().toISOString();
    return this.store.transaction(async (tx) => {
      const row = await this.connection(tx, connectionId);
      const renewal = await tx.ssoCertificates.renewal(connectionId);
      if (!renewal) throw new DomainError('conflict', 'no certificate renewal is in progress');
      if (renewal.certificate_id === null) throw new DomainError('conflict', 'the renewal is still waiting for the IdP to publish its new certificate: refresh the metadata (POST …/idp-metadata/refresh) or cancel the renewal');
      if (!(await tx.ssoCertificates.deleteRenewal(connectionId))) throw new DomainError('conflict', 'no certificate renewal is in progress');
      const certificates = await tx.ssoConnections.idpCertificates(connectionId);
      const removed: IdpCertificateRow[] = [];
      for (const c of certificates) {
        if (c.state !== 'retiring') continue;
        await tx.ssoConnections.updateIdpCertificate(c.id, { state: 'removed', updated_at: at });
        removed.push({ ...c, state: 'removed' });
      }
      const current = certificates.find((c) => c.id === renewal.certificate_id);
      await tx.events.append([connectionEvent(row, 'connection.certificate_renewal_confirmed', { certificate: current ? certificateSummary(current) : null, removed: removed.map(certificateSummary) }, at)]);
      return this.view(connectionId, tx);
    });
  }

  /** Cancels the renewal: the new certificate is removed, the old ones are the active ones again. */
  async cancel(connectionId: string): Promise<IdpCertificatesView> {
    const at = this.clock().toISOString();
    return this.store.transaction(async (tx) => {
      const row = await this.connection(tx, connectionId);
      const renewal = await tx.ssoCertificates.renewal(connectionId);
      if (!renewal || !(await tx.ssoCertificates.deleteRenewal(connectionId))) throw new DomainError('conflict', 'no certificate renewal is in progress');
      const certificates = await tx.ssoConnections.idpCertificates(connectionId);
      let dropped: IdpCertificateRow | undefined;
      for (const c of certificates) {
        if (c.id === renewal.certificate_id) {
          await tx.ssoConnections.updateIdpCertificate(c.id, { state: 'removed', updated_at: at });
          dropped = { ...c, state: 'removed' };
        } else if (c.state === 'retiring') {
          await tx.ssoConnections.updateIdpCertificate(c.id, { state: 'active', updated_at: at });
        }
      }
      await tx.events.append([connectionEvent(row, 'connection.certificate_renewal_cancelled', { certificate: dropped ? certificateSummary(dropped) : null }, at)]);
      return this.view(connectionId, tx);
    });
  }

  /** Dismisses a pending certificate (it stays known as `removed`, so a refresh does not bring it back). */
  async dismiss(connectionId: string, certificateId: string): Promise<IdpCertificatesView> {
    const at = this.clock().toISOString();
    return this.store.transaction(async (tx) => {
      await this.connection(tx, connectionId);
      const c = (await tx.ssoConnections.idpCertificates(connectionId)).find((x) => x.id === certificateId);
      if (!c) throw notFound('IdP certificate');
      if (c.state !== 'pending') throw new DomainError('conflict', `only a pending certificate can be dismissed (this one is ${c.state}); trusted certificates leave through a renewal`);
      await tx.ssoConnections.updateIdpCertificate(c.id, { state: 'removed', updated_at: at });
      return this.view(connectionId, tx);
    });
  }

  /**
   * Takes what a metadata refresh found, in the caller's transaction: each certificate the connection does
   * not know becomes `pending` (`connection.certificate_added`), except that a renewal waiting for a new
   * certificate trusts the first new (or pending) one beside the old ones. Nothing is ever removed here: a
   * certificate the metadata no longer publishes stays as it is.
   */
  async applyPublished(tx: Repositories, row: SsoConnectionRow, published: readonly InspectedCertificate[], at: string): Promise<{ added: number; trusted: boolean }> {
    const certificates = await tx.ssoConnections.idpCertificates(row.id);
    const renewal = await tx.ssoCertificates.renewal(row.id);
    const waiting = renewal !== undefined && renewal.certificate_id === null;
    const events: NewEvent[] = [];
    let added = 0;
    let trusted = false;
    for (const p of published) {
      const known = certificates.find((c) => c.fingerprint_sha256 === p.fingerprintSha256);
      if (known && known.state !== 'pending') continue;
      const candidate = known ?? (await insertCertificate(tx, row.id, p, 'metadata_url', 'pending', at));
      if (!known) added++;
      if (waiting && !trusted) {
        const now = await trustBeside(tx, row.id, candidate, at);
        trusted = true;
        events.push(connectionEvent(row, 'connection.certificate_added', { certificate: certificateSummary(now), trustedBeside: true, reason: 'renewal_waiting_for_metadata' }, at));
      } else if (!known) {
        events.push(connectionEvent(row, 'connection.certificate_added', { certificate: certificateSummary(candidate), trustedBeside: false, reason: 'metadata_refresh' }, at));
      }
    }
    await tx.events.append(events);
    return { added, trusted };
  }
}

function renewalInProgress(): DomainError {
  return new DomainError('conflict', 'a certificate renewal is already in progress; confirm or cancel it first');
}

async function insertCertificate(tx: Repositories, connectionId: string, c: InspectedCertificate, source: string, state: IdpCertificateState, at: string): Promise<IdpCertificateRow> {
  const row: IdpCertificateRow = {
    id: newId('idpc'),
    connection_id: connectionId,
    certificate_pem: c.pem,
    fingerprint_sha256: c.fingerprintSha256,
    not_before: c.notBefore,
    not_after: c.notAfter,
    state,
    source,
    created_at: at,
    updated_at: at,
  };
  await tx.ssoConnections.insertIdpCertificate(row);
  return row;
}

/** Makes `target` active and every other active certificate retiring; records it as the renewal's certificate. */
async function trustBeside(tx: Repositories, connectionId: string, target: IdpCertificateRow, at: string): Promise<IdpCertificateRow> {
  for (const c of await tx.ssoConnections.idpCertificates(connectionId)) {
    if (c.id !== target.id && c.state === 'active') await tx.ssoConnections.updateIdpCertificate(c.id, { state: 'retiring', updated_at: at });
  }
  await tx.ssoConnections.updateIdpCertificate(target.id, { state: 'active', updated_at: at });
  if (!(await tx.ssoCertificates.setRenewalCertificate(connectionId, target.id))) throw new DomainError('conflict', 'the renewal changed meanwhile; try again');
  return { ...target, state: 'active', updated_at: at };
}
