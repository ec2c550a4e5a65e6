/** An OAuth 2.0 error response (RFC 6749 §5.2): `{"error","error_description"}` with its status. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_token' | 'unsupported_response_type' | 'access_denied',
    readonly description: string,
    readonly status = 400,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}
