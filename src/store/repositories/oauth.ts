import type { Kysely } from 'kysely';
import type { Database, OAuthAccessTokenTable, OAuthCodeTable, OAuthLoginRequestTable, OAuthSigningKeyTable } from '../schema.js';

export type LoginRequestRow = OAuthLoginRequestTable;
export type CodeRow = OAuthCodeTable;
export type AccessTokenRow = OAuthAccessTokenTable;
export type SigningKeyRow = OAuthSigningKeyTable;

/** Login requests, authorization codes, access tokens and id_token signing keys (migration 006). */
export class OAuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertLoginRequest(row: LoginRequestRow): Promise<void> {
    await this.db.insertInto('oauth_login_requests').values(row).execute();
  }

  /** Marks an unconsumed, unexpired login request consumed and returns it; undefined when another caller got it first. */
  async consumeLoginRequest(id: string, now: string): Promise<LoginRequestRow | undefined> {
    return this.db
      .updateTable('oauth_login_requests')
      .set({ consumed_at: now })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .returningAll()
      .executeTakeFirst();
  }

  async getLoginRequest(id: string): Promise<LoginRequestRow | undefined> {
    return this.db.selectFrom('oauth_login_requests').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insertCode(row: CodeRow): Promise<void> {
    await this.db.insertInto('oauth_codes').values(row).execute();
  }

  async getCode(codeHash: string): Promise<CodeRow | undefined> {
    return this.db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
  }

  /** Consumes a code atomically: true for exactly one caller, while unexpired. */
  async consumeCode(codeHash: string, now: string): Promise<boolean> {
    const r = await this.db
      .updateTable('oauth_codes')
      .set({ consumed_at: now })
      .where('code_hash', '=', codeHash)
      .where('consumed_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async insertAccessToken(row: AccessTokenRow): Promise<void> {
    await this.db.insertInto('oauth_access_tokens').values(row).execute();
  }

  async getAccessToken(tokenHash: string): Promise<AccessTokenRow | undefined> {
    return this.db.selectFrom('oauth_access_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  }

  /** Revokes every token issued from a code (RFC 6749 §4.1.2: the code was used twice). */
  async revokeTokensOfCode(codeHash: string, now: string): Promise<number> {
    const r = await this.db.updateTable('oauth_access_tokens').set({ revoked_at: now }).where('code_hash', '=', codeHash).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async signingKeys(): Promise<SigningKeyRow[]> {
    return this.db.selectFrom('oauth_signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  }

  async insertSigningKey(row: SigningKeyRow): Promise<void> {
    await this.db.insertInto('oauth_signing_keys').values(row).execute();
  }

  async updateSigningKey(kid: string, set: Partial<Pick<SigningKeyRow, 'state' | 'retire_after'>>): Promise<void> {
    await this.db.updateTable('oauth_signing_keys').set(set).where('kid', '=', kid).execute();
  }

  async deleteSigningKey(kid: string): Promise<void> {
    await this.db.deleteFrom('oauth_signing_keys').where('kid', '=', kid).execute();
  }

  /** Deletes expired login requests, codes and tokens. */
  async pruneExpired(now: string): Promise<number> {
    let n = 0;
    n += Number((await this.db.deleteFrom('oauth_login_requests').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
    n += Number((await this.db.deleteFrom('oauth_access_tokens').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
    n += Number((await this.db.deleteFrom('oauth_codes').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
    return n;
  }
}
