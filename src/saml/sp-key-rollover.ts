import { DomainError, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import type { SpKeyRow, SsoConnectionRow } from '../store/repositories/sso-connections.js';
import type { Repositories, Store } from '../store/store.js';
import { generateSpSigningPair, inspectCertificate } from './certificates.js';
import { connectionEvent } from './connection-event.js';
import type { SpKey, SpKeyState } from './connections.js';

/** At most this many SP keys per connection (next + active + retiring ones not yet retired). */
const MAX_SP_KEYS = 5;

/** An SP key as the admin API shows it: the certificate, never the private key. */
export function presentSpKey(k: SpKeyRow): SpKey {
  return { id: k.id, fingerprintSha256: k.fingerprint_sha256, notAfter: k.not_after, state: k.state as SpKeyState, certificate: k.certificate_pem, createdAt: k.created_at };
}

function keySummary(k: SpKeyRow): Record<string, unknown> {
  return { id: k.id, fingerprintSha256: k.fingerprint_sha256, notAfter: k.not_after, state: k.state };
}

/**
 * SP signing-key rollover of SSO connections (issue 6 item 3, saml-security.md §8): **create** a new key
 * (`next`: published in the SP metadata beside the active one, signs nothing), then, once the IdP has
 * imported the new metadata, **activate** it (it signs AuthnRequests; the old one becomes `retiring` and
 * stays published), then **retire** the old one (deleted: gone from the metadata). Private keys are
 * generated here, sealed with the SecretBox (bound to the key id) and never returned.
 */
export class SpKeyRollover {
  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private async connection(tx: Repositories, id: string): Promise<SsoConnectionRow> {
    const row = await tx.ssoConnections.get(id);
    if (!row) throw notFound('SSO connection');
    return row;
  }

  /** The connection, locked for this transaction (PostgreSQL row lock through a touch of updated_at): key changes of one connection run one at a time. */
  private async lockedConnection(tx: Repositories, id: string, at: string): Promise<SsoConnectionRow> {
    if (!(await tx.ssoConnections.update(id, { updated_at: at }))) throw notFound('SSO connection');
    return this.connection(tx, id);
  }

  private async key(tx: Repositories, connectionId: string, keyId: string): Promise<SpKeyRow> {
    const key = (await tx.ssoConnections.spKeys(connectionId)).find((k) => k.id === keyId);
    if (!key) throw notFound('SP key');
    return key;
  }

  async list(connectionId: string, tx: Repositories = this.store): Promise<{ connectionId: string; spKeys: SpKey[] }> {
    await this.connection(tx, connectionId);
    return { connectionId, spKeys: (await tx.ssoConnections.spKeys(connectionId)).map(presentSpKey) };
  }

  /** Generates the next key (RSA-2048, self-signed, 10 years); one `next` key at a time. */
  async create(connectionId: string): Promise<SpKey> {
    const now = this.clock();
    const at = now.toISOString();
    await this.connection(this.store, connectionId);
    const id = newId('spk');
    const pair = await generateSpSigningPair(`Gatehouse SP ${connectionId}`, now);
    const inspected = inspectCertificate(pair.certificatePem);
    return this.store.transaction(async (tx) => {
      const row = await this.lockedConnection(tx, connectionId, at);
      const keys = await tx.ssoConnections.spKeys(connectionId);
      if (keys.some((k) => k.state === 'next')) throw new DomainError('conflict', 'this connection already has a next SP key; activate or retire it first');
      if (keys.length >= MAX_SP_KEYS) throw new DomainError('conflict', `a connection has at most ${MAX_SP_KEYS} SP keys; retire an old one first`);
      const key: SpKeyRow = {
        id,
        connection_id: connectionId,
        certificate_pem: inspected.pem,
        private_key_ciphertext: this.box.seal(pair.privateKeyPem, id),
        fingerprint_sha256: inspected.fingerprintSha256,
        not_after: inspected.notAfter,
        state: 'next',
        created_at: at,
        updated_at: at,
      };
      await tx.ssoConnections.insertSpKey(key);
      await tx.events.append([connectionEvent(row, 'connection.sp_key_created', { spKey: keySummary(key) }, at)]);
      return presentSpKey(key);
    });
  }

  /** Switches signing to this key (next, or retiring to roll back); the active one becomes retiring. */
  async activate(connectionId: string, keyId: string): Promise<{ connectionId: string; spKeys: SpKey[] }> {
    const at = this.clock().toISOString();
    return this.store.transaction(async (tx) => {
      const row = await this.lockedConnection(tx, connectionId, at);
      const key = await this.key(tx, connectionId, keyId);
      if (key.state === 'active') throw new DomainError('conflict', 'this SP key is already the active one');
      const previous = (await tx.ssoConnections.spKeys(connectionId)).filter((k) => k.state === 'active');
      for (const k of previous) await tx.ssoConnections.updateSpKey(k.id, { state: 'retiring', updated_at: at });
      await tx.ssoConnections.updateSpKey(key.id, { state: 'active', updated_at: at });
      await tx.events.append([connectionEvent(row, 'connection.sp_key_activated', { spKey: keySummary({ ...key, state: 'active' }), previous: previous.map((k) => keySummary({ ...k, state: 'retiring' })) }, at)]);
      return this.list(connectionId, tx);
    });
  }

  /** Removes a key that does not sign (retiring, or a next key not wanted): it leaves the SP metadata. */
  async retire(connectionId: string, keyId: string): Promise<{ connectionId: string; spKeys: SpKey[] }> {
    const at = this.clock().toISOString();
    return this.store.transaction(async (tx) => {
      const row = await this.lockedConnection(tx, connectionId, at);
      const key = await this.key(tx, connectionId, keyId);
      if (key.state === 'active') throw new DomainError('conflict', 'the active SP key signs AuthnRequests and cannot be retired; activate another key first');
      if (!(await tx.ssoConnections.deleteSpKey(key.id))) throw notFound('SP key');
      await tx.events.append([connectionEvent(row, 'connection.sp_key_retired', { spKey: keySummary({ ...key, state: 'retired' }) }, at)]);
      return this.list(connectionId, tx);
    });
  }
}
