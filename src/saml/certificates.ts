import { X509Certificate, createHash, randomBytes, webcrypto } from 'node:crypto';
import { DomainError } from '../core/errors.js';
import { installReflectMetadataShim } from './reflect-metadata-shim.js';

/** What Gatehouse keeps of a certificate it was given: the normalised PEM, its fingerprint and validity. */
export interface InspectedCertificate {
  pem: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
}

const MAX_PEM_LENGTH = 16_384;

/** The base64 body of a PEM (or a bare base64 certificate, as metadata carries it) as a normalised PEM. */
export function normalizeCertificatePem(text: string): string {
  const body = text.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    throw new DomainError('invalid', 'a certificate is not a PEM or base64 X.509 certificate');
  }
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Parses an IdP signing certificate and checks it can be trusted at all: an X.509 certificate with an RSA key
 * of at least 2048 bits (or an EC key). Validity dates are kept (for expiry warnings) but not enforced:
 * SAML metadata trusts keys, not X.509 validity (saml-security.md §5.4).
 */
export function inspectCertificate(text: string): InspectedCertificate {
  if (typeof text !== 'string' || text.length > MAX_PEM_LENGTH) throw new DomainError('invalid', 'a certificate is too long');
  const pem = normalizeCertificatePem(text);
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    throw new DomainError('invalid', 'a certificate does not parse as X.509');
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new DomainError('invalid', `a certificate has a ${bits}-bit RSA key; at least 2048 bits are required`);
  } else if (key.asymmetricKeyType !== 'ec') {
    throw new DomainError('invalid', `a certificate has an unsupported key type (${key.asymmetricKeyType})`);
  }
  return {
    pem,
    fingerprintSha256: createHash('sha256').update(cert.raw).digest('hex'),
    notBefore: new Date(cert.validFrom).toISOString(),
    notAfter: new Date(cert.validTo).toISOString(),
  };
}

/** A new SP signing pair: PEM certificate and PKCS#8 PEM private key. */
export interface SigningPair {
  certificatePem: string;
  privateKeyPem: string;
}

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | null = null;

function loadX509(): Promise<X509Module> {
  if (!x509Module) {
    installReflectMetadataShim();
    x509Module = import('@peculiar/x509');
  }
  return x509Module;
}

function pemOf(label: string, der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * An RSA-2048 key and a self-signed sha256WithRSA certificate for it (10 years: SP metadata pins the
 * certificate, so its X.509 validity matters only to tools that warn about it), for signing AuthnRequests.
 */
export async function generateSpSigningPair(commonName: string, now = new Date()): Promise<SigningPair> {
  const x509 = await loadX509();
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 10);
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: `CN=${commonName.replace(/([,+"\\<>;=])/g, '\\$1')}`,
      notBefore: new Date(now.getTime() - 60_000),
      notAfter,
      signingAlgorithm: algorithm,
      keys,
      extensions: [new x509.BasicConstraintsExtension(false, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
    },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certificatePem: cert.toString('pem').trim() + '\n', privateKeyPem: pemOf('PRIVATE KEY', pkcs8) };
}
