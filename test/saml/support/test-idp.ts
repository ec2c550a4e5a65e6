/**
 * The test IdP of the attack catalog: responses built and signed with xml-crypto (sim/idp/response-builder,
 * xml-signer) over keys and certificates from @peculiar/x509 (sim/idp/certificates), then tampered with as
 * saml-security.md §5 describes (DOM mutations with @xmldom/xmldom after signing).
 */
import { buildResponse, type ResponseOptions } from '../../../sim/idp/response-builder.js';
import type { ResponseMutation } from '../../../sim/idp/response-mutations.js';
import { generateSigningPair, type SigningPair } from '../../../sim/idp/certificates.js';
import type { SsoWorld } from './sso-harness.js';
import { PORTAL_USER } from './sso-harness.js';

export const NS_SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const NS_SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const NS_DS = 'http://www.w3.org/2000/09/xmldsig#';
export const EVIL = 'admin@acme.example';

/** The options of a valid response from the simulator's "acme-portal" app for `target`. */
export async function validOptions(world: SsoWorld, target: { acsUrl: string; audience: string; inResponseTo: string | null; user?: string }): Promise<ResponseOptions> {
  const { tenant, app } = world.sim.idp.app({ slug: 'acme-portal' });
  const user = tenant.userByEmail(target.user ?? PORTAL_USER)!;
  const o = await world.sim.idp.responseOptions(tenant, app, user, { acsUrl: target.acsUrl, inResponseTo: target.inResponseTo });
  return { ...o, audience: target.audience, now: new Date() };
}

export function build(o: ResponseOptions, ...mutations: ResponseMutation[]): string {
  return buildResponse({ ...o, mutations: [...(o.mutations ?? []), ...mutations] }).base64;
}

export function base64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

let attacker: Promise<SigningPair> | undefined;
/** A key and certificate nobody trusts. */
export function attackerPair(): Promise<SigningPair> {
  attacker ??= generateSigningPair({ commonName: 'Attacker', notBefore: new Date(Date.now() - 3600_000), notAfter: new Date(Date.now() + 365 * 86_400_000) });
  return attacker;
}

// ---- DOM helpers for the mutations

export function first(doc: Document | Element, ns: string, localName: string): Element {
  const el = (doc as Element).getElementsByTagNameNS(ns, localName).item(0);
  if (!el) throw new Error(`no ${localName}`);
  return el;
}

export function response(doc: Document): Element {
  return doc.documentElement as unknown as Element;
}

export function assertion(doc: Document): Element {
  return first(doc, NS_SAML, 'Assertion');
}

/** The ds:Signature directly under `parent`. */
export function signatureOf(parent: Element): Element {
  for (const child of Array.from(parent.childNodes)) {
    if (child.nodeType === 1 && (child as Element).localName === 'Signature') return child as Element;
  }
  throw new Error('no signature');
}

/** Sets NameID and every attribute value that looks like an email to the evil identity. */
export function evilize(el: Element): void {
  const nameId = el.getElementsByTagNameNS(NS_SAML, 'NameID').item(0);
  if (nameId) nameId.textContent = EVIL;
  for (const value of Array.from(el.getElementsByTagNameNS(NS_SAML, 'AttributeValue'))) if ((value.textContent ?? '').includes('@')) value.textContent = EVIL;
}

export function removeSignature(el: Element): void {
  for (const child of Array.from(el.childNodes)) if (child.nodeType === 1 && (child as Element).localName === 'Signature') el.removeChild(child);
}
