/** Shared helpers of the simulator tests (not a test file). */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Simulator } from '../../sim/simulator.js';

/** A console or control answer. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** Calls the simulator: `path` is relative to the console URL ("/api/systemusers?limit=5"). */
export async function call(
  sim: Pick<Simulator, 'consoleUrl' | 'apiKey'>,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; apiKey?: string | null } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.apiKey === undefined ? sim.apiKey : init.apiKey;
  if (key !== null) headers['x-api-key'] = key;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${sim.consoleUrl}${path}`, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') body = JSON.parse(text);
  return { status: response.status, headers: response.headers, text, body };
}

/** A v1 list body. */
export interface V1List<T = Record<string, unknown>> {
  totalCount: number;
  results: T[];
}

/** Where the shared JumpCloud specs and recordings are (outside the repository). */
export const SPECS_DIR = process.env.JUMPCLOUD_SPECS_DIR ?? resolve(import.meta.dirname, '../../../shared/jumpcloud-api-specs');

/** One recorded exchange of a .har file. */
export interface HarEntry {
  file: string;
  method: string;
  url: URL;
  requestHeaders: Record<string, string>;
  status: number;
  responseHeaders: Record<string, string>;
  text: string;
}

/** Every entry of every recordings/*.har, or null when the recordings are not available. */
export function loadRecordings(): HarEntry[] | null {
  const dir = join(SPECS_DIR, 'recordings');
  if (!existsSync(dir)) return null;
  const entries: HarEntry[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.har')).sort()) {
    const har = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      log: { entries: { request: { method: string; url: string; headers: { name: string; value: string }[] }; response: { status: number; headers: { name: string; value: string }[]; content: { text?: string } } }[] };
    };
    for (const e of har.log.entries) {
      entries.push({
        file,
        method: e.request.method,
        url: new URL(e.request.url),
        requestHeaders: Object.fromEntries(e.request.headers.map((h) => [h.name.toLowerCase(), h.value])),
        status: e.response.status,
        responseHeaders: Object.fromEntries(e.response.headers.map((h) => [h.name.toLowerCase(), h.value])),
        text: e.response.content.text ?? '',
      });
    }
  }
  return entries;
}

/** "null", "array", "object", "string", "number", "boolean". */
export function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Checks that `actual` has the structure of `recorded`: every recorded key present (recursively) with the
 * same value type; arrays compared element by element when `sameLength`, else every actual element
 * against the first recorded one. "[REDACTED]" in a recording matches anything. With `nullMatchesAny`, a
 * null on either side matches any type (for seeds whose optional values differ from the recording).
 * Extra keys in `actual` must be listed in `allowedExtra`. Returns the differences (empty: same structure).
 */
export function structureDiff(
  recorded: unknown,
  actual: unknown,
  options: { allowedExtra?: readonly string[]; nullMatchesAny?: boolean; sameLength?: boolean },
  path = '$',
): string[] {
  if (recorded === '[REDACTED]') return [];
  if (options.nullMatchesAny && (recorded === null || actual === null)) return [];
  if (kind(recorded) !== kind(actual)) return [`${path}: recorded ${kind(recorded)}, got ${kind(actual)}`];
  if (Array.isArray(recorded)) {
    const got = actual as unknown[];
    if (options.sameLength) {
      if (recorded.length !== got.length) return [`${path}: recorded ${recorded.length} items, got ${got.length}`];
      return recorded.flatMap((item, i) => structureDiff(item, got[i], options, `${path}[${i}]`));
    }
    if (recorded.length === 0) return [];
    return got.flatMap((item, i) => structureDiff(recorded[0], item, options, `${path}[${i}]`));
  }
  if (kind(recorded) === 'object') {
    const r = recorded as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const diffs: string[] = [];
    for (const key of Object.keys(r)) {
      if (!(key in a)) diffs.push(`${path}.${key}: missing`);
      else diffs.push(...structureDiff(r[key], a[key], options, `${path}.${key}`));
    }
    for (const key of Object.keys(a)) if (!(key in r) && !(options.allowedExtra ?? []).includes(key)) diffs.push(`${path}.${key}: not in the recording`);
    return diffs;
  }
  return [];
}

/** A copy of `actual` without the allowed extra keys and with recorded "[REDACTED]" values copied over. */
export function alignToRecording(recorded: unknown, actual: unknown, allowedExtra: readonly string[]): unknown {
  if (recorded === '[REDACTED]') return '[REDACTED]';
  if (Array.isArray(recorded) && Array.isArray(actual)) return actual.map((item, i) => alignToRecording(recorded[i], item, allowedExtra));
  if (kind(recorded) === 'object' && kind(actual) === 'object') {
    const r = recorded as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(actual as Record<string, unknown>)) {
      if (!(key in r) && allowedExtra.includes(key)) continue;
      out[key] = alignToRecording(r[key], value, allowedExtra);
    }
    return out;
  }
  return actual;
}

/** Runs a function and reports how long it took (ms). */
export async function timed<T>(fn: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - start };
}
