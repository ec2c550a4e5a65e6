import { createVerify } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { Application } from '../tenant/types.js';
import { IdpError } from './idp-error.js';
import { ALGORITHM, NS } from './saml-xml.js';

/** The binding an AuthnRequest arrived by. */
export type RequestBinding = 'HTTP-Redirect' | 'HTTP-POST';

/** What the IdP reads from an AuthnRequest. */
export interface AuthnRequest {
  binding: RequestBinding;
  /** the request ID: the response's InResponseTo */
  id: string;
  issuer: string | null;
  /** AssertionConsumerServiceURL, if the SP named one */
  acsUrl: string | null;
  protocolBinding: string | null;
  destination: string | null;
  issueInstant: string | null;
  forceAuthn: boolean;
  isPassive: boolean;
  nameIdPolicyFormat: string | null;
  /** true when an embedded (POST) or query (Redirect) signature was present */
  signed: boolean;
  xml: string;
}

const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * The XML of a `SAMLRequest` parameter. Redirect binding: base64 of raw DEFLATE (saml-bindings §3.4.4.1).
 * POST binding: base64 of the XML; a deflated body is accepted too, since node-saml deflates POST requests
 * unless `skipRequestCompression` (saml-security.md §1.1).
 */
export function decodeSamlRequest(samlRequest: string, binding: RequestBinding): string {
  const bytes = Buffer.from(samlRequest.replace(/\s+/g, ''), 'base64');
  if (bytes.length === 0) throw new IdpError('invalid_request', 'SAMLRequest is empty or not base64');
  const looksLikeXml = bytes.toString('utf8', 0, 64).trimStart().startsWith('<');
  if (binding === 'HTTP-POST' && looksLikeXml) return bytes.toString('utf8');
  try {
    return inflateRawSync(bytes, { maxOutputLength: MAX_REQUEST_BYTES }).toString('utf8');
  } catch {
    throw new IdpError('invalid_request', `SAMLRequest is not ${binding === 'HTTP-Redirect' ? 'deflated' : 'valid'} base64 XML`);
  }
}

function firstChild(root: Element, ns: string, localName: string): Element | null {
  for (let n = root.firstChild; n; n = n.nextSibling) {
    const el = n as Element;
    if (el.nodeType === 1 && el.namespaceURI === ns && el.localName === localName) return el;
  }
  return null;
}

/** Parses an AuthnRequest (root `samlp:AuthnRequest`, Version 2.0, an ID; DOCTYPEs refused). */
export function parseAuthnRequest(xml: string, binding: RequestBinding, signedByQuery = false): AuthnRequest {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new IdpError('invalid_request', 'SAMLRequest contains a DOCTYPE');
  const errors: string[] = [];
  const doc = new DOMParser({ errorHandler: { error: (m: string) => errors.push(m), fatalError: (m: string) => errors.push(m) } }).parseFromString(xml, 'application/xml');
  const root = doc.documentElement as unknown as Element | null;
  if (errors.length > 0 || !root) throw new IdpError('invalid_request', `SAMLRequest is not well-formed XML${errors[0] ? `: ${errors[0]}` : ''}`);
  if (root.namespaceURI !== NS.protocol || root.localName !== 'AuthnRequest') throw new IdpError('invalid_request', `expected a samlp:AuthnRequest, got ${root.localName ?? root.nodeName}`);
  const id = root.getAttribute('ID') ?? '';
  if (id === '') throw new IdpError('invalid_request', 'the AuthnRequest has no ID');
  if (root.getAttribute('Version') !== '2.0') throw new IdpError('invalid_request', 'the AuthnRequest is not SAML 2.0');
  const attr = (name: string): string | null => (root.hasAttribute(name) ? root.getAttribute(name) : null);
  const issuer = firstChild(root, NS.assertion, 'Issuer');
  const policy = firstChild(root, NS.protocol, 'NameIDPolicy');
  return {
    binding,
    id,
    issuer: issuer ? (issuer.textContent ?? '').trim() : null,
    acsUrl: attr('AssertionConsumerServiceURL'),
    protocolBinding: attr('ProtocolBinding'),
    destination: attr('Destination'),
    issueInstant: attr('IssueInstant'),
    forceAuthn: attr('ForceAuthn') === 'true',
    isPassive: attr('IsPassive') === 'true',
    nameIdPolicyFormat: policy?.getAttribute('Format') || null,
    signed: signedByQuery || firstChild(root, NS.dsig, 'Signature') !== null,
    xml,
  };
}

