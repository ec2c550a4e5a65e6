/**
 * Why the ACS refused a response. The browser never sees `reason` (one uniform error for every failure);
 * the log line and the sso.login.failed event carry it.
 */
export class AcsRejection extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
    readonly status = 400,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'AcsRejection';
  }
}
