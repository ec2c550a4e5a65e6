import { api, withQuery, type Query } from './client';
import type { Page } from './types';

/**
 * The SSO backend (issue 6), typed from CONTRACT.md "SAML SSO and the OAuth hand-off". The certificate
 * renewal routes are not in the contract yet: `renewCertificate` / `confirmCertificate` assume
 * `POST /api/sso-connections/:id/certificate/renew|confirm`; adapt here when merging.
 */
export interface IdpCertificate {
  pem?: string;
  fingerprint?: string;
  notAfter?: string;
}

export interface SsoConnection {
  id: string;
  organizationId?: string;
  spEntityId: string;
  acsUrl: string;
  spMetadataUrl: string;
  loginUrl: string;
  idpEntityId?: string;
  idpSsoUrl?: string;
  idpMetadataUrl?: string | null;
  idpCertificates?: (IdpCertificate | string)[];
  spCertificate?: { notAfter?: string; fingerprint?: string } | null;
  pendingSpCertificate?: { notAfter?: string; fingerprint?: string } | null;
  allowIdpInitiated?: boolean;
  redirectUris?: string[];
  oauth?: { clientId: string; clientSecret?: string };
  createdAt?: string;
}

export type SsoConnectionInput =
  | { idpMetadataXml: string; redirectUris: string[]; allowIdpInitiated?: boolean }
  | { idpMetadataUrl: string; redirectUris: string[]; allowIdpInitiated?: boolean };

const enc = encodeURIComponent;

export const sso = {
  list: (orgId: string, query: Query = {}) => api<Page<SsoConnection>>('GET', withQuery(`/organizations/${enc(orgId)}/sso-connections`, query)),
  create: (orgId: string, body: SsoConnectionInput) => api<SsoConnection>('POST', `/organizations/${enc(orgId)}/sso-connections`, body),
  get: (connId: string) => api<SsoConnection>('GET', `/sso-connections/${enc(connId)}`),
  update: (connId: string, body: Partial<SsoConnectionInput>) => api<SsoConnection>('PATCH', `/sso-connections/${enc(connId)}`, body),
  renewCertificate: (connId: string) => api<SsoConnection>('POST', `/sso-connections/${enc(connId)}/certificate/renew`),
  confirmCertificate: (connId: string) => api<SsoConnection>('POST', `/sso-connections/${enc(connId)}/certificate/confirm`),
};

/** The certificates' expiry dates, whatever shape the backend gives them. */
export function certificateExpiries(conn: SsoConnection): { what: string; notAfter: string }[] {
  const out: { what: string; notAfter: string }[] = [];
  for (const [i, c] of (conn.idpCertificates ?? []).entries()) if (typeof c === 'object' && c.notAfter) out.push({ what: `IdP certificate ${i + 1}`, notAfter: c.notAfter });
  if (conn.spCertificate?.notAfter) out.push({ what: 'SP signing certificate', notAfter: conn.spCertificate.notAfter });
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

/** The portal's own redirect URI for a test sign-in: add it to the connection's redirect URIs. */
export function testCallbackUrl(): string {
  return `${window.location.origin}/admin/sso-callback`;
}
