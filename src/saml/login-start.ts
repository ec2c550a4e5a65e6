import { randomBytes } from 'node:crypto';
import type { SsoConfig } from '../config.js';
import type { Store } from '../store/store.js';
import type { ConnectionRuntime } from './connections.js';
import { samlEngine } from './engine.js';

/** An SP-initiated login lasts this long from its start to the IdP's answer. */
export const LOGIN_REQUEST_TTL_MS = 10 * 60_000;

/** Where the login's code goes once the IdP has answered. */
export interface LoginTarget {
  clientId: string;
  redirectUri: string;
  /** the client's state ('' when the start had none: the login URL) */
  state: string;
  /** the S256 challenge ('' when the start had none: the login URL) */
  codeChallenge: string;
  nonce: string | null;
}

/**
 * Starts an SP-initiated login: a login request under a random handle (the RelayState, 25 characters,
 * never a URL) and an AuthnRequest id, both bound to the browser's cookie hash and stored together; then
 * the signed HTTP-Redirect URL of the AuthnRequest at the IdP.
 */
export async function startSpInitiatedLogin(store: Store, config: SsoConfig, connection: ConnectionRuntime, browserHash: string, target: LoginTarget): Promise<string> {
  const now = new Date();
  const handle = `lr_${randomBytes(16).toString('base64url')}`;
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const expiresAt = new Date(now.getTime() + LOGIN_REQUEST_TTL_MS).toISOString();
  await store.transaction(async (tx) => {
    await tx.oauth.insertLoginRequest({
      id: handle,
      connection_id: connection.row.id,
      browser_hash: browserHash,
      client_id: target.clientId,
      redirect_uri: target.redirectUri,
      state: target.state,
      code_challenge: target.codeChallenge,
      nonce: target.nonce,
      saml_request_id: requestId,
      expires_at: expiresAt,
      consumed_at: null,
      created_at: now.toISOString(),
    });
    await tx.ssoConnections.saveRequestId({ connection_id: connection.row.id, request_id: requestId, browser_hash: browserHash, login_request_id: handle, expires_at: expiresAt });
  });
  return samlEngine(store, connection, config, requestId).getAuthorizeUrlAsync(handle, undefined, {});
}
