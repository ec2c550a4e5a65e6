/** Why a tenant mutation was refused. */
export type TenantErrorCode = 'not_found' | 'conflict' | 'invalid';

/** Thrown by tenant methods; the console and control APIs turn it into 404 / 409 / 400. */
export class TenantError extends Error {
  readonly code: TenantErrorCode;

  constructor(code: TenantErrorCode, message: string) {
    super(message);
    this.name = 'TenantError';
    this.code = code;
  }

  /** The HTTP status that matches the code. */
  get status(): number {
    return this.code === 'not_found' ? 404 : this.code === 'conflict' ? 409 : 400;
  }
}
