import type { SsoConfig } from '../config.js';
import { newId } from '../core/ids.js';
import { claimsOf, type LoginClaims } from '../oauth/claims.js';
import { issueCode } from '../oauth/authorization-codes.js';
import type { LoginRequestRow } from '../store/repositories/oauth.js';
import type { Repositories, Store } from '../store/store.js';
import type { FormBody } from '../http/form-body.js';
import { preGate } from './acs-pregate.js';
import { AcsRejection } from './acs-rejection.js';
import { AlgorithmRefused, signaturePolicy } from './algorithm-hook.js';
import { mapProfile, type SamlProfile } from './attribute-mapping.js';
import type { AcsConnection, SsoConnections } from './connections.js';
import { samlEngine } from './engine.js';
import { postCheck, type VerifiedAssertion } from './post-checks.js';
import { linkProvisionedUser } from './provisioned-user.js';

/** A login the ACS accepted: where the browser goes, with the code. */
export interface AcsSuccess {
  location: string;
  claims: LoginClaims;
  initiatedBy: 'sp' | 'idp';
}

function withParams(uri: string, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `${uri}${uri.includes('?') ? '&' : '?'}${query}`;
}

/**
 * The Assertion Consumer Service (saml-security.md §4): the connection (row and trusted certificates, one
 * query, no SP key) → pre-gate → node-saml (with the algorithm hook and the connection's SHA-1 policy) →
 * post-checks on the signed assertion → then ONE transaction: the InResponseTo consumed (delete … returning)
 * and bound to this browser and its RelayState handle, its login request consumed (or, unsolicited, only
 * where IdP-initiated logins are allowed), the assertion id into the replay store (unique key), attribute
 * mapping and SCIM-user linking, a single-use code and the sso.login.succeeded event. A refusal decided
 * inside that transaction commits what was consumed so far (a request id answered from another browser, a
 * replayed or deactivated user's assertion stay spent, as when these were separate statements) and issues
 * no code; any other failure rolls all of it back, so no code exists without its replay record and event.
 * Any refusal is an AcsRejection with a precise reason, recorded in an sso.login.failed event.
 */
export class AssertionConsumer {
  constructor(
    private readonly store: Store,
    private readonly connections: SsoConnections,
    private readonly config: SsoConfig,
    /**
     * Asked when a response fails validation while it may be signed with a certificate the IdP has just
     * published (JumpCloud's "Regenerate" during a renewal that waits for it): re-reads the metadata now and
     * answers whether the connection trusts something new. At most once per connection per
     * `RENEWAL_REFRESH_INTERVAL_MS` on this node, so failing posts cannot drive metadata fetches.
     */
    private readonly refreshAwaitingRenewal: (connectionId: string) => Promise<boolean> = async () => false,
  ) {}

  async consume(connectionId: string, body: FormBody | undefined, browserHash: string | undefined): Promise<AcsSuccess> {
    const connection = await this.connections.acsConnection(connectionId);
    if (!connection) throw new AcsRejection('unknown_connection', `no SSO connection ${connectionId.slice(0, 100)}`, 404);
    try {
      return await this.accept(connection, body, browserHash);
    } catch (error) {
      const rejection = error instanceof AcsRejection ? error : new AcsRejection('internal', 'the response could not be processed', 500);
      await this.recordFailure(connection, rejection).catch(() => {});
      if (!(error instanceof AcsRejection)) throw error;
      throw rejection;
    }
  }

  private async validate(connection: AcsConnection, samlResponse: string): Promise<string> {
    const engine = samlEngine(this.store, connection, this.config);
    let result: Awaited<ReturnType<typeof engine.validatePostResponseAsync>>;
    try {
      result = await signaturePolicy.run({ allowSha1: connection.row.allow_sha1 === 1 }, () => engine.validatePostResponseAsync({ SAMLResponse: samlResponse }));
    } catch (error) {
      if (error instanceof AlgorithmRefused) throw new AcsRejection('algorithm_refused', error.reason);
      throw new AcsRejection('saml_validation', String((error as Error)?.message ?? error).slice(0, 300));
    }
    const xml = result.profile?.getAssertionXml?.();
    if (result.loggedOut || !xml) throw new AcsRejection('saml_validation', 'no signed assertion in the response');
    return xml;
  }

  private async accept(connection: AcsConnection, body: FormBody | undefined, browserHash: string | undefined): Promise<AcsSuccess> {
    const row = connection.row;
    if (row.state !== 'active') throw new AcsRejection('connection_inactive', 'the connection is inactive');
    if (connection.trustedCertificates.length === 0) throw new AcsRejection('no_trusted_certificate', 'the connection trusts no IdP certificate');
    const gated = preGate(body);
    let signedAssertion: string;
    try {
      signedAssertion = await this.validate(connection, gated.samlResponse);
    } catch (error) {
      // a renewal waiting for the IdP's new certificate: the response may be signed with it already
      if (!(error instanceof AcsRejection) || error.reason !== 'saml_validation' || !(await this.refreshAwaitingRenewal(row.id))) throw error;
      const refreshed = await this.connections.acsConnection(row.id);
      if (!refreshed) throw error;
      connection = refreshed;
      signedAssertion = await this.validate(connection, gated.samlResponse);
    }
    const verified = postCheck(signedAssertion, gated, { idpEntityId: row.idp_entity_id, acsUrl: connection.acsUrl, skewMs: this.config.clockSkewMs });
    if (verified.inResponseTo === null && row.allow_idp_initiated !== 1) throw new AcsRejection('unsolicited', 'an unsolicited (IdP-initiated) response, and the connection does not allow them');
    const profile = mapProfile(verified, connection.attributeMapping);
    const now = new Date();
    const outcome = await this.store.transaction(async (tx) => {
      try {
        return await this.grant(tx, connection, verified, profile, gated.relayState, browserHash, now);
      } catch (error) {
        // refused after a read: commit what was consumed so far (the caller throws), never a code
        if (error instanceof AcsRejection) return { refused: error } as const;
        throw error;
      }
    });
    if ('refused' in outcome) throw outcome.refused;
    return outcome;
  }

