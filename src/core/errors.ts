/**
 * Domain errors: what went wrong in terms of the domain, never of HTTP. Each protocol layer maps them to
 * its own wire format (admin API error object, SCIM Error).
 */
export type DomainErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'precondition_failed'
  | 'unauthorized'
  | 'unavailable';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** for conflicts: which unique attribute collided */
  readonly field: string | undefined;

  constructor(code: DomainErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = field;
  }
}

export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
