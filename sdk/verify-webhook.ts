/**
 * Verifies a Gatehouse webhook in a host app. No dependency on Gatehouse itself: copy this file, or import it.
 *
 *   const event = verifyWebhook(rawBody, req.headers['gatehouse-signature'], process.env.GATEHOUSE_WEBHOOK_SECRET!);
 *
 * The header is `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the secret>`; several
 * `v1=` values are accepted (any one may match). Compare in constant time; refuse timestamps further than
 * `toleranceSeconds` (default 300) from now, so a captured delivery cannot be replayed later. Deliveries are
 * at least once: deduplicate on the event `id` (also in the `Gatehouse-Event-Id` header).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export interface VerifyOptions {
  /** largest accepted distance between the signature's timestamp and now, in seconds (default 300) */
  toleranceSeconds?: number;
  /** the current time in unix seconds (for tests) */
  now?: number;
}

export interface GatehouseEvent {
  id: string;
  type: string;
  organizationId: string | null;
  directoryId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
  previous?: Record<string, unknown>;
}

/** Throws WebhookVerificationError unless the signature is valid and fresh; returns the parsed event. */
export function verifyWebhook(
  rawBody: string | Uint8Array,
  header: string | string[] | null | undefined,
  secret: string,
  options: VerifyOptions = {},
): GatehouseEvent {
  const tolerance = options.toleranceSeconds ?? 300;
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) throw new WebhookVerificationError('missing Gatehouse-Signature header');
  let timestamp: number | undefined;
  const signatures: Buffer[] = [];
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const val = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(val)) timestamp = Number(val);
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(val)) signatures.push(Buffer.from(val, 'hex'));
  }
  if (timestamp === undefined) throw new WebhookVerificationError('the signature has no timestamp');
  if (signatures.length === 0) throw new WebhookVerificationError('the signature has no v1 value');
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) throw new WebhookVerificationError('the signature timestamp is outside the tolerance');
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const expected = createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest();
  let ok = false;
  for (const s of signatures) if (timingSafeEqual(s, expected)) ok = true;
  if (!ok) throw new WebhookVerificationError('the signature does not match');
  try {
    return JSON.parse(body.toString('utf8')) as GatehouseEvent;
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
}
