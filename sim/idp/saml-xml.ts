import { randomBytes } from 'node:crypto';

/** The SAML and XML-DSig namespace and URI constants the IdP writes. */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

/** SAML binding URIs. */
export const BINDING = {
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
} as const;

/** Status code URIs. */
export const STATUS = {
  success: 'urn:oasis:names:tc:SAML:2.0:status:Success',
  requester: 'urn:oasis:names:tc:SAML:2.0:status:Requester',
  responder: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
  authnFailed: 'urn:oasis:names:tc:SAML:2.0:status:AuthnFailed',
  requestDenied: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
} as const;

/** SubjectConfirmation methods. */
export const CONFIRMATION = {
  bearer: 'urn:oasis:names:tc:SAML:2.0:cm:bearer',
  holderOfKey: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key',
  senderVouches: 'urn:oasis:names:tc:SAML:2.0:cm:sender-vouches',
} as const;

/** NameID formats seen with JumpCloud (jumpcloud-wire.md §B NameID); the UI's full list is not confirmed. */
export const NAMEID_FORMAT = {
  email: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  unspecified11: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  unspecified10: 'urn:oasis:names:tc:SAML:1.0:nameid-format:unspecified',
  unspecified20: 'urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
} as const;

/** Attribute NameFormat URIs. */
export const ATTRNAME_FORMAT = {
  basic: 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified',
  uri: 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
} as const;

/** XML-DSig algorithm URIs. */
export const ALGORITHM = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  rsaSha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
} as const;

/** The AuthnContextClassRef the IdP states by default (a password sign-in over TLS). */
export const AUTHN_CONTEXT_PASSWORD = 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport';

/** Escapes text for an XML element or a double-quoted attribute. */
export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A SAML ID (an xs:ID: must not start with a digit): "_" and 40 random hex digits. */
export function samlId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

/** An xs:dateTime in UTC without fractional seconds, as most IdPs write it ("2024-01-02T03:04:05Z"). */
export function samlInstant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
