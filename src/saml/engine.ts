import { SAML, ValidateInResponseTo, type CacheProvider, type SamlConfig } from '@node-saml/node-saml';
import type { SsoConfig } from '../config.js';
import type { Store } from '../store/store.js';
import { installAlgorithmHook } from './algorithm-hook.js';
import type { AcsConnection, ConnectionRuntime } from './connections.js';

/**
 * node-saml's InResponseTo cache, over the database and read-only: node-saml checks that an id is
 * outstanding; the ACS post-check consumes it atomically and checks the browser it belongs to (node-saml's
 * own get-then-remove is not atomic, saml-security.md §3). Ids are saved by the login start, with the
 * browser binding, not through this provider.
 */
function requestIdCache(store: Store, connectionId: string): CacheProvider {
  return {
    saveAsync: async (_key, value) => ({ value, createdAt: Date.now() }),
    // node-saml reads the value as the request's creation time; expiry is enforced by the database row
    getAsync: async (key) => {
      const now = new Date().toISOString();
      return (await store.ssoConnections.requestIdOutstanding(connectionId, key, now)) ? now : null;
    },
    removeAsync: async (key) => key,
  };
}

/**
 * One node-saml engine for one connection (built per request from its row, saml-security.md §4.3):
 * per-connection ACS, SP entityID as issuer and audience, only the active and retiring IdP certificates
 * (KeyInfo ignored), either the Response or the Assertion signed unless the connection is stricter,
 * InResponseTo `always` (or `ifPresent` when IdP-initiated logins are allowed), clock skew and maximum
 * assertion age from the configuration, AuthnRequests signed with the active SP key (RSA-SHA256) when the
 * connection given carries it (the ACS passes one without: validation needs no private key).
 */
export function samlEngine(store: Store, connection: AcsConnection & Partial<Pick<ConnectionRuntime, 'signing'>>, config: SsoConfig, requestId?: string): SAML {
  installAlgorithmHook();
  const row = connection.row;
  const options: SamlConfig = {
    callbackUrl: connection.acsUrl,
    issuer: connection.spEntityId,
    audience: connection.spEntityId,
    entryPoint: row.idp_sso_url,
    idpCert: [...connection.trustedCertificates],
    wantAssertionsSigned: row.want_assertions_signed === 1,
    wantAuthnResponseSigned: row.want_response_signed === 1,
    acceptedClockSkewMs: config.clockSkewMs,
    maxAssertionAgeMs: config.maxAssertionAgeMs,
    validateInResponseTo: row.allow_idp_initiated === 1 ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 10 * 60_000,
    cacheProvider: requestIdCache(store, row.id),
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    ...(connection.signing ? { privateKey: connection.signing.privateKeyPem, publicCert: connection.signing.certificatePem } : {}),
    ...(requestId !== undefined ? { generateUniqueId: () => requestId } : {}),
  };
  return new SAML(options);
}
