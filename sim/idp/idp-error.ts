/** Why the IdP refused. */
export type IdpErrorCode =
  /** no app with that id or slug (404) */
  | 'unknown_app'
  /** no user with that id, e-mail or username (403, like a failed login) */
  | 'unknown_user'
  /** the user is not bound to the app, directly or through a group (403) */
  | 'not_assigned'
  /** the user is STAGED or SUSPENDED (403) */
  | 'not_activated'
  /** the app is not active (403) */
  | 'app_inactive'
  /** the demo login page: locked account, expired password, wrong or no password (401) */
  | 'account_locked'
  | 'password_expired'
  | 'bad_credentials'
  /** a malformed or unacceptable AuthnRequest, or a bad parameter (400) */
  | 'invalid_request';

const STATUS: Record<IdpErrorCode, number> = {
  unknown_app: 404,
  unknown_user: 403,
  not_assigned: 403,
  not_activated: 403,
  app_inactive: 403,
  account_locked: 401,
  password_expired: 401,
  bad_credentials: 401,
  invalid_request: 400,
};

/** A refusal of the IdP; the routes render it as the error page (HTML) or `{"error":{"code","message"}}`. */
export class IdpError extends Error {
  readonly code: IdpErrorCode;
  readonly status: number;

  constructor(code: IdpErrorCode, message: string) {
    super(message);
    this.name = 'IdpError';
    this.code = code;
    this.status = STATUS[code];
  }
}
