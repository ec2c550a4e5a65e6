import type { FastifyReply, FastifyRequest } from 'fastify';

const MESSAGE = 'The sign-in could not be completed. Please try again, or contact your administrator.';

/**
 * The one error every failed SSO step shows the browser, whatever the cause: the same words and code for
 * every reason (no oracle for an attacker probing signatures, decryption or replays), JSON when the client
 * asks for it, else a small HTML page; the request id lets an administrator find the precise reason in the
 * log and the sso.login.failed event.
 */
export function sendUniformSsoError(request: FastifyRequest, reply: FastifyReply, status: number): FastifyReply {
  void reply.code(status).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  if (status === 405) void reply.header('allow', 'POST');
  const accept = String(request.headers.accept ?? '');
  if (accept.includes('application/json') && !accept.includes('text/html')) {
    return reply.type('application/json; charset=utf-8').send({ error: { code: 'sso_failed', message: MESSAGE, reference: request.id } });
  }
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>` +
        `<body style="font-family:system-ui,sans-serif;max-width:36em;margin:4em auto"><h1>Sign-in failed</h1><p>${MESSAGE}</p>` +
        `<p style="color:#666">Reference: ${request.id}</p></body></html>`,
    );
}
