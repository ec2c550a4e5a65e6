/**
 * Certificates for the certificate-lifecycle tests: RSA of any size, EC on a named curve, Ed25519, with any
 * validity window (self-signed with @peculiar/x509 over WebCrypto).
 */
import { randomBytes, webcrypto } from 'node:crypto';
import { installReflectMetadataShim } from '../../../sim/idp/reflect-metadata-shim.js';

export type KeySpec = { type: 'rsa'; bits: number } | { type: 'ec'; curve: 'P-256' | 'P-384' | 'P-521' } | { type: 'ed25519' };

const DAY = 86_400_000;

function pem(label: string, der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** A self-signed certificate (and its PKCS#8 key) valid from `notBefore` to `notAfter` (default: now − 1 day … now + 365 days). */
export async function makeCertificate(options: { key?: KeySpec; notBefore?: Date; notAfter?: Date; commonName?: string } = {}): Promise<{ certificatePem: string; privateKeyPem: string }> {
  installReflectMetadataShim();
  const x509 = await import('@peculiar/x509');
  const key = options.key ?? { type: 'rsa', bits: 2048 };
  const algorithm =
    key.type === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: key.bits, publicExponent: new Uint8Array([1, 0, 1]) }
      : key.type === 'ec'
        ? { name: 'ECDSA', namedCurve: key.curve, hash: 'SHA-256' }
        : { name: 'Ed25519' };
  const keys = (await webcrypto.subtle.generateKey(algorithm as never, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: `CN=${options.commonName ?? 'Test IdP'}`,
      notBefore: options.notBefore ?? new Date(now - DAY),
      notAfter: options.notAfter ?? new Date(now + 365 * DAY),
      signingAlgorithm: algorithm,
      keys,
    },
    webcrypto as unknown as Crypto,
  );
  return { certificatePem: cert.toString('pem').trim() + '\n', privateKeyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)) };
}

/** The base64 body of a PEM certificate, as SAML metadata carries it. */
export function certificateBody(certificatePem: string): string {
  return certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}
