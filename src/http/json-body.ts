import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';

/** Deepest nesting accepted in a JSON body; SCIM documents need four or five levels. */
export const MAX_JSON_DEPTH = 32;

export class BodyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: 'invalid_json' | 'invalid_encoding' | 'too_deep',
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/** Depth of a parsed JSON value, without recursion (a hostile body cannot overflow the stack here). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * Text that no database here can store faithfully: U+0000 (PostgreSQL text and jsonb reject it) and a
 * UTF-16 surrogate without its pair (not Unicode; jsonb rejects it, SQLite would store U+FFFD instead).
 */
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Strict JSON bodies for `application/json` and every `+json` type (SCIM's `application/scim+json`):
 * well-formed UTF-8, valid JSON, no `__proto__`/`constructor.prototype` keys, no NUL characters or unpaired
 * surrogates in keys or strings (`"\u0000"`, `"\ud800"`), bounded depth.
 */
export function registerJsonBodies(app: FastifyInstance): void {
  // only JSON is accepted (other parsers, e.g. forms for OAuth, are added where a route needs them)
  app.removeAllContentTypeParsers();
  const parse = (body: Buffer): unknown => {
    if (!isUtf8(body)) throw new BodyError(400, 'invalid_encoding', 'the request body is not valid UTF-8');
    const text = body.toString('utf8');
    if (text.trim() === '') throw new BodyError(400, 'invalid_json', 'the request body is empty');
    let value: unknown;
    try {
      value = JSON.parse(text, (key, v) => {
        if (key === '__proto__') throw new BodyError(400, 'invalid_json', 'the request body has a forbidden "__proto__" key');
        if (UNSTORABLE_TEXT.test(key) || (typeof v === 'string' && UNSTORABLE_TEXT.test(v))) {
          throw new BodyError(400, 'invalid_encoding', 'the request body contains a NUL character (\\u0000) or an unpaired surrogate in a string');
        }
        return v;
      });
    } catch (error) {
      if (error instanceof BodyError) throw error;
      throw new BodyError(400, 'invalid_json', `the request body is not valid JSON: ${(error as Error).message}`);
    }
    if (jsonDepth(value) > MAX_JSON_DEPTH) throw new BodyError(400, 'too_deep', `the request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    return value;
  };
  const parser = (_request: unknown, body: string | Buffer, done: (error: Error | null, value?: unknown) => void) => {
    try {
      done(null, parse(body as Buffer));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parser);
  // Fastify tests a RegExp against the whole header, parameters included (`application/scim+json; charset=utf-8`)
  app.addContentTypeParser(/^application\/[a-z0-9.+-]*\+json\s*(?:;.*)?$/i, { parseAs: 'buffer' }, parser);
}
