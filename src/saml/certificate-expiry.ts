import type { Store } from '../store/store.js';
import type { ExpiringCertificateRow } from '../store/repositories/sso-certificate-lifecycle.js';
import { connectionEvent } from './connection-event.js';

/** Days before notAfter at which a warning is emitted, largest first (JumpCloud's own e-mails: 60, 30, 7, 1). */
export const EXPIRY_THRESHOLDS_DAYS = [60, 30, 7, 1] as const;

const DAY_MS = 86_400_000;

/**
 * The threshold a certificate with this much time left has reached: the smallest threshold that is at
 * least the days left (a certificate first seen 5 days before expiry gets the 7-day warning only, not the
 * 60- and 30-day ones it never had a chance to get). Undefined when more than 60 days are left.
 */
export function reachedThreshold(msLeft: number): number | undefined {
  let reached: number | undefined;
  for (const t of EXPIRY_THRESHOLDS_DAYS) if (msLeft <= t * DAY_MS) reached = t;
  return reached;
}

/**
 * Certificate expiry warnings of SSO connections: `connection.certificate_expiring` at 60, 30, 7 and 1 days
 * before the notAfter of every trusted IdP certificate (active, retiring) and every SP key, with the days
 * left and the fingerprint. Each (certificate, threshold) warning is written once across every node and
 * run: a row in `sso_certificate_warnings` (primary key) is inserted in the event's transaction, and only
 * the transaction that inserted it appends the event. The clock is injectable (tests check thresholds
 * without waiting).
 */
export class CertificateExpiryWatch {
  private running: Promise<number> | undefined;

  /** Resolves when the run in progress (if any) has finished. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Emits the warnings due at `now`; returns how many this call emitted. Runs of one node go one after another. */
  run(now?: Date): Promise<number> {
    const run = (this.running ?? Promise.resolve(0)).catch(() => 0).then(() => this.emit(now ?? this.clock()));
    this.running = run;
    void run.finally(() => {
      if (this.running === run) this.running = undefined;
    }).catch(() => undefined);
    return run;
  }

  private async emit(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() + EXPIRY_THRESHOLDS_DAYS[0] * DAY_MS + 1).toISOString();
    const idp = await this.store.ssoCertificates.expiringIdpCertificates(cutoff);
    const sp = await this.store.ssoCertificates.expiringSpKeys(cutoff);
    const candidates: { kind: 'idp_certificate' | 'sp_key'; row: ExpiringCertificateRow; threshold: number; msLeft: number }[] = [];
    for (const [kind, rows] of [['idp_certificate', idp], ['sp_key', sp]] as const) {
      for (const row of rows) {
        const msLeft = Date.parse(row.not_after) - now.getTime();
        const threshold = reachedThreshold(msLeft);
        if (threshold !== undefined) candidates.push({ kind, row, threshold, msLeft });
      }
    }
    const warned = new Set((await this.store.ssoCertificates.warnedThresholds(candidates.map((c) => c.row.id))).map((w) => `${w.certificate_id} ${w.threshold_days}`));
    let emitted = 0;
    const at = now.toISOString();
    for (const c of candidates) {
      if (warned.has(`${c.row.id} ${c.threshold}`)) continue;
      const wrote = await this.store.transaction(async (tx) => {
        if (!(await tx.ssoCertificates.recordWarning({ certificate_id: c.row.id, threshold_days: c.threshold, connection_id: c.row.connection_id, emitted_at: at }))) return false;
        const daysLeft = Math.max(0, Math.floor(c.msLeft / DAY_MS));
        await tx.events.append([
          connectionEvent({ id: c.row.connection_id, name: c.row.connection_name, organization_id: c.row.organization_id }, 'connection.certificate_expiring', {
            kind: c.kind,
            certificateId: c.row.id,
            state: c.row.state,
            fingerprintSha256: c.row.fingerprint_sha256,
            notAfter: c.row.not_after,
            thresholdDays: c.threshold,
            daysLeft,
            expired: c.msLeft <= 0,
          }, at),
        ]);
        return true;
      });
      if (wrote) emitted++;
    }
    return emitted;
  }
}
