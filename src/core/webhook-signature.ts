import { createHmac } from 'node:crypto';

/**
 * `Gatehouse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (CONTRACT.md); with
 * several secrets (a rotation's grace period), one `v1=` per secret, the current one first.
 */
export function signatureHeader(secrets: string | readonly string[], timestamp: number, body: string): string {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const signatures = list.map((secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`);
  return `t=${timestamp},${signatures.join(',')}`;
}
