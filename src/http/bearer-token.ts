import type { FastifyRequest } from 'fastify';

/** `Authorization: Bearer <token>` → the token, or undefined (RFC 6750 §2.1; the scheme is case-insensitive). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1];
}
