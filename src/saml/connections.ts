import { createHash } from 'node:crypto';
import type { SsoConfig } from '../config.js';
import { DomainError, notFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { SecretBox } from '../core/secret-box.js';
import { generateSecret, hashSecret } from '../core/secrets.js';
import type { Page } from '../core/types.js';
import { fromJson, toJson } from '../store/json.js';
import { ssoConnectionWrites } from '../store/sso-connection-writes.js';
import { TokenCache } from '../core/token-cache.js';
import type { IdpCertificateRow, SpKeyRow, SsoConnectionRow } from '../store/repositories/sso-connections.js';
import type { MetadataRefreshRow } from '../store/repositories/sso-certificate-lifecycle.js';
import type { Repositories, Store } from '../store/store.js';
import { validateAttributeMapping, type AttributeMapping } from './attribute-mapping.js';
import { generateSpSigningPair, inspectCertificate } from './certificates.js';
import { fetchIdpMetadata, parseIdpMetadata } from './idp-metadata.js';

/** IdP certificate states (saml-security.md §8): only `active` and `retiring` verify signatures. */
export type IdpCertificateState = 'pending' | 'active' | 'retiring' | 'removed';
/** SP key states: `next` is published but does not sign, `active` signs, `retiring` is published only. */
export type SpKeyState = 'next' | 'active' | 'retiring';

export interface IdpCertificate {
  id: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  state: IdpCertificateState;
  source: string;
  certificate: string;
  createdAt: string;
  updatedAt: string;
}

export interface SpKey {
  id: string;
  fingerprintSha256: string;
  notAfter: string;
  state: SpKeyState;
  certificate: string;
  createdAt: string;
}

/** A connection as the admin API shows it: never a secret or a private key. */
export interface SsoConnection {
  id: string;
  organizationId: string;
  name: string;
  state: 'active' | 'inactive';
  spEntityId: string;
  acsUrl: string;
  spMetadataUrl: string;
  loginUrl: string;
  idp: {
    entityId: string;
    ssoUrl: string;
    metadataUrl: string | null;
    metadataFetchedAt: string | null;
    /** the last periodic or manual re-read of the metadata URL, and its error (null when it succeeded) */
    lastRefreshAt: string | null;
    lastRefreshError: string | null;
  };
  idpCertificates: IdpCertificate[];
  spKeys: SpKey[];
  allowIdpInitiated: boolean;
  wantAssertionsSigned: boolean;
  wantResponseSigned: boolean;
  allowSha1: boolean;
  refuseDeactivatedUsers: boolean;
  attributeMapping: AttributeMapping;
  redirectUris: string[];
  oauth: { clientId: string; clientSecretHint: string };
  createdAt: string;
  updatedAt: string;
}

/** What the ACS needs of a connection: no SP key (it verifies, it signs nothing). */
export interface AcsConnection {
  row: SsoConnectionRow;
  spEntityId: string;
  acsUrl: string;
  /** PEMs of the active and retiring IdP certificates */
  trustedCertificates: string[];
  redirectUris: string[];
  attributeMapping: AttributeMapping;
}

/** Everything the login start and the SP metadata need, private key included (never leaves the process). */
export interface ConnectionRuntime extends AcsConnection {
  /** the active SP signing pair, if any */
  signing: { certificatePem: string; privateKeyPem: string } | undefined;
  /** certificates of every published SP key (next, active, retiring) */
  publishedSpCertificates: string[];
}

export interface ConnectionInput {
  name?: string;
  idpMetadataXml?: string;
  idpMetadataUrl?: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpCertificates?: string[];
  allowIdpInitiated?: boolean;
  redirectUris?: string[];
  attributeMapping?: AttributeMapping | null;
  wantAssertionsSigned?: boolean;
  wantResponseSigned?: boolean;
  allowSha1?: boolean;
  refuseDeactivatedUsers?: boolean;
  state?: 'active' | 'inactive';
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A registered OAuth redirect URI: absolute, https (http only on a loopback host, RFC 8252 §7.3), no
 * fragment, no credentials, at most 2048 characters. Compared later by exact string equality.
 */
export function validateRedirectUri(text: string): string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 2048 || /[\u0000-\u0020\u007f]/.test(text)) throw new DomainError('invalid', 'a redirect URI must be 1 to 2048 characters without spaces');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError('invalid', `redirect URI "${text.slice(0, 100)}" is not absolute`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) throw new DomainError('invalid', 'a redirect URI must be https (http only on a loopback host)');
  if (url.hash !== '' || text.includes('#')) throw new DomainError('invalid', 'a redirect URI must not have a fragment');
  if (url.username !== '' || url.password !== '') throw new DomainError('invalid', 'a redirect URI must not contain credentials');
  return text;
}

