import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import type { ConnectionRuntime } from './connections.js';

/**
 * The SP metadata of a connection, for upload into the IdP: entityID, the HTTP-POST ACS, one signing
 * KeyDescriptor per published SP key (next, active and retiring, so an IdP that imported it before a key
 * rollover keeps verifying), AuthnRequestsSigned, and WantAssertionsSigned as the connection requires.
 * No NameIDFormat is demanded: the IdP sends what it is configured to send (JumpCloud: email by default).
 */
export function spMetadataXml(connection: ConnectionRuntime): string {
  const signing = connection.signing;
  return generateServiceProviderMetadata({
    issuer: connection.spEntityId,
    callbackUrl: connection.acsUrl,
    identifierFormat: null,
    wantAssertionsSigned: connection.row.want_assertions_signed === 1,
    ...(signing ? { privateKey: signing.privateKeyPem, publicCerts: connection.publishedSpCertificates, signatureAlgorithm: 'sha256' as const, digestAlgorithm: 'sha256' } : {}),
    signMetadata: false,
  });
}
