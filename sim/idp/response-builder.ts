import { applyMutations, type ResponseMutation } from './response-mutations.js';
import { AUTHN_CONTEXT_PASSWORD, CONFIRMATION, NAMEID_FORMAT, NS, samlId, samlInstant, STATUS, xmlEscape } from './saml-xml.js';
import { signElement, type SignatureAlgorithmName, type DigestAlgorithmName } from './xml-signer.js';

/** What gets an enveloped signature: nothing, the Response, the Assertion, or both (assertion first). */
export type SigningMode = 'none' | 'response' | 'assertion' | 'both';

/** One `<saml:Attribute>` with one `<saml:AttributeValue>` per value. */
export interface SamlAttribute {
  name: string;
  values: string[];
  /** the Attribute's NameFormat; null omits it; default {@link ResponseOptions.attributeNameFormat} */
  nameFormat?: string | null;
  friendlyName?: string;
}

/** A time: a Date or an ISO string (JSON-friendly for the control API). */
export type TimeInput = Date | string;

/** How to sign. */
export interface SigningOptions {
  mode: SigningMode;
  /** PKCS#8 or PKCS#1 PEM; required unless mode is "none" */
  privateKeyPem?: string;
  /** put into `ds:KeyInfo/ds:X509Data`; null or absent: no KeyInfo */
  certificatePem?: string | null;
  /** default RSA-SHA256 */
  algorithm?: SignatureAlgorithmName;
  /** default: SHA-1 with RSA-SHA1, else SHA-256 */
  digest?: DigestAlgorithmName;
}

/**
 * Everything that goes into a SAML 2.0 `<samlp:Response>`. Every field is an input, so that each attack
 * catalog case (saml-security.md §5) changes one thing against a valid baseline; `mutations` then tamper
 * with the signed document.
 */
export interface ResponseOptions {
  /** the IdP entity ID: the Response and Assertion Issuer */
  issuer: string;
  /** the Response `<Issuer>`; null omits it; default `issuer` */
  responseIssuer?: string | null;
  /** the Assertion `<Issuer>`; default `issuer` */
  assertionIssuer?: string;
  /** Response@Destination (the ACS URL); null omits it */
  destination: string | null;
  /** SubjectConfirmationData@Recipient (the ACS URL); null omits it */
  recipient: string | null;
  /** the AudienceRestriction's Audience values (the SP entity ID); null or [] omits AudienceRestriction */
  audience: string | string[] | null;
  /** the AuthnRequest ID for SP-initiated sign-ins: Response@InResponseTo and SubjectConfirmationData@InResponseTo */
  inResponseTo?: string | null;
  /** Response@InResponseTo only, when it must differ from `inResponseTo` (null omits it) */
  responseInResponseTo?: string | null;
  nameId: string;
  /** default emailAddress; null omits the Format */
  nameIdFormat?: string | null;
  /** NameID@SPNameQualifier, if any */
  spNameQualifier?: string;
  /** default bearer */
  confirmationMethod?: string;
  attributes?: SamlAttribute[];
  /** the NameFormat of attributes that do not set one; default basic; null omits it */
  attributeNameFormat?: string | null;
  /** `xsi:type` of every AttributeValue; default "xs:string"; null omits it */
  attributeValueType?: string | null;
  /** default a new random ID */
  sessionIndex?: string;
  /** default PasswordProtectedTransport */
  authnContextClassRef?: string;
  /** when the user authenticated; default `now` */
  authnInstant?: TimeInput;
  /** AuthnStatement@SessionNotOnOrAfter; default none */
  sessionNotOnOrAfter?: TimeInput | null;
  /** the response's "now"; default the current time */
  now?: TimeInput;
  /** Response and Assertion IssueInstant; default `now` */
  issueInstant?: TimeInput;
  /** how long the assertion is valid after `now`, in seconds (Conditions and SubjectConfirmationData); default 300 */
  lifetimeSeconds?: number;
  /** how far Conditions@NotBefore lies before `now`, in seconds; default 0 */
  notBeforeSkewSeconds?: number;
  /** explicit Conditions@NotBefore (null omits it) */
  notBefore?: TimeInput | null;
  /** explicit Conditions@NotOnOrAfter (null omits it) */
  notOnOrAfter?: TimeInput | null;
  /** explicit SubjectConfirmationData@NotOnOrAfter (null omits it) */
  subjectNotOnOrAfter?: TimeInput | null;
  /** default Success; any other top-level code leaves the Assertion out unless `includeAssertion` */
  status?: { code: string; subCode?: string; message?: string };
  includeAssertion?: boolean;
  /** default new random IDs */
  responseId?: string;
  assertionId?: string;
  /** element prefixes; default samlp / saml (JumpCloud's are not confirmed) */
  prefixes?: { protocol?: string; assertion?: string };
  signing: SigningOptions;
  /** tampering applied after signing, in order (see response-mutations.ts) */
  mutations?: ResponseMutation[];
}