  /** Inside the ACS transaction: consumes the request (if solicited), records the assertion, links the user, issues the code and the event. */
  private async grant(tx: Repositories, connection: AcsConnection, verified: VerifiedAssertion, profile: SamlProfile, relayState: string | null, browserHash: string | undefined, now: Date): Promise<AcsSuccess> {
    const row = connection.row;
    const login = await this.matchRequest(tx, connection, verified, relayState, browserHash, now);
    if (!(await tx.ssoConnections.recordAssertion(row.id, verified.assertionId, verified.replayExpiresAt))) {
      throw new AcsRejection('replay', `assertion ${verified.assertionId.slice(0, 100)} was already used`);
    }
    let redirectUri: string;
    if (login) {
      if (!connection.redirectUris.includes(login.redirect_uri)) throw new AcsRejection('redirect_uri_unregistered', 'the redirect URI is no longer registered');
      redirectUri = login.redirect_uri;
    } else {
      // IdP-initiated: RelayState is never a URL to follow; it only picks a registered redirect URI exactly
      const fallback = connection.redirectUris[0];
      if (fallback === undefined) throw new AcsRejection('no_redirect_uri', 'the connection has no redirect URI for IdP-initiated logins');
      redirectUri = relayState !== null && connection.redirectUris.includes(relayState) ? relayState : fallback;
    }
    const linked = await linkProvisionedUser(tx, row.organization_id, profile, row.refuse_deactivated_users === 1);
    const claims = claimsOf(row.organization_id, row.id, profile, linked);
    const initiatedBy = login ? 'sp' : 'idp';
    const code = await issueCode(tx, { connectionId: row.id, clientId: row.oauth_client_id, redirectUri, codeChallenge: login?.code_challenge || null, nonce: login?.nonce ?? null, claims }, now);
    await tx.events.append([
      {
        id: newId('evt'),
        type: 'sso.login.succeeded',
        organizationId: row.organization_id,
        directoryId: linked?.directoryId ?? null,
        occurredAt: now.toISOString(),
        data: { connectionId: row.id, initiatedBy, assertionId: verified.assertionId, user: claims },
        previous: null,
      },
    ]);
    const params: Record<string, string> = { code };
    if (login && login.state !== '') params.state = login.state;
    return { location: withParams(redirectUri, params), claims, initiatedBy };
  }

  /** The login request a solicited response answers (consumed, browser-bound), or null when unsolicited (and allowed). */
  private async matchRequest(tx: Repositories, connection: AcsConnection, verified: VerifiedAssertion, relayState: string | null, browserHash: string | undefined, now: Date): Promise<LoginRequestRow | null> {
    const at = now.toISOString();
    if (verified.inResponseTo === null) {
      if (connection.row.allow_idp_initiated !== 1) throw new AcsRejection('unsolicited', 'an unsolicited (IdP-initiated) response, and the connection does not allow them');
      return null;
    }
    const outstanding = await tx.ssoConnections.takeRequestId(connection.row.id, verified.inResponseTo, at);
    if (!outstanding) throw new AcsRejection('unknown_in_response_to', 'InResponseTo matches no outstanding request of this connection (used, expired or never issued)');
    if (browserHash === undefined || outstanding.browser_hash !== browserHash) throw new AcsRejection('other_browser', 'the response answers a request started in another browser');
    if (outstanding.login_request_id === null || relayState !== outstanding.login_request_id) throw new AcsRejection('relay_state_mismatch', 'RelayState is not the handle of the login this response answers');
    const login = await tx.oauth.consumeLoginRequest(outstanding.login_request_id, at);
    if (!login || login.browser_hash !== browserHash || login.connection_id !== connection.row.id) throw new AcsRejection('login_request_used', 'the login request was already used or has expired');
    return login;
  }

  /** Records a failure that happened before the response could be read (body too large, not a form). */
  async recordTransportFailure(connectionId: string, reason: string, detail: string): Promise<void> {
    const connection = await this.connections.acsConnection(connectionId);
    if (connection) await this.recordFailure(connection, new AcsRejection(reason, detail.slice(0, 300)));
  }

  private async recordFailure(connection: AcsConnection, rejection: AcsRejection): Promise<void> {
    await this.store.transaction((tx) =>
      tx.events.append([
        {
          id: newId('evt'),
          type: 'sso.login.failed',
          organizationId: connection.row.organization_id,
          directoryId: null,
          occurredAt: new Date().toISOString(),
          data: { connectionId: connection.row.id, reason: rejection.reason, detail: rejection.detail },
          previous: null,
        },
      ]),
    );
  }
}
