import { randomBytes, webcrypto } from 'node:crypto';
import { installReflectMetadataShim } from './reflect-metadata-shim.js';

/** A signing certificate and its private key, both PEM. */
export interface SigningPair {
  certificatePem: string;
  /** PKCS#8 */
  privateKeyPem: string;
}

/** What a new self-signed signing certificate looks like. */
export interface CertificateRequest {
  /** the subject and issuer common name, e.g. "JumpCloud" */
  commonName: string;
  /** more subject attributes, e.g. `{ O: 'JumpCloud', OU: 'aws-sso' }` */
  attributes?: Record<string, string>;
  notBefore: Date;
  notAfter: Date;
  /** RSA modulus length; default 2048 (what JumpCloud issues) */
  modulusLength?: number;
}

type X509Module = typeof import('@peculiar/x509');
let x509Module: Promise<X509Module> | null = null;

/** @peculiar/x509, loaded on first use after the Reflect shim it needs (and only when a certificate is made). */
function loadX509(): Promise<X509Module> {
  if (!x509Module) {
    installReflectMetadataShim();
    x509Module = import('@peculiar/x509');
  }
  return x509Module;
}

function pem(label: string, der: ArrayBuffer): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function rdnValue(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}

/**
 * Makes a new RSA key (2048 bits by default) and a self-signed X.509 certificate for it with @peculiar/x509
 * over Node's WebCrypto: sha256WithRSAEncryption, a random positive serial, the given validity window, and
 * the extensions an IdP signing certificate carries (basicConstraints CA:false, keyUsage digitalSignature,
 * subjectKeyIdentifier). Key generation takes ~100–300 ms of worker-pool time; callers cache (key-store.ts).
 */
export async function generateSigningPair(request: CertificateRequest): Promise<SigningPair> {
  const x509 = await loadX509();
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', modulusLength: request.modulusLength ?? 2048, publicExponent: new Uint8Array([1, 0, 1]) };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const name = [`CN=${rdnValue(request.commonName)}`, ...Object.entries(request.attributes ?? {}).map(([k, v]) => `${k}=${rdnValue(v)}`)].join(', ');
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name,
      notBefore: request.notBefore,
      notAfter: request.notAfter,
      signingAlgorithm: algorithm,
      keys: keys as CryptoKeyPair,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as CryptoKey, false, webcrypto as unknown as Crypto),
      ],
    },
    webcrypto as unknown as Crypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { certificatePem: cert.toString('pem').trim() + '\n', privateKeyPem: pem('PRIVATE KEY', pkcs8) };
}

/** The base64 body of a PEM certificate (what `ds:X509Certificate` carries), without header or line breaks. */
export function certificateBody(certificatePem: string): string {
  return certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}