/** A built response. */
export interface BuiltResponse {
  /** the XML as sent */
  xml: string;
  /** base64 of the UTF-8 XML: the `SAMLResponse` form field of the HTTP-POST binding */
  base64: string;
  responseId: string;
  /** null when the response has no Assertion */
  assertionId: string | null;
}

function instant(value: TimeInput): string {
  return samlInstant(typeof value === 'string' ? new Date(value) : value);
}

function attr(name: string, value: string | null | undefined): string {
  return value === null || value === undefined ? '' : ` ${name}="${xmlEscape(value)}"`;
}

/** The unsigned Assertion element. */
function assertionXml(o: ResponseOptions, a: string, ids: { assertion: string }, now: Date): string {
  const issue = instant(o.issueInstant ?? now);
  const lifetime = (o.lifetimeSeconds ?? 300) * 1000;
  const notBefore = o.notBefore === undefined ? new Date(now.getTime() - (o.notBeforeSkewSeconds ?? 0) * 1000) : o.notBefore;
  const notOnOrAfter = o.notOnOrAfter === undefined ? new Date(now.getTime() + lifetime) : o.notOnOrAfter;
  const subjectNotOnOrAfter = o.subjectNotOnOrAfter === undefined ? new Date(now.getTime() + lifetime) : o.subjectNotOnOrAfter;
  const audiences = o.audience === null ? [] : Array.isArray(o.audience) ? o.audience : [o.audience];
  const nameIdFormat = o.nameIdFormat === undefined ? NAMEID_FORMAT.email : o.nameIdFormat;
  const valueType = o.attributeValueType === undefined ? 'xs:string' : o.attributeValueType;
  const defaultNameFormat = o.attributeNameFormat === undefined ? 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic' : o.attributeNameFormat;
  const attributes = o.attributes ?? [];
  const sessionNotOnOrAfter = o.sessionNotOnOrAfter ? instant(o.sessionNotOnOrAfter) : null;

  const parts: string[] = [];
  parts.push(`<${a}:Assertion xmlns:${a}="${NS.assertion}" xmlns:xs="${NS.xs}" xmlns:xsi="${NS.xsi}" ID="${xmlEscape(ids.assertion)}" IssueInstant="${issue}" Version="2.0">`);
  parts.push(`<${a}:Issuer>${xmlEscape(o.assertionIssuer ?? o.issuer)}</${a}:Issuer>`);
  parts.push(`<${a}:Subject>`);
  parts.push(`<${a}:NameID${attr('Format', nameIdFormat)}${attr('SPNameQualifier', o.spNameQualifier)}>${xmlEscape(o.nameId)}</${a}:NameID>`);
  parts.push(`<${a}:SubjectConfirmation Method="${xmlEscape(o.confirmationMethod ?? CONFIRMATION.bearer)}">`);
  parts.push(
    `<${a}:SubjectConfirmationData${attr('InResponseTo', o.inResponseTo)}${attr('NotOnOrAfter', subjectNotOnOrAfter === null ? null : instant(subjectNotOnOrAfter))}${attr('Recipient', o.recipient)}/>`,
  );
  parts.push(`</${a}:SubjectConfirmation>`, `</${a}:Subject>`);
  parts.push(`<${a}:Conditions${attr('NotBefore', notBefore === null ? null : instant(notBefore))}${attr('NotOnOrAfter', notOnOrAfter === null ? null : instant(notOnOrAfter))}>`);
  if (audiences.length > 0) parts.push(`<${a}:AudienceRestriction>${audiences.map((v) => `<${a}:Audience>${xmlEscape(v)}</${a}:Audience>`).join('')}</${a}:AudienceRestriction>`);
  parts.push(`</${a}:Conditions>`);
  parts.push(`<${a}:AuthnStatement AuthnInstant="${instant(o.authnInstant ?? now)}" SessionIndex="${xmlEscape(o.sessionIndex ?? samlId())}"${attr('SessionNotOnOrAfter', sessionNotOnOrAfter)}>`);
  parts.push(`<${a}:AuthnContext><${a}:AuthnContextClassRef>${xmlEscape(o.authnContextClassRef ?? AUTHN_CONTEXT_PASSWORD)}</${a}:AuthnContextClassRef></${a}:AuthnContext>`);
  parts.push(`</${a}:AuthnStatement>`);
  if (attributes.length > 0) {
    parts.push(`<${a}:AttributeStatement>`);
    for (const at of attributes) {
      const nameFormat = at.nameFormat === undefined ? defaultNameFormat : at.nameFormat;
      parts.push(`<${a}:Attribute Name="${xmlEscape(at.name)}"${attr('NameFormat', nameFormat)}${attr('FriendlyName', at.friendlyName)}>`);
      for (const v of at.values) parts.push(`<${a}:AttributeValue${attr('xsi:type', valueType)}>${xmlEscape(v)}</${a}:AttributeValue>`);
      parts.push(`</${a}:Attribute>`);
    }
    parts.push(`</${a}:AttributeStatement>`);
  }
  parts.push(`</${a}:Assertion>`);
  return parts.join('');
}

