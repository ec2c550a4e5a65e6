import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../../http/bearer-token.js';
import type { Directory } from '../../core/types.js';
import type { Gatehouse } from '../../gatehouse.js';
import { sendScimError } from '../../http/error-handler.js';
import { refuseBlockedAddress, scimScope } from '../../http/limits.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the directory whose token authenticated this SCIM request */
    directory: Directory | null;
  }
}

/**
 * Admits a SCIM request only with the bearer token of the directory in its URL: a token of another
 * directory, of a deleted one, or a rotated-out token all get the same 401 (nothing about other tenants
 * can be learnt from the answer).
 */
export function requireDirectoryToken(gatehouse: Gatehouse) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { dirId } = request.params as { dirId?: string };
    const refused = refuseBlockedAddress(request, reply, scimScope(dirId ?? ''));
    if (refused) return refused;
    const token = bearerToken(request);
    const directory = dirId && token ? await gatehouse.directories.authenticate(dirId, token) : undefined;
    if (!directory) {
      request.server.limits.authFailed(request.ip, 'scim', scimScope(dirId ?? ''));
      void reply.header('www-authenticate', 'Bearer realm="gatehouse-scim"');
      return sendScimError(reply, 401, 'a valid bearer token for this directory is required (Authorization: Bearer <token>)');
    }
    request.directory = directory;
    // per-token rate limit (the 429 counts in the directory's activity as an error)
    const wait = request.server.limits.scimRequest(directory.id);
    if (wait > 0) return request.server.limits.tooMany(request, reply, wait, 'scim_directory');
  };
}
