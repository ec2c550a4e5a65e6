import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, exportJWK, type JWK } from 'jose';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { SigningKeyRow } from '../store/repositories/oauth.js';
import type { Store } from '../store/store.js';

/** A signing key signs id_tokens for this long before a new one takes over (checked on use). */
export const KEY_ROTATION_MS = 30 * 24 * 3600_000;
/** A replaced key stays in the JWKS this long, so tokens it signed still verify. */
export const KEY_RETENTION_MS = 24 * 3600_000;

/**
 * id_token signing keys (RS256, `jose`): one active key signs; replaced keys stay published in the JWKS
 * until their retention ends. Private keys are sealed with the secret key (bound to the kid). A key is
 * made on first use and replaced every 30 days, or at once with `rotate()`.
 */
export class SigningKeys {
  private creating: Promise<SigningKeyRow> | undefined;

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
  ) {}

  private async create(now: Date): Promise<SigningKeyRow> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const kid = newId('kid', now.getTime());
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    const row: SigningKeyRow = {
      kid,
      algorithm: 'RS256',
      public_jwk: JSON.stringify(jwk),
      private_key_ciphertext: this.box.seal(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, kid),
      state: 'active',
      created_at: now.toISOString(),
      retire_after: null,
    };
    await this.store.transaction(async (tx) => {
      for (const old of await tx.oauth.signingKeys()) {
        if (old.state === 'active') await tx.oauth.updateSigningKey(old.kid, { state: 'retired', retire_after: new Date(now.getTime() + KEY_RETENTION_MS).toISOString() });
      }
      await tx.oauth.insertSigningKey(row);
    });
    return row;
  }

  /** The key that signs now (made or replaced when due). Several nodes may race: the newest active key wins. */
  async active(now = new Date()): Promise<SigningKeyRow> {
    const keys = await this.store.oauth.signingKeys();
    const active = keys.filter((k) => k.state === 'active').at(-1);
    if (active && now.getTime() - Date.parse(active.created_at) < KEY_ROTATION_MS) return active;
    this.creating ??= this.create(now).finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  /** Replaces the active key now (the old one stays in the JWKS for a day). */
  async rotate(now = new Date()): Promise<string> {
    return (await this.create(now)).kid;
  }

  /** The public keys to publish: the active one and the retired ones still within their retention. */
  async jwks(now = new Date()): Promise<{ keys: JWK[] }> {
    await this.active(now);
    const keys = await this.store.oauth.signingKeys();
    const live = keys.filter((k) => k.state === 'active' || (k.retire_after !== null && Date.parse(k.retire_after) > now.getTime()));
    for (const k of keys) if (!live.includes(k)) await this.store.oauth.deleteSigningKey(k.kid);
    return { keys: live.reverse().map((k) => JSON.parse(k.public_jwk) as JWK) };
  }

  /** Signs an id_token with the active key. */
  async sign(claims: Record<string, unknown>, options: { issuer: string; audience: string; subject: string; expiresInSeconds: number }): Promise<string> {
    const key = await this.active();
    const privateKey = createPrivateKey(this.box.open(key.private_key_ciphertext, key.kid));
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(options.subject)
      .setIssuedAt()
      .setExpirationTime(`${options.expiresInSeconds}s`)
      .sign(privateKey);
  }
}