/**
 * Builds (and signs) a SAML 2.0 Response for the HTTP-POST binding:
 *
 *     <samlp:Response ID Version IssueInstant Destination InResponseTo>
 *       <saml:Issuer/> [ds:Signature] <samlp:Status/>
 *       <saml:Assertion ID IssueInstant Version>
 *         <saml:Issuer/> [ds:Signature]
 *         <saml:Subject> NameID, SubjectConfirmation(bearer){Recipient, NotOnOrAfter, InResponseTo}
 *         <saml:Conditions NotBefore NotOnOrAfter> AudienceRestriction/Audience
 *         <saml:AuthnStatement AuthnInstant SessionIndex> AuthnContextClassRef
 *         <saml:AttributeStatement> one Attribute per name, one AttributeValue per value
 *
 * Signatures are enveloped, exclusive C14N, placed right after the Issuer of the signed element, with
 * RSA-SHA256 (or RSA-SHA1) and the cert in KeyInfo when given; with "both", the Assertion is signed first
 * and the Response signature then covers it. Then `mutations` run on the signed document.
 */
export function buildResponse(o: ResponseOptions): BuiltResponse {
  const now = o.now === undefined ? new Date() : typeof o.now === 'string' ? new Date(o.now) : o.now;
  const p = o.prefixes?.protocol ?? 'samlp';
  const a = o.prefixes?.assertion ?? 'saml';
  const ids = { response: o.responseId ?? samlId(), assertion: o.assertionId ?? samlId() };
  const status = o.status ?? { code: STATUS.success };
  const withAssertion = o.includeAssertion ?? status.code === STATUS.success;
  const responseIssuer = o.responseIssuer === undefined ? o.issuer : o.responseIssuer;
  const responseInResponseTo = o.responseInResponseTo === undefined ? o.inResponseTo : o.responseInResponseTo;

  const statusXml =
    `<${p}:Status><${p}:StatusCode Value="${xmlEscape(status.code)}">` +
    (status.subCode ? `<${p}:StatusCode Value="${xmlEscape(status.subCode)}"/>` : '') +
    `</${p}:StatusCode>` +
    (status.message ? `<${p}:StatusMessage>${xmlEscape(status.message)}</${p}:StatusMessage>` : '') +
    `</${p}:Status>`;
  let xml =
    `<${p}:Response xmlns:${p}="${NS.protocol}" xmlns:${a}="${NS.assertion}" ID="${xmlEscape(ids.response)}" Version="2.0" IssueInstant="${instant(o.issueInstant ?? now)}"` +
    `${attr('Destination', o.destination)}${attr('InResponseTo', responseInResponseTo)}>` +
    (responseIssuer === null ? '' : `<${a}:Issuer>${xmlEscape(responseIssuer)}</${a}:Issuer>`) +
    statusXml +
    (withAssertion ? assertionXml(o, a, ids, now) : '') +
    `</${p}:Response>`;

  const mode = o.signing.mode;
  if (mode !== 'none') {
    const key = o.signing.privateKeyPem;
    if (!key) throw new Error('signing needs privateKeyPem');
    const sign = { privateKeyPem: key, certificatePem: o.signing.certificatePem ?? null, algorithm: o.signing.algorithm ?? 'RSA-SHA256', digest: o.signing.digest };
    if ((mode === 'assertion' || mode === 'both') && withAssertion) xml = signElement(xml, 'assertion', sign);
    if (mode === 'response' || mode === 'both') xml = signElement(xml, responseIssuer === null ? 'response-without-issuer' : 'response', sign);
  }
  if (o.mutations && o.mutations.length > 0) xml = applyMutations(xml, o.mutations);
  return { xml, base64: Buffer.from(xml, 'utf8').toString('base64'), responseId: ids.response, assertionId: withAssertion ? ids.assertion : null };
}
