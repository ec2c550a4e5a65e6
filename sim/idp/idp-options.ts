import { ATTRNAME_FORMAT } from './saml-xml.js';

/** A binding the metadata can declare a SingleSignOnService for. */
export type SsoBindingName = 'HTTP-POST' | 'HTTP-Redirect';

/**
 * The simulator IdP's behaviours. Where jumpcloud-wire.md has no evidence ("Could NOT confirm" item 8 and
 * the NOT-confirmed points of §B), the behaviour is an option and its default is the stated guess; the
 * comment of each option says which point it covers (CNC-8 = "Could NOT confirm" item 8).
 */
export interface IdpOptions {
  /**
   * The metadata URL the IdP advertises ("Copy Metadata URL"). Both are always served:
   * - "console": `{consoleUrl}/api/organizations/<orgId>/applications/<appId>/metadata.xml`, the
   *   undocumented path of the v1 spec (jumpcloud-wire.md §B Metadata; INFERRED);
   * - "slug": `{ssoBaseUrl}/saml2/<slug>/metadata`, a simulator alias.
   * Default "console". Covers CNC-8 "the format of the metadata URL".
   */
  metadataUrlStyle: 'console' | 'slug';
  /** Whether the console metadata path needs the console `x-api-key`. Default false (an SP must be able to fetch it). CNC-8. */
  metadataRequiresApiKey: boolean;
  /**
   * The SingleSignOnService bindings declared in metadata. Default both (Currents' docs show POST and
   * Redirect); the effect of "Declare Redirect Endpoint" is not confirmed (CNC-8), so `['HTTP-POST']`
   * models an app without it.
   */
  metadataBindings: SsoBindingName[];
  /**
   * The NameIDFormat elements in metadata: "app" = the app's configured format only (default), or an
   * explicit list. The UI's full list is not confirmed (CNC-8).
   */
  metadataNameIdFormats: 'app' | string[];
  /** The `NameFormat` of user, constant and group attributes; default basic; null omits it. CNC-8 "attribute NameFormat". */
  attributeNameFormat: string | null;
  /** The `xsi:type` of AttributeValues; default "xs:string"; null omits it. CNC-8 (no real Response found). */
  attributeValueType: string | null;
  /** Element prefixes of the Response; default samlp / saml. CNC-8 (no real Response found). */
  prefixes: { protocol: string; assertion: string };
  /** Seconds the assertion is valid (Conditions and SubjectConfirmationData NotOnOrAfter); default 300. CNC-8. */
  assertionLifetimeSeconds: number;
  /** Seconds Conditions@NotBefore lies before IssueInstant; default 0. CNC-8. */
  notBeforeSkewSeconds: number;
  /**
   * Which user groups the group attribute lists: "all" the user's groups (default) or only the groups
   * "bound" to the app. JumpCloud's docs say "one value per user-group name" without saying which (INFERRED).
   */
  groupAttributeScope: 'all' | 'bound';
  /** Attributes whose user field is empty: "omit" (default) or send an empty value. Not documented (INFERRED). */
  emptyAttributes: 'omit' | 'empty';
  /**
   * Whether AuthnRequests must be signed by the SP certificate of the app (`saml.spCertificate`): default
   * false, JumpCloud's SP Certificate field is optional. When true, unsigned or badly signed requests
   * get a 400 error page, and metadata says WantAuthnRequestsSigned="true".
   */
  requireSignedAuthnRequests: boolean;
  /** Refuse an AuthnRequest whose Issuer differs from the app's SP Entity ID (when one is set). Default true. */
  checkRequestIssuer: boolean;
  /** Refuse an AuthnRequest whose AssertionConsumerServiceURL is not one of the app's ACS URLs. Default true. */
  checkRequestAcsUrl: boolean;
  /** A portal-tile (IdP-initiated) visit to an app with a Login URL redirects to it (jumpcloud-wire.md §B). Default true. */
  honorLoginUrl: boolean;
  /**
   * Simulator only: `?user=<id|email|username>` on `/saml2/<slug>` signs that user in without a password
   * ("sign in as" for tests). Default true.
   */
  allowUserParameter: boolean;
  /** The time source of responses; default the real clock. */
  clock: () => Date;
}

/** The defaults, documented on {@link IdpOptions}. */
export const DEFAULT_IDP_OPTIONS: IdpOptions = {
  metadataUrlStyle: 'console',
  metadataRequiresApiKey: false,
  metadataBindings: ['HTTP-POST', 'HTTP-Redirect'],
  metadataNameIdFormats: 'app',
  attributeNameFormat: ATTRNAME_FORMAT.basic,
  attributeValueType: 'xs:string',
  prefixes: { protocol: 'samlp', assertion: 'saml' },
  assertionLifetimeSeconds: 300,
  notBeforeSkewSeconds: 0,
  groupAttributeScope: 'all',
  emptyAttributes: 'omit',
  requireSignedAuthnRequests: false,
  checkRequestIssuer: true,
  checkRequestAcsUrl: true,
  honorLoginUrl: true,
  allowUserParameter: true,
  clock: () => new Date(),
};