/** The raw (still URL-encoded) value of each query parameter, in order, as the signer saw them. */
function rawQueryParams(rawQuery: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of rawQuery.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(decodeURIComponent(part.slice(0, eq)), part.slice(eq + 1));
  }
  return out;
}

/**
 * Verifies the query signature of the Redirect binding (saml-bindings §3.4.4.1): the signed octets are
 * `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as URL-encoded in the query; RSA-SHA256 and RSA-SHA1.
 */
export function verifyRedirectSignature(rawQuery: string, certificatePem: string): boolean {
  const params = rawQueryParams(rawQuery);
  const sigAlg = params.get('SigAlg');
  const signature = params.get('Signature');
  const request = params.get('SAMLRequest');
  if (!sigAlg || !signature || !request) return false;
  const algorithm = decodeURIComponent(sigAlg);
  const hash = algorithm === ALGORITHM.rsaSha256 ? 'RSA-SHA256' : algorithm === ALGORITHM.rsaSha1 ? 'RSA-SHA1' : null;
  if (!hash) return false;
  const relayState = params.get('RelayState');
  const signed = `SAMLRequest=${request}${relayState !== undefined ? `&RelayState=${relayState}` : ''}&SigAlg=${sigAlg}`;
  try {
    return createVerify(hash).update(signed).verify(certificatePem, Buffer.from(decodeURIComponent(signature), 'base64'));
  } catch {
    return false;
  }
}

/** Verifies the enveloped signature of a POST-binding AuthnRequest against the SP certificate. */
export function verifyPostSignature(xml: string, certificatePem: string): boolean {
  try {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    const root = doc.documentElement as unknown as Element;
    const signature = firstChild(root, NS.dsig, 'Signature');
    if (!signature) return false;
    const verifier = new SignedXml({ publicCert: certificatePem });
    verifier.loadSignature(signature as unknown as Node);
    if (!verifier.checkSignature(xml)) return false;
    return verifier.getSignedReferences().length === 1;
  } catch {
    return false;
  }
}

/** The ACS URLs of an app: the default one first, then the others. */
export function acsUrlsOf(app: Application): string[] {
  return [app.saml.acsUrl, ...app.saml.additionalAcsUrls].filter((u) => u !== '');
}

/**
 * Checks an AuthnRequest against the app: the Issuer must be the app's SP Entity ID (when both are set and
 * `checkIssuer`), the AssertionConsumerServiceURL one of its ACS URLs (when given and `checkAcsUrl`).
 * Returns the ACS URL to answer to: the requested one, else the app's default.
 */
export function acsUrlFor(request: AuthnRequest | null, app: Application, checks: { checkIssuer: boolean; checkAcsUrl: boolean }): string {
  const urls = acsUrlsOf(app);
  if (request) {
    if (checks.checkIssuer && app.saml.spEntityId !== '' && request.issuer !== null && request.issuer !== app.saml.spEntityId) {
      throw new IdpError('invalid_request', `the AuthnRequest Issuer "${request.issuer}" is not this application's SP Entity ID`);
    }
    if (request.acsUrl !== null) {
      if (checks.checkAcsUrl && !urls.includes(request.acsUrl)) throw new IdpError('invalid_request', `the AssertionConsumerServiceURL "${request.acsUrl}" is not an ACS URL of this application`);
      return request.acsUrl;
    }
  }
  const url = urls[0];
  if (!url) throw new IdpError('invalid_request', `the application "${app.displayLabel}" has no ACS URL`);
  return url;
}
