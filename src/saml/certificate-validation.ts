import { X509Certificate } from 'node:crypto';
import { DomainError } from '../core/errors.js';
import { inspectCertificate, type InspectedCertificate } from './certificates.js';

const ACCEPTED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1', 'P-256', 'P-384', 'P-521']);

/**
 * A certificate an admin (or a metadata refresh) proposes as a *new* IdP signing certificate: everything
 * {@link inspectCertificate} checks (X.509, RSA ≥ 2048 bits), plus an EC key on P-256, P-384 or P-521 only,
 * and not already expired at `now` — a renewal to an expired certificate is a mistake, whatever SAML's
 * "trust the key" rule says about certificates already trusted.
 */
export function validateNewIdpCertificate(text: unknown, now: Date): InspectedCertificate {
  if (typeof text !== 'string') throw new DomainError('invalid', 'certificate must be a PEM string');
  const inspected = inspectCertificate(text);
  const key = new X509Certificate(inspected.pem).publicKey;
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
    if (!ACCEPTED_CURVES.has(curve)) throw new DomainError('invalid', `a certificate has an EC key on ${curve || 'an unknown curve'}; P-256, P-384 or P-521 are required`);
  }
  if (Date.parse(inspected.notAfter) <= now.getTime()) throw new DomainError('invalid', `the certificate expired on ${inspected.notAfter}`);
  return inspected;
}
