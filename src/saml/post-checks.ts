import { DOMParser } from '@xmldom/xmldom';
import { AcsRejection } from './acs-rejection.js';
import type { GatedResponse } from './acs-pregate.js';
import { NS, childElements, textOf } from './xml-hygiene.js';

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/** What the signed assertion says, after the post-checks passed. */
export interface VerifiedAssertion {
  assertionId: string;
  nameId: string;
  nameIdFormat: string | null;
  sessionIndex: string | null;
  attributes: Record<string, string[]>;
  /** the signed SubjectConfirmationData@InResponseTo (null: unsolicited) */
  inResponseTo: string | null;
  /** when the replay record may be dropped: the later of the Conditions and SCD NotOnOrAfter, plus skew */
  replayExpiresAt: string;
}

function parseTime(text: string | null, what: string): number {
  const ms = text ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new AcsRejection('bad_time', `${what} is missing or not a date`);
  return ms;
}

/**
 * The checks node-saml 5.1.0 does not make (saml-security.md §4.5), read from the *signed* assertion XML
 * that node-saml returned (never from the raw document), plus the envelope facts the pre-gate read:
 * 1. Assertion Issuer (and Response Issuer when present) equals the connection's IdP entityID;
 * 2. exactly one bearer SubjectConfirmation, no other method, its Recipient equal to the ACS URL and a
 *    NotOnOrAfter present;
 * 3. the signed SubjectConfirmationData@InResponseTo is returned for the caller's atomic, browser-bound
 *    check; a Response@InResponseTo without one in the signed assertion is refused (the strip bypass);
 * 4. Response@Destination, when present, equals the ACS URL;
 * 5. an AuthnStatement is present; the NameID is not empty;
 * 6. the SubjectConfirmationData time window holds (node-saml checks it only when validating InResponseTo).
 */
export function postCheck(signedAssertionXml: string, envelope: GatedResponse, expected: { idpEntityId: string; acsUrl: string; skewMs: number }): VerifiedAssertion {
  let problem: string | undefined;
  const record = (m: unknown) => {
    problem ??= String(m);
  };
  const document = new DOMParser({ errorHandler: { warning: record, error: record, fatalError: record } }).parseFromString(signedAssertionXml, 'text/xml') as unknown as Document;
  const assertion = document.documentElement;
  if (problem !== undefined || !assertion || assertion.namespaceURI !== NS.saml || assertion.localName !== 'Assertion') throw new AcsRejection('signed_assertion_unreadable', 'the signed assertion does not parse');

  const issuer = textOf(childElements(assertion, NS.saml, 'Issuer')[0]);
  if (issuer !== expected.idpEntityId) throw new AcsRejection('wrong_issuer', `assertion Issuer "${issuer.slice(0, 200)}" is not the connection's IdP entityID`);
  if (envelope.responseIssuer !== null && envelope.responseIssuer !== expected.idpEntityId) throw new AcsRejection('wrong_issuer', 'Response Issuer is not the connection\'s IdP entityID');

  if (envelope.responseDestination !== null && envelope.responseDestination !== expected.acsUrl) throw new AcsRejection('wrong_destination', `Response Destination "${envelope.responseDestination.slice(0, 200)}" is not this ACS`);

  const subject = childElements(assertion, NS.saml, 'Subject')[0];
  if (!subject) throw new AcsRejection('no_subject', 'the assertion has no Subject');
  const nameIdElement = childElements(subject, NS.saml, 'NameID')[0];
  const nameId = textOf(nameIdElement);
  if (nameId === '' || nameId.length > 1024) throw new AcsRejection('no_name_id', 'the assertion has no usable NameID');
  const confirmations = childElements(subject, NS.saml, 'SubjectConfirmation');
  const methods = confirmations.map((c) => c.getAttribute('Method'));
  if (confirmations.length !== 1 || methods[0] !== BEARER) throw new AcsRejection('not_bearer', `SubjectConfirmation methods [${methods.join(', ').slice(0, 300)}]: exactly one bearer is required`);
  const data = childElements(confirmations[0]!, NS.saml, 'SubjectConfirmationData');
  if (data.length !== 1) throw new AcsRejection('no_confirmation_data', 'the bearer SubjectConfirmation needs exactly one SubjectConfirmationData');
  const scd = data[0]!;
  const recipient = scd.hasAttribute('Recipient') ? scd.getAttribute('Recipient') : null;
  if (recipient === null) throw new AcsRejection('no_recipient', 'SubjectConfirmationData has no Recipient');
  if (recipient !== expected.acsUrl) throw new AcsRejection('wrong_recipient', `Recipient "${recipient.slice(0, 200)}" is not this ACS`);
  const scdNotOnOrAfter = parseTime(scd.getAttribute('NotOnOrAfter'), 'SubjectConfirmationData NotOnOrAfter');
  // node-saml checks the SubjectConfirmationData window only when it validates an InResponseTo
  const now = Date.now();
  if (now >= scdNotOnOrAfter + expected.skewMs) throw new AcsRejection('subject_expired', 'SubjectConfirmationData NotOnOrAfter has passed');
  if (scd.hasAttribute('NotBefore') && parseTime(scd.getAttribute('NotBefore'), 'SubjectConfirmationData NotBefore') > now + expected.skewMs) {
    throw new AcsRejection('subject_not_yet_valid', 'SubjectConfirmationData NotBefore is in the future');
  }
  const inResponseTo = scd.hasAttribute('InResponseTo') && scd.getAttribute('InResponseTo') !== '' ? scd.getAttribute('InResponseTo') : null;
  if (envelope.responseInResponseTo !== null && inResponseTo === null) throw new AcsRejection('in_response_to_unsigned', 'Response InResponseTo is set but the signed assertion carries none');
  if (envelope.responseInResponseTo !== null && inResponseTo !== envelope.responseInResponseTo) throw new AcsRejection('in_response_to_mismatch', 'Response and assertion InResponseTo differ');

  const conditions = childElements(assertion, NS.saml, 'Conditions')[0];
  const conditionsNotOnOrAfter = conditions?.hasAttribute('NotOnOrAfter') ? parseTime(conditions.getAttribute('NotOnOrAfter'), 'Conditions NotOnOrAfter') : scdNotOnOrAfter;

  const authn = childElements(assertion, NS.saml, 'AuthnStatement');
  if (authn.length === 0) throw new AcsRejection('no_authn_statement', 'the assertion has no AuthnStatement');

  const attributes: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  for (const statement of childElements(assertion, NS.saml, 'AttributeStatement')) {
    for (const attribute of childElements(statement, NS.saml, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      if (name === '' || name === '__proto__') continue;
      const values = childElements(attribute, NS.saml, 'AttributeValue').map((v) => (v.textContent ?? '').trim());
      attributes[name] = [...(attributes[name] ?? []), ...values];
    }
  }

  const assertionId = assertion.getAttribute('ID') ?? '';
  if (assertionId === '') throw new AcsRejection('no_assertion_id', 'the assertion has no ID');
  return {
    assertionId,
    nameId,
    nameIdFormat: nameIdElement?.getAttribute('Format') || null,
    sessionIndex: authn[0]!.getAttribute('SessionIndex') || null,
    attributes: { ...attributes },
    inResponseTo,
    replayExpiresAt: new Date(Math.max(scdNotOnOrAfter, conditionsNotOnOrAfter) + expected.skewMs).toISOString(),
  };
}
