import { sql, type Kysely } from 'kysely';
import { afterKeyset, decodeCursor, toPage } from '../cursor.js';
import type { Database, SsoConnectionTable, SsoIdpCertificateTable, SsoSpKeyTable } from '../schema.js';
import { ssoConnectionWrites } from '../sso-connection-writes.js';

export type SsoConnectionRow = SsoConnectionTable;
export type IdpCertificateRow = SsoIdpCertificateTable;
export type SpKeyRow = SsoSpKeyTable;

/** SSO connections, their IdP certificates and SP keys, InResponseTo ids and the replay store (migration 005). */
export class SsoConnectionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: SsoConnectionRow): Promise<void> {
    await this.db.insertInto('sso_connections').values(row).execute();
    ssoConnectionWrites.bump();
  }

  async get(id: string): Promise<SsoConnectionRow | undefined> {
    return this.db.selectFrom('sso_connections').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async getByClientId(clientId: string): Promise<SsoConnectionRow | undefined> {
    return this.db.selectFrom('sso_connections').selectAll().where('oauth_client_id', '=', clientId).executeTakeFirst();
  }

  async update(id: string, set: Partial<Omit<SsoConnectionRow, 'id' | 'organization_id'>>): Promise<boolean> {
    const r = await this.db.updateTable('sso_connections').set(set).where('id', '=', id).executeTakeFirst();
    ssoConnectionWrites.bump();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sso_connections').where('id', '=', id).executeTakeFirst();
    ssoConnectionWrites.bump();
    return Number(r.numDeletedRows) > 0;
  }

  /** An organization's connections, oldest first. Undefined for an undecodable cursor. */
  async list(organizationId: string, limit: number, cursor?: string): Promise<{ rows: SsoConnectionRow[]; next: string | null } | undefined> {
    let q = this.db.selectFrom('sso_connections').selectAll().where('organization_id', '=', organizationId).orderBy('created_at').orderBy('id').limit(limit + 1);
    if (cursor !== undefined) {
      const key = decodeCursor(cursor);
      if (!key) return undefined;
      q = q.where(afterKeyset(key, 'sso_connections'));
    }
    return toPage(await q.execute(), limit, (r) => ({ k: r.created_at, id: r.id }));
  }

  /** The active connections of an organization, oldest first. */
  async activeOfOrganization(organizationId: string): Promise<SsoConnectionRow[]> {
    return this.db.selectFrom('sso_connections').selectAll().where('organization_id', '=', organizationId).where('state', '=', 'active').orderBy('created_at').orderBy('id').execute();
  }

  /**
   * SCIM-provisioned users of the organization's directories whose userName or email equals one of `keys`
   * (case-insensitively), oldest first; at most 20. Soft-deleted users are included (`deleted_at`): a login
   * of a person provisioning deleted is refused, not taken for a stranger's.
   */
  async provisionedUsers(organizationId: string, keys: readonly string[]): Promise<{ id: string; directory_id: string; user_name: string; email: string | null; active: number; deleted_at: string | null }[]> {
    const lowered = [...new Set(keys.map((k) => k.toLowerCase()))];
    if (lowered.length === 0) return [];
    // a union of the two lookups, so that each uses its index (scim_users_user_name, scim_users_email_key;
    // an OR of them made both planners scan the organization's users); written as SQL because on the ACS
    // path Kysely's builder cost ten times the query itself
    const keyList = sql.join(lowered);
    const result = await sql<{ id: string; directory_id: string; user_name: string; email: string | null; active: number; deleted_at: string | null }>`
      select m.id, m.directory_id, m.user_name, m.email, m.active, m.deleted_at from (
        select u.id, u.directory_id, u.user_name, u.email, u.active, u.deleted_at, u.created_at
          from scim_users u join directories d on d.id = u.directory_id
         where d.organization_id = ${organizationId} and u.user_name_key in (${keyList})
        union
        select u.id, u.directory_id, u.user_name, u.email, u.active, u.deleted_at, u.created_at
          from scim_users u join directories d on d.id = u.directory_id
         where d.organization_id = ${organizationId} and lower(u.email) in (${keyList})
      ) m
      order by m.created_at, m.id
      limit 20`.execute(this.db);
    return result.rows;
  }

  /**
   * What the ACS needs of a connection, in one query: its row and the PEMs of its trusted (active or
   * retiring) IdP certificates, oldest first. No SP key is read. Undefined for an unknown id.
   */
  async acsView(id: string): Promise<{ row: SsoConnectionRow; trustedCertificatePems: string[] } | undefined> {
    const rows = await this.db
      .selectFrom('sso_connections as c')
      .leftJoin('sso_idp_certificates as t', (join) => join.onRef('t.connection_id', '=', 'c.id').on('t.state', 'in', ['active', 'retiring']))
      .selectAll('c')
      .select(['t.certificate_pem as trusted_certificate_pem'])
      .where('c.id', '=', id)
      .orderBy('t.created_at')
      .orderBy('t.id')
      .execute();
    const first = rows[0];
    if (!first) return undefined;
    const { trusted_certificate_pem: _ignored, ...row } = first;
    const trustedCertificatePems = rows.flatMap((r) => (r.trusted_certificate_pem !== null ? [r.trusted_certificate_pem] : []));
    return { row, trustedCertificatePems };
  }

  // ---- IdP certificates

  async insertIdpCertificate(row: IdpCertificateRow): Promise<void> {
    await this.db.insertInto('sso_idp_certificates').values(row).execute();
    ssoConnectionWrites.bump();
  }

  async idpCertificates(connectionId: string): Promise<IdpCertificateRow[]> {
    return this.db.selectFrom('sso_idp_certificates').selectAll().where('connection_id', '=', connectionId).orderBy('created_at').orderBy('id').execute();
  }

  async updateIdpCertificate(id: string, set: Partial<Pick<IdpCertificateRow, 'state' | 'updated_at'>>): Promise<boolean> {
    const r = await this.db.updateTable('sso_idp_certificates').set(set).where('id', '=', id).executeTakeFirst();
    ssoConnectionWrites.bump();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteIdpCertificate(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sso_idp_certificates').where('id', '=', id).executeTakeFirst();
    ssoConnectionWrites.bump();
    return Number(r.numDeletedRows) > 0;
  }

  // ---- SP keys

  async insertSpKey(row: SpKeyRow): Promise<void> {
    await this.db.insertInto('sso_sp_keys').values(row).execute();
  }

  async spKeys(connectionId: string): Promise<SpKeyRow[]> {
    return this.db.selectFrom('sso_sp_keys').selectAll().where('connection_id', '=', connectionId).orderBy('created_at').orderBy('id').execute();
  }

  async updateSpKey(id: string, set: Partial<Pick<SpKeyRow, 'state' | 'updated_at'>>): Promise<boolean> {
    const r = await this.db.updateTable('sso_sp_keys').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async deleteSpKey(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('sso_sp_keys').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  // ---- InResponseTo (outstanding AuthnRequest ids)

  async saveRequestId(row: { connection_id: string; request_id: string; browser_hash: string; login_request_id: string | null; expires_at: string }): Promise<void> {
    await this.db.insertInto('saml_request_ids').values(row).execute();
  }

  /** true when the request id is outstanding and unexpired (read only; the ACS consumes it with takeRequestId). */
  async requestIdOutstanding(connectionId: string, requestId: string, now: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('saml_request_ids')
      .select('expires_at')
      .where('connection_id', '=', connectionId)
      .where('request_id', '=', requestId)
      .executeTakeFirst();
    return row !== undefined && row.expires_at > now;
  }

  /**
   * Consumes an outstanding request id atomically (delete … returning): only one caller ever gets the row,
   * however many race. Expired rows are not returned.
   */
  async takeRequestId(connectionId: string, requestId: string, now: string): Promise<{ browser_hash: string; login_request_id: string | null } | undefined> {
    const row = await this.db
      .deleteFrom('saml_request_ids')
      .where('connection_id', '=', connectionId)
      .where('request_id', '=', requestId)
      .returning(['browser_hash', 'login_request_id', 'expires_at'])
      .executeTakeFirst();
    if (!row || row.expires_at <= now) return undefined;
    return { browser_hash: row.browser_hash, login_request_id: row.login_request_id };
  }

  // ---- replay store

  /** Records an accepted assertion id; false when it was already recorded (a replay). */
  async recordAssertion(connectionId: string, assertionId: string, expiresAt: string): Promise<boolean> {
    const r = await this.db
      .insertInto('saml_assertion_replays')
      .values({ connection_id: connectionId, assertion_id: assertionId, expires_at: expiresAt })
      .onConflict((oc) => oc.columns(['connection_id', 'assertion_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Deletes expired request ids and replay records; returns how many rows went. */
  async pruneExpired(now: string): Promise<number> {
    const a = await this.db.deleteFrom('saml_request_ids').where('expires_at', '<', now).executeTakeFirst();
    const b = await this.db.deleteFrom('saml_assertion_replays').where('expires_at', '<', now).executeTakeFirst();
    return Number(a.numDeletedRows) + Number(b.numDeletedRows);
  }
}
