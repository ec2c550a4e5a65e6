import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { DomainError } from '../core/errors.js';
import { NS, XmlHygieneError, childElements, descendantsByLocalName, parseHostileXml, textOf } from './xml-hygiene.js';

/** What an IdP's metadata tells an SP. */
export interface IdpDescription {
  entityId: string;
  ssoUrl: string;
  /** signing certificates, base64 bodies or PEM */
  certificates: string[];
}

export const MAX_METADATA_BYTES = 1024 * 1024;
export const METADATA_TIMEOUT_MS = 5_000;

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/**
 * Reads an IdP's EntityDescriptor (or the one IdP of an EntitiesDescriptor; `entityId` picks one when there
 * are several): entityID, the SingleSignOnService location (HTTP-Redirect preferred, else HTTP-POST), and the
 * signing certificates (KeyDescriptor use="signing" or without use). The XML passes the same hygiene as a
 * SAML response (no DTD, no entities, bounded size and shape).
 */
export function parseIdpMetadata(xml: string, entityId?: string): IdpDescription {
  if (Buffer.byteLength(xml, 'utf8') > MAX_METADATA_BYTES) throw new DomainError('invalid', 'the IdP metadata is larger than 1 MB');
  let document: Document;
  try {
    document = parseHostileXml(xml, { allowComments: true, limits: { maxDepth: 32, maxElements: 20_000, maxAttributesPerElement: 64 } });
  } catch (error) {
    if (error instanceof XmlHygieneError) throw new DomainError('invalid', `the IdP metadata is refused: ${error.message}`);
    throw error;
  }
  const root = document.documentElement;
  let descriptors: Element[];
  if (root.namespaceURI === NS.md && root.localName === 'EntityDescriptor') descriptors = [root];
  else if (root.namespaceURI === NS.md && root.localName === 'EntitiesDescriptor') descriptors = descendantsByLocalName(root, 'EntityDescriptor').filter((e) => e.namespaceURI === NS.md);
  else throw new DomainError('invalid', 'the IdP metadata is not a SAML 2.0 md:EntityDescriptor');
  const idps = descriptors.filter((d) => childElements(d, NS.md, 'IDPSSODescriptor').length > 0);
  const chosen = entityId !== undefined ? idps.filter((d) => d.getAttribute('entityID') === entityId) : idps;
  if (chosen.length === 0) throw new DomainError('invalid', entityId !== undefined ? `the IdP metadata has no IdP with entityID "${entityId}"` : 'the IdP metadata has no IDPSSODescriptor');
  if (chosen.length > 1) throw new DomainError('invalid', 'the IdP metadata describes several IdPs; pick one with "idpEntityId"');
  const descriptor = chosen[0]!;
  const id = (descriptor.getAttribute('entityID') ?? '').trim();
  if (id === '' || id.length > 1024) throw new DomainError('invalid', 'the IdP metadata has no usable entityID');
  const idp = childElements(descriptor, NS.md, 'IDPSSODescriptor')[0]!;
  const services = childElements(idp, NS.md, 'SingleSignOnService');
  const service = services.find((s) => s.getAttribute('Binding') === REDIRECT) ?? services.find((s) => s.getAttribute('Binding') === POST);
  const ssoUrl = service?.getAttribute('Location')?.trim() ?? '';
  if (ssoUrl === '') throw new DomainError('invalid', 'the IdP metadata has no SingleSignOnService for HTTP-Redirect or HTTP-POST');
  const certificates: string[] = [];
  for (const key of childElements(idp, NS.md, 'KeyDescriptor')) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const cert of descendantsByLocalName(key, 'X509Certificate').filter((e) => e.namespaceURI === NS.ds)) {
      const body = textOf(cert);
      if (body !== '' && !certificates.includes(body)) certificates.push(body);
    }
  }
  if (certificates.length === 0) throw new DomainError('invalid', 'the IdP metadata has no signing certificate');
  return { entityId: id, ssoUrl, certificates };
}

function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224;
  }
  const v6 = address.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return v6 === '::' || v6 === '::1' || v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb') || v6.startsWith('ff');
}

/** Checks a metadata URL before any request: https (http only when private addresses are allowed), no credentials. */
export function validateMetadataUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError('invalid', 'idpMetadataUrl is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new DomainError('invalid', 'idpMetadataUrl must be https');
  if (url.username !== '' || url.password !== '') throw new DomainError('invalid', 'idpMetadataUrl must not contain credentials');
  if (text.length > 2048) throw new DomainError('invalid', 'idpMetadataUrl is too long');
  return url;
}

/**
 * Fetches IdP metadata: the host must not resolve to a loopback, private, link-local or multicast address
 * (unless allowed), no redirects are followed, 5 s timeout, 1 MB cap read as it streams (both adjustable:
 * `limits`, used by the periodic refresh).
 */
export async function fetchIdpMetadata(
  text: string,
  allowPrivate: boolean,
  limits: { timeoutMs: number; maxBytes: number } = { timeoutMs: METADATA_TIMEOUT_MS, maxBytes: MAX_METADATA_BYTES },
): Promise<string> {
  const url = validateMetadataUrl(text, allowPrivate);
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [] as { address: string }[])).map((a) => (typeof a === 'string' ? a : a.address));
    if (addresses.length === 0) throw new DomainError('invalid', 'idpMetadataUrl: the host does not resolve');
    if (addresses.some(isPrivateAddress)) throw new DomainError('invalid', 'idpMetadataUrl points at a private, loopback or link-local address');
  }
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(limits.timeoutMs), headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
  } catch (error) {
    throw new DomainError('invalid', `idpMetadataUrl could not be fetched: ${(error as Error).name === 'TimeoutError' ? `timed out after ${limits.timeoutMs % 1000 === 0 ? `${limits.timeoutMs / 1000} s` : `${limits.timeoutMs} ms`}` : 'connection failed'}`);
  }
  if (response.status >= 300 && response.status < 400) throw new DomainError('invalid', 'idpMetadataUrl answered with a redirect; give the final URL');
  if (response.status !== 200 || !response.body) throw new DomainError('invalid', `idpMetadataUrl answered ${response.status}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) {
        await reader.cancel().catch(() => {});
        throw new DomainError('invalid', `the IdP metadata is larger than ${limits.maxBytes === MAX_METADATA_BYTES ? '1 MB' : `${limits.maxBytes} bytes`}`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('invalid', 'idpMetadataUrl: reading the answer failed or timed out');
  }
  const body = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new DomainError('invalid', 'the IdP metadata is not UTF-8');
  }
}
