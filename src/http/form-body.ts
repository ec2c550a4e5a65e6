import type { FastifyInstance } from 'fastify';
import { BodyError } from './json-body.js';

/** A parsed form: each name maps to its value, or to every value when the name repeats (the caller decides). */
export type FormBody = Record<string, string | string[]>;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/**
 * Parses `application/x-www-form-urlencoded` strictly: UTF-8 only, at most `maxParameters` pairs, every
 * `%` escape well formed (a bad escape is an error, never passed through), no `__proto__`, no NUL.
 * Repeated names become arrays so a caller can refuse parameter pollution (`SAMLResponse` twice).
 */
export function parseForm(body: Buffer, maxParameters: number): FormBody {
  const text = body.toString('latin1');
  if (/[^\x20-\x7e]/.test(text)) throw new BodyError(400, 'invalid_encoding', 'a form body must be URL-encoded ASCII');
  const out: FormBody = Object.create(null) as FormBody;
  if (text === '') return out;
  const pairs = text.split('&');
  if (pairs.length > maxParameters) throw new BodyError(400, 'invalid_json', `a form body may have at most ${maxParameters} parameters`);
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
    } catch {
      throw new BodyError(400, 'invalid_encoding', 'a form body has a malformed %-escape or invalid UTF-8');
    }
    if (name === '' || name === '__proto__' || name === 'constructor' || name === 'prototype') throw new BodyError(400, 'invalid_json', 'a form body has a forbidden parameter name');
    if (name.includes('\u0000') || value.includes('\u0000')) throw new BodyError(400, 'invalid_encoding', 'a form body contains a NUL character');
    const previous = out[name];
    if (previous === undefined) out[name] = value;
    else out[name] = Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/**
 * Adds the strict form parser to an encapsulated plugin (so only its routes accept forms), with its own
 * body limit: a larger body is refused with 413 before it is read in full.
 */
export function registerFormBodies(app: FastifyInstance, options: { bodyLimit: number; maxParameters: number }): void {
  app.addContentTypeParser(FORM_TYPE, { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseForm(body as Buffer, options.maxParameters));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
