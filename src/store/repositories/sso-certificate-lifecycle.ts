import type { Kysely } from 'kysely';
import type { Database, SsoIdpRenewalTable, SsoMetadataRefreshTable } from '../schema.js';

export type IdpRenewalRow = SsoIdpRenewalTable;
export type MetadataRefreshRow = SsoMetadataRefreshTable;

/** A certificate or SP key that may need an expiry warning, with its connection. */
export interface ExpiringCertificateRow {
  id: string;
  connection_id: string;
  organization_id: string;
  connection_name: string;
  fingerprint_sha256: string;
  not_after: string;
  state: string;
}

/** Renewals, metadata refresh state and expiry warnings of SSO connections (migration 010). */
export class SsoCertificateLifecycleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ---- IdP certificate renewal

  async renewal(connectionId: string): Promise<IdpRenewalRow | undefined> {
    return this.db.selectFrom('sso_idp_renewals').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
  }

  /** Starts a renewal; false when one is already in progress (the primary key decides, whatever the race). */
  async insertRenewal(row: IdpRenewalRow): Promise<boolean> {
    const r = await this.db.insertInto('sso_idp_renewals').values(row).onConflict((oc) => oc.column('connection_id').doNothing()).executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Sets the new certificate of a renewal that was waiting for one; false when it no longer waits. */
  async setRenewalCertificate(connectionId: string, certificateId: string): Promise<boolean> {
    const r = await this.db.updateTable('sso_idp_renewals').set({ certificate_id: certificateId }).where('connection_id', '=', connectionId).where('certificate_id', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Ends a renewal; false when there was none (a concurrent confirm or cancel got it first). */
  async deleteRenewal(connectionId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sso_idp_renewals').where('connection_id', '=', connectionId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  // ---- metadata refresh

  async refreshState(connectionId: string): Promise<MetadataRefreshRow | undefined> {
    return this.db.selectFrom('sso_metadata_refresh').selectAll().where('connection_id', '=', connectionId).executeTakeFirst();
  }

  /**
   * Metadata-URL connections whose refresh is due at `now` (never refreshed by the job, or `next_at` passed),
   * oldest due first, with the `next_at` they were read with (the claim compares it).
   */
  async dueRefreshes(now: string, limit: number): Promise<{ connection_id: string; next_at: string | null }[]> {
    return this.db
      .selectFrom('sso_connections as c')
      .leftJoin('sso_metadata_refresh as r', 'r.connection_id', 'c.id')
      .select(['c.id as connection_id', 'r.next_at'])
      .where('c.idp_metadata_url', 'is not', null)
      .where((eb) => eb.or([eb('r.next_at', 'is', null), eb('r.next_at', '<=', now)]))
      .orderBy('r.next_at')
      .orderBy('c.id')
      .limit(limit)
      .execute();
  }

  /**
   * Claims a due refresh for this node by moving `next_at` from the value it was read with to `nextAt`:
   * exactly one of several nodes racing for it gets true.
   */
  async claimRefresh(connectionId: string, readNextAt: string | null, nextAt: string): Promise<boolean> {
    if (readNextAt === null) {
      const r = await this.db
        .insertInto('sso_metadata_refresh')
        .values({ connection_id: connectionId, next_at: nextAt, attempted_at: null, succeeded_at: null, error: null })
        .onConflict((oc) => oc.column('connection_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
    }
    const r = await this.db.updateTable('sso_metadata_refresh').set({ next_at: nextAt }).where('connection_id', '=', connectionId).where('next_at', '=', readNextAt).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records how a refresh went (and, optionally, moves the next one). */
  async recordRefresh(connectionId: string, set: { attempted_at: string; succeeded_at?: string; error: string | null; next_at?: string }): Promise<void> {
    const existing = await this.refreshState(connectionId);
    if (!existing) {
      await this.db
        .insertInto('sso_metadata_refresh')
        .values({ connection_id: connectionId, next_at: set.next_at ?? set.attempted_at, attempted_at: set.attempted_at, succeeded_at: set.succeeded_at ?? null, error: set.error })
        .onConflict((oc) => oc.column('connection_id').doUpdateSet({ attempted_at: set.attempted_at, error: set.error, ...(set.succeeded_at ? { succeeded_at: set.succeeded_at } : {}), ...(set.next_at ? { next_at: set.next_at } : {}) }))
        .execute();
      return;
    }
    await this.db
      .updateTable('sso_metadata_refresh')
      .set({ attempted_at: set.attempted_at, error: set.error, ...(set.succeeded_at ? { succeeded_at: set.succeeded_at } : {}), ...(set.next_at ? { next_at: set.next_at } : {}) })
      .where('connection_id', '=', connectionId)
      .execute();
  }

  /** Makes the next refresh of a connection due no later than `at` (a renewal waiting for a new certificate polls sooner). */
  async refreshNoLaterThan(connectionId: string, at: string): Promise<void> {
    await this.db
      .insertInto('sso_metadata_refresh')
      .values({ connection_id: connectionId, next_at: at, attempted_at: null, succeeded_at: null, error: null })
      .onConflict((oc) => oc.column('connection_id').doNothing())
      .execute();
    await this.db.updateTable('sso_metadata_refresh').set({ next_at: at }).where('connection_id', '=', connectionId).where('next_at', '>', at).execute();
  }

  // ---- expiry warnings

  /** Trusted IdP certificates (active, retiring) whose notAfter is before `cutoff`, with their connection. */
  async expiringIdpCertificates(cutoff: string): Promise<ExpiringCertificateRow[]> {
    return this.db
      .selectFrom('sso_idp_certificates as k')
      .innerJoin('sso_connections as c', 'c.id', 'k.connection_id')
      .select(['k.id', 'k.connection_id', 'c.organization_id', 'c.name as connection_name', 'k.fingerprint_sha256', 'k.not_after', 'k.state'])
      .where('k.state', 'in', ['active', 'retiring'])
      .where('k.not_after', '<', cutoff)
      .orderBy('k.not_after')
      .execute();
  }

  /** SP keys (every state: all are published) whose notAfter is before `cutoff`, with their connection. */
  async expiringSpKeys(cutoff: string): Promise<ExpiringCertificateRow[]> {
    return this.db
      .selectFrom('sso_sp_keys as k')
      .innerJoin('sso_connections as c', 'c.id', 'k.connection_id')
      .select(['k.id', 'k.connection_id', 'c.organization_id', 'c.name as connection_name', 'k.fingerprint_sha256', 'k.not_after', 'k.state'])
      .where('k.not_after', '<', cutoff)
      .orderBy('k.not_after')
      .execute();
  }

  /** Records that a warning was emitted; false when some node already emitted it (unique key). */
  async recordWarning(row: { certificate_id: string; threshold_days: number; connection_id: string; emitted_at: string }): Promise<boolean> {
    const r = await this.db
      .insertInto('sso_certificate_warnings')
      .values(row)
      .onConflict((oc) => oc.columns(['certificate_id', 'threshold_days']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** The thresholds already warned for these certificates. */
  async warnedThresholds(certificateIds: readonly string[]): Promise<{ certificate_id: string; threshold_days: number }[]> {
    if (certificateIds.length === 0) return [];
    return this.db.selectFrom('sso_certificate_warnings').select(['certificate_id', 'threshold_days']).where('certificate_id', 'in', [...certificateIds]).execute();
  }
}
