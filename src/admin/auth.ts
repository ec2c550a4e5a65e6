import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminKey } from '../core/admin-key.js';
import { bearerToken } from '../http/bearer-token.js';
import { ADMIN_SCOPE, refuseBlockedAddress } from '../http/limits.js';

/** A preHandler that admits only requests carrying the admin key. */
export function requireAdminKey(adminKey: AdminKey) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const refused = refuseBlockedAddress(request, reply, ADMIN_SCOPE);
    if (refused) return refused;
    const token = bearerToken(request);
    if (token === undefined || !adminKey.matches(token)) {
      request.server.limits.authFailed(request.ip, 'admin', ADMIN_SCOPE);
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="gatehouse-admin"')
        .send({ error: { code: 'unauthorized', message: 'send the admin key as "Authorization: Bearer <GATEHOUSE_ADMIN_KEY>"' } });
    }
  };
}
