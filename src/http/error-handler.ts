import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorCode } from '../core/errors.js';
import { ScimError, type ScimType } from '../scim/errors.js';
import { BodyError } from './json-body.js';

/** An error in the admin API's wire shape: `{"error":{"code","message"}}`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const DOMAIN_STATUS: Record<DomainErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  precondition_failed: 412,
  unauthorized: 401,
  unavailable: 503,
};

interface Problem {
  status: number;
  code: string;
  message: string;
  scimType?: ScimType;
  headers?: Record<string, string>;
}

/** Every error, whatever threw it, as a status, a stable code and a message safe to show. */
function toProblem(error: unknown): Problem {
  if (error instanceof ScimError) return { status: error.status, code: error.scimType ?? 'scim_error', message: error.message, ...(error.scimType ? { scimType: error.scimType } : {}) };
  if (error instanceof ApiError) return { status: error.statusCode, code: error.code, message: error.message };
  if (error instanceof BodyError) return { status: error.statusCode, code: error.code, message: error.message, scimType: 'invalidSyntax' };
  if (error instanceof DomainError) {
    const scimType: ScimType | undefined =
      error.code === 'conflict' ? 'uniqueness' : error.code === 'invalid' ? 'invalidValue' : undefined;
    return { status: DOMAIN_STATUS[error.code], code: error.code, message: error.message, ...(scimType ? { scimType } : {}) };
  }
  const e = error as FastifyError;
  if (e?.validation) return { status: 400, code: 'invalid_request', message: e.message, scimType: 'invalidValue' };
  switch (e?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large', message: 'the request body is larger than this server accepts' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'send the body as application/json (or application/scim+json)', scimType: 'invalidSyntax' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, code: 'invalid_json', message: e.message, scimType: 'invalidSyntax' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { status: 414, code: 'uri_too_long', message: 'a path segment of the URL is too long' };
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return { status: 400, code: 'invalid_request', message: 'the request URL is malformed' };
    default:
      break;
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return { status: e.statusCode, code: 'invalid_request', message: e.message };
  }
  if (isUnstorableText(error)) {
    return { status: 400, code: 'invalid_request', message: 'the request contains text that cannot be stored (a NUL character)', scimType: 'invalidValue' };
  }
  if (isDatabaseOutage(error)) {
    return { status: 503, code: 'unavailable', message: 'the database is not answering; try again shortly', headers: { 'retry-after': '5' } };
  }
  return { status: 500, code: 'internal_error', message: 'an internal error occurred; it has been logged' };
}

/**
 * PostgreSQL refusing a parameter's text: U+0000 in a text parameter (22021) or in jsonb (22P05). Bodies are
 * screened when parsed; this covers the rest (a `%00` in a URL path parameter), which is the client's error.
 */
export function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  return code === '22021' || code === '22P05';
}

function isDatabaseOutage(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? '';
  // 57014: statement_timeout (GATEHOUSE_DB_TIMEOUT_MS); 53300: too many connections; "Query read timeout": pg's query_timeout
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '57014', '53300', '08006', '08001', '08003', '08004', 'SQLITE_BUSY'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable/i.test(String((error as Error)?.message));
}

export function isScimRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/scim/');
}

/** The SCIM Error response (RFC 7644 §3.12). */
export function sendScimError(reply: FastifyReply, status: number, detail: string, scimType?: ScimType): FastifyReply {
  return reply
    .code(status)
    .type('application/scim+json; charset=utf-8')
    .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), ...(scimType ? { scimType } : {}), detail });
}

/** Answers a failed request in the wire shape of its API (SCIM Error or admin error object). */
function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(error);
  if (problem.status === 503 && problem.code === 'unavailable') request.server.metrics?.databaseUnavailable.inc();
  if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: problem.code, status: problem.status }, problem.message);
  if (problem.headers) void reply.headers(problem.headers);
  if (isScimRequest(request)) {
    // a SCIM client sees scimType only where RFC 7644 defines one for the status
    const scimType = problem.status === 400 || problem.status === 409 ? problem.scimType : undefined;
    return sendScimError(reply, problem.status, problem.message, scimType);
  }
  return reply.code(problem.status).send({ error: { code: problem.code, message: problem.message } });
}

/** Answers `error` as the error handler would (used where no handler is on the stack, e.g. a timer). */
export const sendProblem = handleError;

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a malformed `%` escape in the path,
 * a path parameter over maxParamLength) get the same wire shape as every other error, instead of
 * Fastify's own JSON.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void handleError(error, request, reply);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => handleError(error, request, reply));

  app.setNotFoundHandler((request, reply) => {
    if (isScimRequest(request)) return sendScimError(reply, 404, `no SCIM endpoint at ${request.method} ${request.url.split('?')[0]}`);
    return reply.code(404).send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` } });
  });
}
