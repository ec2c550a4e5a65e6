import { SignedXml } from 'xml-crypto';
import { ALGORITHM } from './saml-xml.js';

/** JumpCloud's two choices of "Signature Algorithm" (jumpcloud-wire.md §B Signing). */
export type SignatureAlgorithmName = 'RSA-SHA256' | 'RSA-SHA1';

/** Reference digest algorithms. */
export type DigestAlgorithmName = 'sha256' | 'sha1';

/** Which element of a `samlp:Response` document to sign. */
export type SignTarget = 'assertion' | 'response' | 'response-without-issuer';

/** Key material and algorithms of one signature. */
export interface SignParams {
  privateKeyPem: string;
  /** goes into `ds:KeyInfo`; null: no KeyInfo */
  certificatePem: string | null;
  algorithm: SignatureAlgorithmName;
  /** default: sha1 with RSA-SHA1, sha256 otherwise */
  digest?: DigestAlgorithmName | undefined;
}

const RESPONSE = "/*[local-name()='Response']";
const ASSERTION = `${RESPONSE}/*[local-name()='Assertion']`;

/**
 * Adds an enveloped XML-DSig signature (prefix `ds`) to the Response or to its Assertion: one Reference to
 * the element's ID with the transforms enveloped-signature + exclusive C14N (no InclusiveNamespaces: xml-crypto would
 * write one into both transforms), exclusive C14N for SignedInfo, and the signature inserted right after the element's `Issuer` (saml-core §5.4.1
 * schema order), or first in a Response without an Issuer.
 */
export function signElement(xml: string, target: SignTarget, params: SignParams): string {
  const sha1 = params.algorithm === 'RSA-SHA1';
  const digest = params.digest ?? (sha1 ? 'sha1' : 'sha256');
  const signer = new SignedXml({
    privateKey: params.privateKeyPem,
    publicCert: params.certificatePem ?? undefined,
    signatureAlgorithm: sha1 ? ALGORITHM.rsaSha1 : ALGORITHM.rsaSha256,
    canonicalizationAlgorithm: ALGORITHM.excC14n,
  });
  if (params.certificatePem === null) signer.getKeyInfoContent = () => null;
  const element = target === 'assertion' ? ASSERTION : RESPONSE;
  signer.addReference({
    xpath: element,
    transforms: [ALGORITHM.enveloped, ALGORITHM.excC14n],
    digestAlgorithm: digest === 'sha1' ? ALGORITHM.sha1 : ALGORITHM.sha256,
  });
  const location = target === 'response-without-issuer' ? { reference: RESPONSE, action: 'prepend' as const } : { reference: `${element}/*[local-name()='Issuer']`, action: 'after' as const };
  signer.computeSignature(xml, { prefix: 'ds', location });
  return signer.getSignedXml();
}
