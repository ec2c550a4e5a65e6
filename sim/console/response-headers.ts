import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The weak ETag Express computes (`W/"<length hex>-<sha1 base64, 27 chars>"`), as in the recordings. */
export function weakEtag(body: string | Buffer): string {
  const length = Buffer.byteLength(body);
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return `W/"${length.toString(16)}-${hash}"`;
}

/**
 * onSend hook of the console API: the recorded response headers (`cache-control: no-store`,
 * `pragma: no-cache`, `x-response-time: 23.326ms`, a weak `etag` on 200 JSON answers), and
 * `304 Not Modified` when If-None-Match names the current etag (as Express does).
 */
export async function consoleHeaders(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  void reply.header('cache-control', 'no-store');
  void reply.header('pragma', 'no-cache');
  void reply.header('x-response-time', `${reply.elapsedTime.toFixed(3)}ms`);
  if (reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return payload;
  const etag = weakEtag(payload);
  void reply.header('etag', etag);
  if (request.method === 'GET' && request.headers['if-none-match'] === etag) {
    void reply.code(304);
    reply.removeHeader('content-type');
    reply.removeHeader('content-length');
    return '';
  }
  return payload;
}
