import { AcsRejection } from './acs-rejection.js';
import { NS, XmlHygieneError, childElements, parseHostileXml } from './xml-hygiene.js';
import type { FormBody } from '../http/form-body.js';

/** Largest decoded SAMLResponse accepted (the ACS body itself is capped at 1 MB). */
export const MAX_RESPONSE_BYTES = 512 * 1024;
/** Longest RelayState accepted (saml-bindings §3.5.3 says 80 bytes; IdP "default RelayState" values run longer). */
export const MAX_RELAY_STATE = 1024;

/** What passed the pre-gate: the normalised base64 for node-saml, and facts read from the (unsigned) envelope. */
export interface GatedResponse {
  samlResponse: string;
  relayState: string | null;
  /** Response@InResponseTo, unsigned unless the Response is signed */
  responseInResponseTo: string | null;
  responseDestination: string | null;
  responseIssuer: string | null;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const ID_ATTRIBUTES = ['ID', 'Id', 'id'] as const;
/** fatal: invalid UTF-8 throws; one decoder serves every call (decode() without `stream` keeps no state) */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function single(body: FormBody, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AcsRejection('parameter_pollution', `${name} was sent more than once`);
  return value;
}

/**
 * The ACS pre-gate (saml-security.md §4.2), before node-saml sees a byte: one SAMLResponse string, strict
 * base64 (CRLF line wrapping allowed), ≤ 512 KB decoded, valid UTF-8 without BOM, no DOCTYPE/ENTITY, parsed
 * once with every parser error fatal, no comments or PIs, bounded shape; then the structure: one
 * samlp:Response 2.0 root with Status Success, exactly one saml:Assertion as its direct child and no
 * Assertion or EncryptedAssertion anywhere else, ds:Signature only directly under the Response or the
 * Assertion (at most one each), and every ID/Id/id value unique.
 */
export function preGate(body: FormBody | undefined): GatedResponse {
  if (body === undefined || body === null || typeof body !== 'object') throw new AcsRejection('no_body', 'the ACS needs an application/x-www-form-urlencoded body');
  const raw = single(body, 'SAMLResponse');
  if (raw === undefined || raw === '') throw new AcsRejection('no_saml_response', 'no SAMLResponse parameter');
  const relayState = single(body, 'RelayState') ?? null;
  if (relayState !== null && (relayState.length > MAX_RELAY_STATE || /[\u0000-\u001f\u007f]/.test(relayState))) throw new AcsRejection('relay_state_invalid', 'RelayState is too long or has control characters');

  const compact = raw.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new AcsRejection('malformed_base64', 'SAMLResponse is not strict base64');
  if ((compact.length / 4) * 3 > MAX_RESPONSE_BYTES + 3) throw new AcsRejection('response_too_large', `SAMLResponse decodes to more than ${MAX_RESPONSE_BYTES} bytes`, 413);
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) throw new AcsRejection('bom', 'SAMLResponse starts with a byte-order mark');
  let xml: string;
  try {
    xml = UTF8.decode(bytes);
  } catch {
    throw new AcsRejection('not_utf8', 'SAMLResponse is not UTF-8 (deflated or UTF-16?)');
  }

  // one bounded walk gathers what the structure checks below need (they run after it, in their own order)
  const assertions: Element[] = [];
  const encrypted: Element[] = [];
  const signatures: Element[] = [];
  const ids = new Set<string>();
  let duplicateId = false;
  let first: Element | undefined;
  const gather = (element: Element) => {
    if (first === undefined) first = element;
    else if (element.localName === 'Assertion') assertions.push(element);
    else if (element.localName === 'EncryptedAssertion') encrypted.push(element);
    else if (element.localName === 'Signature') signatures.push(element);
    for (const name of ID_ATTRIBUTES) {
      const attribute = element.getAttributeNode(name);
      if (attribute === null || attribute === undefined) continue; // xmldom answers undefined
      if (ids.has(attribute.value)) duplicateId = true;
      ids.add(attribute.value);
    }
  };
  let document: Document;
  try {
    document = parseHostileXml(xml, { allowComments: false, visit: gather });
  } catch (error) {
    if (error instanceof XmlHygieneError) throw new AcsRejection(error.reason, error.message);
    throw new AcsRejection('malformed_xml', 'the XML does not parse');
  }
  const root = document.documentElement;
  if (root.namespaceURI !== NS.samlp || root.localName !== 'Response') throw new AcsRejection('not_a_response', 'the root is not samlp:Response');
  if (root.getAttribute('Version') !== '2.0') throw new AcsRejection('bad_version', 'the Response is not SAML 2.0');

  const status = childElements(root, NS.samlp, 'Status')[0];
  const code = status ? childElements(status, NS.samlp, 'StatusCode')[0]?.getAttribute('Value') : undefined;
  if (code !== SUCCESS) throw new AcsRejection('idp_status', `the IdP answered with status ${String(code ?? 'none').slice(0, 200)}`);

  // every element below the root named Assertion / EncryptedAssertion / Signature, in any namespace
  if (encrypted.length > 0) throw new AcsRejection('encrypted_assertion', 'encrypted assertions are not accepted (the SP publishes no encryption key)');
  if (assertions.length !== 1) throw new AcsRejection('assertion_count', `the Response holds ${assertions.length} Assertion elements; exactly one is accepted`);
  const assertion = assertions[0]!;
  if (assertion.parentNode !== root || assertion.namespaceURI !== NS.saml) throw new AcsRejection('assertion_position', 'the Assertion is not a direct saml:Assertion child of the Response');

  let onResponse = 0;
  let onAssertion = 0;
  for (const signature of signatures) {
    // any element named Signature, in any namespace, counts: only ds:Signature in the two places is allowed
    if (signature.namespaceURI !== NS.ds) throw new AcsRejection('signature_position', 'a Signature element outside the XML-DSig namespace');
    if (signature.parentNode === root) onResponse++;
    else if (signature.parentNode === assertion) onAssertion++;
    else throw new AcsRejection('signature_position', 'a ds:Signature sits somewhere other than directly under the Response or the Assertion');
  }
  if (onResponse > 1 || onAssertion > 1) throw new AcsRejection('signature_count', 'more than one signature on the Response or the Assertion');

  if (duplicateId) throw new AcsRejection('duplicate_id', 'two elements share an ID');

  const issuer = childElements(root, NS.saml, 'Issuer')[0];
  return {
    samlResponse: compact,
    relayState,
    responseInResponseTo: root.getAttribute('InResponseTo') || null,
    responseDestination: root.hasAttribute('Destination') ? root.getAttribute('Destination') : null,
    responseIssuer: issuer ? (issuer.textContent ?? '').trim() : null,
  };
}
