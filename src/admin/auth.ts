import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminKey } from '../core/admin-key.js';
import type { SetupGrant, SetupLinks } from '../core/setup-links.js';
import { bearerToken } from '../http/bearer-token.js';
import { ADMIN_SCOPE, refuseBlockedAddress } from '../http/limits.js';

/** Who called the admin API: the operator with the admin key, or a setup link scoped to one organization. */
export type Principal = { kind: 'admin' } | { kind: 'setup'; grant: SetupGrant };

const principals = new WeakMap<FastifyRequest, Principal>();

/** The authenticated caller of an admin API request (set by `authenticateAdmin`). */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}

function unauthorized(reply: FastifyReply) {
  return reply
    .code(401)
    .header('www-authenticate', 'Bearer realm="gatehouse-admin"')
    .send({ error: { code: 'unauthorized', message: 'send the admin key as "Authorization: Bearer <GATEHOUSE_ADMIN_KEY>"' } });
}

/** A preHandler that admits only requests carrying the admin key. */
export function requireAdminKey(adminKey: AdminKey) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const refused = refuseBlockedAddress(request, reply, ADMIN_SCOPE);
    if (refused) return refused;
    const token = bearerToken(request);
    if (token === undefined || !adminKey.matches(token)) {
      request.server.limits.authFailed(request.ip, 'admin', ADMIN_SCOPE);
      return unauthorized(reply);
    }
  };
}

/**
 * An onRequest hook admitting the admin key or a valid setup-link token (unexpired, not revoked); anything
 * else gets 401 and counts as a failed authentication of the client's address (README "Operations →
 * Limits"). What a setup token may reach is decided by `enforceSetupScope` once the route is known.
 */
export function authenticateAdmin(adminKey: AdminKey, setupLinks: SetupLinks) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const refused = refuseBlockedAddress(request, reply, ADMIN_SCOPE);
    if (refused) return refused;
    const token = bearerToken(request);
    if (token !== undefined && adminKey.matches(token)) {
      principals.set(request, { kind: 'admin' });
      return;
    }
    const grant = token === undefined ? undefined : await setupLinks.authenticate(token);
    if (!grant) {
      request.server.limits.authFailed(request.ip, 'admin', ADMIN_SCOPE);
      return unauthorized(reply);
    }
    principals.set(request, { kind: 'setup', grant });
  };
}
