import type { SsoCertificateConfig, SsoConfig } from '../config.js';
import { DomainError } from '../core/errors.js';
import type { SsoConnectionRow } from '../store/repositories/sso-connections.js';
import { validateNewIdpCertificate } from './certificate-validation.js';
import type { InspectedCertificate } from './certificates.js';
import { fetchIdpMetadata, parseIdpMetadata } from './idp-metadata.js';

/** The signing certificates an IdP's metadata URL publishes now, and those it publishes that cannot be used. */
export interface PublishedCertificates {
  certificates: InspectedCertificate[];
  /** why some published certificates were skipped (expired, weak key, unparsable) */
  skipped: string[];
}

/**
 * Re-reads a connection's IdP metadata URL (the same SSRF guard, no redirects, with the configured timeout
 * and size cap) and returns its signing certificates. The metadata must still describe the connection's IdP
 * (its entityID): a document about another IdP is refused, never followed.
 */
export async function fetchPublishedCertificates(row: SsoConnectionRow, sso: SsoConfig, limits: SsoCertificateConfig, now: Date): Promise<PublishedCertificates> {
  if (row.idp_metadata_url === null) throw new DomainError('invalid', 'this connection has no IdP metadata URL; give the new certificate instead');
  const xml = await fetchIdpMetadata(row.idp_metadata_url, sso.metadataAllowPrivate, { timeoutMs: limits.metadataTimeoutMs, maxBytes: limits.metadataMaxBytes });
  const description = parseIdpMetadata(xml, row.idp_entity_id);
  const certificates: InspectedCertificate[] = [];
  const skipped: string[] = [];
  for (const text of description.certificates) {
    try {
      certificates.push(validateNewIdpCertificate(text, now));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      skipped.push(error.message);
    }
  }
  return { certificates, skipped };
}
