import { api, withQuery, type Query } from './client';
import type { Page } from './types';

/**
 * The SSO admin API (src/admin/sso-connection-routes.ts, src/admin/sso-certificate-routes.ts): SAML
 * connections, the IdP certificate renewal ("Renew Certificate" / "Confirm Certificate Renewal"), the
 * metadata refresh and the SP key rollover.
 */
export interface IdpCertificate {
  id: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  /** only active and retiring certificates verify signatures */
  state: 'pending' | 'active' | 'retiring' | 'removed';
  source: string;
  certificate: string;
  createdAt: string;
}

export interface SpKey {
  id: string;
  fingerprintSha256: string;
  notAfter: string;
  /** every key is published in the SP metadata; only the active one signs AuthnRequests */
  state: 'next' | 'active' | 'retiring';
  certificate: string;
  createdAt: string;
}

export interface SsoConnection {
  id: string;
  organizationId: string;
  name: string;
  state: 'active' | 'inactive';
  spEntityId: string;
  acsUrl: string;
  spMetadataUrl: string;
  loginUrl: string;
  idp: { entityId: string; ssoUrl: string; metadataUrl: string | null; metadataFetchedAt: string | null; lastRefreshAt: string | null; lastRefreshError: string | null };
  idpCertificates: IdpCertificate[];
  spKeys: SpKey[];
  allowIdpInitiated: boolean;
  redirectUris: string[];
  /** clientSecret only in the answer that created the connection */
  oauth: { clientId: string; clientSecretHint?: string; clientSecret?: string };
  createdAt: string;
  updatedAt: string;
}

/** GET …/idp-certificates: the certificates, the renewal in progress, the metadata refresh state. */
export interface IdpCertificatesView {
  connectionId: string;
  renewal: { startedAt: string; certificateId: string | null; awaitingCertificate: boolean } | null;
  metadataRefresh: { url: string | null; lastRefreshAt: string | null; lastSuccessAt: string | null; lastRefreshError: string | null; nextRefreshAt: string | null };
  certificates: IdpCertificate[];
}

export type SsoConnectionInput = ({ idpMetadataXml: string } | { idpMetadataUrl: string }) & { redirectUris: string[]; allowIdpInitiated?: boolean; name?: string };

/** How a renewal starts: a pasted certificate, a pending one found by a refresh, or the metadata URL. */
export type RenewalInput = { certificate: string } | { certificateId: string } | { fromMetadata: true };

const enc = encodeURIComponent;
const conn = (id: string) => `/sso-connections/${enc(id)}`;

export const sso = {
  list: (orgId: string, query: Query = {}) => api<Page<SsoConnection>>('GET', withQuery(`/organizations/${enc(orgId)}/sso-connections`, query)),
  create: (orgId: string, body: SsoConnectionInput) => api<SsoConnection>('POST', `/organizations/${enc(orgId)}/sso-connections`, body),
  get: (id: string) => api<SsoConnection>('GET', conn(id)),
  update: (id: string, body: { redirectUris?: string[]; allowIdpInitiated?: boolean; name?: string }) => api<SsoConnection>('PATCH', conn(id), body),
  idpCertificates: (id: string) => api<IdpCertificatesView>('GET', `${conn(id)}/idp-certificates`),
  startRenewal: (id: string, body: RenewalInput) => api<IdpCertificatesView>('POST', `${conn(id)}/idp-certificates/renewal`, body),
  confirmRenewal: (id: string) => api<IdpCertificatesView>('POST', `${conn(id)}/idp-certificates/renewal/confirm`),
  cancelRenewal: (id: string) => api<IdpCertificatesView>('DELETE', `${conn(id)}/idp-certificates/renewal`),
  refreshMetadata: (id: string) => api<IdpCertificatesView>('POST', `${conn(id)}/idp-metadata/refresh`),
  createSpKey: (id: string) => api<SpKey>('POST', `${conn(id)}/sp-keys`),
  activateSpKey: (id: string, keyId: string) => api<{ spKeys: SpKey[] }>('POST', `${conn(id)}/sp-keys/${enc(keyId)}/activate`),
  retireSpKey: (id: string, keyId: string) => api<{ spKeys: SpKey[] }>('POST', `${conn(id)}/sp-keys/${enc(keyId)}/retire`),
};

/** The trusted IdP certificates and every published SP key, with their expiry. */
export function certificateExpiries(connection: Pick<SsoConnection, 'idpCertificates' | 'spKeys'>): { what: string; notAfter: string }[] {
  const out: { what: string; notAfter: string }[] = [];
  for (const c of connection.idpCertificates) {
    if (c.state === 'active' || c.state === 'retiring') out.push({ what: `IdP certificate ${c.fingerprintSha256.slice(0, 11)} (${c.state})`, notAfter: c.notAfter });
  }
  for (const k of connection.spKeys) out.push({ what: `SP signing certificate ${k.fingerprintSha256.slice(0, 11)} (${k.state})`, notAfter: k.notAfter });
  return out;
}

/** PKCE (RFC 7636): a random verifier and its S256 challenge. */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const verifier = base64url(bytes);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64url(digest) };
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The portal's own redirect URI for a test sign-in: added to the connection's redirect URIs. */
export function testCallbackUrl(): string {
  return `${window.location.origin}/admin/sso-callback`;
}
