import type { Application } from '../tenant/types.js';
import { certificateBody } from './certificates.js';
import type { SsoBindingName } from './idp-options.js';
import { BINDING, NS, xmlEscape } from './saml-xml.js';

/** What the metadata of one app declares. */
export interface MetadataInput {
  /** entityID: the app's IdP Entity ID */
  entityId: string;
  /** the signing certificate (PEM) */
  certificatePem: string;
  /** `{ssoBaseUrl}/saml2/<slug>`, the Location of every SingleSignOnService */
  ssoUrl: string;
  bindings: SsoBindingName[];
  nameIdFormats: string[];
  wantAuthnRequestsSigned: boolean;
}

/**
 * The IdP metadata of an app, `md:`-prefixed as JumpCloud's (jumpcloud-wire.md §B Metadata):
 *
 *     <md:EntityDescriptor entityID="<idpEntityId>">
 *       <md:IDPSSODescriptor WantAuthnRequestsSigned protocolSupportEnumeration="…protocol">
 *         <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>…
 *         <md:NameIDFormat>…</md:NameIDFormat>…
 *         <md:SingleSignOnService Binding="…HTTP-POST" Location="…/saml2/<slug>"/>
 *         <md:SingleSignOnService Binding="…HTTP-Redirect" Location="…/saml2/<slug>"/>
 *
 * Unsigned, with no validUntil, no SingleLogoutService and no encryption key (none evidenced).
 */
export function buildMetadata(input: MetadataInput): string {
  const services = input.bindings
    .map((b) => `    <md:SingleSignOnService Binding="${b === 'HTTP-POST' ? BINDING.post : BINDING.redirect}" Location="${xmlEscape(input.ssoUrl)}"/>`)
    .join('\n');
  const formats = input.nameIdFormats.map((f) => `    <md:NameIDFormat>${xmlEscape(f)}</md:NameIDFormat>`).join('\n');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" entityID="${xmlEscape(input.entityId)}">`,
    `  <md:IDPSSODescriptor WantAuthnRequestsSigned="${input.wantAuthnRequestsSigned}" protocolSupportEnumeration="${NS.protocol}">`,
    '    <md:KeyDescriptor use="signing">',
    `      <ds:KeyInfo xmlns:ds="${NS.dsig}">`,
    '        <ds:X509Data>',
    `          <ds:X509Certificate>${certificateBody(input.certificatePem)}</ds:X509Certificate>`,
    '        </ds:X509Data>',
    '      </ds:KeyInfo>',
    '    </md:KeyDescriptor>',
    formats,
    services,
    '  </md:IDPSSODescriptor>',
    '</md:EntityDescriptor>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n');
}

/**
 * The file name of "Export Metadata": `JumpCloud-<applicationname>-metadata.xml`, with the app's display
 * label (characters other than letters, digits, `.`, `_` and `-` become `-`).
 */
export function metadataFileName(app: Application): string {
  const name = app.displayLabel.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || app.slug;
  return `JumpCloud-${name}-metadata.xml`;
}
