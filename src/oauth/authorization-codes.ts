import { randomBytes } from 'node:crypto';
import { hashSecret } from '../core/secrets.js';
import type { Repositories } from '../store/store.js';
import type { LoginClaims } from './claims.js';

/** Codes live 60 seconds at most (saml-security.md §4.6). */
export const CODE_TTL_MS = 60_000;

export interface CodeGrant {
  connectionId: string;
  clientId: string;
  redirectUri: string;
  /** the S256 challenge from /oauth/authorize; null for IdP-initiated and login-URL starts */
  codeChallenge: string | null;
  nonce: string | null;
  claims: LoginClaims;
}

/** Issues a 256-bit authorization code in the caller's transaction; only its SHA-256 is stored. */
export async function issueCode(tx: Repositories, grant: CodeGrant, now: Date): Promise<string> {
  const code = `ghac_${randomBytes(32).toString('base64url')}`;
  await tx.oauth.insertCode({
    code_hash: hashSecret(code),
    connection_id: grant.connectionId,
    client_id: grant.clientId,
    redirect_uri: grant.redirectUri,
    code_challenge: grant.codeChallenge,
    nonce: grant.nonce,
    profile: JSON.stringify(grant.claims),
    expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
    consumed_at: null,
    created_at: now.toISOString(),
  });
  return code;
}
