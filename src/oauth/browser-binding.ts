import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Hex } from '../saml/connections.js';

/**
 * The browser a login belongs to: a random value in a `__Host-` cookie (Secure, path /, no Domain, so no
 * subdomain can plant it), HttpOnly, SameSite=None (the IdP's POST to the ACS is cross-site). Only its
 * SHA-256 is stored, next to the login request and the AuthnRequest id.
 */
export const BROWSER_COOKIE = '__Host-gatehouse-sso';
const VALUE = /^[A-Za-z0-9_-]{43}$/;

/** The browser cookie's value when the request carries a well-formed one. */
export function browserCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string' || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() !== BROWSER_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    if (VALUE.test(value)) return value;
  }
  return undefined;
}

/** The browser's binding hash, setting a fresh cookie when it has none. */
export function bindBrowser(request: FastifyRequest, reply: FastifyReply): string {
  let value = browserCookie(request);
  if (value === undefined) {
    value = randomBytes(32).toString('base64url');
    void reply.header('set-cookie', `${BROWSER_COOKIE}=${value}; Path=/; Secure; HttpOnly; SameSite=None; Max-Age=900`);
  }
  return sha256Hex(value);
}

/** The binding hash of the request's cookie, or undefined without one. */
export function browserHash(request: FastifyRequest): string | undefined {
  const value = browserCookie(request);
  return value === undefined ? undefined : sha256Hex(value);
}
