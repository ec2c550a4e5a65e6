import type { FastifyReply } from 'fastify';

/**
 * The shape of console error bodies.
 * - "observed" (default): `{"message":"<Reason>: <detail>"}`, the shape seen in real JumpCloud answers
 *   quoted in public issues (e.g. `{"message":"Bad Request: request parameter \"limit\" exceeds maximum
 *   value of 100"}`, `{"message":"Unauthorized: no organization selected"}`).
 * - "spec": `{"code":<status>,"message":"…","status":"<RPC code>"}`, the Error schema of the OpenAPI specs
 *   (never captured on the wire).
 */
export type ErrorStyle = 'observed' | 'spec';

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const RPC_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
};

/** The reason phrase of a status ("Bad Request"…). */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/** An error a console route answers with. `message` is the detail, without the reason phrase. */
export class ConsoleError extends Error {
  readonly status: number;
  readonly detail: string | null;
  /** extra fields of the observed-style body (e.g. `error` on an unknown key) */
  readonly extra: Record<string, unknown>;

  constructor(status: number, detail: string | null = null, extra: Record<string, unknown> = {}) {
    super(detail ?? reasonPhrase(status));
    this.status = status;
    this.detail = detail;
    this.extra = extra;
  }
}

/** The body of an error in the given style. */
export function errorBody(style: ErrorStyle, status: number, detail: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  if (style === 'spec') return { code: status, message: detail ?? reasonPhrase(status), status: RPC_STATUS[status] ?? 'UNKNOWN' };
  return { ...extra, message: detail === null ? reasonPhrase(status) : `${reasonPhrase(status)}: ${detail}` };
}

/** Sends an error answer. */
export function sendConsoleError(reply: FastifyReply, style: ErrorStyle, error: ConsoleError): FastifyReply {
  return reply.code(error.status).type('application/json; charset=utf-8').send(errorBody(style, error.status, error.detail, error.extra));
}
