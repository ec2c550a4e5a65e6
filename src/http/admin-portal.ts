import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `vite build` writes the portal (web/vite.config.ts): `<package root>/dist/web`. */
export function defaultPortalDir(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'web');
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The portal's Content-Security-Policy: only its own scripts and styles, API calls to this origin,
 * application logos from https (JumpCloud inventory), no framing.
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

interface PortalFile {
  body: Buffer;
  type: string;
  etag: string;
  /** content-hashed names under assets/ never change: cache them forever */
  immutable: boolean;
}

/** Reads every file of the built portal once (a few hundred KB) so requests never touch the disk. */
function loadFiles(root: string): Map<string, PortalFile> {
  const files = new Map<string, PortalFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const body = readFileSync(path);
        const name = relative(root, path).split(sep).join('/');
        files.set(name, {
          body,
          type: CONTENT_TYPES[extname(entry).toLowerCase()] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          immutable: name.startsWith('assets/'),
        });
      }
    }
  };
  walk(root);
  return files;
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', PORTAL_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/**
 * Serves the built admin portal at /admin: files looked up in an in-memory table built at start (a
 * request path is only ever a key, so no path can escape the directory), hashed assets cached as
 * immutable, index.html never cached, and every other /admin/* path answered with index.html (deep links
 * of the single-page app). Without a build, /admin answers 503 saying how to build it.
 */
export function adminPortal(app: FastifyInstance, root: string = defaultPortalDir()): void {
  const dir = resolve(root);
  const files = existsSync(join(dir, 'index.html')) ? loadFiles(dir) : undefined;

  const send = (reply: FastifyReply, file: PortalFile, ifNoneMatch: string | undefined) => {
    securityHeaders(reply)
      .header('content-type', file.type)
      .header('etag', file.etag)
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((t) => t.trim() === file.etag)) return reply.code(304).send();
    return reply.send(file.body);
  };

  const handler = async (request: { params: unknown; headers: Record<string, string | string[] | undefined> }, reply: FastifyReply) => {
    if (!files) {
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The admin portal is not built: run `npm run build` (npm ci does it), then restart Gatehouse.\n');
    }
    const rest = (request.params as { '*'?: string })['*'] ?? '';
    const ifNoneMatch = typeof request.headers['if-none-match'] === 'string' ? request.headers['if-none-match'] : undefined;
    const file = files.get(rest);
    if (file && rest !== 'index.html') return send(reply, file, ifNoneMatch);
    // a missing asset is a 404 (a stale hashed name must not receive HTML); anything else is a page
    if (rest.startsWith('assets/') || /\.[a-z0-9]{1,8}$/i.test(rest)) {
      return securityHeaders(reply).code(404).header('content-type', 'text/plain; charset=utf-8').send('not found\n');
    }
    return send(reply, files.get('index.html')!, ifNoneMatch);
  };

  app.get('/admin', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/admin/', 301));
  app.get('/admin/*', { schema: { hide: true } }, handler);
}
