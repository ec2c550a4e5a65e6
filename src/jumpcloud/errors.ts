/**
 * Why a JumpCloud request failed, in terms an admin can act on. `status` is JumpCloud's HTTP status when
 * there was an answer.
 */
export type JumpCloudErrorKind =
  | 'unauthorized' // 401: the key is wrong, revoked, or a multi-tenant key without x-org-id
  | 'forbidden' // 403: the key's admin role lacks the rights
  | 'not_found' // 404
  | 'bad_request' // other 4xx
  | 'rate_limited' // 429, still after every retry
  | 'unavailable' // 5xx, still after every retry
  | 'timeout' // no answer in time, after every retry
  | 'network' // refused, reset, DNS…, after every retry
  | 'budget_exhausted' // the configured request budget is spent
  | 'invalid_response' // an answer that is not the expected JSON shape
  | 'cancelled'; // the caller aborted

/** A failed JumpCloud call. The message never contains the API key. */
export class JumpCloudError extends Error {
  constructor(
    readonly kind: JumpCloudErrorKind,
    message: string,
    readonly status: number | null = null,
    /** the request path (no query string values that could hold secrets: JumpCloud takes none) */
    readonly path: string | null = null,
  ) {
    super(message);
    this.name = 'JumpCloudError';
  }
}

/** The message for an HTTP error answer, with JumpCloud's own message when it sent one. */
export function errorForStatus(status: number, path: string, detail: string | null, orgIdSent: boolean): JumpCloudError {
  const said = detail ? ` (JumpCloud: ${detail.slice(0, 200)})` : '';
  if (status === 401) {
    const hint = orgIdSent ? 'the API key is wrong or revoked' : 'the API key is wrong or revoked, or it is a multi-tenant key that needs an organization id (orgId / --org-id)';
    return new JumpCloudError('unauthorized', `JumpCloud refused the API key (401): ${hint}${said}`, status, path);
  }
  if (status === 403) {
    return new JumpCloudError('forbidden', `the API key's administrator lacks the rights to read ${path} (403); a read-only administrator role (or the scopes users, groups, applications, associations, roles, administrators .readonly) is needed${said}`, status, path);
  }
  if (status === 404) return new JumpCloudError('not_found', `JumpCloud answered 404 for ${path}${said}`, status, path);
  if (status === 429) return new JumpCloudError('rate_limited', `JumpCloud kept rate-limiting ${path} (429) after every retry${said}`, status, path);
  if (status >= 500) return new JumpCloudError('unavailable', `JumpCloud answered ${status} for ${path} after every retry${said}`, status, path);
  return new JumpCloudError('bad_request', `JumpCloud answered ${status} for ${path}${said}`, status, path);
}
