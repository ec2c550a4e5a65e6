import { AsyncLocalStorage } from 'node:async_hooks';
import { SignedXml } from 'xml-crypto';

/** The signature policy of the validation in progress (the connection's legacy SHA-1 switch). */
export interface SignaturePolicy {
  allowSha1: boolean;
}

export const signaturePolicy = new AsyncLocalStorage<SignaturePolicy>();

const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
]);
const SHA1_SIGNATURE = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const DIGEST_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);
const SHA1_DIGEST = 'http://www.w3.org/2000/09/xmldsig#sha1';
const TRANSFORMS = new Set([
  'http://www.w3.org/2001/10/xml-exc-c14n#',
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
]);

/** A signature refused by the allow-list, with the precise reason. */
export class AlgorithmRefused extends Error {
  constructor(readonly reason: string) {
    super(`signature algorithm refused: ${reason}`);
    this.name = 'AlgorithmRefused';
  }
}

let installed = false;

/**
 * Wraps `SignedXml.prototype.loadSignature` once per process (saml-security.md §4.3): after xml-crypto has
 * read a signature, it is refused unless its SignatureMethod is RSA-SHA256/512 (or RSA-PSS SHA-256), every
 * digest SHA-256/512, and the canonicalization and every transform exclusive/inclusive C14N or
 * enveloped-signature. SHA-1 passes only inside a validation run with `allowSha1` (AsyncLocalStorage).
 * node-saml calls loadSignature outside its per-certificate try, so the throw rejects the whole response
 * — also for signatures inside decrypted assertions.
 */
export function installAlgorithmHook(): void {
  if (installed) return;
  installed = true;
  const original = SignedXml.prototype.loadSignature;
  SignedXml.prototype.loadSignature = function loadSignatureChecked(this: SignedXml, signatureNode: Node | string): void {
    original.call(this, signatureNode);
    const allowSha1 = signaturePolicy.getStore()?.allowSha1 === true;
    const method = String(this.signatureAlgorithm ?? '');
    if (!SIGNATURE_ALGORITHMS.has(method) && !(allowSha1 && method === SHA1_SIGNATURE)) throw new AlgorithmRefused(method === SHA1_SIGNATURE ? 'rsa-sha1 signature (SHA-1 is refused unless the connection allows it)' : `signature method ${method.slice(0, 120)}`);
    if (!TRANSFORMS.has(String(this.canonicalizationAlgorithm ?? ''))) throw new AlgorithmRefused(`canonicalization ${String(this.canonicalizationAlgorithm).slice(0, 120)}`);
    for (const reference of this.getReferences()) {
      const digest = String(reference.digestAlgorithm ?? '');
      if (!DIGEST_ALGORITHMS.has(digest) && !(allowSha1 && digest === SHA1_DIGEST)) throw new AlgorithmRefused(digest === SHA1_DIGEST ? 'sha1 digest (SHA-1 is refused unless the connection allows it)' : `digest ${digest.slice(0, 120)}`);
      for (const transform of reference.transforms ?? []) if (!TRANSFORMS.has(String(transform))) throw new AlgorithmRefused(`transform ${String(transform).slice(0, 120)}`);
    }
  };
}

/** true once the hook is in place (a test asserts it: the pinned engine must not slip past it). */
export function algorithmHookInstalled(): boolean {
  return installed && SignedXml.prototype.loadSignature.name === 'loadSignatureChecked';
}