function validateRedirectUris(uris: string[] | undefined): string[] {
  if (uris === undefined) return [];
  if (!Array.isArray(uris) || uris.length > 20) throw new DomainError('invalid', 'redirectUris must be an array of at most 20 URIs');
  return [...new Set(uris.map(validateRedirectUri))];
}

function validateText(value: string, field: string, max: number): string {
  const v = value.trim();
  if (v.length === 0 || v.length > max || /[\u0000-\u001f\u007f]/.test(v)) throw new DomainError('invalid', `${field} must be 1 to ${max} printable characters`);
  return v;
}

function validateSsoUrl(text: string): string {
  const v = validateText(text, 'idpSsoUrl', 2048);
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new DomainError('invalid', 'idpSsoUrl is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('invalid', 'idpSsoUrl must be http(s)');
  return v;
}

const bool = (v: number) => v === 1;
const int = (v: boolean) => (v ? 1 : 0);

/**
 * How long the ACS keeps a connection it read (issue 6 item 7): the window in which a change made on
 * another node (a certificate removed, the connection deactivated or deleted, a redirect URI dropped) is not
 * yet seen by this node's ACS. Changes made through this node apply at once. Same lifetime as the SCIM
 * directory token cache.
 */
export const ACS_CONNECTION_CACHE_MS = 2_000;

/** SAML SSO connections of organizations: create (from metadata XML, URL or fields), read, update, delete. */
export class SsoConnections {
  private readonly acsCache = new TokenCache<{ connection: AcsConnection; generation: number }>(ACS_CONNECTION_CACHE_MS);

  constructor(
    private readonly store: Store,
    private readonly box: SecretBox,
    private readonly config: SsoConfig,
    private readonly publicUrl: string,
  ) {}

  spEntityId(id: string): string {
    return `${this.publicUrl}/sso/${id}`;
  }

  acsUrl(id: string): string {
    return `${this.publicUrl}/sso/${id}/acs`;
  }

  spMetadataUrl(id: string): string {
    return `${this.publicUrl}/sso/${id}/metadata.xml`;
  }

  loginUrl(id: string): string {
    return `${this.publicUrl}/sso/${id}/login`;
  }

  private present(row: SsoConnectionRow, certs: IdpCertificateRow[], keys: SpKeyRow[], refresh?: MetadataRefreshRow): SsoConnection {
    return {
      id: row.id,
      organizationId: row.organization_id,
      name: row.name,
      state: row.state === 'active' ? 'active' : 'inactive',
      spEntityId: row.sp_entity_id,
      acsUrl: this.acsUrl(row.id),
      spMetadataUrl: this.spMetadataUrl(row.id),
      loginUrl: this.loginUrl(row.id),
      idp: {
        entityId: row.idp_entity_id,
        ssoUrl: row.idp_sso_url,
        metadataUrl: row.idp_metadata_url,
        metadataFetchedAt: row.idp_metadata_fetched_at,
        lastRefreshAt: refresh?.attempted_at ?? null,
        lastRefreshError: refresh?.error ?? null,
      },
      idpCertificates: certs.map(presentIdpCertificate),
      spKeys: keys.map((k) => ({ id: k.id, fingerprintSha256: k.fingerprint_sha256, notAfter: k.not_after, state: k.state as SpKeyState, certificate: k.certificate_pem, createdAt: k.created_at })),
      allowIdpInitiated: bool(row.allow_idp_initiated),
      wantAssertionsSigned: bool(row.want_assertions_signed),
      wantResponseSigned: bool(row.want_response_signed),
      allowSha1: bool(row.allow_sha1),
      refuseDeactivatedUsers: bool(row.refuse_deactivated_users),
      attributeMapping: fromJson<AttributeMapping>(row.attribute_mapping),
      redirectUris: fromJson<string[]>(row.redirect_uris),
      oauth: { clientId: row.oauth_client_id, clientSecretHint: row.oauth_secret_hint },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  private async load(tx: Repositories, id: string): Promise<SsoConnection | undefined> {
    const row = await tx.ssoConnections.get(id);
    if (!row) return undefined;
    return this.present(row, await tx.ssoConnections.idpCertificates(id), await tx.ssoConnections.spKeys(id), await tx.ssoCertificates.refreshState(id));
  }

  /** Resolves the IdP description of a create body: metadata XML, metadata URL (fetched) or fields. */
  private async describeIdp(input: ConnectionInput): Promise<{ entityId: string; ssoUrl: string; certificates: string[]; metadataUrl: string | null; source: string }> {
    const given = [input.idpMetadataXml !== undefined, input.idpMetadataUrl !== undefined, input.idpSsoUrl !== undefined || input.idpCertificates !== undefined].filter(Boolean).length;
    if (given !== 1) throw new DomainError('invalid', 'give exactly one of idpMetadataXml, idpMetadataUrl, or idpEntityId + idpSsoUrl + idpCertificates');
    if (input.idpMetadataXml !== undefined) {
      const d = parseIdpMetadata(input.idpMetadataXml, input.idpEntityId);
      return { ...d, metadataUrl: null, source: 'metadata' };
    }
    if (input.idpMetadataUrl !== undefined) {
      const xml = await fetchIdpMetadata(input.idpMetadataUrl, this.config.metadataAllowPrivate);
      const d = parseIdpMetadata(xml, input.idpEntityId);
      return { ...d, metadataUrl: input.idpMetadataUrl, source: 'metadata_url' };
    }
    if (input.idpEntityId === undefined || input.idpSsoUrl === undefined || input.idpCertificates === undefined) {
      throw new DomainError('invalid', 'idpEntityId, idpSsoUrl and idpCertificates go together');
    }
    return { entityId: input.idpEntityId, ssoUrl: input.idpSsoUrl, certificates: input.idpCertificates, metadataUrl: null, source: 'manual' };
  }

  /** Creates a connection with a fresh SP signing key and OAuth client; the client secret is returned once. */
  async create(organizationId: string, input: ConnectionInput): Promise<SsoConnection & { clientSecret: string }> {
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const idp = await this.describeIdp(input);
    const entityId = validateText(idp.entityId, 'idpEntityId', 1024);
    const ssoUrl = validateSsoUrl(idp.ssoUrl);
    if (!Array.isArray(idp.certificates) || idp.certificates.length === 0 || idp.certificates.length > 10) {
      throw new DomainError('invalid', 'a connection needs 1 to 10 IdP signing certificates (a connection without one could not verify anything)');
    }
    const certificates = idp.certificates.map((c) => inspectCertificate(c));
    const redirectUris = validateRedirectUris(input.redirectUris);
    const mapping = validateAttributeMapping(input.attributeMapping);
    const name = input.name !== undefined ? validateText(input.name, 'name', 200) : entityId.slice(0, 200);
    const id = newId('sso');
    const now = new Date();
    const at = now.toISOString();
    const pair = await generateSpSigningPair(`Gatehouse SP ${id}`, now);
    const spKey = inspectCertificate(pair.certificatePem);
    const clientSecret = generateSecret('ghcs_');
    const row: SsoConnectionRow = {
      id,
      organization_id: organizationId,
      name,
      state: input.state ?? 'active',
      idp_entity_id: entityId,
      idp_sso_url: ssoUrl,
      idp_metadata_url: idp.metadataUrl,
      idp_metadata_fetched_at: idp.metadataUrl !== null ? at : null,
      sp_entity_id: this.spEntityId(id),
      allow_idp_initiated: int(input.allowIdpInitiated ?? false),
      want_assertions_signed: int(input.wantAssertionsSigned ?? false),
      want_response_signed: int(input.wantResponseSigned ?? false),
      allow_sha1: int(input.allowSha1 ?? false),
      refuse_deactivated_users: int(input.refuseDeactivatedUsers ?? true),
      attribute_mapping: toJson(mapping),
      redirect_uris: toJson(redirectUris),
      oauth_client_id: `ghc_${id.slice(4)}`,
      oauth_secret_hash: hashSecret(clientSecret),
      oauth_secret_hint: clientSecret.slice(-4),
      created_at: at,
      updated_at: at,
    };
    const connection = await this.store.transaction(async (tx) => {
      await tx.ssoConnections.insert(row);
      const seen = new Set<string>();
      for (const cert of certificates) {
        if (seen.has(cert.fingerprintSha256)) continue;
        seen.add(cert.fingerprintSha256);
        await tx.ssoConnections.insertIdpCertificate({
          id: newId('idpc'),
          connection_id: id,
          certificate_pem: cert.pem,
          fingerprint_sha256: cert.fingerprintSha256,
          not_before: cert.notBefore,
          not_after: cert.notAfter,
          state: 'active',
          source: idp.source,
          created_at: at,
          updated_at: at,
        });
      }
      const keyId = newId('spk');
      await tx.ssoConnections.insertSpKey({
        id: keyId,
        connection_id: id,
        certificate_pem: spKey.pem,
        private_key_ciphertext: this.box.seal(pair.privateKeyPem, keyId),
        fingerprint_sha256: spKey.fingerprintSha256,
        not_after: spKey.notAfter,
        state: 'active',
        created_at: at,
        updated_at: at,
      });
      return (await this.load(tx, id))!;
    });
    return { ...connection, clientSecret };
  }

  async get(id: string): Promise<SsoConnection> {
    const connection = await this.load(this.store, id);
    if (!connection) throw notFound('SSO connection');
    return connection;
  }

  async list(organizationId: string, limit: number, cursor?: string): Promise<Page<SsoConnection>> {
    if (!(await this.store.organizations.get(organizationId))) throw notFound('organization');
    const page = await this.store.ssoConnections.list(organizationId, limit, cursor);
    if (!page) throw new DomainError('invalid', 'cursor is not valid');
    const data: SsoConnection[] = [];
    for (const row of page.rows) data.push(this.present(row, await this.store.ssoConnections.idpCertificates(row.id), await this.store.ssoConnections.spKeys(row.id), await this.store.ssoCertificates.refreshState(row.id)));
    return { data, next: page.next };
  }

  /** Changes settings; IdP fields (entity ID, SSO URL) too. Certificates change through their own routes. */
  async update(id: string, input: ConnectionInput): Promise<SsoConnection> {
    const set: Partial<SsoConnectionRow> = {};
    if (input.name !== undefined) set.name = validateText(input.name, 'name', 200);
    if (input.state !== undefined) set.state = input.state;
    if (input.idpEntityId !== undefined) set.idp_entity_id = validateText(input.idpEntityId, 'idpEntityId', 1024);
    if (input.idpSsoUrl !== undefined) set.idp_sso_url = validateSsoUrl(input.idpSsoUrl);
    if (input.allowIdpInitiated !== undefined) set.allow_idp_initiated = int(input.allowIdpInitiated);
    if (input.wantAssertionsSigned !== undefined) set.want_assertions_signed = int(input.wantAssertionsSigned);
    if (input.wantResponseSigned !== undefined) set.want_response_signed = int(input.wantResponseSigned);
    if (input.allowSha1 !== undefined) set.allow_sha1 = int(input.allowSha1);
    if (input.refuseDeactivatedUsers !== undefined) set.refuse_deactivated_users = int(input.refuseDeactivatedUsers);
    if (input.redirectUris !== undefined) set.redirect_uris = toJson(validateRedirectUris(input.redirectUris));
    if (input.attributeMapping !== undefined) set.attribute_mapping = toJson(validateAttributeMapping(input.attributeMapping));
    return this.store.transaction(async (tx) => {
      const row = await tx.ssoConnections.get(id);
      if (!row) throw notFound('SSO connection');
      if (Object.keys(set).length > 0) await tx.ssoConnections.update(id, { ...set, updated_at: new Date().toISOString() });
      return (await this.load(tx, id))!;
    });
  }

  async delete(id: string): Promise<void> {
    if (!(await this.store.ssoConnections.delete(id))) throw notFound('SSO connection');
  }

  /**
   * What the ACS needs (row and trusted IdP certificates, one query; no SP key is read or opened), kept for
   * ACS_CONNECTION_CACHE_MS. A change made through this node (any write to the connection, its certificates
   * or its organization: see ssoConnectionWrites) drops every cached entry at once, including a read that
   * raced with the change's transaction; a change made on another node is seen here within
   * ACS_CONNECTION_CACHE_MS. Unknown ids are not cached. Undefined for an unknown id.
   */
  async acsConnection(id: string): Promise<AcsConnection | undefined> {
    const generation = ssoConnectionWrites.generation;
    const cached = this.acsCache.get(id);
    if (cached !== undefined && cached.generation === generation) return cached.connection;
    const view = await this.store.ssoConnections.acsView(id);
    if (!view) return undefined;
    const { row } = view;
    const connection: AcsConnection = Object.freeze({
      row: Object.freeze(row),
      spEntityId: row.sp_entity_id,
      acsUrl: this.acsUrl(row.id),
      trustedCertificates: Object.freeze(view.trustedCertificatePems) as string[],
      redirectUris: Object.freeze(fromJson<string[]>(row.redirect_uris)) as string[],
      attributeMapping: Object.freeze(fromJson<AttributeMapping>(row.attribute_mapping)),
    });
    // kept only if nothing was written meanwhile (the read may predate that write)
    if (ssoConnectionWrites.generation === generation) this.acsCache.set(id, { connection, generation });
    return connection;
  }

  /** What the login start and the SP metadata need (private key opened); undefined for an unknown id. */
  async runtime(id: string): Promise<ConnectionRuntime | undefined> {
    const row = await this.store.ssoConnections.get(id);
    if (!row) return undefined;
    const certs = await this.store.ssoConnections.idpCertificates(id);
    const keys = await this.store.ssoConnections.spKeys(id);
    const active = keys.find((k) => k.state === 'active');
    return {
      row,
      spEntityId: row.sp_entity_id,
      acsUrl: this.acsUrl(row.id),
      trustedCertificates: certs.filter((c) => c.state === 'active' || c.state === 'retiring').map((c) => c.certificate_pem),
      signing: active ? { certificatePem: active.certificate_pem, privateKeyPem: this.box.open(active.private_key_ciphertext, active.id) } : undefined,
      publishedSpCertificates: keys.map((k) => k.certificate_pem),
      redirectUris: fromJson<string[]>(row.redirect_uris),
      attributeMapping: fromJson<AttributeMapping>(row.attribute_mapping),
    };
  }

  /** The connection of an OAuth client id, if any. */
  async byClientId(clientId: string): Promise<SsoConnectionRow | undefined> {
    return this.store.ssoConnections.getByClientId(clientId);
  }
}

/** A SHA-256 hex digest (browser binding of cookies, code hashes). */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A certificate row as the admin API shows it (in a connection's `idpCertificates` and the certificate routes). */
export function presentIdpCertificate(c: IdpCertificateRow): IdpCertificate {
  return {
    id: c.id,
    fingerprintSha256: c.fingerprint_sha256,
    notBefore: c.not_before,
    notAfter: c.not_after,
    state: c.state as IdpCertificateState,
    source: c.source,
    certificate: c.certificate_pem,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
  };
}
